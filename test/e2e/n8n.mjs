// Harness that runs workflows in a REAL n8n, headless, for the end-to-end tests, the demo
// and the dev server.
//
// - n8n is installed once per version into a cache folder outside the repo
//   (~/.cache/n8n-nodes-sonarly/n8n-<version>, or $SONARLY_CACHE_DIR), with the Node it needs
//   (24 for n8n 2.x, 20 for n8n 1.x) provisioned from the npm registry next to it.
// - Our package is installed the way n8n's community-package installer leaves it: the
//   `npm pack` tarball unpacked into <user folder>/.n8n/nodes/node_modules/n8n-nodes-sonarly.
// - Each run gets a fresh N8N_USER_FOLDER, imports credentials and workflows through n8n's own
//   CLI, runs `n8n execute --id=<id> --rawOutput` and parses the run data it prints.
//
// Every child process runs in its own process group, is time-bound, and is killed (whole
// group) on timeout, on close and when this process exits.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CACHE_DIR =
	process.env.SONARLY_CACHE_DIR ||
	path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'n8n-nodes-sonarly');

export const PACKAGE_NAME = 'n8n-nodes-sonarly';
export const NODE_TYPE = `${PACKAGE_NAME}.sonarly`;
export const TOOL_NODE_TYPE = `${PACKAGE_NAME}.sonarlyTool`;
export const CREDENTIAL_TYPE = 'sonarlyApi';
export const CREDENTIAL_NAME = 'Sonarly account';

export const N8N_V2 = '2.41.1';
export const N8N_V1 = '1.123.81';

/** What each pinned n8n needs to run. */
export const N8N_RUNTIMES = {
	[N8N_V2]: { nodeMajor: 24, env: {}, overrides: {}, rebuild: ['sqlite3', 'isolated-vm'] },
	[N8N_V1]: {
		nodeMajor: 20,
		env: { N8N_EXPRESSION_ENGINE: 'legacy' },
		overrides: { xlsx: '0.18.5' },
		// 1.123.81 also pulls isolated-vm 6 (for its new expression engine), which needs Node 22+
		// and does not compile for Node 20; the legacy expression engine never loads it.
		rebuild: ['sqlite3'],
	},
};

/**
 * Versions the e2e suite runs on: 2.41.1 always, 1.123.81 unless SONARLY_E2E_N8N_V1=0.
 * SONARLY_E2E_VERSIONS (comma-separated, e.g. "1.123.81") picks them explicitly.
 */
export function testedVersions() {
	if (process.env.SONARLY_E2E_VERSIONS) {
		const picked = process.env.SONARLY_E2E_VERSIONS.split(',')
			.map((v) => v.trim())
			.filter(Boolean);
		for (const v of picked)
			if (!N8N_RUNTIMES[v]) throw new Error(`SONARLY_E2E_VERSIONS: unknown n8n ${v}`);
		return picked;
	}
	const versions = [N8N_V2];
	if (process.env.SONARLY_E2E_N8N_V1 !== '0') versions.push(N8N_V1);
	return versions;
}

export const DEFAULT_RUN_TIMEOUT_MS = 120_000;
const INSTALL_TIMEOUT_MS = 30 * 60_000;
const STAMP = '.sonarly-n8n-installed';

const quiet = process.env.SONARLY_E2E_QUIET === '1';
export function log(...args) {
	if (!quiet) process.stderr.write(`[e2e] ${args.join(' ')}\n`);
}

// ---------------------------------------------------------------------------------------------
// Child processes

const liveGroups = new Set();

function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
	} catch {
		try {
			process.kill(pid, signal);
		} catch {
			// already gone
		}
	}
}

process.on('exit', () => {
	for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
});

const shutdownHooks = [];
let shuttingDown = false;

/**
 * Registers an async cleanup to run on Ctrl-C / SIGTERM / SIGHUP before this module kills the
 * child processes it started and exits (a hook may set process.exitCode). A second signal, or
 * 15 s of waiting, kills everything at once.
 */
export function onShutdown(hook) {
	shutdownHooks.push(hook);
}

async function shutdown(signal) {
	const code = 128 + (os.constants.signals[signal] ?? 1);
	const hardExit = () => {
		for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
		process.exit(process.exitCode ?? code);
	};
	if (shuttingDown) hardExit();
	shuttingDown = true;
	setTimeout(hardExit, 15_000).unref();
	for (const hook of shutdownHooks.reverse()) {
		try {
			await hook(signal);
		} catch {
			// keep cleaning up
		}
	}
	hardExit();
}
// Without these, a test run interrupted by a signal would leave n8n (which runs in its own
// process group) behind.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'])
	process.on(signal, () => void shutdown(signal));

/** Kills every child process group this module started and that is still running. */
export function killAllChildren() {
	for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
	liveGroups.clear();
}

/**
 * Runs a command in its own process group, collects its output, and kills the whole group
 * when it outlives `timeoutMs`. Resolves { code, signal, stdout, stderr, timedOut, ms }.
 */
export function run(
	command,
	args,
	{ cwd, env, timeoutMs = DEFAULT_RUN_TIMEOUT_MS, echo = false } = {},
) {
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {
			cwd,
			env,
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const out = [];
		const err = [];
		let timedOut = false;
		child.stdout.on('data', (chunk) => {
			out.push(chunk);
			if (echo) process.stderr.write(chunk);
		});
		child.stderr.on('data', (chunk) => {
			err.push(chunk);
			if (echo) process.stderr.write(chunk);
		});
		child.on('error', (error) => {
			liveGroups.delete(child.pid);
			clearTimeout(timer);
			reject(error);
		});
		if (child.pid) liveGroups.add(child.pid);
		const timer = setTimeout(() => {
			timedOut = true;
			killGroup(child.pid, 'SIGTERM');
			setTimeout(() => killGroup(child.pid, 'SIGKILL'), 5000).unref();
		}, timeoutMs);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			// The main process is gone; make sure nothing it spawned (task runners) lingers.
			killGroup(child.pid, 'SIGKILL');
			liveGroups.delete(child.pid);
			resolve({
				code,
				signal,
				timedOut,
				stdout: Buffer.concat(out).toString('utf8'),
				stderr: Buffer.concat(err).toString('utf8'),
				ms: Date.now() - started,
			});
		});
	});
}

async function runOrThrow(what, command, args, options) {
	const result = await run(command, args, options);
	if (result.code !== 0) {
		const tail = (result.stderr || result.stdout).split('\n').slice(-40).join('\n');
		throw new Error(
			`${what} failed (exit ${result.code}${result.timedOut ? ', timed out' : ''}${
				result.signal ? `, ${result.signal}` : ''
			}):\n${tail}`,
		);
	}
	return result;
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** Whether `port` on 127.0.0.1 can be bound now. */
export function portIsFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.unref();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

// ---------------------------------------------------------------------------------------------
// Locks and cache folders

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/** A cross-process lock (a folder holding the owner's pid); stale locks are taken over. */
async function withLock(lockDir, fn, { waitMs = INSTALL_TIMEOUT_MS } = {}) {
	const deadline = Date.now() + waitMs;
	let announced = false;
	for (;;) {
		try {
			await fsp.mkdir(lockDir);
			await fsp.writeFile(path.join(lockDir, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			const pid = Number(await fsp.readFile(path.join(lockDir, 'pid'), 'utf8').catch(() => '0'));
			const age = Date.now() - (await fsp.stat(lockDir).catch(() => ({ mtimeMs: 0 }))).mtimeMs;
			if ((pid && !pidAlive(pid)) || (!pid && age > 60_000)) {
				await fsp.rm(lockDir, { recursive: true, force: true });
				continue;
			}
			if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${lockDir}`);
			if (!announced) {
				log(`waiting for another process (pid ${pid}) to finish with ${path.basename(lockDir)}`);
				announced = true;
			}
			await new Promise((r) => setTimeout(r, 2000));
		}
	}
	try {
		return await fn();
	} finally {
		await fsp.rm(lockDir, { recursive: true, force: true });
	}
}

function nodeArch() {
	switch (process.arch) {
		case 'x64':
			return 'x64';
		case 'arm64':
			return 'arm64';
		default:
			throw new Error(`unsupported CPU architecture ${process.arch}`);
	}
}

function compareVersions(a, b) {
	const pa = a.split('.').map(Number);
	const pb = b.split('.').map(Number);
	for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
	return 0;
}

function nodeHomeIn(prefix) {
	return path.join(prefix, 'node_modules', `node-linux-${nodeArch()}`);
}

/** The Node version that scripts/with-node24.sh provisions (kept in one place: that script). */
function node24Version() {
	const script = fs.readFileSync(path.join(REPO_ROOT, 'scripts', 'with-node24.sh'), 'utf8');
	const match = /^node_version=(\S+)/m.exec(script);
	if (!match) throw new Error('cannot read node_version from scripts/with-node24.sh');
	return match[1];
}

/** The env under which npm builds and runs things for the Node at `nodeHome`. */
function envForNode(nodeHome, extra = {}) {
	const env = { ...process.env };
	// Drop npm's per-script variables inherited from `npm run`: they would point the inner npm
	// at the repo's package instead of the cache folder.
	for (const key of Object.keys(env)) {
		if (/^npm_(package|lifecycle|config_(prefix|local_prefix|global_prefix))/i.test(key))
			delete env[key];
	}
	env.PATH = `${path.join(nodeHome, 'bin')}${path.delimiter}${process.env.PATH}`;
	env.npm_config_nodedir = nodeHome;
	env.npm_config_yes = 'true';
	env.npm_config_audit = 'false';
	env.npm_config_fund = 'false';
	env.npm_config_update_notifier = 'false';
	return { ...env, ...extra };
}

const nodeCache = new Map();

/**
 * Provisions the Node binary (and headers) of the given major from the npm registry's
 * node-linux-<arch> package into the cache, like scripts/with-node24.sh does for 24.
 * Node 24: the exact version that script pins. Node 20: the newest 20.x in the registry,
 * resolved once and reused while present. Returns { version, home, bin }.
 */
export async function ensureNode(major) {
	if (nodeCache.has(major)) return nodeCache.get(major);
	await fsp.mkdir(CACHE_DIR, { recursive: true });
	let version;
	if (major === 24) {
		version = node24Version();
	} else {
		const present = (await fsp.readdir(CACHE_DIR).catch(() => []))
			.filter((name) => name.startsWith(`node-${major}.`))
			.map((name) => name.slice('node-'.length))
			.filter((v) =>
				fs.existsSync(path.join(nodeHomeIn(path.join(CACHE_DIR, `node-${v}`)), 'bin', 'node')),
			)
			.sort(compareVersions);
		if (present.length > 0) {
			version = present.at(-1);
		} else {
			const view = await runOrThrow(
				`npm view node-linux-${nodeArch()}@${major}`,
				'npm',
				['view', `node-linux-${nodeArch()}@${major}`, 'version', '--json'],
				{
					cwd: CACHE_DIR,
					env: envForNode(path.dirname(path.dirname(process.execPath))),
					timeoutMs: 120_000,
				},
			);
			const versions = [JSON.parse(view.stdout)].flat().filter((v) => v.startsWith(`${major}.`));
			if (versions.length === 0)
				throw new Error(`no node-linux-${nodeArch()}@${major} in the registry`);
			version = versions.sort(compareVersions).at(-1);
		}
	}
	const prefix = path.join(CACHE_DIR, `node-${version}`);
	const home = nodeHomeIn(prefix);
	const bin = path.join(home, 'bin', 'node');
	if (!fs.existsSync(bin)) {
		await withLock(`${prefix}.lock`, async () => {
			if (fs.existsSync(bin)) return;
			log(`installing Node ${version} from the npm registry into ${prefix}`);
			await runOrThrow(
				`installing node-linux-${nodeArch()}@${version}`,
				'npm',
				[
					'install',
					'--silent',
					'--no-save',
					'--no-package-lock',
					'--ignore-scripts',
					'--prefix',
					prefix,
					`node-linux-${nodeArch()}@${version}`,
				],
				{
					cwd: CACHE_DIR,
					env: envForNode(path.dirname(path.dirname(process.execPath))),
					timeoutMs: 10 * 60_000,
				},
			);
		});
	}
	const info = { version, home, bin };
	nodeCache.set(major, info);
	return info;
}

// ---------------------------------------------------------------------------------------------
// n8n

function n8nInfo(version, dir, node) {
	return {
		version,
		dir,
		node,
		bin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		env: N8N_RUNTIMES[version].env,
	};
}

/**
 * Installs n8n `version` (one of N8N_RUNTIMES) into ~/.cache/n8n-nodes-sonarly/n8n-<version>
 * unless a finished install is there (stamp file). Returns { version, dir, node, bin, env,
 * installedNow, installMs }.
 */
export async function ensureN8n(version = N8N_V2) {
	const runtime = N8N_RUNTIMES[version];
	if (!runtime)
		throw new Error(
			`n8n ${version} is not one of the pinned versions: ${Object.keys(N8N_RUNTIMES)}`,
		);
	const node = await ensureNode(runtime.nodeMajor);
	const dir = path.join(CACHE_DIR, `n8n-${version}`);
	const info = n8nInfo(version, dir, node);
	const stamp = path.join(dir, STAMP);
	if (fs.existsSync(stamp) && fs.existsSync(info.bin)) return { ...info, installedNow: false };

	return withLock(`${dir}.lock`, async () => {
		if (fs.existsSync(stamp) && fs.existsSync(info.bin)) return { ...info, installedNow: false };
		const started = Date.now();
		const manifest = {
			name: `sonarly-e2e-n8n-${version.replaceAll('.', '-')}`,
			private: true,
			description: 'Pinned n8n for the n8n-nodes-sonarly end-to-end tests (generated).',
			dependencies: { n8n: version },
		};
		if (Object.keys(runtime.overrides).length > 0) manifest.overrides = runtime.overrides;
		const manifestText = `${JSON.stringify(manifest, null, '\t')}\n`;
		const env = envForNode(node.home);
		// A finished `npm install` is kept (its own stamp) so that a failed native build does
		// not download everything again.
		const npmStamp = path.join(dir, '.sonarly-npm-installed');
		const npmDone =
			fs.existsSync(npmStamp) &&
			(await fsp.readFile(path.join(dir, 'package.json'), 'utf8').catch(() => '')) === manifestText;
		let installMs = 0;
		if (!npmDone) {
			log(`installing n8n ${version} on Node ${node.version} into ${dir} (a few minutes, once)`);
			await fsp.rm(dir, { recursive: true, force: true });
			await fsp.mkdir(dir, { recursive: true });
			await fsp.writeFile(path.join(dir, 'package.json'), manifestText);
			await runOrThrow(
				`npm install n8n@${version}`,
				'npm',
				[
					'install',
					'--omit=dev',
					'--ignore-scripts',
					'--no-audit',
					'--no-fund',
					'--loglevel=error',
				],
				{ cwd: dir, env, timeoutMs: INSTALL_TIMEOUT_MS },
			);
			installMs = Date.now() - started;
			await fsp.writeFile(npmStamp, `${installMs}\n`);
			log(
				`n8n ${version}: npm install took ${Math.round(installMs / 1000)} s; building native modules`,
			);
		} else {
			installMs = Number((await fsp.readFile(npmStamp, 'utf8')).trim()) || 0;
			log(
				`n8n ${version}: reusing its npm install; building native modules for Node ${node.version}`,
			);
		}
		const rebuildStarted = Date.now();
		await runOrThrow(
			`npm rebuild ${runtime.rebuild.join(' ')}`,
			'npm',
			['rebuild', ...runtime.rebuild],
			{
				cwd: dir,
				env,
				timeoutMs: INSTALL_TIMEOUT_MS,
			},
		);
		const rebuildMs = Date.now() - rebuildStarted;
		// Prove the install runs before stamping it.
		const check = await runOrThrow(`n8n ${version} --version`, node.bin, [info.bin, '--version'], {
			cwd: dir,
			env,
			timeoutMs: 120_000,
		});
		const totalMs = Date.now() - started;
		await fsp.writeFile(
			stamp,
			`${JSON.stringify(
				{
					n8n: version,
					reported: check.stdout.trim().split('\n').at(-1),
					node: node.version,
					installedAt: new Date().toISOString(),
					npmInstallSeconds: Math.round(installMs / 1000),
					nativeBuildSeconds: Math.round(rebuildMs / 1000),
					thisRunSeconds: Math.round(totalMs / 1000),
				},
				null,
				'\t',
			)}\n`,
		);
		log(`n8n ${version} ready in ${Math.round(totalMs / 1000)} s`);
		return { ...info, installedNow: true, installMs: totalMs };
	});
}

// ---------------------------------------------------------------------------------------------
// Our package

export const BUILT_NODE = path.join(REPO_ROOT, 'dist', 'nodes', 'Sonarly', 'Sonarly.node.js');

function newestMtime(target) {
	let newest = 0;
	const stack = [target];
	while (stack.length > 0) {
		const current = stack.pop();
		let stat;
		try {
			stat = fs.statSync(current);
		} catch {
			continue;
		}
		if (stat.isDirectory()) {
			for (const name of fs.readdirSync(current)) stack.push(path.join(current, name));
		} else {
			newest = Math.max(newest, stat.mtimeMs);
		}
	}
	return newest;
}

/** Whether dist/ is missing or older than the sources it is built from. */
export function buildIsStale() {
	if (!fs.existsSync(BUILT_NODE)) return true;
	const built = newestMtime(path.join(REPO_ROOT, 'dist'));
	const sources = Math.max(
		...['nodes', 'credentials', 'icons', 'package.json', 'tsconfig.json'].map((p) =>
			newestMtime(path.join(REPO_ROOT, p)),
		),
	);
	return sources > built;
}

/**
 * Runs `npm run build` (which goes through scripts/with-node24.sh) when dist/ is missing,
 * or also when it is stale and `ifStale` is set.
 */
export async function ensureBuilt({ ifStale = false } = {}) {
	if (fs.existsSync(BUILT_NODE) && !(ifStale && buildIsStale())) return false;
	log('building the package (npm run build)');
	await runOrThrow('npm run build', 'npm', ['run', 'build'], {
		cwd: REPO_ROOT,
		env: { ...process.env, npm_config_yes: 'true' },
		timeoutMs: 15 * 60_000,
	});
	if (!fs.existsSync(BUILT_NODE)) throw new Error(`npm run build did not produce ${BUILT_NODE}`);
	return true;
}

let packed;

/** `npm pack`s the repo (dist/ must exist) into a temp folder, once per process. */
export async function packPackage() {
	if (packed && fs.existsSync(packed)) return packed;
	if (!fs.existsSync(BUILT_NODE)) {
		throw new Error(
			`${path.relative(REPO_ROOT, BUILT_NODE)} is missing: run \`npm run build\` first`,
		);
	}
	const dest = await fsp.mkdtemp(path.join(os.tmpdir(), 'sonarly-pack-'));
	const result = await runOrThrow(
		'npm pack',
		'npm',
		['pack', '--json', '--ignore-scripts', '--pack-destination', dest],
		{ cwd: REPO_ROOT, env: { ...process.env }, timeoutMs: 120_000 },
	);
	const [{ filename }] = JSON.parse(result.stdout.slice(result.stdout.indexOf('[')));
	packed = path.join(dest, path.basename(filename));
	process.on('exit', () => fs.rmSync(dest, { recursive: true, force: true }));
	return packed;
}

/**
 * Installs our package into an n8n user folder the way n8n's community-package installer
 * leaves it: the packed tarball unpacked into <userFolder>/.n8n/nodes/node_modules/<name>,
 * listed in <userFolder>/.n8n/nodes/package.json. We have no runtime dependencies.
 */
export async function installPackage(userFolder, { tarball } = {}) {
	const file = tarball ?? (await packPackage());
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const target = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	const unpack = await fsp.mkdtemp(path.join(userFolder, '.unpack-'));
	await runOrThrow('tar -xzf', 'tar', ['-xzf', file, '-C', unpack], { timeoutMs: 60_000 });
	await fsp.mkdir(path.dirname(target), { recursive: true });
	await fsp.rm(target, { recursive: true, force: true });
	await fsp.rename(path.join(unpack, 'package'), target);
	await fsp.rm(unpack, { recursive: true, force: true });
	const { version } = JSON.parse(await fsp.readFile(path.join(target, 'package.json'), 'utf8'));
	await fsp.writeFile(
		path.join(nodesDir, 'package.json'),
		`${JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: version } }, null, 2)}\n`,
	);
	return target;
}

// ---------------------------------------------------------------------------------------------
// Running n8n

/** The environment for one n8n process: offline, quiet, private to one user folder. */
export function n8nEnv(n8n, userFolder, { brokerPort, port, extra = {} } = {}) {
	const env = envForNode(n8n.node.home, {
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: 'sonarly-e2e-not-a-secret-0123456789',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_PUBLIC_API_DISABLED: 'true',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_COMMUNITY_PACKAGES_ALLOW_TOOL_USAGE: 'true',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_BLOCK_ENV_ACCESS_IN_NODE: 'true',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PORT: String(port),
		N8N_SECURE_COOKIE: 'false',
		N8N_NO_COLOR: 'true',
		NO_COLOR: '1',
		DB_TYPE: 'sqlite',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		// n8n's own temp files (e.g. /tmp/n8nDataTableUploads) stay inside the user folder.
		TMPDIR: path.join(userFolder, '.tmp'),
		...n8n.env,
		...extra,
	});
	return env;
}

/**
 * Parses the output of `n8n execute --rawOutput`. On success n8n prints the run's JSON (after
 * any log lines); on failure it prints "Execution error:" followed by the JSON (and exits 1).
 * Returns the parsed object or undefined.
 */
export function parseExecuteOutput(stdout) {
	const candidates = [];
	// After each "Execution error:" marker (n8n prints it twice: once before the JSON, once
	// before the plain message and stack).
	for (
		let at = stdout.indexOf('Execution error:');
		at !== -1;
		at = stdout.indexOf('Execution error:', at + 1)
	) {
		candidates.push(stdout.indexOf('{', at));
	}
	// A pretty-printed JSON document starts with a line that is just "{".
	let offset = 0;
	for (const line of stdout.split('\n')) {
		if (line.trimEnd() === '{') candidates.push(offset);
		offset += line.length + 1;
	}
	let fallback;
	for (const start of candidates) {
		if (start < 0) continue;
		const parsed = parseJsonPrefix(stdout.slice(start));
		if (parsed === undefined) continue;
		if (parsed?.data?.resultData) return parsed;
		fallback ??= parsed;
	}
	return fallback;
}

/** Parses the first complete JSON value at the start of `text` (trailing text ignored). */
function parseJsonPrefix(text) {
	let depth = 0;
	let inString = false;
	let escaped = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (inString) {
			if (escaped) escaped = false;
			else if (c === '\\') escaped = true;
			else if (c === '"') inString = false;
			continue;
		}
		if (c === '"') inString = true;
		else if (c === '{' || c === '[') depth++;
		else if (c === '}' || c === ']') {
			depth--;
			if (depth === 0) {
				try {
					return JSON.parse(text.slice(0, i + 1));
				} catch {
					return undefined;
				}
			}
		}
	}
	return undefined;
}

/**
 * One n8n user folder (a fresh temp folder unless `userFolder` is given) with our package
 * installed: import credentials and workflows, execute workflows. Close it to delete a temp
 * folder.
 */
export async function openSession({
	version = N8N_V2,
	installOurPackage = true,
	userFolder: givenFolder,
	keepUserFolder = givenFolder !== undefined,
	env = {},
} = {}) {
	const n8n = await ensureN8n(version);
	let userFolder = givenFolder;
	if (userFolder) await fsp.mkdir(userFolder, { recursive: true });
	else userFolder = await fsp.mkdtemp(path.join(os.tmpdir(), `sonarly-n8n-${version}-`));
	await fsp.mkdir(path.join(userFolder, '.tmp'), { recursive: true });
	if (installOurPackage) await installPackage(userFolder);
	let counter = 0;

	async function cli(args, { timeoutMs = DEFAULT_RUN_TIMEOUT_MS } = {}) {
		const processEnv = n8nEnv(n8n, userFolder, {
			brokerPort: await freePort(),
			port: await freePort(),
			extra: env,
		});
		return run(n8n.node.bin, [n8n.bin, ...args], { cwd: userFolder, env: processEnv, timeoutMs });
	}

	async function importFile(kind, data) {
		const file = path.join(userFolder, `import-${kind}-${++counter}.json`);
		await fsp.writeFile(file, JSON.stringify(data, null, 2));
		const result = await cli([`import:${kind}`, `--input=${file}`]);
		if (result.code !== 0) {
			throw new Error(
				`n8n import:${kind} failed (exit ${result.code}):\n${result.stdout}\n${result.stderr}`,
			);
		}
		return result;
	}

	return {
		n8n,
		version,
		userFolder,
		cli,
		/** Imports credentials: [{ id, name, type, data: { ...plain fields } }] (n8n encrypts them). */
		importCredentials: (credentials) => importFile('credentials', [credentials].flat()),
		/** Imports one workflow or an array of them (each needs an `id` to execute it later). */
		importWorkflows: (workflows) => importFile('workflow', [workflows].flat()),
		/**
		 * The node types this n8n knows, with our package loaded (`n8n export:nodes`): a Map from
		 * type name to the list of type versions it offers.
		 */
		async nodeTypes() {
			const file = path.join(userFolder, `node-types-${++counter}.json`);
			const result = await cli(['export:nodes', `--output=${file}`]);
			if (result.code !== 0)
				throw new Error(`n8n export:nodes failed (exit ${result.code}):\n${result.stdout}`);
			const types = JSON.parse(await fsp.readFile(file, 'utf8'));
			const known = new Map();
			for (const type of types) {
				known.set(type.name, [...(known.get(type.name) ?? []), ...[type.version].flat()]);
			}
			return known;
		},
		/** Runs `n8n execute --id=<id> --rawOutput` and returns the parsed result. */
		async execute(workflowId, { timeoutMs = DEFAULT_RUN_TIMEOUT_MS } = {}) {
			const result = await cli(['execute', `--id=${workflowId}`, '--rawOutput'], { timeoutMs });
			return describeExecution(result);
		},
		async close() {
			if (!keepUserFolder) await fsp.rm(userFolder, { recursive: true, force: true });
		},
	};
}

/** Turns a finished `n8n execute` process into { ok, exitCode, runData, error, ... }. */
export function describeExecution(result) {
	const parsed = parseExecuteOutput(result.stdout);
	const resultData = parsed?.data?.resultData ?? parsed?.resultData;
	const runData = resultData?.runData;
	const error = resultData?.error ?? (parsed && !runData ? parsed : undefined);
	return {
		ok: result.code === 0 && !result.timedOut && !error && runData !== undefined,
		exitCode: result.code,
		timedOut: result.timedOut,
		ms: result.ms,
		runData: runData ?? {},
		error,
		lastNodeExecuted: resultData?.lastNodeExecuted,
		execution: parsed,
		stdout: result.stdout,
		stderr: result.stderr,
	};
}

/**
 * Imports the credentials and the workflow into a fresh user folder, executes it and returns
 * { ok, exitCode, runData, error, ms, ... }. The workflow gets an id if it has none.
 */
export async function runWorkflow({
	version = N8N_V2,
	workflow,
	credentials = [],
	timeoutMs,
	env,
} = {}) {
	const session = await openSession({ version, env });
	try {
		if ([credentials].flat().length > 0) await session.importCredentials(credentials);
		const wf = { ...workflow, id: workflow.id ?? 'sonarlyE2eWf0001' };
		await session.importWorkflows(wf);
		return await session.execute(wf.id, { timeoutMs });
	} finally {
		await session.close();
	}
}

/**
 * Starts `n8n start` (the editor and its REST API) on 127.0.0.1 for a session's user folder
 * and resolves once its REST API answers. Returns { url, port, child, stop(), output() }.
 * `echo` mirrors n8n's log to this process's stderr. `command`/`args` run another n8n command
 * (e.g. `worker --concurrency=5`); `ready({ url, output })` then says when it is up.
 */
export async function startN8nServer(
	session,
	{ port, echo = false, timeoutMs = 180_000, env = {}, command = 'start', args = [], ready } = {},
) {
	const chosenPort = port ?? (await freePort());
	const processEnv = n8nEnv(session.n8n, session.userFolder, {
		brokerPort: await freePort(),
		port: chosenPort,
		extra: { N8N_EDITOR_BASE_URL: `http://127.0.0.1:${chosenPort}/`, ...env },
	});
	const child = spawn(session.n8n.node.bin, [session.n8n.bin, command, ...args], {
		cwd: session.userFolder,
		env: processEnv,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	liveGroups.add(child.pid);
	const chunks = [];
	const collect = (chunk) => {
		chunks.push(chunk);
		if (echo) process.stderr.write(chunk);
	};
	child.stdout.on('data', collect);
	child.stderr.on('data', collect);
	let exited = false;
	const exitPromise = new Promise((resolve) =>
		child.on('close', (code, signal) => {
			exited = true;
			killGroup(child.pid, 'SIGKILL');
			liveGroups.delete(child.pid);
			resolve({ code, signal });
		}),
	);
	const url = `http://127.0.0.1:${chosenPort}`;
	const stop = async () => {
		if (!exited) {
			killGroup(child.pid, 'SIGTERM');
			const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 10_000);
			await exitPromise;
			clearTimeout(timer);
		}
	};
	const output = () => Buffer.concat(chunks).toString('utf8');
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (exited)
			throw new Error(`n8n start exited early:\n${output().split('\n').slice(-40).join('\n')}`);
		if (ready) {
			// Another command (e.g. `n8n worker`): the caller says when it is ready.
			if (await ready({ url, output: output() })) break;
		} else try {
			// /healthz answers before the REST routes exist, and until they do every path answers
			// 200 "n8n is starting up" as HTML; /rest/settings (public) answers JSON once ready.
			const response = await fetch(`${url}/rest/settings`, { signal: AbortSignal.timeout(5000) });
			const type = response.headers.get('content-type') ?? '';
			await response.arrayBuffer();
			if (response.ok && type.includes('application/json')) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(
				`n8n start did not become healthy within ${timeoutMs} ms:\n${output().slice(-4000)}`,
			);
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	return { url, port: chosenPort, child, stop, output, exited: exitPromise };
}

/**
 * Creates the instance owner of a fresh n8n started with startN8nServer and logs in. Returns
 * a `rest(method, path, body)` helper that sends the session cookie (also as `rest.cookie`).
 */
export async function ownerLogin(server, owner) {
	const post = (pathname, body, headers = {}) =>
		fetch(`${server.url}${pathname}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...headers },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(30_000),
		});
	const setup = await post('/rest/owner/setup', owner);
	if (!setup.ok) throw new Error(`owner setup answered ${setup.status}: ${await setup.text()}`);
	let login = await post('/rest/login', {
		emailOrLdapLoginId: owner.email,
		password: owner.password,
	});
	if (login.status === 400)
		login = await post('/rest/login', { email: owner.email, password: owner.password });
	if (!login.ok) throw new Error(`login answered ${login.status}: ${await login.text()}`);
	const cookie = login.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.join('; ');
	async function rest(method, pathname, body) {
		const response = await fetch(`${server.url}/rest${pathname}`, {
			method,
			headers: { 'content-type': 'application/json', cookie, 'browser-id': 'sonarly-e2e' },
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(60_000),
		});
		const text = await response.text();
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: response.status, json, text };
	}
	// For what the editor loads outside /rest (e.g. /types/nodes.json).
	rest.cookie = cookie;
	return rest;
}

// ---------------------------------------------------------------------------------------------
// The sandbox

/** The Sonarly sandbox module of this repo: { startSandbox, DEFAULT_KEYS, SEED }. */
export function sandboxModule() {
	const require = createRequire(import.meta.url);
	return require(path.join(REPO_ROOT, 'sandbox', 'server.js'));
}

// ---------------------------------------------------------------------------------------------
// Reading run data

/** The runs of a node (one per time it executed). */
export function nodeRuns(runData, nodeName) {
	return runData?.[nodeName] ?? [];
}

/** The items' json a node put on output `outputIndex` (0 = success, 1 = error branch). */
export function outputItems(runData, nodeName, outputIndex = 0, runIndex = 0) {
	const runs = nodeRuns(runData, nodeName);
	const items = runs[runIndex]?.data?.main?.[outputIndex] ?? [];
	return (items ?? []).map((item) => item.json);
}

/** The full items (json, pairedItem, error, ...) a node put on output `outputIndex`. */
export function outputRawItems(runData, nodeName, outputIndex = 0, runIndex = 0) {
	return nodeRuns(runData, nodeName)[runIndex]?.data?.main?.[outputIndex] ?? [];
}

/** The error a node's run recorded, if any (e.g. under "Stop Workflow"). */
export function nodeError(runData, nodeName, runIndex = 0) {
	return nodeRuns(runData, nodeName)[runIndex]?.error;
}

// ---------------------------------------------------------------------------------------------
// Building workflows

export const CREDENTIAL_ID = 'sonarlyAccount01';

/** A Sonarly credential for import (plain data; n8n encrypts it on import). */
export function sonarlyCredential({ id = CREDENTIAL_ID, name = CREDENTIAL_NAME, apiKey, baseUrl }) {
	return { id, name, type: CREDENTIAL_TYPE, data: { apiKey, baseUrl } };
}

/** A resource-locator value by id (the value may be an expression). */
export function byId(value) {
	return { __rl: true, mode: 'id', value };
}

let nodeCounter = 0;
function nodeId() {
	nodeCounter += 1;
	return `00000000-0000-4000-8000-${String(nodeCounter).padStart(12, '0')}`;
}

export function manualTrigger(name = 'Start', position = [0, 0]) {
	return {
		id: nodeId(),
		name,
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position,
		parameters: {},
	};
}

/** A Code node ("Run Once for All Items") that returns `items` (plain json objects). */
export function codeNode(name, items, position = [220, 0]) {
	return {
		id: nodeId(),
		name,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position,
		parameters: {
			jsCode: `return ${JSON.stringify(
				items.map((json) => ({ json })),
				null,
				2,
			)};`,
		},
	};
}

export function noOp(name, position = [660, 0]) {
	return {
		id: nodeId(),
		name,
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position,
		parameters: {},
	};
}

/** A Sonarly campaign node: Stop unless `operation` says otherwise (e.g. 'start'). */
export function sonarlyStop(
	name,
	{
		accountGroupId = '={{ $json.accountGroupId }}',
		campaignId = '={{ $json.campaignId }}',
		onError,
		credentialId = CREDENTIAL_ID,
		credentialName = CREDENTIAL_NAME,
		options = { timeout: 30000 },
		position = [440, 0],
		operation = 'stop',
		settings = {},
	} = {},
) {
	const node = {
		id: nodeId(),
		name,
		type: NODE_TYPE,
		typeVersion: 1,
		position,
		parameters: {
			resource: 'campaign',
			operation,
			accountGroupId: byId(accountGroupId),
			campaignId: byId(campaignId),
			options,
		},
		credentials: { [CREDENTIAL_TYPE]: { id: credentialId, name: credentialName } },
		// Node settings such as retryOnFail, maxTries, waitBetweenTries.
		...settings,
	};
	if (onError) node.onError = onError;
	return node;
}

/**
 * Chains nodes into a workflow. `links` are [from, to, fromOutput = 0] triples; without
 * links, the nodes are chained in order on output 0.
 */
export function workflow({ id = 'sonarlyE2eWf0001', name = 'Sonarly e2e', nodes, links }) {
	const connections = {};
	const pairs = links ?? nodes.slice(1).map((node, i) => [nodes[i].name, node.name, 0]);
	for (const [from, to, output = 0] of pairs) {
		connections[from] ??= { main: [] };
		while (connections[from].main.length <= output) connections[from].main.push([]);
		connections[from].main[output].push({ node: to, type: 'main', index: 0 });
	}
	return {
		id,
		name,
		active: false,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** Checks that a node type exists in a run's output/errors (no "unrecognized node type"). */
export function unrecognizedNodeType(result) {
	const text = `${JSON.stringify(result.error ?? '')}\n${result.stdout}\n${result.stderr}`;
	const match = /Unrecognized node type: ([^\s"\\]+)/i.exec(text);
	return match ? match[1] : undefined;
}

// ---------------------------------------------------------------------------------------------
// AI agents (see test/e2e/agent.test.mjs and test/e2e/scripted-model.mjs)

export const OPENAI_CREDENTIAL_TYPE = 'openAiApi';
/** The OpenAI credential the shipped agent example references. */
export const OPENAI_CREDENTIAL_ID = 'openAiAccount001';
export const OPENAI_CREDENTIAL_NAME = 'OpenAI account';

/** An OpenAI credential whose Base URL points at a (scripted) OpenAI-compatible server. */
export function openAiCredential({
	id = OPENAI_CREDENTIAL_ID,
	name = OPENAI_CREDENTIAL_NAME,
	url,
	apiKey = 'sk-scripted-model-not-a-real-key',
}) {
	return { id, name, type: OPENAI_CREDENTIAL_TYPE, data: { apiKey, url } };
}

/** The tool name n8n gives a tool node: its name with runs of other characters replaced by "_". */
export function toolName(nodeName) {
	return nodeName
		.replace(/[^a-zA-Z0-9_-]+/g, '_')
		.slice(0, 64)
		.replace(/[_-]+$/, '');
}

/** A Sonarly tool node (`n8n-nodes-sonarly.sonarlyTool`) with the given parameters. */
export function sonarlyTool(
	name,
	parameters,
	{ onError, position = [440, 240], credentialId = CREDENTIAL_ID } = {},
) {
	const node = {
		id: nodeId(),
		name,
		type: TOOL_NODE_TYPE,
		typeVersion: 1,
		position,
		parameters,
		credentials: { [CREDENTIAL_TYPE]: { id: credentialId, name: CREDENTIAL_NAME } },
	};
	if (onError) node.onError = onError;
	return node;
}

/**
 * Manual Trigger → "Chat input" (a Code node giving `chatInput`) → "AI Agent" (V3) with n8n's
 * OpenAI Chat Model (typeVersion 1.2, the credential from openAiCredential) and the given
 * tool nodes. `n8n execute` runs it headless.
 */
export function agentWorkflow({ id, prompt, tools, systemMessage, agentOnError }) {
	const trigger = manualTrigger('Start', [-440, 0]);
	const input = codeNode(
		'Chat input',
		[{ chatInput: prompt, sessionId: 'sonarly-e2e' }],
		[-220, 0],
	);
	const agent = {
		id: nodeId(),
		name: 'AI Agent',
		type: '@n8n/n8n-nodes-langchain.agent',
		typeVersion: 3,
		position: [0, 0],
		parameters: { options: systemMessage ? { systemMessage } : {} },
	};
	if (agentOnError) agent.onError = agentOnError;
	const model = {
		id: nodeId(),
		name: 'OpenAI Chat Model',
		type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
		typeVersion: 1.2,
		position: [-120, 240],
		parameters: { model: { __rl: true, mode: 'list', value: 'gpt-4o-mini' }, options: {} },
		credentials: {
			[OPENAI_CREDENTIAL_TYPE]: { id: OPENAI_CREDENTIAL_ID, name: OPENAI_CREDENTIAL_NAME },
		},
	};
	const wf = workflow({
		id,
		name: 'Sonarly agent e2e',
		nodes: [trigger, input, agent, model, ...tools],
		links: [
			[trigger.name, input.name],
			[input.name, agent.name],
		],
	});
	wf.connections[model.name] = {
		ai_languageModel: [[{ node: agent.name, type: 'ai_languageModel', index: 0 }]],
	};
	for (const tool of tools)
		wf.connections[tool.name] = { ai_tool: [[{ node: agent.name, type: 'ai_tool', index: 0 }]] };
	return wf;
}

/**
 * Manual Trigger → "Tool Executor" (`@n8n/n8n-nodes-langchain.toolExecutor`, no model) running
 * one connected tool node with `args` (the tool's $fromAI() arguments). Its Query is the
 * arguments keyed by tool name on n8n 2.x, and the arguments themselves on 1.x.
 */
export function toolExecutorWorkflow({ id, tool, args, version = N8N_V2 }) {
	const query = version.startsWith('1.') ? args : { [toolName(tool.name)]: args };
	const trigger = manualTrigger('Start', [-220, 0]);
	const executor = {
		id: nodeId(),
		name: 'Tool Executor',
		type: '@n8n/n8n-nodes-langchain.toolExecutor',
		typeVersion: 1,
		position: [0, 0],
		parameters: { query: JSON.stringify(query), toolName: '' },
	};
	const wf = workflow({
		id,
		name: 'Sonarly tool executor e2e',
		nodes: [trigger, executor, tool],
		links: [[trigger.name, executor.name]],
	});
	wf.connections[tool.name] = { ai_tool: [[{ node: executor.name, type: 'ai_tool', index: 0 }]] };
	return wf;
}

/** The chat message item a Chat Trigger outputs, as n8n's chat panel sends it. */
function chatTriggerData(sessionId, chatInput) {
	return {
		startTime: Date.now(),
		executionTime: 0,
		executionIndex: 0,
		executionStatus: 'success',
		source: [],
		data: { main: [[{ json: { sessionId, action: 'sendMessage', chatInput } }]] },
	};
}

/**
 * Runs a workflow that starts with a Chat Trigger the way the editor's chat panel does: imports
 * `file` as it is (`n8n import:workflow --input=<file>`), starts `n8n start`, logs in as the
 * owner and, for each message, runs the workflow manually from the trigger with that chat
 * message (`POST /rest/workflows/<id>/run` with `triggerToStartFrom`), then waits for the
 * execution to finish. The session's credentials must be imported first.
 *
 * Resolves [{ executionId, status, runData, output, execution, error, ms }] (one per message;
 * `output` is the json.output of `outputNode`, e.g. the agent's answer, or of the node that ran
 * last). n8n is stopped at the end in every case.
 */
export async function runChatWorkflow(
	session,
	{
		file,
		workflowId,
		triggerName,
		messages,
		outputNode,
		sessionId = 'sonarly-e2e-chat',
		timeoutMs = 180_000,
	},
) {
	const imported = await session.cli(['import:workflow', `--input=${file}`]);
	if (imported.code !== 0)
		throw new Error(`n8n import:workflow failed:\n${imported.stdout}\n${imported.stderr}`);
	const require = createRequire(path.join(session.n8n.dir, 'package.json'));
	const flatted = require('flatted');
	const server = await startN8nServer(session);
	try {
		const rest = await ownerLogin(server, {
			email: 'agent-e2e@example.com',
			firstName: 'Sonarly',
			lastName: 'Agent',
			password: 'Sonarly-agent-1',
		});
		const stored = await rest('GET', `/workflows/${workflowId}`);
		if (stored.status !== 200)
			throw new Error(`GET workflow answered ${stored.status}: ${stored.text}`);
		const workflowData = stored.json.data;
		const runs = [];
		for (const chatInput of messages) {
			const started = Date.now();
			// n8n 2.x reads the stored workflow; 1.x takes it from the body.
			const response = await rest('POST', `/workflows/${workflowId}/run`, {
				workflowData,
				triggerToStartFrom: { name: triggerName, data: chatTriggerData(sessionId, chatInput) },
			});
			const executionId = response.json?.data?.executionId;
			if (!executionId) throw new Error(`run answered ${response.status}: ${response.text}`);
			// Wait until the execution has finished and its run data is saved: n8n 1.x can report
			// the final status a moment before the data is readable.
			let execution;
			let data;
			let resets = 0;
			for (;;) {
				let polled;
				try {
					polled = await rest('GET', `/executions/${executionId}`);
				} catch (error) {
					// A dropped connection on a loaded machine is retried; n8n exiting is not.
					if (server.child.exitCode !== null || server.child.signalCode !== null || ++resets > 5)
						throw new Error(
							`polling execution ${executionId} failed (${error.cause?.code ?? error.message}); n8n's log ends:\n${server.output().slice(-4000)}`,
						);
					await new Promise((r) => setTimeout(r, 1000));
					continue;
				}
				execution = polled.json?.data;
				const done =
					execution?.stoppedAt && !['new', 'running', 'waiting'].includes(execution.status);
				if (done) {
					data =
						typeof execution.data === 'string' ? flatted.parse(execution.data) : execution.data;
					if (data?.resultData?.lastNodeExecuted || data?.resultData?.error) break;
				}
				if (Date.now() - started > timeoutMs)
					throw new Error(`execution ${executionId} did not finish within ${timeoutMs} ms`);
				await new Promise((r) => setTimeout(r, 500));
			}
			const resultData = data?.resultData ?? {};
			const runData = resultData.runData ?? {};
			const last = resultData.lastNodeExecuted;
			runs.push({
				executionId,
				status: execution.status,
				runData,
				lastNodeExecuted: last,
				output: outputItems(runData, outputNode ?? last, 0).at(-1)?.output,
				error: resultData.error,
				execution: data,
				ms: Date.now() - started,
			});
		}
		return runs;
	} finally {
		await server.stop();
	}
}
