// Runs the Sonarly sandbox (sandbox/server.js) with the benchmark seed in its own process, so
// that neither the client under test nor the orchestrator's RSS sampler shares its event loop.
// Driven over IPC by bench/run.mjs; exits when its parent goes away.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { benchSeed } from './ids.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { startSandbox } = createRequire(import.meta.url)(path.join(root, 'sandbox', 'server.js'));

if (!process.send) {
	process.stderr.write('bench/sandbox-process.mjs is started by bench/run.mjs\n');
	process.exit(2);
}

const sb = await startSandbox({ host: '127.0.0.1', port: 0, latencyMs: 0, seed: benchSeed() });

/** Stop requests of the log: statuses, first arrival, last answer. */
function summary() {
	const stops = sb.requests.filter((entry) => entry.route === 'stopCampaign');
	const byStatus = {};
	let first = Infinity;
	let last = -Infinity;
	for (const entry of stops) {
		const key = String(entry.status);
		byStatus[key] = (byStatus[key] ?? 0) + 1;
		first = Math.min(first, entry.at);
		last = Math.max(last, entry.at + (entry.durationMs ?? 0));
	}
	const distinct = new Set(stops.filter((e) => e.status === 200).map((e) => e.campaignId)).size;
	// Most requests the sandbox held at once (how many the client kept in flight).
	const events = stops.flatMap((e) => [
		[e.at, 1],
		[e.at + (e.durationMs ?? 0), -1],
	]);
	events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	let inFlight = 0;
	let maxInFlight = 0;
	for (const [, delta] of events) maxInFlight = Math.max(maxInFlight, (inFlight += delta));
	return {
		stops: stops.length,
		byStatus,
		distinctStopped: distinct,
		spanMs: stops.length > 0 ? last - first : 0,
		maxInFlight,
		// When each 429 was answered, in ms after the first stop arrived (the pacing's rhythm).
		rateLimitedAtMs: stops
			.filter((e) => e.status === 429)
			.slice(0, 50)
			.map((e) => e.at + (e.durationMs ?? 0) - first),
	};
}

const commands = {
	reset: () => sb.reset(),
	setFaults: (faults) => sb.setFaults(faults),
	summary,
};

process.on('message', ({ id, command, arg }) => {
	let reply;
	try {
		reply = { id, ok: true, value: commands[command](arg) ?? null };
	} catch (error) {
		reply = { id, ok: false, error: String(error?.message ?? error) };
	}
	process.send(reply);
});

const shutdown = () => sb.close().then(() => process.exit(0));
process.on('disconnect', shutdown);
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

process.send({ ready: true, url: sb.url });
