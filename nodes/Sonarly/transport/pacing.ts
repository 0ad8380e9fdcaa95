import { sleep } from 'n8n-workflow';

/** Longest single wait a timer can hold (setTimeout's limit is 2^31 - 1 ms). */
const MAX_SINGLE_WAIT_MS = 2 ** 31 - 1;

/**
 * Waits `ms`, or less if the execution is cancelled. n8n 2.x's `sleep` takes the signal;
 * 1.x ignores it, so the signal is raced here as well. Resolves true when the full wait
 * passed, false when it was cut short by cancellation.
 */
export async function waitFor(ms: number, signal?: AbortSignal): Promise<boolean> {
	if (signal?.aborted) return false;
	if (ms <= 0) return true;
	let stopWaiting = () => {};
	const cancelled = new Promise<void>((resolve) => {
		stopWaiting = resolve;
		signal?.addEventListener('abort', stopWaiting, { once: true });
	});
	// 2.x's sleep rejects when the signal fires: that is a cancellation, reported below.
	const slept = sleep(Math.min(ms, MAX_SINGLE_WAIT_MS), signal).then(
		() => true,
		() => false,
	);
	await Promise.race([slept, cancelled]);
	signal?.removeEventListener('abort', stopWaiting);
	return !signal?.aborted;
}

/**
 * One per execution of the node: when Sonarly tells any request to wait, no request of
 * this execution is sent before that moment.
 */
export class RateLimitGate {
	private resumeAt = 0;

	constructor(private readonly now: () => number = Date.now) {}

	/** Holds every request until `until` (epoch ms); an earlier moment never shortens a wait. */
	pauseUntil(until: number): void {
		this.resumeAt = Math.max(this.resumeAt, until);
	}

	/** Milliseconds a request must still wait before it may be sent. */
	remainingWait(): number {
		return Math.max(0, this.resumeAt - this.now());
	}

	/** The moment requests may flow again (epoch ms), 0 when they may flow now. */
	get openAt(): number {
		return this.resumeAt;
	}
}

/**
 * Exponential backoff with jitter for when Sonarly gives no Retry-After: 1 s, 2 s, 4 s, …
 * capped at 30 s, each drawn between half and the full step so parallel requests spread out.
 */
export function backoffMs(attempt: number, baseMs = 1000, capMs = 30_000, random = Math.random): number {
	const step = Math.min(capMs, baseMs * 2 ** attempt);
	return Math.round(step / 2 + random() * (step / 2));
}
