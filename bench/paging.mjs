// `npm run bench -- --only paging`: Prospect → Get Many with Return All over an audience of
// 10,000 prospects (100 pages of 100) in the sandbox, against a raw paging loop through the same
// n8n helper (httpRequestWithAuthentication) in the same engine. Each run is a fresh process;
// its wall time and peak RSS (sampled from /proc every 5 ms by the parent) are printed.
// Target: ≤ 1.2× the raw loop's time.
//
//   node bench/paging.mjs [--runs N] [--json file]      (the built node in dist/ is used)
import { fork } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const require = createRequire(path.join(root, 'package.json'));

export const PROSPECTS = 10_000;
export const PAGE_SIZE = 100;
export const TARGET = 1.2;
const API_KEY = 'sk_test_full_access';


/** Runs both modes `runs` times, alternating, and returns the figures. */
export async function benchPaging({ runs = 3 } = {}) {
	const { startSandbox } = require(path.join(root, 'sandbox', 'server.js'));
	const sandbox = await startSandbox({ port: 0 });
	try {
		const group = '64a1f0000000000000000001';
		const added = await fetch(`${sandbox.url}/__sandbox/audiences`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ accountGroupId: group, name: 'Benchmark', prospectCount: PROSPECTS }),
		}).then((response) => response.json());
		const audienceId = added.data?.id ?? added.data?.audience?.id;
		if (!audienceId) throw new Error(`could not add the benchmark audience: ${JSON.stringify(added).slice(0, 300)}`);
		sandbox.setFaults({ pageSize: PAGE_SIZE });
		const config = { baseUrl: sandbox.url, group, audienceId };
		const figures = { node: [], raw: [] };
		for (let run = 0; run < runs; run++) {
			for (const mode of ['raw', 'node']) figures[mode].push(await measure({ ...config, mode }));
		}
		return figures;
	} finally {
		await sandbox.close();
	}
}

export function formatPaging(figures) {
	const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
	const node = median(figures.node.map((r) => r.ms));
	const raw = median(figures.raw.map((r) => r.ms));
	const mb = (bytes) => `${Math.round(bytes / 1024 / 1024)} MB`;
	const ratio = node / raw;
	return [
		`Paging: Return All over ${PROSPECTS} prospects (${PROSPECTS / PAGE_SIZE} pages), median of ${figures.node.length} runs each`,
		`  Sonarly node (Prospect → Get Many): ${Math.round(node)} ms, peak RSS ${mb(median(figures.node.map((r) => r.peakRss)))} (runs: ${figures.node.map((r) => Math.round(r.ms)).join(', ')} ms)`,
		`  raw paging loop, same n8n helper:   ${Math.round(raw)} ms, peak RSS ${mb(median(figures.raw.map((r) => r.peakRss)))} (runs: ${figures.raw.map((r) => Math.round(r.ms)).join(', ')} ms)`,
		`  ratio ${ratio.toFixed(3)}× (target ≤ ${TARGET}×): ${ratio <= TARGET ? 'met' : 'MISSED'}`,
	].join('\n');
}

async function measure(config) {
	const worker = fork(fileURLToPath(import.meta.url), ['--child', JSON.stringify(config)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
	let peakRss = 0;
	const sampler = setInterval(() => {
		try {
			const match = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${worker.pid}/status`, 'utf8'));
			if (match) peakRss = Math.max(peakRss, Number(match[1]) * 1024);
		} catch {
			// The process has ended.
		}
	}, 5);
	const killer = setTimeout(() => worker.kill('SIGKILL'), 180_000);
	try {
		const result = await new Promise((resolve, reject) => {
			worker.once('message', resolve);
			worker.once('exit', (code) => reject(new Error(`paging ${config.mode} exited (${code}) without a result`)));
		});
		if (result.error) throw new Error(result.error);
		if (result.items !== PROSPECTS) throw new Error(`paging ${config.mode} returned ${result.items} items, not ${PROSPECTS}`);
		return { ...result, peakRss };
	} finally {
		clearInterval(sampler);
		clearTimeout(killer);
		worker.kill();
	}
}

/** In the child: one warm-up run on a small list, then the timed Return All. */
async function child(config) {
	try {
		const { outputsOf, startRun } = require(path.join(root, 'test', 'harness', 'workflow-engine.js'));
		const { Sonarly } = require(path.join(root, 'dist', 'nodes', 'Sonarly', 'Sonarly.node.js'));
		const { SonarlyApi } = require(path.join(root, 'dist', 'credentials', 'SonarlyApi.credentials.js'));
		const nodeTypes = { 'bench.trigger': new TriggerNode(), 'n8n-nodes-sonarly.sonarly': new Sonarly(), 'bench.rawPaging': new RawPagingNode() };
		const byId = (value) => ({ __rl: true, mode: 'id', value });
		const run = async (audienceId) => {
			const node = {
				id: 'lister',
				name: 'Lister',
				type: config.mode === 'node' ? 'n8n-nodes-sonarly.sonarly' : 'bench.rawPaging',
				typeVersion: 1,
				position: [200, 0],
				parameters: { resource: 'prospect', operation: 'getAll', accountGroupId: byId(config.group), audienceId: byId(audienceId), returnAll: true },
				credentials: { sonarlyApi: { id: 'cred-1', name: 'Sonarly account' } },
			};
			const result = await startRun({
				nodeTypes,
				credentialType: new SonarlyApi(),
				credentials: { apiKey: API_KEY, baseUrl: config.baseUrl },
				nodes: [{ id: 'trigger', name: 'Trigger', type: 'bench.trigger', typeVersion: 1, position: [0, 0], parameters: {} }, node],
				connections: { Trigger: { main: [[{ node: 'Lister', type: 'main', index: 0 }]] } },
				startNodeName: 'Trigger',
			});
			const { success, errors } = outputsOf(result, 'Lister');
			if (errors.length > 0 || result.data.resultData.error) throw new Error(JSON.stringify(errors[0]?.json ?? result.data.resultData.error.message));
			return success.length;
		};
		// Warm-up: the seeded (small) audience of the same group.
		await run('64a1f0000000000000000401').catch(() => 0);
		const started = performance.now();
		const items = await run(config.audienceId);
		process.send({ ms: performance.now() - started, items });
	} catch (error) {
		process.send({ error: String(error?.stack ?? error) });
	}
}

class TriggerNode {
	description = { displayName: 'Trigger', name: 'trigger', group: ['input'], version: 1, description: '', defaults: { name: 'Trigger' }, inputs: ['main'], outputs: ['main'], properties: [] };
	async execute() {
		return [[{ json: {} }]];
	}
}

/** The least a node can do for a Return All: follow nextCursor through the same helper. */
class RawPagingNode {
	description = {
		displayName: 'Raw paging',
		name: 'rawPaging',
		group: ['input'],
		version: 1,
		description: 'Benchmark reference',
		defaults: { name: 'Raw paging' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'sonarlyApi', required: true }],
		properties: [
			{ displayName: 'Group', name: 'accountGroupId', type: 'resourceLocator', default: { mode: 'id', value: '' }, modes: [{ displayName: 'ID', name: 'id', type: 'string' }] },
			{ displayName: 'Audience', name: 'audienceId', type: 'resourceLocator', default: { mode: 'id', value: '' }, modes: [{ displayName: 'ID', name: 'id', type: 'string' }] },
		],
	};

	async execute() {
		const { baseUrl } = await this.getCredentials('sonarlyApi');
		const group = this.getNodeParameter('accountGroupId', 0, '', { extractValue: true });
		const audience = this.getNodeParameter('audienceId', 0, '', { extractValue: true });
		const output = [];
		let cursor;
		do {
			const response = await this.helpers.httpRequestWithAuthentication.call(this, 'sonarlyApi', {
				method: 'GET',
				url: `${baseUrl}/v1/accounts/${group}/audiences/${audience}/prospects`,
				qs: cursor ? { cursor } : undefined,
				json: true,
				timeout: 30_000,
			});
			for (const json of response.data.items) output.push({ json, pairedItem: { item: 0 } });
			cursor = response.data.hasMore ? response.data.nextCursor : undefined;
		} while (cursor);
		return [output];
	}
}

// Entry point (at the end: the classes above must exist before a child run uses them).
if (process.argv[2] === '--child') await child(JSON.parse(process.argv[3]));
else if (import.meta.url === `file://${process.argv[1]}`) {
	const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, json: { type: 'string' } } });
	const figures = await benchPaging({ runs: Number(values.runs) });
	process.stdout.write(`${formatPaging(figures)}\n`);
	if (values.json) fs.writeFileSync(values.json, `${JSON.stringify(figures, null, 2)}\n`);
}
