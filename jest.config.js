/**
 * `npm test` runs three projects: the pure functions once ("unit"), and the tests that go
 * through n8n's real engine twice, on n8n 2.x (n8n-core / n8n-workflow as installed) and on
 * the last 1.x line (the same imports mapped to the n8n-core-v1 / n8n-workflow-v1 aliases),
 * because error routing, pairedItem and Retry On Fail differ between the engines.
 * `npm run test:soak` runs the 10,000-item volume run on both lines; `npm run test:timing` the
 * tests that wait for real (job polling at 5 s and 7.5 s, a trigger poll's 6 s and 15 s bounds).
 */
const base = {
	// Engine tests are real executions: on a loaded 2-core CI machine one can pass 5 s.
	testTimeout: 30_000,
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	transform: { '^.+\\.ts$': '<rootDir>/test/setup/transform-ts.js' },
	setupFiles: ['<rootDir>/test/setup/quiet-n8n.js'],
	// Pacing is process-wide (transport/pacing.ts): each test starts without what an earlier
	// test of the file taught it.
	setupFilesAfterEnv: ['<rootDir>/test/setup/reset-pacing.ts'],
};

const v1 = {
	moduleNameMapper: {
		'^n8n-workflow$': '<rootDir>/node_modules/n8n-workflow-v1',
		'^n8n-core$': '<rootDir>/node_modules/n8n-core-v1',
	},
	setupFilesAfterEnv: ['<rootDir>/test/setup/release-n8n-timers.js', '<rootDir>/test/setup/reset-pacing.ts'],
};

const engineTests = ['<rootDir>/test/*.test.ts'];
const soakTests = ['<rootDir>/test/soak/*.test.ts'];
/** Real waits of the node's own timing (job polling, a trigger poll's bounds): mostly sleeping, run once. */
const timingTests = ['<rootDir>/test/timing/*.test.ts'];

module.exports = {
	// Two workers on a 2-core machine. Every engine test file loads its own copy of n8n-core,
	// and a worker does not give all of it back: one holding more than this after a file is
	// replaced (about 9 workers for the 27 files), which keeps the run near 1.1 GiB.
	maxWorkers: 2,
	workerIdleMemoryLimit: '200MB',
	projects: [
		{ ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/*.test.ts'] },
		{ ...base, displayName: 'n8n 2.x', testMatch: engineTests },
		{ ...base, ...v1, displayName: 'n8n 1.x', testMatch: engineTests },
		{ ...base, displayName: 'timing', testMatch: timingTests },
		{ ...base, displayName: 'soak 2.x', testMatch: soakTests, testTimeout: 600_000 },
		{ ...base, ...v1, displayName: 'soak 1.x', testMatch: soakTests, testTimeout: 600_000 },
	],
};
