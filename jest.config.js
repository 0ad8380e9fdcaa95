/**
 * Every test runs twice: on n8n 2.x (n8n-core / n8n-workflow as installed) and on the last
 * 1.x line (the same imports mapped to the n8n-core-v1 / n8n-workflow-v1 aliases), because
 * error-output routing and pairedItem differ between the engines.
 */
const shared = {
	preset: 'ts-jest',
	// Engine tests are real executions: on a loaded 2-core CI machine one can pass 5 s.
	testTimeout: 30_000,
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// Pacing is process-wide: every test starts without what an earlier test taught it.
	setupFilesAfterEnv: ['<rootDir>/test/reset-pacing.setup.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'test/tsconfig.json' }] },
};

module.exports = {
	// n8n-core 1.x starts a 60 s interval (its SSH client cleanup) that it never releases.
	forceExit: true,
	projects: [
		{ ...shared, displayName: 'n8n 2.x' },
		{
			...shared,
			displayName: 'n8n 1.x',
			moduleNameMapper: {
				'^n8n-workflow$': '<rootDir>/node_modules/n8n-workflow-v1',
				'^n8n-core$': '<rootDir>/node_modules/n8n-core-v1',
			},
		},
	],
};
