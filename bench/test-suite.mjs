// `npm run bench:tests [-- --runs N] [--cold]`: what `npm test` costs a contributor. Runs it
// N times (default 3) and prints, per run: wall time, the largest process's peak RSS (from
// `/usr/bin/time -v`, as the issue measures it), the peak RSS of all its processes together
// (sampled from /proc every 250 ms), the test count, and every output line that is not jest's
// own report (n8n logger output, "failed to exit gracefully", "Force exiting", …).
// --cold clears jest's cache before each run, as on the first run after a clone.
// Linux only (/proc, /usr/bin/time). Figures, never a pass/fail on time.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

import { rssMb } from '../test/e2e/queue.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
	options: { runs: { type: 'string', default: '3' }, cold: { type: 'boolean', default: false } },
});

/** Summed RSS (MiB) of `pid` and all its descendants, read from /proc. */
function treeRssMiB(pid) {
	let total = 0;
	const stack = [pid];
	while (stack.length > 0) {
		const current = stack.pop();
		total += rssMb(current) ?? 0;
		try {
			for (const task of fs.readdirSync(`/proc/${current}/task`)) {
				const children = fs.readFileSync(`/proc/${current}/task/${task}/children`, 'utf8');
				stack.push(...children.split(' ').filter(Boolean).map(Number));
			}
		} catch {
			// The process ended between two reads.
		}
	}
	return total;
}

/** jest's own report: the lines a clean run prints and nothing else. */
const REPORT_LINE = [
	/^$/,
	/^> /,
	/^Running \d+ projects:$/,
	/^- (unit|n8n [12]\.x)$/,
	/^PASS /,
	/^(Test Suites|Tests|Snapshots|Time):/,
	/^Ran all test suites/,
	/^with-node24: /,
];
const TIME_FIELD =
	/^\s*(Elapsed \(wall clock\) time|Maximum resident set size|Exit status|Command being timed|.*\(kbytes\)|.*\(seconds\)|.*page faults|.*context switches|Percent of CPU|Swaps|File system|Socket messages|Signals delivered|Page size)/;

async function runOnce() {
	if (args.cold)
		execFileSync('bash', ['scripts/with-node24.sh', 'jest', '--clearCache'], {
			cwd: root,
			stdio: 'ignore',
		});
	const started = Date.now();
	const child = spawn('/usr/bin/time', ['-v', 'npm', 'test'], {
		cwd: root,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (output += chunk));
	let peakTree = 0;
	const sampler = setInterval(() => (peakTree = Math.max(peakTree, treeRssMiB(child.pid))), 250);
	const code = await new Promise((resolve) => child.once('exit', resolve));
	clearInterval(sampler);
	const lines = output.split('\n').map((line) => line.replace(/\x1b\[[0-9;]*m/g, ''));
	return {
		exitCode: code,
		wallSeconds: (Date.now() - started) / 1000,
		largestProcessMiB:
			Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(output)?.[1] ?? 0) / 1024,
		allProcessesMiB: peakTree,
		tests: /^Tests:\s+(.*)$/m.exec(lines.join('\n'))?.[1]?.trim() ?? 'no summary',
		otherLines: lines.filter(
			(line) => !REPORT_LINE.some((re) => re.test(line)) && !TIME_FIELD.test(line),
		),
	};
}

const runs = Number(args.runs);
console.log(`npm test, ${runs} run(s)${args.cold ? ', jest cache cleared before each' : ''}`);
console.log('run | wall | largest process | all processes | tests | other output lines');
for (let run = 1; run <= runs; run++) {
	const result = await runOnce();
	console.log(
		`${run} | ${result.wallSeconds.toFixed(1)} s | ${result.largestProcessMiB.toFixed(0)} MiB | ` +
			`${result.allProcessesMiB.toFixed(0)} MiB | ${result.tests} | ${result.otherLines.length}`,
	);
	for (const line of result.otherLines.slice(0, 20)) console.log(`    ${line}`);
	if (result.exitCode !== 0) process.exitCode = 1;
}
