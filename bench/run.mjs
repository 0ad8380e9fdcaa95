// `npm run bench`: issue 5's benchmark of the Sonarly node against the local Sonarly sandbox.
// One run of each measurement, each in a fresh process; figures as ratios to a reference.
//
//   1. Overhead    1,000 stops, 0 ms latency, concurrency 1: the built node in n8n-core's
//                  WorkflowExecute vs a sequential raw axios loop.          target ≤ 1.10×
//   2. Bulk        500 stops at 50 ms latency, concurrency 1 / 5 / 10 vs N × latency / c.
//                                                                           target ≤ 1.2×
//   3. Rate limit  sandbox at 50 req/s with Retry-After (seconds), 300 stops: node time vs N/R,
//                  failed items (target ≤ 1.15×, 0 failed); the same batch through n8n's
//                  built-in HTTP Request node (default settings) in a real n8n 2.41.1.
//   4. Memory      10,000 stops: peak RSS during the run over the idle engine after a warm-up
//                  (child process with --expose-gc).                        target ≤ 50 MB
//   5. Burst       200 single-item executions at once in one process, sandbox at 20 req/s with
//                  Retry-After: failed (0), time vs N/R (≤ 1.15×), 429s as a share of N (≤ 5%),
//                  next to the old per-execution gate and (unless --skip-n8n) a real n8n start
//                  fed by 200 webhook calls, with the Sonarly node and with the HTTP Request
//                  node (bench/burst.mjs, bench/burst-n8n.mjs).
//   6. Paging      Prospect → Get Many, Return All over 10,000 prospects (100 pages) vs a raw
//                  paging loop through the same n8n helper: time and peak RSS (bench/paging.mjs).
//                                                                           target ≤ 1.2×
//
// Options: --skip-n8n (leave out the real-n8n HTTP Request run), --only <sections> (comma list
// of overhead, bulk, rate, n8n, memory, burst, paging), --json <file> (also write the figures as JSON;
// the burst's go under the top-level key "burst").
// Builds the package first when dist/ is missing or older than the sources.
// Everything it starts (sandbox, workers, n8n) listens on / talks to 127.0.0.1 only and is
// stopped before it exits.
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

import * as e2e from '../test/e2e/n8n.mjs';
import { runBurst } from './burst.mjs';
import { API_KEY, refs, stopPath } from './ids.mjs';

import * as PAGING from './paging.mjs';
const here = path.dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
	options: {
		'skip-n8n': { type: 'boolean', default: false },
		only: { type: 'string' },
		json: { type: 'string' },
	},
});

const TARGETS = { overhead: 1.1, bulk: 1.2, rateLimit: 1.15, memoryMb: 50 };
const OVERHEAD_N = 1000;
const BULK_N = 500;
const BULK_LATENCY_MS = 50;
const BULK_CONCURRENCY = [1, 5, 10];
const RATE_N = 300;
const RATE_PER_SECOND = 50;
const MEMORY_N = 10_000;
const WORKER_TIMEOUT_MS = 180_000;

const note = (...parts) => process.stderr.write(`[bench] ${parts.join(' ')}\n`);
const MB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Processes

const children = new Set();
function track(child) {
	children.add(child);
	child.once('exit', () => children.delete(child));
	return child;
}
function stopChildren() {
	for (const child of children) child.kill('SIGKILL');
}
process.on('exit', stopChildren);
e2e.onShutdown(async () => stopChildren());

async function startSandboxProcess() {
	const child = track(
		fork(path.join(here, 'sandbox-process.mjs'), [], {
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		}),
	);
	const pending = new Map();
	let nextId = 0;
	const url = await new Promise((resolve, reject) => {
		child.once('exit', (code) => reject(new Error(`sandbox process exited (${code})`)));
		child.on('message', (message) => {
			if (message.ready) return resolve(message.url);
			const waiter = pending.get(message.id);
			pending.delete(message.id);
			if (!waiter) return;
			if (message.ok) waiter.resolve(message.value);
			else waiter.reject(new Error(message.error));
		});
	});
	const call = (command, arg) =>
		new Promise((resolve, reject) => {
			const id = ++nextId;
			pending.set(id, { resolve, reject });
			child.send({ id, command, arg });
		});
	return {
		url,
		reset: () => call('reset'),
		setFaults: (faults) => call('setFaults', faults),
		summary: () => call('summary'),
		close: () =>
			new Promise((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.once('exit', resolve);
				child.kill('SIGTERM');
			}),
	};
}

function rssOf(pid) {
	try {
		const match = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) * 1024 : 0;
	} catch {
		return 0;
	}
}

/**
 * Forks bench/worker.mjs with `config`; once it is warmed up, resets the sandbox and applies
 * `faults`, then lets it run. With `config.memory`, also samples the worker's RSS from here
 * every 5 ms while it runs (independent of the worker's event loop).
 */
async function measure(sandbox, config, faults = {}) {
	const child = track(
		fork(path.join(here, 'worker.mjs'), [JSON.stringify({ baseUrl: sandbox.url, ...config })], {
			execArgv: config.memory ? ['--expose-gc'] : [],
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		}),
	);
	let sampler;
	let sampledPeak = 0;
	const timer = setTimeout(() => child.kill('SIGKILL'), WORKER_TIMEOUT_MS);
	try {
		const result = await new Promise((resolve, reject) => {
			let ready;
			child.once('exit', (code, signal) =>
				reject(new Error(`worker ${config.mode} exited (${code ?? signal}) without a result`)),
			);
			child.on('message', async (message) => {
				if (message.type === 'ready') {
					ready = message;
					await sandbox.reset();
					if (Object.keys(faults).length > 0) await sandbox.setFaults(faults);
					if (config.memory) {
						sampledPeak = rssOf(child.pid);
						sampler = setInterval(() => {
							sampledPeak = Math.max(sampledPeak, rssOf(child.pid));
						}, 5);
					}
					child.send({ type: 'go' });
				} else if (message.type === 'result') {
					clearInterval(sampler);
					resolve({
						...ready,
						...message,
						parentSampledPeakRss: config.memory ? sampledPeak : undefined,
					});
				} else if (message.type === 'failed') {
					reject(new Error(`worker ${config.mode} failed: ${message.error}`));
				}
			});
		});
		result.sandbox = await sandbox.summary();
		return result;
	} finally {
		clearTimeout(timer);
		clearInterval(sampler);
		if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
	}
}

// ---------------------------------------------------------------------------------------------
// The built-in HTTP Request node in a real n8n 2.41.1

async function httpRequestNodeRun(sandbox) {
	const items = refs(0, RATE_N).map((ref) => ({ url: `${sandbox.url}${stopPath(ref)}` }));
	const workflow = e2e.workflow({
		id: 'sonarlyBenchHttp01',
		name: 'bench: HTTP Request node under a rate limit',
		nodes: [
			e2e.manualTrigger('Start', [0, 0]),
			e2e.codeNode('Campaigns', items, [220, 0]),
			{
				id: '00000000-0000-4000-8000-00000000b001',
				name: 'HTTP Request',
				type: 'n8n-nodes-base.httpRequest',
				// The version the 2.41.1 editor adds (its defaultVersion); every option at its default.
				typeVersion: 4.5,
				position: [440, 0],
				parameters: {
					method: 'POST',
					url: '={{ $json.url }}',
					sendHeaders: true,
					headerParameters: { parameters: [{ name: 'Authorization', value: `Bearer ${API_KEY}` }] },
					options: {},
				},
			},
		],
	});
	const session = await e2e.openSession({ version: e2e.N8N_V2, installOurPackage: false });
	try {
		await session.importWorkflows(workflow);
		await sandbox.reset();
		await sandbox.setFaults({ rateLimit: { perSecond: RATE_PER_SECOND, retryAfter: 'seconds' } });
		const execution = await session.execute(workflow.id);
		const task = e2e.nodeRuns(execution.runData, 'HTTP Request')[0];
		const summary = await sandbox.summary();
		return {
			ms: task?.executionTime ?? null,
			processMs: execution.ms,
			ok: execution.ok,
			exitCode: execution.exitCode,
			outputItems: e2e.outputItems(execution.runData, 'HTTP Request', 0).length,
			error: execution.error?.message ?? task?.error?.message ?? null,
			sandbox: summary,
			failed: RATE_N - (summary.byStatus['200'] ?? 0),
		};
	} finally {
		await session.close();
	}
}

// ---------------------------------------------------------------------------------------------
// Report

const fmtMs = (ms) =>
	ms === null || ms === undefined
		? 'n/a'
		: ms >= 10_000
			? `${(ms / 1000).toFixed(2)} s`
			: `${Math.round(ms)} ms`;
const fmtRatio = (r) => `${r.toFixed(3)}×`;
const verdict = (ok) => (ok ? 'met' : 'MISSED');

function machine(versions) {
	const cpu =
		/^model name\s*:\s*(.*)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ??
		os.cpus()[0]?.model;
	return {
		date: new Date().toISOString(),
		nproc: os.availableParallelism(),
		cpu,
		memoryGiB: +(os.totalmem() / 1024 ** 3).toFixed(1),
		node: process.version,
		...versions,
	};
}

function table(rows) {
	const headers = ['Benchmark', 'Measured', 'Reference', 'Ratio', 'Target', 'Result'];
	const cells = rows.map((r) => headers.map((h) => String(r[h] ?? '')));
	const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
	const line = (c) => `| ${c.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
	return [
		line(headers),
		`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
		...cells.map(line),
	].join('\n');
}

// ---------------------------------------------------------------------------------------------

const SECTIONS = ['overhead', 'bulk', 'rate', 'memory', 'n8n', 'burst', 'paging'];

async function main() {
	const picked = args.only ? args.only.split(',').map((v) => v.trim()) : SECTIONS;
	for (const section of picked)
		if (!SECTIONS.includes(section))
			throw new Error(`--only: unknown section ${section} (${SECTIONS})`);
	const only = picked.filter((section) => !(args['skip-n8n'] && section === 'n8n'));
	const started = Date.now();
	const loadAtStart = os.loadavg();
	if (await e2e.ensureBuilt({ ifStale: true }))
		note('built the package (dist/ was missing or stale)');
	const { N8N_CORE_VERSION, N8N_WORKFLOW_VERSION } = await import('./engine.mjs');

	const sandbox = await startSandboxProcess();
	note(`sandbox at ${sandbox.url}`);
	const results = {};
	const rows = [];
	const perItemUs = (ms, n) => `${Math.round((ms * 1000) / n)} µs/item`;
	try {
		if (only.includes('overhead')) {
			note(
				`overhead: ${OVERHEAD_N} stops, 0 ms latency, concurrency 1 (5 runs: node, axios, 3 diagnostics)`,
			);
			const node = await measure(sandbox, {
				mode: 'engine',
				count: OVERHEAD_N,
				warmup: 20,
				options: { concurrency: 1 },
			});
			const axios = await measure(sandbox, {
				mode: 'axios',
				count: OVERHEAD_N,
				warmup: 20,
				agent: 'default',
			});
			// Diagnostics (no target): where the difference comes from.
			const bare = await measure(sandbox, {
				mode: 'engine',
				minimal: true,
				count: OVERHEAD_N,
				warmup: 20,
			});
			const fresh = await measure(sandbox, {
				mode: 'axios',
				count: OVERHEAD_N,
				warmup: 20,
				agent: 'fresh',
			});
			const profiled = await measure(sandbox, {
				mode: 'engine',
				count: OVERHEAD_N,
				warmup: 20,
				options: { concurrency: 1 },
				profile: true,
			});
			results.overhead = {
				node,
				axios,
				bareNode: bare,
				axiosFreshAgent: fresh,
				profiledNode: profiled,
			};
			for (const r of [node, axios, bare, fresh, profiled]) {
				if (r.stopped !== OVERHEAD_N || r.sandbox.byStatus['200'] !== OVERHEAD_N)
					throw new Error(`overhead run incomplete: ${JSON.stringify(r)}`);
			}
			const ratio = node.ms / axios.ms;
			rows.push({
				Benchmark: `1. Overhead: ${OVERHEAD_N} stops, 0 ms latency, concurrency 1: Sonarly node in WorkflowExecute vs raw axios loop`,
				Measured: `${fmtMs(node.ms)} (${perItemUs(node.ms, OVERHEAD_N)})`,
				Reference: `${fmtMs(axios.ms)} (${perItemUs(axios.ms, OVERHEAD_N)})`,
				Ratio: fmtRatio(ratio),
				Target: `≤ ${TARGETS.overhead}×`,
				Result: verdict(ratio <= TARGETS.overhead),
			});
			rows.push({
				Benchmark:
					'   1a. diagnostic: bare 10-line node (same 2 id expressions, same n8n helper, sequential) vs raw axios loop',
				Measured: `${fmtMs(bare.ms)} (${perItemUs(bare.ms, OVERHEAD_N)})`,
				Reference: fmtMs(axios.ms),
				Ratio: fmtRatio(bare.ms / axios.ms),
				Target: '—',
				Result: "n8n's share",
			});
			rows.push({
				Benchmark: '   1b. diagnostic: Sonarly node vs that bare node',
				Measured: fmtMs(node.ms),
				Reference: fmtMs(bare.ms),
				Ratio: fmtRatio(node.ms / bare.ms),
				Target: '—',
				Result: "the node's own share",
			});
			rows.push({
				Benchmark:
					'   1c. diagnostic: raw axios loop, new non-keep-alive http.Agent per request (as n8n-core 2.x sends) vs default axios',
				Measured: `${fmtMs(fresh.ms)} (${perItemUs(fresh.ms, OVERHEAD_N)})`,
				Reference: fmtMs(axios.ms),
				Ratio: fmtRatio(fresh.ms / axios.ms),
				Target: '—',
				Result: 'transport share',
			});
			const cpu = profiled.cpu;
			const share = (name) => `${((100 * (cpu.ms[name] ?? 0)) / cpu.totalMs).toFixed(1)}%`;
			const others = Object.entries(cpu.ms)
				.filter(([name]) => name !== 'sonarly')
				.slice(0, 4)
				.map(([name]) => `${name} ${share(name)}`)
				.join(', ');
			rows.push({
				Benchmark: `   1d. diagnostic: CPU profile of the same run: self time in the Sonarly node's own code (dist/) vs the rest`,
				Measured: `${share('sonarly')} (${perItemUs(cpu.ms.sonarly ?? 0, OVERHEAD_N)})`,
				Reference: others,
				Ratio: '—',
				Target: '—',
				Result: "the node's own share",
			});
		}

		if (only.includes('bulk')) {
			results.bulk = {};
			for (const concurrency of BULK_CONCURRENCY) {
				note(`bulk: ${BULK_N} stops at ${BULK_LATENCY_MS} ms latency, concurrency ${concurrency}`);
				const r = await measure(
					sandbox,
					{ mode: 'engine', count: BULK_N, warmup: 20, options: { concurrency } },
					{ latencyMs: BULK_LATENCY_MS },
				);
				if (r.stopped !== BULK_N) throw new Error(`bulk run incomplete: ${JSON.stringify(r)}`);
				const ideal = (BULK_N * BULK_LATENCY_MS) / concurrency;
				results.bulk[concurrency] = { ...r, idealMs: ideal };
				rows.push({
					Benchmark: `2. Bulk: ${BULK_N} stops, ${BULK_LATENCY_MS} ms latency, concurrency ${concurrency} vs N×latency/c (max in flight seen: ${r.sandbox.maxInFlight})`,
					Measured: `${fmtMs(r.ms)} (+${perItemUs(r.ms - ideal, BULK_N)})`,
					Reference: fmtMs(ideal),
					Ratio: fmtRatio(r.ms / ideal),
					Target: `≤ ${TARGETS.bulk}×`,
					Result: verdict(r.ms / ideal <= TARGETS.bulk),
				});
			}
			const top = BULK_CONCURRENCY.at(-1);
			note(
				`bulk, diagnostic: raw axios pool, ${BULK_N} stops at ${BULK_LATENCY_MS} ms latency, concurrency ${top}`,
			);
			const raw = await measure(
				sandbox,
				{ mode: 'axios', count: BULK_N, warmup: 20, agent: 'default', concurrency: top },
				{ latencyMs: BULK_LATENCY_MS },
			);
			const ideal = (BULK_N * BULK_LATENCY_MS) / top;
			results.bulk.rawAxiosPool = { ...raw, concurrency: top, idealMs: ideal };
			rows.push({
				Benchmark: `   2a. diagnostic: raw axios pool (no n8n), same ${BULK_N} stops, concurrency ${top} vs N×latency/c`,
				Measured: fmtMs(raw.ms),
				Reference: fmtMs(ideal),
				Ratio: fmtRatio(raw.ms / ideal),
				Target: '—',
				Result: 'what the sandbox allows',
			});
		}

		const rateIdeal = (RATE_N / RATE_PER_SECOND) * 1000;
		if (only.includes('rate')) {
			note(
				`rate limit: ${RATE_N} stops, sandbox at ${RATE_PER_SECOND} req/s with Retry-After (seconds)`,
			);
			const rate = await measure(
				sandbox,
				{ mode: 'engine', count: RATE_N, warmup: 20, options: {}, onError: 'continueErrorOutput' },
				{ rateLimit: { perSecond: RATE_PER_SECOND, retryAfter: 'seconds' } },
			);
			const failed = RATE_N - rate.stopped;
			results.rateLimit = { node: { ...rate, idealMs: rateIdeal, failed } };
			rows.push({
				Benchmark: `3. Rate limit: ${RATE_N} stops, sandbox ${RATE_PER_SECOND} req/s + Retry-After (s), 0 ms latency; node defaults (concurrency 3, max wait 60 s) vs N/R`,
				Measured: `${fmtMs(rate.ms)}, ${failed} failed (${rate.sandbox.byStatus['429'] ?? 0} × 429 waited out)`,
				Reference: fmtMs(rateIdeal),
				Ratio: fmtRatio(rate.ms / rateIdeal),
				Target: `≤ ${TARGETS.rateLimit}×, 0 failed`,
				Result: verdict(rate.ms / rateIdeal <= TARGETS.rateLimit && failed === 0),
			});
		}

		if (only.includes('n8n')) {
			note(
				`rate limit, HTTP Request node: the same ${RATE_N} stops in a real n8n ${e2e.N8N_V2} (about 30 s once n8n is installed)`,
			);
			const http = await httpRequestNodeRun(sandbox);
			results.rateLimit = { ...results.rateLimit, httpRequestNode: http };
			rows.push({
				Benchmark: `3b. Same ${RATE_N} stops through n8n's HTTP Request node (v4.5, default settings) in a real n8n ${e2e.N8N_V2}`,
				Measured: `${fmtMs(http.ms)} node time, ${http.failed} failed (${http.sandbox.byStatus['429'] ?? 0} × 429), workflow ${http.ok ? 'succeeded' : 'stopped with an error'}`,
				Reference: fmtMs(rateIdeal),
				Ratio: http.ms ? fmtRatio(http.ms / rateIdeal) : '—',
				Target: 'comparison',
				Result: http.failed === 0 ? 'no failures' : `${http.failed}/${RATE_N} failed`,
			});
		}

		if (only.includes('memory')) {
			note(
				`memory: ${MEMORY_N} stops, 0 ms latency, node defaults, --expose-gc child (2 runs: node, bare node)`,
			);
			const memoryRun = async (config) => {
				const r = await measure(sandbox, {
					mode: 'engine',
					count: MEMORY_N,
					warmup: 200,
					memory: true,
					...config,
				});
				if (r.stopped !== MEMORY_N) throw new Error(`memory run incomplete: ${JSON.stringify(r)}`);
				const peak = Math.max(r.hwmRss ?? 0, r.sampledPeakRss ?? 0, r.parentSampledPeakRss ?? 0);
				return { ...r, peakRss: peak, growthMb: (peak - r.baselineRss) / MB };
			};
			const memory = await memoryRun({ options: {} });
			const bare = await memoryRun({ minimal: true });
			results.memory = { node: memory, bareNode: bare };
			const mb = (bytes) => `${(bytes / MB).toFixed(1)} MB`;
			rows.push({
				Benchmark: `4. Memory: ${MEMORY_N} stops, 0 ms latency, node defaults: peak RSS during the run − idle engine after a warm-up`,
				Measured: `+${memory.growthMb.toFixed(1)} MB (peak ${mb(memory.peakRss)}, run ${fmtMs(memory.ms)})`,
				Reference: `idle ${mb(memory.baselineRss)}`,
				Ratio: '—',
				Target: `≤ ${TARGETS.memoryMb} MB`,
				Result: verdict(memory.growthMb <= TARGETS.memoryMb),
			});
			rows.push({
				Benchmark:
					'   4a. diagnostic: of which live data the finished run holds (heap after GC − idle heap); V8 heap size at the end',
				Measured: `${mb(memory.retainedAfterGc)} live (${Math.round(memory.retainedAfterGc / MEMORY_N)} B/item)`,
				Reference: `heap ${mb(memory.heapTotalAtEnd)}, new space ${mb(memory.newSpaceAtEnd)}`,
				Ratio: '—',
				Target: '—',
				Result: 'info',
			});
			rows.push({
				Benchmark: `   4b. diagnostic: bare 10-line node, same ${MEMORY_N} stops (sequential)`,
				Measured: `+${bare.growthMb.toFixed(1)} MB (peak ${mb(bare.peakRss)}, ${mb(bare.retainedAfterGc)} live)`,
				Reference: `idle ${mb(bare.baselineRss)}`,
				Ratio: '—',
				Target: '—',
				Result: "n8n's share",
			});
		}
		if (only.includes('burst')) {
			const { burst, rows: burstRows } = await runBurst({
				sandbox,
				track,
				note,
				skipN8n: args['skip-n8n'],
			});
			results.burst = burst;
			rows.push(...burstRows);
		}
		if (only.includes('paging')) {
			note(`paging: Return All over ${PAGING.PROSPECTS} prospects, node vs raw loop, 3 runs each`);
			const figures = await PAGING.benchPaging({ runs: 3 });
			results.paging = figures;
			const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
			const node = median(figures.node.map((r) => r.ms));
			const raw = median(figures.raw.map((r) => r.ms));
			const mb = (bytes) => `${Math.round(bytes / MB)} MB`;
			rows.push({
				Benchmark: `6. Paging: Prospect → Get Many, Return All over ${PAGING.PROSPECTS} prospects (${PAGING.PROSPECTS / PAGING.PAGE_SIZE} pages) vs a raw paging loop through the same n8n helper (median of 3)`,
				Measured: `${fmtMs(node)}, peak RSS ${mb(median(figures.node.map((r) => r.peakRss)))}`,
				Reference: `${fmtMs(raw)}, peak RSS ${mb(median(figures.raw.map((r) => r.peakRss)))}`,
				Ratio: fmtRatio(node / raw),
				Target: `≤ ${PAGING.TARGET}×`,
				Result: verdict(node / raw <= PAGING.TARGET),
			});
		}
	} finally {
		await sandbox.close();
	}

	const env = machine({
		n8nCore: N8N_CORE_VERSION,
		n8nWorkflow: N8N_WORKFLOW_VERSION,
		axios: results.overhead?.axios?.axiosVersion ?? '1.18.0',
		realN8n: e2e.N8N_V2,
		loadAverageAtStart: loadAtStart.map((v) => +v.toFixed(2)),
		loadAverageAtEnd: os.loadavg().map((v) => +v.toFixed(2)),
	});
	const totalS = Math.round((Date.now() - started) / 1000);
	const out = [
		'',
		`Sonarly node benchmark, ${env.date}`,
		`Machine: ${env.nproc} cores, ${env.cpu}, ${env.memoryGiB} GiB RAM; Node ${env.node}; n8n-core ${env.n8nCore}, n8n-workflow ${env.n8nWorkflow}, axios ${env.axios}`,
		`Load average (1/5/15 min) at start ${env.loadAverageAtStart.join(' / ')}, at end ${env.loadAverageAtEnd.join(' / ')} (other processes on the machine inflate every time figure)`,
		'',
		table(rows),
		'',
		`One run each; the bench took ${totalS} s.`,
		'',
	];
	process.stdout.write(out.join('\n'));
	if (args.json) {
		fs.writeFileSync(
			args.json,
			`${JSON.stringify({ ...(results.burst ? { burst: results.burst } : {}), machine: env, totalSeconds: totalS, rows, results }, null, '\t')}\n`,
		);
		note(`figures written to ${args.json}`);
	}
	// A missed target is a finding, not a crash: the table says so and the exit code stays 0.
}

main().catch((error) => {
	process.stderr.write(`[bench] failed: ${error?.stack ?? error}\n`);
	stopChildren();
	process.exitCode = 1;
});
