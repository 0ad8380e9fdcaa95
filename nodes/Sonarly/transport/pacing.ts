import { sleep } from 'n8n-workflow';

/**
 * n8n 1.x's `sleep` ignores the cancel signal: a wait is slept in steps this long, so that
 * after a cancellation no timer (and nothing it holds) outlives the wait by more than this.
 */
const WAIT_STEP_MS = 500;

/**
 * Waits `ms`, or less if the execution is cancelled. Resolves true when the full wait passed,
 * false (at once) when it was cut short by cancellation.
 */
export async function waitFor(ms: number, signal?: AbortSignal): Promise<boolean> {
	if (signal?.aborted) return false;
	if (ms <= 0) return true;
	let stopWaiting = () => {};
	const cancelled = new Promise<false>((resolve) => {
		stopWaiting = () => resolve(false);
		signal?.addEventListener('abort', stopWaiting, { once: true });
	});
	const slept = sleepInSteps(ms, signal);
	const passed = await Promise.race([slept, cancelled]);
	signal?.removeEventListener('abort', stopWaiting);
	return passed && !signal?.aborted;
}

async function sleepInSteps(ms: number, signal?: AbortSignal): Promise<boolean> {
	const until = Date.now() + ms;
	for (let left = ms; left > 0; left = until - Date.now()) {
		if (signal?.aborted) return false;
		try {
			// 2.x's sleep takes the signal and rejects when it fires.
			await sleep(Math.min(left, WAIT_STEP_MS), signal);
		} catch {
			return false;
		}
	}
	return true;
}

/**
 * Exponential backoff with jitter for when Sonarly gives no Retry-After: 1 s, 2 s, 4 s, …
 * capped at 30 s, each drawn between half and the full step so parallel requests spread out.
 */
export function backoffMs(attempt: number, baseMs = 1000, capMs = 30_000, random = Math.random): number {
	const step = Math.min(capMs, baseMs * 2 ** attempt);
	return Math.round(step / 2 + random() * (step / 2));
}

// ---------------------------------------------------------------------------------------------
// Pacing
//
// A pacer decides when a request to one Sonarly account may be sent. The transport asks it for
// a slot before every send (`reserve`), waits until the slot's moment, checks the slot still
// holds (`stillValid`: no 429 arrived meanwhile), then reports the send and its answer.
//
// It is only an optimisation: Sonarly's own 429 and Retry-After stay the authority, and every
// request still handles a 429 itself. A pacer holds no campaign data, only times and counts.

/** A reserved moment to send at; only good while no new 429 arrived (same `epoch`). */
export interface PacingSlot {
	ok: true;
	/** Epoch ms at which the request may be sent. */
	sendAt: number;
	/** How long to wait from now (0 = send now). */
	waitMs: number;
	epoch: number;
	/**
	 * Too many requests of the account are in flight while its limit is still being found:
	 * wait with `waitForRoom`, then reserve again.
	 */
	full?: boolean;
}

/** No slot within the wait the request may still spend; nothing was reserved. */
export interface PacingRefusal {
	ok: false;
	/** The earliest moment a request of this account could be sent (epoch ms). */
	openAt: number;
}

/** Handed back by `sending`, passed to `answered`. */
export interface PacingSend {
	epoch: number;
}

export interface Pacer {
	/** A slot at most `maxWaitMs` from now, or a refusal (then nothing is reserved). */
	reserve(maxWaitMs: number): PacingSlot | PacingRefusal;
	/** After waiting for `slot`: may the request go now, or must it reserve again? */
	stillValid(slot: PacingSlot): boolean;
	/** After a `full` slot: resolves true once a request in flight answered, false if cancelled. */
	waitForRoom(signal?: AbortSignal): Promise<boolean>;
	/** The request is being sent now. */
	sending(): PacingSend;
	/**
	 * Sonarly answered the request (or it failed). `retryAt` is set for a 429: the moment
	 * Sonarly gave (epoch ms), or the client's own backoff when it gave none.
	 */
	answered(send: PacingSend, retryAt: number | null): void;
	/** The moment requests may flow again (epoch ms), 0 when they may flow now. */
	readonly openAt: number;
}

/**
 * Today's per-execution gate: after a 429, nothing is sent before the moment Sonarly gave,
 * then everything resumes at once. Kept as the reference the benchmark compares against.
 */
export class RateLimitGate implements Pacer {
	private resumeAt = 0;
	private epoch = 0;

	constructor(private readonly now: () => number = Date.now) {}

	/** Holds every request until `until` (epoch ms); an earlier moment never shortens a wait. */
	pauseUntil(until: number): void {
		if (until > this.resumeAt) {
			this.resumeAt = until;
			this.epoch++;
		}
	}

	/** Milliseconds a request must still wait before it may be sent. */
	remainingWait(): number {
		return Math.max(0, this.resumeAt - this.now());
	}

	get openAt(): number {
		return this.resumeAt;
	}

	reserve(maxWaitMs: number): PacingSlot | PacingRefusal {
		const now = this.now();
		const sendAt = Math.max(now, this.resumeAt);
		if (sendAt - now > maxWaitMs) return { ok: false, openAt: sendAt };
		return { ok: true, sendAt, waitMs: sendAt - now, epoch: this.epoch };
	}

	stillValid(slot: PacingSlot): boolean {
		return slot.epoch === this.epoch && this.now() >= this.resumeAt;
	}

	async waitForRoom(): Promise<boolean> {
		return true;
	}

	sending(): PacingSend {
		return { epoch: this.epoch };
	}

	answered(_send: PacingSend, retryAt: number | null): void {
		if (retryAt !== null) this.pauseUntil(retryAt);
	}
}

/**
 * Sends are spaced this much wider than the pace Sonarly was seen to accept, so that a send
 * that goes out a little late does not start Sonarly's next window early.
 */
export const PACE_MARGIN = 1.05;
/** After this long at a learned pace without a 429, the pace is raised by RAISE_FACTOR. */
const RAISE_AFTER_MS = 10_000;
const RAISE_FACTOR = 0.9;
/** How many accepted answers are remembered to learn a pace from (per account). */
const MAX_REMEMBERED_ANSWERS = 256;
/**
 * The longest hold one 429 puts on every execution of the process: a Retry-After of hours
 * (or a junk one) from one answer must not block the account here for that long. After it,
 * a request may ask again, and Sonarly's next 429 holds again.
 */
export const MAX_SHARED_HOLD_MS = 10 * 60_000;
/** Nothing in flight and no answer for this long: the next send starts a new slow start. */
const QUIET_GAP_MS = 1000;
/**
 * Slow start: in the first second of a busy stretch, and in the first second after a 429, at
 * most this many requests of the account are in flight; the cap doubles every further second
 * without a 429 and is gone after a few. It keeps a burst of executions from sending hundreds
 * of requests before Sonarly's first 429 can come back. One execution at the largest
 * Concurrency (20) is held to 8, then 16, in flight for its first two seconds at most.
 */
export const SLOW_START_IN_FLIGHT = 8;
const SLOW_START_STEP_MS = 1000;
const SLOW_START_STEPS = 4;

/**
 * The pacing of one Sonarly account in this n8n process, shared by every execution and list
 * search that uses it.
 *
 * - After a 429, nothing is sent before the moment Sonarly gave (`resumeAt`).
 * - Then requests resume one slot at a time, spaced at the pace Sonarly accepted: as many
 *   requests per wait as it answered in the last wait-long stretch before it said 429 (it let
 *   20 through in the second before "come back in 1 s": 20 per second). A later 429 learns
 *   again from the answers since the last hold.
 * - Before any 429, requests are not spaced at all (nothing is known about Sonarly's limit).
 * - After RAISE_AFTER_MS at a learned pace without a 429, the pace is raised a little, so a
 *   limit that was lifted is found again.
 */
export class AccountPacer implements Pacer {
	/** Nothing is sent before this moment (epoch ms). */
	private resumeAt = 0;
	/** Learned spacing between sends in ms; 0 while nothing is learned. */
	private intervalMs = 0;
	/** The next free slot under the learned spacing. */
	private nextSlot = 0;
	/** Bumped whenever a new hold starts: slots reserved before it must be reserved again. */
	private epoch = 0;
	/**
	 * When Sonarly's accepted answers since the last hold came back (at most
	 * MAX_REMEMBERED_ANSWERS). Answer times, not send times: under load a send can wait in
	 * n8n's HTTP pipeline, and that wait says nothing about Sonarly's pace.
	 */
	private acceptedAt: number[] = [];
	/** When the learned pace was set or last raised. */
	private paceSince = 0;
	private inFlight = 0;
	/** When the last request was sent. */
	private lastSentAt = -Infinity;
	/** When the last answer came back (after a quiet gap the slow start begins again). */
	private lastAnswerAt = 0;
	/** Start of the slow start: the busy stretch's first send, or the last 429. */
	private slowStartAt: number | null = null;
	private readonly roomWaiters: Array<() => void> = [];
	/** What the pace was last learned from (late answers of that period still count). */
	private learned: { epoch: number; windowMs: number; accepted: number } | null = null;
	/** Last time anything used this pacer (for forgetting idle accounts). */
	lastUsed: number;

	constructor(private readonly now: () => number = Date.now) {
		this.lastUsed = now();
	}

	get openAt(): number {
		return this.resumeAt;
	}

	/** The learned spacing between sends in ms (0 = none learned). For tests and the bench. */
	get paceMs(): number {
		return this.intervalMs;
	}

	/** True when forgetting this pacer loses nothing: no hold ahead, nothing in flight. */
	isIdle(now: number, idleMs: number): boolean {
		return this.inFlight === 0 && this.roomWaiters.length === 0 && now >= this.resumeAt && now >= this.nextSlot && now - this.lastUsed >= idleMs;
	}

	reserve(maxWaitMs: number): PacingSlot | PacingRefusal {
		const now = this.now();
		this.lastUsed = now;
		this.maybeRaisePace(now);
		const paced = this.intervalMs > 0;
		const sendAt = Math.max(
			now,
			this.resumeAt,
			paced ? this.nextSlot : 0,
			// Spaced from the last real send too, not only from the schedule.
			paced ? this.lastSentAt + this.intervalMs : 0,
		);
		if (sendAt - now > maxWaitMs) return { ok: false, openAt: sendAt };
		if (sendAt === now && this.inFlight >= this.inFlightCap(now)) {
			return { ok: true, sendAt, waitMs: 0, epoch: this.epoch, full: true };
		}
		if (paced) this.nextSlot = sendAt + this.intervalMs;
		return { ok: true, sendAt, waitMs: sendAt - now, epoch: this.epoch };
	}

	/**
	 * Also false when the previous send left less than half a learned interval ago: timers
	 * that fire late on a busy machine would otherwise send a run of overdue slots at once.
	 */
	stillValid(slot: PacingSlot): boolean {
		const now = this.now();
		if (slot.epoch !== this.epoch || now < this.resumeAt) return false;
		if (this.intervalMs > 0 && now - this.lastSentAt < this.intervalMs / 2) {
			// Late: give the slot up and take the next free one.
			return false;
		}
		return true;
	}

	/** How many requests may be in flight now (Infinity once the slow start is over). */
	inFlightCap(now: number): number {
		if (this.slowStartAt === null) return SLOW_START_IN_FLIGHT;
		const steps = Math.floor((now - this.slowStartAt) / SLOW_START_STEP_MS);
		return steps >= SLOW_START_STEPS ? Infinity : SLOW_START_IN_FLIGHT * 2 ** steps;
	}

	/**
	 * Resolves true when a request in flight answered, or after at most a slow-start step (the
	 * cap has grown by then: nothing can wait on a request that never answers), false at once
	 * when the execution is cancelled.
	 */
	async waitForRoom(signal?: AbortSignal): Promise<boolean> {
		if (signal?.aborted) return false;
		let leave = () => {};
		const room = new Promise<boolean>((resolve) => {
			leave = () => {
				const at = this.roomWaiters.indexOf(wake);
				if (at !== -1) this.roomWaiters.splice(at, 1);
				resolve(true);
			};
			const wake = () => resolve(true);
			this.roomWaiters.push(wake);
		});
		// The step's timer ends with the wait, whichever way it ends: every request that waits
		// for room passes through here.
		const step = new AbortController();
		const endStep = () => step.abort();
		signal?.addEventListener('abort', endStep, { once: true });
		const ok = await Promise.race([room, waitFor(SLOW_START_STEP_MS, step.signal)]);
		signal?.removeEventListener('abort', endStep);
		step.abort();
		leave();
		return ok && !signal?.aborted;
	}

	/** Lets waiting requests try again: as many as there is room for now. */
	private wakeRoomWaiters(now: number): void {
		let room = this.inFlightCap(now) - this.inFlight;
		while (room-- > 0 && this.roomWaiters.length > 0) this.roomWaiters.shift()!();
	}

	sending(): PacingSend {
		const now = this.now();
		this.lastUsed = now;
		if (this.inFlight === 0 && (this.slowStartAt === null || now - this.lastAnswerAt >= QUIET_GAP_MS)) {
			this.slowStartAt = now;
		}
		this.inFlight++;
		this.lastSentAt = now;
		return { epoch: this.epoch };
	}

	answered(send: PacingSend, retryAt: number | null): void {
		const now = this.now();
		this.lastUsed = now;
		this.inFlight = Math.max(0, this.inFlight - 1);
		this.lastAnswerAt = now;
		this.answer(send, retryAt, now);
		this.wakeRoomWaiters(now);
	}

	private answer(send: PacingSend, given: number | null, now: number): void {
		const retryAt = given === null ? null : Math.min(given, now + MAX_SHARED_HOLD_MS);
		if (retryAt === null) {
			if (send.epoch === this.epoch) {
				this.acceptedAt.push(now);
				if (this.acceptedAt.length > MAX_REMEMBERED_ANSWERS) this.acceptedAt.shift();
			} else if (this.learned && send.epoch === this.learned.epoch) {
				// Sent in the period the pace was learned from, answered after its 429: Sonarly
				// let it through in that period, so the pace was faster than first counted.
				this.learned.accepted++;
				this.applyLearned();
			}
			return;
		}
		this.slowStartAt = now;
		if (retryAt <= this.resumeAt) return;
		if (send.epoch !== this.epoch) {
			// A 429 for a request sent before the current hold began: it may only lengthen
			// the hold, it teaches nothing about the pace since.
			this.resumeAt = retryAt;
			this.nextSlot = Math.max(this.nextSlot, retryAt);
			return;
		}
		this.learn(now, retryAt);
		this.resumeAt = retryAt;
		this.nextSlot = retryAt;
		this.epoch++;
		this.acceptedAt = [];
	}

	/**
	 * Sonarly answered 429 at `now` and said to come back at `retryAt`: it accepts about as many
	 * requests per such wait as it let through in the wait-long stretch before.
	 */
	private learn(now: number, retryAt: number): void {
		const windowMs = Math.max(1, retryAt - now);
		const accepted = this.acceptedAt.filter((at) => at > now - windowMs).length;
		// With nothing accepted lately, nothing new is learned: the hold does the rest.
		if (accepted > 0) {
			this.learned = { epoch: this.epoch, windowMs, accepted };
			this.applyLearned();
		}
		this.paceSince = retryAt;
	}

	private applyLearned(): void {
		if (!this.learned) return;
		const { windowMs, accepted } = this.learned;
		// Never wait longer between two sends than Sonarly's own wait.
		this.intervalMs = Math.min((windowMs / accepted) * PACE_MARGIN, windowMs);
	}

	private maybeRaisePace(now: number): void {
		if (this.intervalMs > 0 && now - this.paceSince >= RAISE_AFTER_MS && now >= this.resumeAt) {
			this.intervalMs *= RAISE_FACTOR;
			this.learned = null;
			this.paceSince = now;
			if (this.intervalMs < 1) this.intervalMs = 0;
		}
	}
}

// ---------------------------------------------------------------------------------------------
// The process-wide registry: one AccountPacer per Sonarly account (Base URL + a hash of the
// API key). This is the node's only module-level state, allowed because it holds no campaign
// data and correctness does not depend on it: each n8n process (main or queue-mode worker) has
// its own, and Sonarly's 429 stays the authority.

/** An account unused for this long is forgotten. */
export const IDLE_FORGET_MS = 10 * 60_000;
/** At most this many accounts are remembered; the least recently used idle ones go first. */
export const MAX_ACCOUNTS = 200;

/** A short, non-reversible fingerprint of a secret, so the key itself is never a map key. */
export function fingerprint(text: string): string {
	// Two 32-bit FNV-1a passes with different offsets, then a final avalanche of each.
	let a = 0x811c9dc5;
	let b = 0x01000193 ^ text.length;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		a = Math.imul(a ^ c, 0x01000193);
		b = Math.imul(b ^ c, 0x5bd1e995);
		b ^= b >>> 15;
	}
	const mix = (h: number) => {
		h ^= h >>> 16;
		h = Math.imul(h, 0x85ebca6b);
		h ^= h >>> 13;
		h = Math.imul(h, 0xc2b2ae35);
		h ^= h >>> 16;
		return (h >>> 0).toString(16).padStart(8, '0');
	};
	return mix(a) + mix(b);
}

export class PacerRegistry {
	private readonly pacers = new Map<string, AccountPacer>();

	constructor(
		private readonly now: () => number = Date.now,
		private readonly maxAccounts = MAX_ACCOUNTS,
		private readonly idleMs = IDLE_FORGET_MS,
	) {}

	/** The pacer of the account (Base URL, API key), created on first use. */
	forAccount(baseUrl: string, apiKey: string): AccountPacer {
		const key = `${baseUrl} ${fingerprint(apiKey)}`;
		const existing = this.pacers.get(key);
		if (existing) {
			// Most recently used last, so the oldest entries come first when trimming.
			this.pacers.delete(key);
			this.pacers.set(key, existing);
			existing.lastUsed = this.now();
			return existing;
		}
		this.forgetIdle();
		const pacer = new AccountPacer(this.now);
		this.pacers.set(key, pacer);
		return pacer;
	}

	get size(): number {
		return this.pacers.size;
	}

	/** The map keys (for tests: they must never contain an API key). */
	keys(): string[] {
		return [...this.pacers.keys()];
	}

	clear(): void {
		this.pacers.clear();
	}

	private forgetIdle(): void {
		const now = this.now();
		for (const [key, pacer] of this.pacers) {
			if (pacer.isIdle(now, this.idleMs)) this.pacers.delete(key);
		}
		// Still full: drop the least recently used that has nothing pending, then the oldest.
		while (this.pacers.size >= this.maxAccounts) {
			let victim: string | undefined;
			for (const [key, pacer] of this.pacers) {
				if (pacer.isIdle(now, 0)) {
					victim = key;
					break;
				}
			}
			this.pacers.delete(victim ?? this.pacers.keys().next().value!);
		}
	}
}

/** Makes the pacer a client uses, given the account. */
export type PacerFactory = (baseUrl: string, apiKey: string) => Pacer;

const processPacers = new PacerRegistry();

/** The default: one shared pacer per account in this process. */
export const sharedPacerFactory: PacerFactory = (baseUrl, apiKey) =>
	processPacers.forAccount(baseUrl, apiKey);

/** Today's behaviour before process-wide pacing: a gate of its own per client (execution). */
export const perClientGateFactory: PacerFactory = () => new RateLimitGate();

let currentFactory: PacerFactory = sharedPacerFactory;

/**
 * For the benchmark and tests only: swap how clients get their pacer (e.g.
 * `perClientGateFactory` to measure the old per-execution gate). Returns the previous one.
 */
export function setPacerFactory(factory: PacerFactory): PacerFactory {
	const previous = currentFactory;
	currentFactory = factory;
	return previous;
}

export function pacerFor(baseUrl: string, apiKey: string): Pacer {
	return currentFactory(baseUrl, apiKey);
}

/** Forgets every account's pacing in this process (tests start from a clean slate). */
export function resetPacing(): void {
	processPacers.clear();
}
