// waitFor (transport/pacing.ts) with the `sleep` of each n8n line. n8n 1.x's sleep ignores
// the cancel signal, so a cancelled wait must not leave a long timer behind there: a worker
// would keep it (and what it holds) for the whole Retry-After, up to ten minutes.
const LINES = { 'n8n 2.x': 'n8n-workflow', 'n8n 1.x': 'n8n-workflow-v1' } as const;

describe.each(Object.entries(LINES))('waitFor with the sleep of %s', (_line, workflowPackage) => {
	let waitFor: typeof import('../../nodes/Sonarly/transport/pacing').waitFor;

	beforeEach(async () => {
		jest.useFakeTimers();
		jest.resetModules();
		jest.doMock('n8n-workflow', () => jest.requireActual(workflowPackage));
		({ waitFor } = await import('../../nodes/Sonarly/transport/pacing'));
	});

	afterEach(() => {
		jest.useRealTimers();
		jest.dontMock('n8n-workflow');
	});

	it('resolves true once the whole wait has passed', async () => {
		const waited = waitFor(60_000);
		await jest.advanceTimersByTimeAsync(59_999);
		let done = false;
		void waited.then(() => (done = true));
		await jest.advanceTimersByTimeAsync(0);
		expect(done).toBe(false);
		await jest.advanceTimersByTimeAsync(1);
		await expect(waited).resolves.toBe(true);
	});

	it('resolves false at once when cancelled, and leaves no timer running for long', async () => {
		const controller = new AbortController();
		const waited = waitFor(60_000, controller.signal);
		await jest.advanceTimersByTimeAsync(10_000);
		controller.abort();
		await expect(waited).resolves.toBe(false);
		await jest.advanceTimersByTimeAsync(1_000);
		expect(jest.getTimerCount()).toBe(0);
	});

	it('resolves false without waiting when already cancelled', async () => {
		const controller = new AbortController();
		controller.abort();
		await expect(waitFor(60_000, controller.signal)).resolves.toBe(false);
		expect(jest.getTimerCount()).toBe(0);
	});
});
