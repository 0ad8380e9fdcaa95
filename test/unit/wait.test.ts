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

/**
 * The execution's cancel signal, counting the abort listeners still attached to it (what
 * `events.getEventListeners(signal, 'abort')` lists; the lint rules keep node's own modules out
 * of this file).
 */
function countedSignal() {
	const controller = new AbortController();
	const { signal } = controller;
	const attached = new Set<unknown>();
	const add = signal.addEventListener.bind(signal);
	const remove = signal.removeEventListener.bind(signal);
	signal.addEventListener = ((type: string, listener: unknown, options?: unknown) => {
		if (type === 'abort') attached.add(listener);
		(add as (...args: unknown[]) => void)(type, listener, options);
	}) as typeof signal.addEventListener;
	signal.removeEventListener = ((type: string, listener: unknown, options?: unknown) => {
		if (type === 'abort') attached.delete(listener);
		(remove as (...args: unknown[]) => void)(type, listener, options);
	}) as typeof signal.removeEventListener;
	return { controller, signal, attached: () => attached.size };
}

/**
 * n8n-workflow 2.34.0 to 2.35.0's `sleep(ms, signal)` (from @n8n/utils 1.42.0 and 1.43.0): it ends
 * when the signal fires, but its abort listener stays on the signal after the time passed.
 * Built here from 2.x's current sleep, which removes its own.
 */
async function sleepOfN8n234(ms: number, signal?: AbortSignal): Promise<void> {
	const { sleep } = jest.requireActual<typeof import('n8n-workflow')>('n8n-workflow');
	if (signal?.aborted) throw new Error('Aborted');
	const own = new AbortController();
	signal?.addEventListener('abort', () => own.abort(), { once: true });
	await sleep(ms, own.signal);
}

const SLEEPS = {
	'n8n 2.x as installed': () => jest.requireActual('n8n-workflow'),
	'n8n 1.x': () => jest.requireActual('n8n-workflow-v1'),
	'n8n-workflow 2.34.0 to 2.35.0 (their sleep never removes its listener)': () => ({
		...jest.requireActual('n8n-workflow'),
		sleep: sleepOfN8n234,
	}),
} as const;

describe.each(Object.entries(SLEEPS))('the execution\'s cancel signal with the sleep of %s', (_line, workflow) => {
	let waitFor: typeof import('../../nodes/Sonarly/transport/pacing').waitFor;

	beforeEach(async () => {
		jest.useFakeTimers();
		jest.resetModules();
		jest.doMock('n8n-workflow', workflow);
		({ waitFor } = await import('../../nodes/Sonarly/transport/pacing'));
	});

	afterEach(() => {
		jest.useRealTimers();
		jest.dontMock('n8n-workflow');
	});

	it('a 60 s wait holds at most one abort listener on it, and leaves none behind', async () => {
		const { signal, attached } = countedSignal();
		const waited = waitFor(60_000, signal);
		const during: number[] = [];
		for (let at = 0; at < 60_000; at += 5_000) {
			await jest.advanceTimersByTimeAsync(5_000);
			during.push(attached());
		}
		await expect(waited).resolves.toBe(true);
		expect(Math.max(...during)).toBeLessThanOrEqual(1);
		expect(attached()).toBe(0);
	});

	it('a thousand short waits in a row leave none behind', async () => {
		const { signal, attached } = countedSignal();
		for (let i = 0; i < 1000; i++) {
			const waited = waitFor(100, signal);
			await jest.advanceTimersByTimeAsync(100);
			await expect(waited).resolves.toBe(true);
		}
		expect(attached()).toBe(0);
	});

	it('a cancelled wait ends at once and leaves no timer running for long', async () => {
		const controller = new AbortController();
		const waited = waitFor(60_000, controller.signal);
		await jest.advanceTimersByTimeAsync(10_000);
		controller.abort();
		await expect(waited).resolves.toBe(false);
		await jest.advanceTimersByTimeAsync(1_000);
		expect(jest.getTimerCount()).toBe(0);
	});
});
