// One measurement in a fresh process, forked by bench/run.mjs with IPC.
//
// Protocol: the worker loads what it needs and does its warm-up, then sends
// { type: 'ready', ... }; the orchestrator prepares the sandbox (reset, latency, rate limit)
// and answers { type: 'go' }; the worker runs the timed part and sends { type: 'result', ... }.
//
// Modes (argv[2] is a JSON config):
//   engine  the built Sonarly node (or, with `minimal`, the diagnostic bare node) in n8n-core's
//           WorkflowExecute: { count, options, onError, warmup, minimal, memory, profile }
//           (`profile` CPU-profiles the timed run and reports where the time went)
//   axios   an axios.post loop with the Bearer header: { count, warmup, agent, concurrency }
//           (sequential unless `concurrency` > 1)
//           agent 'default' = axios's default (Node's global agent, keep-alive);
//           agent 'fresh' = a new non-keep-alive http.Agent per request, as n8n-core does.
import fs from 'node:fs';
import http from 'node:http';
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';

import { API_KEY, refs, stopPath, WARMUP_START } from './ids.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const config = JSON.parse(process.argv[2]);

if (!process.send) {
	process.stderr.write('bench/worker.mjs is started by bench/run.mjs\n');
	process.exit(2);
}

const waitForGo = () =>
	new Promise((resolve) => {
		process.once('message', (message) => {
			if (message?.type === 'go') resolve();
		});
	});

function statusValue(name) {
	const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(
		fs.readFileSync('/proc/self/status', 'utf8'),
	);
	return match ? Number(match[1]) * 1024 : null;
}

async function settleGc() {
	for (let i = 0; i < 3; i++) {
		globalThis.gc?.();
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

async function engineMode() {
	const { runStop } = await import('./engine.mjs');
	const credentials = { apiKey: API_KEY, baseUrl: config.baseUrl };
	const run = (items) =>
		runStop({
			items,
			options: config.options ?? {},
			onError: config.onError,
			credentials,
			minimal: config.minimal,
		});

	if (config.warmup > 0) {
		const warm = await run(refs(WARMUP_START, config.warmup));
		if (warm.error || warm.success.length !== config.warmup) {
			throw new Error(`warm-up failed: ${warm.error?.message ?? `${warm.success.length} items`}`);
		}
	}
	let baselineRss = null;
	let baselineHeap = null;
	if (config.memory) {
		await settleGc();
		baselineRss = process.memoryUsage.rss();
		baselineHeap = process.memoryUsage().heapUsed;
	}
	process.send({ type: 'ready', baselineRss });
	await waitForGo();

	let sampledPeak = 0;
	let peakHeapUsed = 0;
	let sampler;
	if (config.memory) {
		// The kernel's own high-water mark, restarted here: no sample can miss the peak.
		fs.writeFileSync('/proc/self/clear_refs', '5');
		sampledPeak = process.memoryUsage.rss();
		sampler = setInterval(() => {
			const usage = process.memoryUsage();
			sampledPeak = Math.max(sampledPeak, usage.rss);
			peakHeapUsed = Math.max(peakHeapUsed, usage.heapUsed);
		}, 2);
	}
	let profiler;
	if (config.profile) {
		profiler = new Session();
		profiler.connect();
		await profiler.post('Profiler.enable');
		await profiler.post('Profiler.setSamplingInterval', { interval: 250 });
		await profiler.post('Profiler.start');
	}
	const started = performance.now();
	const items = refs(0, config.count);
	const result = await run(items);
	const ms = performance.now() - started;
	if (sampler) clearInterval(sampler);
	const cpuProfile = profiler ? (await profiler.post('Profiler.stop')).profile : null;
	profiler?.disconnect();
	const stopped = result.success.filter((item) => item.json.stopped === true).length;
	const reply = {
		type: 'result',
		ms,
		items: items.length,
		success: result.success.length,
		stopped,
		errors: result.errors.length,
		error: result.error ? String(result.error.message ?? result.error) : null,
		firstErrorItem: result.errors[0]?.json?.message ?? null,
	};
	if (cpuProfile) reply.cpu = cpuBreakdown(cpuProfile);
	if (config.memory) {
		reply.baselineRss = baselineRss;
		reply.sampledPeakRss = Math.max(sampledPeak, process.memoryUsage.rss());
		reply.hwmRss = statusValue('VmHWM');
		// Where the growth is: live data the finished run still holds (its 10,000 output items
		// and run data) versus heap the V8 collector grew to under the allocation churn.
		const spaces = Object.fromEntries(
			v8.getHeapSpaceStatistics().map((s) => [s.space_name, s.space_size]),
		);
		reply.heapTotalAtEnd = process.memoryUsage().heapTotal;
		reply.newSpaceAtEnd = spaces.new_space;
		reply.peakHeapUsed = peakHeapUsed;
		await settleGc();
		reply.retainedAfterGc = process.memoryUsage().heapUsed - baselineHeap;
		reply.rssAfterGc = process.memoryUsage.rss();
		reply.baselineHeapUsed = baselineHeap;
	}
	void result;
	process.send(reply);
}

/**
 * Where the sampled time went: each sample goes to the innermost frame that has a script URL
 * (built-ins such as Object.assign count for their JS caller), bucketed by package. `sonarly`
 * is the node's own code in dist/: its self time, not the n8n functions it calls.
 */
function cpuBreakdown(profile) {
	const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map();
	for (const node of profile.nodes)
		for (const child of node.children ?? []) parent.set(child, node.id);
	const bucketOf = (id) => {
		let node = nodes.get(id);
		const special = node.callFrame.functionName;
		if (special === '(garbage collector)' || special === '(idle)' || special === '(program)')
			return special;
		for (let current = id; current !== undefined; current = parent.get(current)) {
			const { url } = nodes.get(current).callFrame;
			if (!url) continue;
			if (url.includes('/dist/nodes/Sonarly/') || url.includes('/dist/credentials/'))
				return 'sonarly';
			if (url.includes('/bench/')) return 'bench harness';
			if (url.startsWith('node:')) return 'node: built-ins (http, net, streams)';
			const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
			return pkg ?? 'other';
		}
		return '(native, no JS caller)';
	};
	const buckets = {};
	let total = 0;
	profile.samples.forEach((id, index) => {
		const dt = profile.timeDeltas[index] ?? 0;
		total += dt;
		const bucket = bucketOf(id);
		buckets[bucket] = (buckets[bucket] ?? 0) + dt;
	});
	const ms = Object.fromEntries(
		Object.entries(buckets)
			.sort((a, b) => b[1] - a[1])
			.map(([name, us]) => [name, us / 1000]),
	);
	return { totalMs: total / 1000, ms };
}

async function axiosMode() {
	const require = createRequire(path.join(root, 'package.json'));
	const axios = require('axios');
	const headers = { Authorization: `Bearer ${API_KEY}` };
	const post = async (ref) => {
		const response = await axios.post(`${config.baseUrl}${stopPath(ref)}`, null, {
			headers,
			timeout: 30_000,
			...(config.agent === 'fresh' ? { httpAgent: new http.Agent() } : {}),
		});
		if (response.status !== 200 || response.data?.success !== true)
			throw new Error(`stop answered ${response.status}`);
		return response.data.data;
	};
	for (const ref of refs(WARMUP_START, config.warmup ?? 0)) await post(ref);
	process.send({ type: 'ready', axiosVersion: require('axios/package.json').version });
	await waitForGo();

	const started = performance.now();
	const items = refs(0, config.count);
	const output = new Array(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const index = next++;
			output[index] = await post(items[index]);
		}
	};
	await Promise.all(Array.from({ length: config.concurrency ?? 1 }, worker));
	const ms = performance.now() - started;
	process.send({
		type: 'result',
		ms,
		items: items.length,
		success: output.length,
		stopped: output.length,
		errors: 0,
		error: null,
	});
}

try {
	if (config.mode === 'engine') await engineMode();
	else if (config.mode === 'axios') await axiosMode();
	else throw new Error(`unknown mode ${config.mode}`);
} catch (error) {
	process.send({ type: 'failed', error: String(error?.stack ?? error) });
}
process.disconnect();
