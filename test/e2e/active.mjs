// Helpers for end-to-end tests of ACTIVE workflows (a Sonarly Trigger polling in `n8n start`):
// activation before start, waiting for a condition, and what n8n saved, read from its SQLite
// database once n8n has stopped (the same tables on both lines; the REST listing differs).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Four Poll Times entries: n8n polls every 15 s (one entry may not go below a minute). */
export const EVERY_15_S = {
	item: [5, 20, 35, 50].map((second) => ({ mode: 'custom', cronExpression: `${second} * * * * *` })),
};

/** Activates imported workflows before `n8n start` (2.x publishes, 1.x sets them active). */
export async function activate(session, workflowIds) {
	for (const id of workflowIds) {
		const args = session.version.startsWith('1.')
			? ['update:workflow', `--id=${id}`, '--active=true']
			: ['publish:workflow', `--id=${id}`];
		const result = await session.cli(args);
		assert.equal(result.code, 0, `${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
	}
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check()` is truthy (polling every second), at most `ms`. */
export async function until(what, check, ms) {
	const deadline = Date.now() + ms;
	for (;;) {
		const value = await check();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(1000);
	}
}

async function query(session, sql, params = []) {
	const sqlite3 = createRequire(path.join(session.n8n.dir, 'package.json'))('sqlite3');
	const db = new sqlite3.Database(path.join(session.userFolder, '.n8n', 'database.sqlite'));
	try {
		return await new Promise((resolve, reject) =>
			db.all(sql, params, (error, found) => (error ? reject(error) : resolve(found))),
		);
	} finally {
		await new Promise((resolve) => db.close(resolve));
	}
}

/** Every execution of the workflows (n8n stopped): [{ id, workflowId, status, mode, data }]. */
export async function executions(session, workflowIds) {
	const flatted = createRequire(path.join(session.n8n.dir, 'package.json'))('flatted');
	const rows = await query(
		session,
		`SELECT e.id, e.workflowId, e.status, e.mode, d.data FROM execution_entity e
		 LEFT JOIN execution_data d ON d.executionId = e.id
		 WHERE e.workflowId IN (${workflowIds.map(() => '?').join(', ')}) ORDER BY e.id`,
		workflowIds,
	);
	return rows.map((row) => ({ ...row, data: row.data ? flatted.parse(row.data) : undefined }));
}

/** The workflows' static data as n8n stored it (n8n stopped): { workflowId: object }. */
export async function storedState(session) {
	const rows = await query(session, 'SELECT id, staticData FROM workflow_entity');
	return Object.fromEntries(rows.map((row) => [row.id, JSON.parse(row.staticData ?? 'null')]));
}

/** The json of the items a node put on an output, over the given executions. */
export function itemsOf(executionList, node, output = 0) {
	return executionList.flatMap((e) =>
		(e.data?.resultData?.runData?.[node] ?? []).flatMap((run) => (run.data?.main?.[output] ?? []).map((item) => item.json)),
	);
}
