// Issue 14: the Sonarly node in n8n queue mode, for real (n8n 2.41.1 only: queue mode is not
// part of what this project tests on 1.x). PostgreSQL and Redis from Debian's packages
// (scripts/ensure-system-packages.sh installs them), each on 127.0.0.1 with a free port and a
// temp data folder; an n8n main (EXECUTIONS_MODE=queue) and two `n8n worker --concurrency=5`,
// each with its own user folder and the package installed in it, as n8n's docs say for queue
// mode; the sandbox as Sonarly at 3 requests/s.
//
// 1. 100 webhook calls: every execution ran on a worker (the workers' logs name each execution
//    they ran; PostgreSQL holds the records), every campaign stopped exactly once, every failure
//    on the error branch, and the 429s bounded (each worker paces on its own).
// 2. A worker SIGKILLed in the middle of a second burst of 100: what n8n does with the
//    executions it held, and whether any campaign was stopped twice (printed, and asserted: the
//    sandbox never acts twice on a campaign; a second stop is a 409).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { benchSeed, refs, WARMUP_START } from '../../bench/ids.mjs';
import * as e2e from './n8n.mjs';
import * as q from './queue.mjs';

const API_KEY = 'sk_test_full_access';
const N = 100;
// Low enough that two loaded workers on a 2-core machine reach it (they manage about 4
// executions/s here), so the rate limit and the pacing are really exercised.
const PER_SECOND = 3;
const WORKFLOW_ID = 'sonarlyQueueWf001';
const WEBHOOK_PATH = 'sonarly-deal-won';

const started = Date.now();
const cleanups = [];
let cluster;

before(async () => {
	await e2e.ensureBuilt({ ifStale: true });
	await e2e.ensureN8n(e2e.N8N_V2);
});

after(async () => {
	for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
	e2e.log(`queue-mode: whole file took ${Math.round((Date.now() - started) / 1000)} s`);
});

/** Main + two workers on a fresh PostgreSQL and Redis; the workflow imported and published. */
async function startCluster(sandboxUrl) {
	const t0 = Date.now();
	const pg = await q.startPostgres();
	cleanups.push(pg.stop);
	const redis = await q.startRedis();
	cleanups.push(redis.stop);
	const env = {
		...pg.env,
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		// Keep every execution's data, so the test can read what each node output.
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		// Find a dead worker's jobs within seconds instead of n8n's default 30-60 s.
		QUEUE_WORKER_LOCK_DURATION: '10000',
		QUEUE_WORKER_LOCK_RENEW_TIME: '2000',
		QUEUE_WORKER_STALLED_INTERVAL: '5000',
	};
	const main = await e2e.openSession({ version: e2e.N8N_V2, env });
	cleanups.push(() => main.close());
	// The first command migrates the fresh database.
	await main.importCredentials(e2e.sonarlyCredential({ apiKey: API_KEY, baseUrl: sandboxUrl }));
	await main.importWorkflows(
		q.webhookStopWorkflow({ id: WORKFLOW_ID, name: 'Deal won → stop campaign', webhookPath: WEBHOOK_PATH }),
	);
	await q.publishWorkflow(main, WORKFLOW_ID);
	// The database is migrated by now (the imports ran): main and the workers start together.
	const startWorker = async () => {
		// Each worker its own user folder with the package installed (openSession does).
		const session = await e2e.openSession({ version: e2e.N8N_V2, env });
		cleanups.push(() => session.close());
		const worker = await e2e.startN8nServer(session, {
			command: 'worker',
			args: ['--concurrency=5'],
			env: { ...env, QUEUE_HEALTH_CHECK_PORT: String(await e2e.freePort()) },
			ready: ({ output }) => output.includes('n8n worker is now ready'),
		});
		cleanups.push(worker.stop);
		return worker;
	};
	const [server, ...workers] = await Promise.all([
		e2e.startN8nServer(main, { env }).then((s) => {
			cleanups.push(s.stop);
			return s;
		}),
		startWorker(),
		startWorker(),
	]);
	e2e.log(`queue-mode: PostgreSQL, Redis, main and 2 workers up in ${Math.round((Date.now() - t0) / 1000)} s`);
	return { pg, redis, main, server, workers, env };
}

/** Execution ids each worker's log says it started ("Worker started execution 12 (job 3)"). */
function startedBy(worker) {
	return [...worker.output().matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]);
}

/** The executions of our workflow in PostgreSQL: [{ id, status, mode }]. */
async function executions(pg, sinceId = 0) {
	const rows = await pg.sql(
		`select id, status, mode from execution_entity where "workflowId" = '${WORKFLOW_ID}' and id > ${sinceId} order by id`,
	);
	return rows.map(([id, status, mode]) => ({ id, status, mode }));
}

/** What the Sonarly node did in one stored execution: [successItems, errorItems]. */
async function stopOutputs(pg, flatted, id) {
	const [[data]] = await pg.sql(`select data from execution_data where "executionId" = ${Number(id)}`);
	const run = flatted.parse(data);
	return {
		counts: q.outputCounts(run.resultData?.runData, 'Stop Campaign'),
		error: run.resultData?.error?.message ?? null,
		firstError: run.resultData?.runData?.['Stop Campaign']?.[0]?.data?.main?.[1]?.[0]?.json?.message ?? null,
	};
}

/** Stop requests per campaign in the sandbox log: { 200: n, 409: n, ... } for each id. */
function stopsPerCampaign(sandbox, ids) {
	const byCampaign = new Map(ids.map((id) => [id, {}]));
	for (const entry of sandbox.stopRequests()) {
		const counts = byCampaign.get(entry.campaignId);
		if (!counts) continue;
		counts[entry.status] = (counts[entry.status] ?? 0) + 1;
	}
	return byCampaign;
}

test(
	'queue mode: 100 webhook calls run on the workers, every campaign stopped exactly once, 429s bounded, then a worker killed mid-burst',
	{ timeout: 9 * 60_000 },
	async () => {
		const { startSandbox } = e2e.sandboxModule();
		const sandbox = await startSandbox({
			host: '127.0.0.1',
			port: 0,
			latencyMs: 0,
			seed: benchSeed(),
			faults: { rateLimit: { perSecond: PER_SECOND, retryAfter: 'seconds' } },
		});
		cleanups.push(() => sandbox.close());
		cluster = await startCluster(sandbox.url);
		const { pg, server, workers } = cluster;
		const flatted = q.flattedOf(cluster.main);
		const hook = `${server.url}/webhook/${WEBHOOK_PATH}`;

		// The webhook answers 404 until main has registered it: one warm-up call first.
		await q.waitForWebhook(hook, refs(WARMUP_START, 1)[0]);
		const warm = await q.settle(
			() => executions(pg),
			(list) => list.length === 1 && list[0].status === 'success',
			{ quietMs: 60_000, timeoutMs: 60_000 },
		);
		assert.equal(warm[0]?.status, 'success', 'the warm-up execution ran');
		const warmId = Number(warm[0].id);

		// ---- 1. 100 calls, all workers alive
		sandbox.reset();
		sandbox.setFaults({ rateLimit: { perSecond: PER_SECOND, retryAfter: 'seconds' } });
		const first = refs(0, N);
		const t1 = Date.now();
		const statuses = await q.fireWebhooks(hook, first, { concurrency: 25 });
		assert.deepEqual(
			statuses.filter((s) => s !== 200),
			[],
			'every webhook call answered 200 (n8n queued the execution)',
		);
		const done = await q.settle(
			() => executions(pg, warmId).then((rows) => rows.filter((r) => r.status === 'success' || r.status === 'error').length),
			(count) => count >= N,
			{ quietMs: 30_000, timeoutMs: 150_000 },
		);
		const burstMs = Date.now() - t1;
		const rows = await executions(pg, warmId);
		assert.equal(rows.length, N, 'one execution per webhook call');
		assert.equal(done, N, 'every execution finished');

		// Every execution ran on a worker: each id is in exactly one worker's log, none on main.
		const ran = workers.map(startedBy);
		e2e.log(`queue-mode: executions per worker: ${ran.map((ids) => ids.length).join(' + ')}`);
		for (const { id, mode } of rows) {
			assert.equal(mode, 'webhook');
			const on = ran.filter((ids) => ids.includes(id)).length;
			assert.equal(on, 1, `execution ${id} ran on exactly one worker (it ran on ${on})`);
		}
		assert.equal(/Worker started execution/.test(server.output()), false, 'main ran none itself');
		for (const ids of ran) assert.ok(ids.length > 0, 'both workers took executions');

		// Every failure on the error branch: no execution failed as a whole, each put its item on
		// exactly one of the Sonarly node's outputs.
		let onErrorBranch = 0;
		for (const { id, status } of rows) {
			const out = await stopOutputs(pg, flatted, id);
			assert.equal(status, 'success', `execution ${id}: ${out.error}`);
			assert.equal(out.counts[0] + out.counts[1], 1, `execution ${id} outputs ${out.counts}`);
			if (out.counts[1] === 1) {
				onErrorBranch++;
				e2e.log(`queue-mode: execution ${id} on the error branch: ${out.firstError}`);
			}
		}

		// Every campaign stopped exactly once (the sandbox acts once; a second stop would be a 409).
		const perCampaign = stopsPerCampaign(sandbox, first.map((r) => r.campaignId));
		const stoppedOnce = [...perCampaign.values()].filter((c) => c[200] === 1).length;
		const twice = [...perCampaign.values()].filter((c) => (c[200] ?? 0) > 1 || (c[409] ?? 0) > 0);
		const rateLimited = sandbox.stopRequests().filter((e) => e.status === 429).length;
		e2e.log(
			`queue-mode: burst 1: ${N} calls in ${(burstMs / 1000).toFixed(1)} s (N/R = ${N / PER_SECOND} s, ${(burstMs / ((N / PER_SECOND) * 1000)).toFixed(2)}×), ${stoppedOnce} stopped once, ${onErrorBranch} on the error branch, ${rateLimited} × 429`,
		);
		e2e.log(
			`queue-mode: RSS main ${q.rssMb(server.child.pid)} MB, workers ${workers.map((w) => q.rssMb(w.child.pid)).join(' / ')} MB`,
		);
		assert.equal(twice.length, 0, 'no campaign got a second stop');
		assert.equal(stoppedOnce + onErrorBranch, N, 'each campaign stopped once, or its item on the error branch');
		assert.equal(onErrorBranch, 0, `at ${PER_SECOND} requests/s with the default Max Rate Limit Wait, none fails`);
		// Each worker paces on its own: the two together still cost some 429s, but far fewer than
		// one per call (the issue measured 78 for 100 calls at 10/s before shared pacing).
		assert.ok(rateLimited <= N / 2, `429s bounded: ${rateLimited} ≤ ${N / 2}`);

		// ---- 2. A worker SIGKILLed mid-burst
		const lastId = Math.max(...rows.map((r) => Number(r.id)));
		sandbox.reset();
		sandbox.setFaults({ rateLimit: { perSecond: PER_SECOND, retryAfter: 'seconds' }, latencyMs: 300 });
		const second = refs(N, N);
		const firing = q.fireWebhooks(hook, second, { concurrency: 25 });
		// Kill worker 2 once a quarter of the stops have reached Sonarly.
		await q.settle(
			async () => sandbox.stopRequests().filter((e) => e.status === 200).length,
			(count) => count >= N / 4,
			{ quietMs: 60_000, timeoutMs: 60_000 },
		);
		const victim = workers[1];
		const heldAtKill = startedBy(victim).filter((id) => Number(id) > lastId);
		process.kill(-victim.child.pid, 'SIGKILL');
		e2e.log(`queue-mode: SIGKILLed worker 2 after ${sandbox.stopRequests().filter((e) => e.status === 200).length} stops; it had started ${heldAtKill.length} executions of this burst`);
		await firing;
		await q.settle(
			async () => {
				const list = await executions(pg, lastId);
				return list.map((r) => r.status).join();
			},
			(key) => key.split(',').length >= N && !/new|running|waiting/.test(key),
			{ quietMs: 30_000, timeoutMs: 120_000 },
		);
		const afterKill = await executions(pg, lastId);
		const byStatus = {};
		for (const r of afterKill) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
		const secondPer = stopsPerCampaign(sandbox, second.map((r) => r.campaignId));
		const values = [...secondPer.values()];
		const summary = {
			executions: afterKill.length,
			byStatus,
			startedOnKilledWorker: heldAtKill.length,
			rerunOnSurvivor: heldAtKill.filter((id) => startedBy(workers[0]).includes(id)).length,
			campaignsStoppedOnce: values.filter((c) => c[200] === 1).length,
			campaignsNeverStopped: values.filter((c) => !c[200]).length,
			campaignsStoppedTwice: values.filter((c) => (c[200] ?? 0) > 1).length,
			secondStopAttempts409: values.reduce((n, c) => n + (c[409] ?? 0), 0),
			rateLimited: sandbox.stopRequests().filter((e) => e.status === 429).length,
		};
		e2e.log(`queue-mode: after the SIGKILL: ${JSON.stringify(summary)}`);
		// What the user sees for the executions that did not succeed.
		const notOk = afterKill.filter((r) => r.status !== 'success');
		const seen = [];
		for (const r of notOk) {
			const out = await stopOutputs(pg, flatted, r.id).catch((error) => ({ error: String(error) }));
			const onKilled = heldAtKill.includes(r.id);
			seen.push(`${r.id} ${r.status}${onKilled ? ' (on the killed worker)' : ''}: ${out.error}`);
		}
		// A failed execution's record does not say which campaign it was for, so count the
		// other way: stopped campaigns minus the successful executions that stopped theirs.
		let successStopped = 0;
		for (const r of afterKill.filter((x) => x.status === 'success')) {
			const out = await stopOutputs(pg, flatted, r.id);
			if (out.counts[0] === 1) successStopped++;
		}
		const failedButStopped = summary.campaignsStoppedOnce - successStopped;
		e2e.log(`queue-mode: failed executions whose stop had nonetheless reached Sonarly: ${failedButStopped}`);
		e2e.log(`queue-mode: executions not successful after the SIGKILL:\n  ${seen.join('\n  ')}`);
		// Nothing lost silently: every campaign that was not stopped has an execution that did
		// not succeed (the user sees it failed in the executions list and can run it again).
		assert.ok(
			notOk.length >= summary.campaignsNeverStopped,
			`${summary.campaignsNeverStopped} campaigns not stopped, ${notOk.length} executions not successful`,
		);
		for (const r of notOk) assert.ok(heldAtKill.includes(r.id), `execution ${r.id} failed but was not on the killed worker`);
		// The sandbox, like Sonarly, never acts twice on one campaign: a re-run's stop is a 409.
		assert.equal(summary.campaignsStoppedTwice, 0);
		assert.equal(summary.executions, N, 'one execution record per webhook call');
		e2e.log(`queue-mode: test body took ${Math.round((Date.now() - started) / 1000)} s`);
	},
);
