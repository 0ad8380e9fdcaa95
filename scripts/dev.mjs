// `npm run dev`: the n8n editor (2.41.1) on http://127.0.0.1:5678 (or the next free port) with
// this package installed from a fresh build, a "Sonarly account" credential pointing at a local
// Sonarly sandbox, and the example workflows imported. Ctrl-C stops n8n and the sandbox.
//
// The n8n user folder is kept in ~/.cache/n8n-nodes-sonarly/dev-n8n-<version> so that your
// workflows survive restarts; `npm run dev -- --fresh` starts from an empty one.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import * as h from '../test/e2e/n8n.mjs';
import { allExamples, cleanup, onCleanup, out, SANDBOX_KEY, startSandboxedN8n, VERSION } from './sandboxed-n8n.mjs';

const OWNER = {
	email: 'dev@example.com',
	firstName: 'Sonarly',
	lastName: 'Developer',
	password: 'Sonarly-dev-1',
};

const { values: args } = parseArgs({
	options: {
		fresh: { type: 'boolean', default: false },
		port: { type: 'string' },
		'sandbox-port': { type: 'string' },
		quiet: { type: 'boolean', default: false },
	},
});

h.onShutdown(async () => {
	out('\nStopping n8n and the sandbox…');
	await cleanup();
	process.exitCode = 0;
});

async function pickPort(preferred) {
	for (let port = preferred; port < preferred + 20; port++) {
		if (await h.portIsFree(port)) return port;
	}
	return h.freePort();
}

async function setUpOwner(server) {
	// The first visit would ask for an owner account; create it so that the printed login works.
	try {
		await h.ownerLogin(server, OWNER);
		return true;
	} catch {
		return false;
	}
}

async function main() {
	const { DEFAULT_KEYS } = h.sandboxModule();
	const userFolder = path.join(h.CACHE_DIR, `dev-n8n-${VERSION}`);
	if (args.fresh) fs.rmSync(userFolder, { recursive: true, force: true });
	const firstRun = !fs.existsSync(path.join(userFolder, '.n8n', 'database.sqlite'));
	const sandboxPort = await pickPort(Number(args['sandbox-port'] ?? 8787));
	const { sb, session } = await startSandboxedN8n({ sandboxPort, userFolder });
	if (firstRun) await session.importWorkflows(allExamples());

	const port = await pickPort(Number(args.port ?? 5678));
	const server = await h.startN8nServer(session, { port, echo: !args.quiet, timeoutMs: 300_000 });
	onCleanup(() => server.stop());
	const ownerCreated = firstRun ? await setUpOwner(server) : false;

	out();
	out(`n8n ${VERSION} editor: ${server.url}`);
	if (firstRun) {
		out(
			ownerCreated
				? `  log in as ${OWNER.email} / ${OWNER.password}`
				: '  create the owner account in the browser on first visit',
		);
	} else {
		out(`  log in as ${OWNER.email} / ${OWNER.password} (if you kept the default owner)`);
	}
	out(`  user folder: ${userFolder} (npm run dev -- --fresh to start over)`);
	out(`Sonarly sandbox: ${sb.url}`);
	out(
		`  credential "${h.CREDENTIAL_NAME}" uses ${SANDBOX_KEY}; other keys: ${Object.keys(DEFAULT_KEYS).join(', ')}`,
	);
	out('  examples/ workflows are imported on the first run');
	out('Ctrl-C stops both.');

	const { code, signal } = await server.exited;
	out(`n8n exited (${signal ?? `code ${code}`}).`);
	await cleanup();
	process.exitCode = code === 0 ? 0 : 1;
}

try {
	await main();
} catch (error) {
	process.stderr.write(`dev failed: ${error.stack ?? error}\n`);
	await cleanup();
	process.exitCode = 1;
}
