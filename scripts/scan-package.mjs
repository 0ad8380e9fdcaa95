#!/usr/bin/env node
// n8n's community-package scanner, run locally: the static-analysis stage of
// `npx @n8n/scan-community-package n8n-nodes-sonarly`, which n8n runs before it verifies a
// package. The real gate first checks npm provenance and downloads the published tarball
// and the attested GitHub source; those steps need the public registry, so this runs the
// same `analyzePackage` on what they would fetch:
//   1. the source tree, with the scanner's source patterns (nodes/, credentials/, package.json);
//   2. the tarball `npm pack` makes from a fresh build, unpacked, with the scanner's tarball
//      patterns (compiled .js and package.json);
// and checks that the tarball holds what package.json's `n8n` block points at.
// Exits non-zero on any error. Run it through `npm run scan` (Node 24 on PATH).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

import {
	SOURCE_FILE_PATTERNS,
	analyzePackage,
	buildScanConfig,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const scannerRequire = createRequire(
	createRequire(import.meta.url).resolve('@n8n/scan-community-package/package.json'),
);
// The scanner makes a temporary folder for downloads when it is loaded; remove it on exit.
scannerRequire('tmp').setGracefulCleanup();
const TARBALL_PATTERNS = ['**/*.js', 'package.json'];
/** Never copied into the build folder: installed, generated or not part of the package. */
const NOT_COPIED = new Set(['node_modules', 'dist', '.git', 'coverage', '.tools']);

let failed = false;
const fail = (message, details) => {
	failed = true;
	console.error(`scan: FAIL ${message}`);
	if (details) console.error(details.trimEnd());
};

function run(command, args, cwd) {
	const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
	if (result.status !== 0) {
		throw new Error(
			`${command} ${args.join(' ')} failed (exit ${result.status}):\n${result.stdout ?? ''}${result.stderr ?? ''}`,
		);
	}
	return result.stdout;
}

/** Warnings do not fail n8n's gate, but this project allows none: count them with its config. */
async function countWarnings(dir, patterns) {
	const { ESLint } = await import(pathToFileURL(scannerRequire.resolve('eslint')).href);
	const eslint = new ESLint({
		cwd: dir,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: await buildScanConfig(),
		errorOnUnmatchedPattern: false,
		ignorePatterns: ['node_modules/**', '**/package-lock.json'],
	});
	const results = await eslint.lintFiles(patterns);
	const withWarnings = results.filter((result) => result.warningCount > 0);
	const count = withWarnings.reduce((sum, result) => sum + result.warningCount, 0);
	const formatter = await eslint.loadFormatter('stylish');
	return {
		count,
		files: results.length,
		details: count ? await formatter.format(withWarnings) : '',
	};
}

async function scan(label, dir, patterns) {
	const result = await analyzePackage(dir, patterns);
	const warnings = await countWarnings(dir, patterns);
	if (!result.passed) {
		fail(`${label}: ${result.message}`, result.details);
		return;
	}
	if (warnings.count > 0) {
		fail(`${label}: ${warnings.count} warning(s)`, warnings.details);
		return;
	}
	console.log(`scan: ${label}: passed (${warnings.files} files, 0 errors, 0 warnings)`);
}

function copyTree(from, to) {
	fs.mkdirSync(to, { recursive: true });
	for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
		if (
			NOT_COPIED.has(entry.name) ||
			entry.name.endsWith('.tgz') ||
			entry.name.endsWith('.tsbuildinfo')
		)
			continue;
		const source = path.join(from, entry.name);
		const target = path.join(to, entry.name);
		if (entry.isDirectory()) copyTree(source, target);
		else if (entry.isFile()) fs.copyFileSync(source, target);
	}
}

/** Builds and packs a copy of the tree, so the shared dist/ is never rebuilt under anyone's feet. */
function packFreshTarball(work) {
	const copy = path.join(work, 'tree');
	copyTree(root, copy);
	fs.symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
	run('n8n-node', ['build'], copy);
	const packed = JSON.parse(
		run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], copy),
	);
	const tarball = path.join(work, packed[0].filename);
	const unpacked = path.join(work, 'package');
	fs.mkdirSync(unpacked);
	run('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1'], work);
	return {
		tarball: path.basename(tarball),
		unpacked,
		files: packed[0].files.map((file) => file.path),
	};
}

/** What n8n loads from the package must be in it. */
function checkContents(unpacked, files) {
	const manifest = JSON.parse(fs.readFileSync(path.join(unpacked, 'package.json'), 'utf8'));
	const required = [
		...(manifest.n8n?.nodes ?? []),
		...(manifest.n8n?.credentials ?? []),
		'dist/nodes/Sonarly/Sonarly.node.json',
		'dist/nodes/Sonarly/__schema__/v1.0.0/campaign/stop.json',
		'LICENSE',
		'README.md',
	];
	const missing = required.filter((file) => !files.includes(file));
	if (missing.length > 0) fail(`tarball is missing ${missing.join(', ')}`);
	const unexpected = files.filter(
		(file) => /(^|\/)(test|sandbox|scripts|examples)\//.test(file) || /\.test\.[jt]s$/.test(file),
	);
	if (unexpected.length > 0)
		fail(`tarball ships files n8n does not need: ${unexpected.slice(0, 10).join(', ')}`);
	const icons = files.filter((file) => file.endsWith('.svg'));
	if (icons.length === 0) fail('tarball has no icons');
	if (missing.length === 0 && unexpected.length === 0 && icons.length > 0) {
		console.log(
			`scan: tarball contents: ${files.length} files, n8n entry points, icons and output schema present`,
		);
	}
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sonarly-scan-'));
try {
	await scan('source tree', root, SOURCE_FILE_PATTERNS);
	const { tarball, unpacked, files } = packFreshTarball(work);
	checkContents(unpacked, files);
	await scan(`tarball ${tarball}`, unpacked, TARBALL_PATTERNS);
} catch (error) {
	fail(error instanceof Error ? error.message : String(error));
} finally {
	fs.rmSync(work, { recursive: true, force: true });
}

if (failed) {
	console.error(
		'scan: FAILED (provenance and the GitHub source download are checked by n8n only after publishing)',
	);
	process.exit(1);
}
console.log('scan: OK (static analysis stage; provenance is checked by n8n after publishing)');
