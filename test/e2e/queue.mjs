// Helpers for running n8n under load and in queue mode (issue 14): a private PostgreSQL and
// Redis from Debian's packages (temp data folders, 127.0.0.1, free ports), webhook-triggered
// workflows, a bounded local load loop, and reading execution records from PostgreSQL.
// Used by test/e2e/queue-mode.test.mjs and bench/burst-n8n.mjs.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

import * as e2e from './n8n.mjs';

// ---------------------------------------------------------------------------------------------
// PostgreSQL and Redis

function postgresBinDir() {
	const base = '/usr/lib/postgresql';
	const versions = fs.existsSync(base)
		? fs
				.readdirSync(base)
				.filter((v) => fs.existsSync(path.join(base, v, 'bin', 'initdb')))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	if (versions.length === 0) {
		throw new Error(
			'PostgreSQL is not installed: run `bash scripts/ensure-system-packages.sh` (as root) first',
		);
	}
	return path.join(base, versions[0], 'bin');
}

const isRoot = () => process.getuid?.() === 0;

/**
 * Runs a PostgreSQL tool as the `postgres` user when we are root (it refuses to run as root).
 * Not through e2e.run: that kills the process group at exit, and `pg_ctl start` leaves the
 * server running in it.
 */
function pgRun(bin, args, { timeoutMs = 60_000 } = {}) {
	const [command, fullArgs] = isRoot()
		? ['runuser', ['-u', 'postgres', '--', bin, ...args]]
		: [bin, args];
	return new Promise((resolve) => {
		execFile(
			command,
			fullArgs,
			{ cwd: os.tmpdir(), env: { ...process.env, LC_ALL: 'C' }, timeout: timeoutMs },
			(error, stdout, stderr) => resolve({ code: error ? (error.code ?? 1) : 0, stdout, stderr }),
		);
	});
}

/**
 * A throwaway PostgreSQL cluster: `initdb` into a temp folder, `pg_ctl start` on 127.0.0.1 and
 * a free port (trust auth, socket in the temp folder). Returns { port, env, sql(), stop() };
 * `env` is what n8n needs (DB_TYPE=postgresdb, ...).
 */
export async function startPostgres() {
	const bin = postgresBinDir();
	const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'sonarly-pg-'));
	const data = path.join(dir, 'data');
	await fsp.mkdir(data);
	if (isRoot()) {
		await e2e.run('chown', ['-R', 'postgres:postgres', dir], { timeoutMs: 10_000 });
		await fsp.chmod(dir, 0o755);
	}
	const init = await pgRun(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8']);
	if (init.code !== 0) throw new Error(`initdb failed:\n${init.stdout}\n${init.stderr}`);
	const port = await e2e.freePort();
	const started = await pgRun(path.join(bin, 'pg_ctl'), [
		'-D',
		data,
		'-l',
		path.join(dir, 'postgres.log'),
		'-w',
		'-t',
		'60',
		'-o',
		`-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c max_connections=100`,
		'start',
	]);
	if (started.code !== 0) {
		const log = fs.existsSync(path.join(dir, 'postgres.log'))
			? fs.readFileSync(path.join(dir, 'postgres.log'), 'utf8')
			: '';
		throw new Error(`pg_ctl start failed:\n${started.stdout}\n${started.stderr}\n${log}`);
	}
	let stopped = false;
	const stop = async () => {
		if (stopped) return;
		stopped = true;
		await pgRun(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
		await fsp.rm(dir, { recursive: true, force: true });
	};
	e2e.onShutdown(stop);
	const psql = path.join(bin, 'psql');
	return {
		port,
		env: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: 'postgres',
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: '',
		},
		/** Rows of a query as arrays of strings (psql -At, fields split on a unit separator). */
		async sql(query) {
			const result = await e2e.run(
				psql,
				['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-At', '-F', '\x1f', '-c', query],
				{ env: { ...process.env, PGCONNECT_TIMEOUT: '10' }, timeoutMs: 60_000 },
			);
			if (result.code !== 0) throw new Error(`psql failed: ${result.stderr}`);
			return result.stdout
				.split('\n')
				.filter((line) => line !== '')
				.map((line) => line.split('\x1f'));
		},
		stop,
	};
}

/** A throwaway Redis on 127.0.0.1 and a free port, no persistence. Returns { port, stop() }. */
export async function startRedis() {
	const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'sonarly-redis-'));
	const port = await e2e.freePort();
	const child = spawn(
		'redis-server',
		['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'yes'],
		{ stdio: ['ignore', 'pipe', 'pipe'] },
	);
	let log = '';
	child.stdout.on('data', (chunk) => (log += chunk));
	child.stderr.on('data', (chunk) => (log += chunk));
	const exited = new Promise((resolve) => child.once('exit', resolve));
	const deadline = Date.now() + 20_000;
	while (!/Ready to accept connections/i.test(log)) {
		if (child.exitCode !== null || Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`redis-server did not start:\n${log}`);
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	let stopped = false;
	const stop = async () => {
		if (stopped) return;
		stopped = true;
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
		await exited;
		clearTimeout(timer);
		await fsp.rm(dir, { recursive: true, force: true });
	};
	e2e.onShutdown(stop);
	return { port, stop };
}

// ---------------------------------------------------------------------------------------------
// Workflows

let webhookCounter = 0;

export function webhookTrigger(name, webhookPath, position = [0, 0]) {
	webhookCounter += 1;
	return {
		id: `00000000-0000-4000-9000-${String(webhookCounter).padStart(12, '0')}`,
		webhookId: `5a0e1e00-0000-4000-8000-${String(webhookCounter).padStart(12, '0')}`,
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position,
		parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: {} },
	};
}

/**
 * Webhook (POST /webhook/<path>, answers at once) → Sonarly stop of the body's
 * { accountGroupId, campaignId }, error output on: success → "Stopped", error → "Failed".
 */
export function webhookStopWorkflow({ id, name, webhookPath, options = {} }) {
	return e2e.workflow({
		id,
		name,
		nodes: [
			webhookTrigger('Deal Won', webhookPath),
			e2e.sonarlyStop('Stop Campaign', {
				accountGroupId: '={{ $json.body.accountGroupId }}',
				campaignId: '={{ $json.body.campaignId }}',
				onError: 'continueErrorOutput',
				options,
				position: [220, 0],
			}),
			e2e.noOp('Stopped', [440, -100]),
			e2e.noOp('Failed', [440, 100]),
		],
		links: [
			['Deal Won', 'Stop Campaign'],
			['Stop Campaign', 'Stopped', 0],
			['Stop Campaign', 'Failed', 1],
		],
	});
}

/** Webhook → n8n's own HTTP Request node (v4.5, every option at its default) POSTing the stop. */
export function webhookHttpRequestWorkflow({ id, name, webhookPath, sandboxUrl, apiKey }) {
	return e2e.workflow({
		id,
		name,
		nodes: [
			webhookTrigger('Deal Won', webhookPath),
			{
				id: '00000000-0000-4000-8000-00000000b014',
				name: 'HTTP Request',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.5,
				position: [220, 0],
				parameters: {
					method: 'POST',
					url: `=${sandboxUrl}/v1/accounts/{{ $json.body.accountGroupId }}/campaigns/{{ $json.body.campaignId }}/stop`,
					sendHeaders: true,
					headerParameters: { parameters: [{ name: 'Authorization', value: `Bearer ${apiKey}` }] },
					options: {},
				},
			},
		],
	});
}

/** `n8n publish:workflow --id=…` (activates it) before the server starts. */
export async function publishWorkflow(session, workflowId) {
	const result = await session.cli(['publish:workflow', `--id=${workflowId}`]);
	if (result.code !== 0) {
		throw new Error(`n8n publish:workflow failed (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
	}
}

// ---------------------------------------------------------------------------------------------
// Load

/**
 * POSTs each body to `url` as JSON, at most `concurrency` at a time (a bounded local loop:
 * `bodies.length` requests, each with a timeout). Returns the HTTP statuses in order.
 */
export async function fireWebhooks(url, bodies, { concurrency = 25, timeoutMs = 30_000 } = {}) {
	const statuses = new Array(bodies.length);
	let next = 0;
	const worker = async () => {
		while (next < bodies.length) {
			const index = next++;
			try {
				const response = await fetch(url, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(bodies[index]),
					signal: AbortSignal.timeout(timeoutMs),
				});
				await response.arrayBuffer();
				statuses[index] = response.status;
			} catch (error) {
				statuses[index] = `error: ${error?.message ?? error}`;
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, bodies.length) }, worker));
	return statuses;
}

/**
 * POSTs `body` to the webhook until it answers 200: n8n registers production webhooks a moment
 * after its REST API is up, and answers 404 until then. The call does start one execution.
 */
export async function waitForWebhook(url, body, { timeoutMs = 90_000 } = {}) {
	const deadline = Date.now() + timeoutMs;
	let last;
	while (Date.now() < deadline) {
		[last] = await fireWebhooks(url, [body], { concurrency: 1 });
		if (last === 200) return;
		await new Promise((r) => setTimeout(r, 500));
	}
	throw new Error(`the webhook ${url} never answered 200 (last: ${last})`);
}

/**
 * Polls `probe()` every 250 ms until `done(value)` or until nothing changed for `quietMs`
 * (the burst is over, some did not get through), at most `timeoutMs`. Returns the last value.
 */
export async function settle(probe, done, { quietMs = 15_000, timeoutMs = 180_000 } = {}) {
	const deadline = Date.now() + timeoutMs;
	let last = await probe();
	let lastKey = JSON.stringify(last);
	let changedAt = Date.now();
	while (!done(last) && Date.now() < deadline && Date.now() - changedAt < quietMs) {
		await new Promise((r) => setTimeout(r, 250));
		last = await probe();
		const key = JSON.stringify(last);
		if (key !== lastKey) {
			lastKey = key;
			changedAt = Date.now();
		}
	}
	return last;
}

// ---------------------------------------------------------------------------------------------
// Reading executions

/** n8n's `flatted` (execution data is stored flatted), from the n8n install itself. */
export function flattedOf(session) {
	const require = createRequire(path.join(session.n8n.dir, 'package.json'));
	return require('flatted');
}

/** Per node: how many items it put on each output, from a stored run data object. */
export function outputCounts(runData, nodeName) {
	const run = runData?.[nodeName]?.[0];
	return (run?.data?.main ?? []).map((items) => (items ?? []).length);
}

/** RSS in MB of a process and its children's group leader (from /proc). */
export function rssMb(pid) {
	try {
		const match = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Math.round(Number(match[1]) / 1024) : null;
	} catch {
		return null;
	}
}
