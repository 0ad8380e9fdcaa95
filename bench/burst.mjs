// Issue 14's burst: many single-item executions started together in one process, against the
// sandbox limited to R requests/s with Retry-After, as a bulk CRM update fires them.
//
//   node bench/burst.mjs <config JSON>   (forked by bench/run.mjs; IPC protocol of worker.mjs)
//
// The child runs BURST_N executions of Source → Sonarly (campaign: stop, node defaults, error
// output on) at once in n8n-core's WorkflowExecute with the built node, each with one item.
// `pacing: 'shared'` is the node as shipped (one pacer per Sonarly account in the process);
// `pacing: 'per-execution'` injects the old gate per execution (the baseline, PerExecutionGate
// below) through the transport's setPacerFactory, which only the bench and tests call.
//
// runBurst() (used by run.mjs) forks both, then, unless skipN8n, runs the same burst through a
// real `n8n start`: a Webhook → Sonarly workflow fired BURST_N times, and a Webhook → HTTP
// Request workflow (n8n's own node, defaults) fired BURST_N times, each against a fresh sandbox.
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

import { API_KEY, refs, WARMUP_START } from './ids.mjs';

export const BURST_N = 200;
export const BURST_PER_SECOND = 20;
export const BURST_TARGETS = { failed: 0, ratioToIdeal: 1.15, rateLimitedShare: 0.05 };
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

// ---------------------------------------------------------------------------------------------
// The child: one burst in n8n-core's engine

/**
 * The gate the node had before process-wide pacing (the baseline): one per execution; after a
 * 429 nothing is sent before the moment Sonarly gave, then everything resumes at once. It speaks
 * the transport's Pacer interface (nodes/Sonarly/transport/pacing.ts).
 */
class PerExecutionGate {
	resumeAt = 0;
	epoch = 0;

	get openAt() {
		return this.resumeAt;
	}

	reserve(maxWaitMs, sendNow = false) {
		const now = Date.now();
		const sendAt = sendNow ? now : Math.max(now, this.resumeAt);
		if (sendAt - now > maxWaitMs) return { ok: false, openAt: sendAt };
		return { ok: true, sendAt, waitMs: sendAt - now, epoch: this.epoch };
	}

	stillValid(slot) {
		return slot.epoch === this.epoch && Date.now() >= this.resumeAt;
	}

	async waitForRoom() {
		return true;
	}

	sending() {
		return { epoch: this.epoch };
	}

	answered(_send, retryAt, holds = true) {
		if (retryAt !== null && holds && retryAt > this.resumeAt) {
			this.resumeAt = retryAt;
			this.epoch++;
		}
	}
}

async function child(config) {
	const { runStop } = await import('./engine.mjs');
	const require = createRequire(path.join(root, 'package.json'));
	const pacing = require(path.join(root, 'dist', 'nodes', 'Sonarly', 'transport', 'pacing.js'));
	if (config.pacing === 'per-execution') pacing.setPacerFactory(() => new PerExecutionGate());
	const credentials = { apiKey: API_KEY, baseUrl: config.baseUrl };
	const one = (item) =>
		runStop({ items: [item], options: {}, onError: 'continueErrorOutput', credentials });

	// Warm-up on campaigns kept apart, one execution at a time; then forget what it taught.
	for (const item of refs(WARMUP_START, 10)) {
		const warm = await one(item);
		if (warm.error || warm.success.length !== 1) throw new Error('burst warm-up failed');
	}
	pacing.resetPacing();
	process.send({ type: 'ready' });
	await new Promise((resolve) => process.once('message', resolve));

	const started = performance.now();
	const doneAt = [];
	const results = await Promise.all(
		refs(0, config.count).map((item) =>
			one(item).then((result) => {
				doneAt.push(performance.now() - started);
				return result;
			}),
		),
	);
	const ms = performance.now() - started;
	const stopped = results.filter((r) => r.success[0]?.json?.stopped === true).length;
	const onErrorBranch = results.filter((r) => r.errors.length > 0);
	const pacer = config.pacing === 'shared' ? pacing.sharedPacerFactory(config.baseUrl, API_KEY) : null;
	process.send({
		type: 'result',
		// The pace the shared pacer learned (ms between sends), for the report.
		learnedPaceMs: pacer ? Math.round(pacer.paceMs * 10) / 10 : null,
		ms,
		executions: results.length,
		stopped,
		failed: config.count - stopped,
		onErrorBranch: onErrorBranch.length,
		workflowErrors: results.filter((r) => r.error).length,
		firstFailure: onErrorBranch[0]?.errors[0]?.json?.message ?? null,
		// When the executions finished (ms after the start), in tenths of the burst.
		finishedByDecile: [0.1, 0.5, 0.9, 1].map((q) => Math.round(doneAt.sort((a, b) => a - b)[Math.ceil(q * doneAt.length) - 1])),
	});
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	if (!process.send) {
		process.stderr.write('bench/burst.mjs is started by bench/run.mjs\n');
		process.exit(2);
	}
	try {
		await child(JSON.parse(process.argv[2]));
	} catch (error) {
		process.send({ type: 'failed', error: String(error?.stack ?? error) });
	}
	process.disconnect();
}

// ---------------------------------------------------------------------------------------------
// The orchestrator side

/** Forks one burst child, applies the rate limit once it is warm, returns its figures. */
async function measureBurst({ sandbox, track, pacing }) {
	const proc = track(
		fork(
			fileURLToPath(import.meta.url),
			[JSON.stringify({ baseUrl: sandbox.url, count: BURST_N, pacing })],
			{ stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
		),
	);
	const timer = setTimeout(() => proc.kill('SIGKILL'), 300_000);
	try {
		const result = await new Promise((resolve, reject) => {
			proc.once('exit', (code, signal) =>
				reject(new Error(`burst child (${pacing}) exited (${code ?? signal}) without a result`)),
			);
			proc.on('message', async (message) => {
				if (message.type === 'ready') {
					await sandbox.reset();
					await sandbox.setFaults({
						rateLimit: { perSecond: BURST_PER_SECOND, retryAfter: 'seconds' },
					});
					proc.send({ type: 'go' });
				} else if (message.type === 'result') resolve(message);
				else if (message.type === 'failed')
					reject(new Error(`burst child (${pacing}) failed: ${message.error}`));
			});
		});
		result.sandbox = await sandbox.summary();
		return figures(result, result.ms, result.sandbox);
	} finally {
		clearTimeout(timer);
		if (proc.exitCode === null) await new Promise((resolve) => proc.once('exit', resolve));
	}
}

/** The three figures the issue asks for, plus what they came from. */
export function figures(details, ms, sandboxSummary, perSecond = BURST_PER_SECOND) {
	const idealMs = (BURST_N / perSecond) * 1000;
	const rateLimited = sandboxSummary.byStatus['429'] ?? 0;
	return {
		failed: details.failed,
		ratioToIdeal: +(ms / idealMs).toFixed(3),
		rateLimitedShare: +(rateLimited / BURST_N).toFixed(3),
		ms: Math.round(ms),
		idealMs,
		rateLimited,
		distinctStopped: sandboxSummary.distinctStopped,
		stopRequests: sandboxSummary.stops,
		details,
	};
}

/**
 * The burst section: the node as shipped, the old per-execution gate, and (unless skipN8n) a
 * real n8n. Returns { burst, rows } for run.mjs's JSON and table.
 */
export async function runBurst({ sandbox, track, note, skipN8n }) {
	note(`burst: ${BURST_N} single-item executions at once, sandbox at ${BURST_PER_SECOND} req/s with Retry-After (s), shared pacing`);
	const shared = await measureBurst({ sandbox, track, pacing: 'shared' });
	note(`burst: the same with a gate per execution (the baseline)`);
	const perExecution = await measureBurst({ sandbox, track, pacing: 'per-execution' });
	const burst = { ...shared, baseline: perExecution };
	if (!skipN8n) {
		const { realN8nBurst, REAL_N8N_LOW_PER_SECOND } = await import('./burst-n8n.mjs');
		note(`burst: ${BURST_N} webhook calls through a real n8n start (Sonarly node, then HTTP Request node)`);
		const real = await realN8nBurst({ sandbox, note });
		burst.realN8n = real[BURST_PER_SECOND].sonarly;
		burst.baseline.httpRequestNode = real[BURST_PER_SECOND].httpRequest;
		burst.realN8nLowLimit = real[REAL_N8N_LOW_PER_SECOND];
	}
	return { burst, rows: burstRows(burst) };
}

const fmtS = (ms) => `${(ms / 1000).toFixed(2)} s`;
const pct = (share) => `${(100 * share).toFixed(1)}%`;

function burstRows(burst) {
	const line = (label, r, target) => ({
		Benchmark: label,
		Measured: `${fmtS(r.ms)}, ${r.failed} failed, ${r.rateLimited} × 429 (${pct(r.rateLimitedShare)} of N)`,
		Reference: fmtS(r.idealMs),
		Ratio: `${r.ratioToIdeal.toFixed(3)}×`,
		Target: target ? `0 failed, ≤ ${BURST_TARGETS.ratioToIdeal}×, 429 ≤ ${pct(BURST_TARGETS.rateLimitedShare)}` : 'comparison',
		Result: target
			? r.failed === 0 &&
				r.ratioToIdeal <= BURST_TARGETS.ratioToIdeal &&
				r.rateLimitedShare <= BURST_TARGETS.rateLimitedShare
				? 'met'
				: 'MISSED'
			: r.failed === 0
				? 'no failures'
				: `${r.failed}/${BURST_N} failed`,
	});
	const rows = [
		line(
			`5. Burst: ${BURST_N} single-item executions at once in one process (n8n-core engine, built node, defaults), sandbox ${BURST_PER_SECOND} req/s + Retry-After (s), shared pacing vs N/R`,
			burst,
			true,
		),
		line('   5a. baseline: the same burst with a gate per execution (before issue 14)', burst.baseline, false),
	];
	const real = (label, r) =>
		line(
			`${label}${r.stoppedExactlyOnce === undefined ? '' : ` (every campaign stopped exactly once: ${r.stoppedExactlyOnce ? 'yes' : 'NO'})`}`,
			r,
			false,
		);
	if (burst.realN8n) {
		rows.push(
			real(`   5b. the same burst through a real n8n start: ${BURST_N} webhook calls → Sonarly node`, burst.realN8n),
			real(
				`   5c. baseline: ${BURST_N} webhook calls → n8n's HTTP Request node (v4.5, defaults) in the same n8n`,
				burst.baseline.httpRequestNode,
			),
		);
	}
	if (burst.realN8nLowLimit) {
		const low = burst.realN8nLowLimit;
		const r = low.sonarly.details.perSecond;
		rows.push(
			real(`   5d. as 5b, sandbox at ${r} req/s (a limit one loaded n8n does reach) → Sonarly node`, low.sonarly),
			real(`   5e. as 5c, sandbox at ${r} req/s → HTTP Request node`, low.httpRequest),
		);
	}
	return rows;
}
