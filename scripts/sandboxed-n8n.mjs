// The start-up `npm run demo` and `npm run dev` share: build the package when the sources are
// newer, install n8n the first time, start the Sonarly sandbox, open an n8n session with the
// package installed and a "Sonarly account" credential pointing at the sandbox. Everything it
// starts is stopped by `cleanup()`, also on Ctrl-C.
import fs from 'node:fs';
import path from 'node:path';

import * as h from '../test/e2e/n8n.mjs';

export const VERSION = h.N8N_V2;
export const SANDBOX_KEY = 'sk_test_full_access';

export function out(line = '') {
	process.stdout.write(`${line}\n`);
}

const cleanups = [];

export async function cleanup() {
	while (cleanups.length > 0) {
		try {
			await cleanups.pop()();
		} catch {
			// keep going
		}
	}
}

/** Registers something to stop at the end (last registered, first stopped). */
export function onCleanup(stop) {
	cleanups.push(stop);
}

export function readExample(file) {
	return JSON.parse(fs.readFileSync(path.join(h.REPO_ROOT, 'examples', file), 'utf8'));
}

export function allExamples() {
	return fs
		.readdirSync(path.join(h.REPO_ROOT, 'examples'))
		.filter((file) => file.endsWith('.json'))
		.map(readExample);
}

/** Returns { n8n, sb, session }; `userFolder` keeps n8n's data (the dev server), else a temp one. */
export async function startSandboxedN8n({ sandboxPort = 0, userFolder } = {}) {
	if (await h.ensureBuilt({ ifStale: true })) out('Built the package (npm run build).');
	const cached = fs.existsSync(path.join(h.CACHE_DIR, `n8n-${VERSION}`, '.sonarly-n8n-installed'));
	if (!cached) {
		out(`Installing n8n ${VERSION} into ${h.CACHE_DIR} (first run only: about 8 to 10 minutes, 3 GB)…`);
	}
	const n8n = await h.ensureN8n(VERSION);
	const { startSandbox } = h.sandboxModule();
	const sb = await startSandbox({ port: sandboxPort });
	onCleanup(() => sb.close());
	// installPackage() (inside openSession) installs the current build every time.
	const session = await h.openSession({ version: VERSION, userFolder });
	onCleanup(() => session.close());
	// Imported on every start: the sandbox port may have changed.
	await session.importCredentials(h.sonarlyCredential({ apiKey: SANDBOX_KEY, baseUrl: sb.url }));
	return { n8n, sb, session };
}
