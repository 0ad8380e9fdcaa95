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
	let step: AbortController | undefined;
	let stopWaiting = () => {};
	const cancelled = new Promise<false>((resolve) => {
		stopWaiting = () => {
			step?.abort();
			resolve(false);
		};
		signal?.addEventListener('abort', stopWaiting, { once: true });
	});
	const sleepInSteps = async () => {
		const until = Date.now() + ms;
		for (let left = ms; left > 0; left = until - Date.now()) {
			if (signal?.aborted) return false;
			// Each step sleeps on a signal of its own, aborted with the wait: n8n 2.x's sleep then
			// drops the step's timer at once, and no step leaves a listener on the execution's
			// signal (the sleep of n8n-workflow 2.34.0 to 2.35.0 never removes its own).
			step = new AbortController();
			try {
				await sleep(Math.min(left, WAIT_STEP_MS), step.signal);
			} catch {
				return false;
			}
		}
		return true;
	};
	const passed = await Promise.race([sleepInSteps(), cancelled]);
	signal?.removeEventListener('abort', stopWaiting);
	return passed && !signal?.aborted;
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
	/**
	 * A slot at most `maxWaitMs` from now, or a refusal (then nothing is reserved). With
	 * `now`, a slot for now whatever the hold or the pace (a request that may not wait at all);
	 * only the in-flight cap still applies.
	 */
	reserve(maxWaitMs: number, now?: boolean): PacingSlot | PacingRefusal;
	/** After waiting for `slot`: may the request go now, or must it reserve again? */
	stillValid(slot: PacingSlot): boolean;
	/** After a `full` slot: resolves true once a request in flight answered, false if cancelled. */
	waitForRoom(signal?: AbortSignal): Promise<boolean>;
	/** The request is being sent now. */
	sending(): PacingSend;
	/**
	 * Sonarly answered the request (or it failed). `retryAt` is set for a 429: the moment
	 * Sonarly gave (epoch ms), or the client's own backoff when it gave none. With `holds`
	 * false the 429 holds nothing and teaches nothing (a list search's).
	 */
	answered(send: PacingSend, retryAt: number | null, holds?: boolean): void;
	/** The moment requests may flow again (epoch ms), 0 when they may flow now. */
	readonly openAt: number;
}

/**
 * Sends are spaced this much wider than the pace Sonarly was seen to accept, so that a send
 * that goes out a little late does not start Sonarly's next window early.
 */
export const PACE_MARGIN = 1.05;
/**
 * A learned pace holds at full strength this long after the hold it was learned at, then
 * halves every PACE_HALF_LIFE_MS, counted in time whether requests are sent or not: a lifted
 * limit is found again, and a pace never outlives the busy stretch by more than a minute or two.
 */
const PACE_FULL_MS = 10_000;
const PACE_HALF_LIFE_MS = 10_000;
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
 * Slow start: in the first second of a busy stretch, and in the first second after a hold, at
 * most this many requests of the account are in flight; the cap doubles every further second
 * without a 429 and is gone after a few. It keeps a burst of executions from sending hundreds
 * of requests before Sonarly's first 429 can come back, and the requests a hold kept back from
 * all going at once when it ends.
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
 * - The learned pace fades with time (PACE_FULL_MS, PACE_HALF_LIFE_MS) and is then forgotten.
 */
export class AccountPacer implements Pacer {
	/** Nothing is sent before this moment (epoch ms). */
	private resumeAt = 0;
	/** Learned spacing between sends in ms, at full strength; 0 while nothing is learned. */
	private intervalMs = 0;
	/** When the learned spacing was set (its fading counts from here). */
	private paceSince = 0;
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
	private inFlight = 0;
	/** When the last request was sent. */
	private lastSentAt = -Infinity;
	/** When the last answer came back (after a quiet gap the slow start begins again). */
	private lastAnswerAt = 0;
	/** Start of the slow start: the busy stretch's first send, or the end of the last hold. */
	private slowStartAt: number | null = null;
	private readonly roomWaiters: Array<() => void> = [];
	/** Last time anything used this pacer (for forgetting idle accounts). */
	lastUsed: number;

	constructor(private readonly now: () => number = Date.now) {
		this.lastUsed = now();
	}

	get openAt(): number {
		return this.resumeAt;
	}

	/** The spacing between sends now, in ms (0 = none). For tests and the bench. */
	get paceMs(): number {
		return this.paceAt(this.now());
	}

	private paceAt(now: number): number {
		if (this.intervalMs === 0) return 0;
		const fading = Math.max(0, now - this.paceSince - PACE_FULL_MS);
		const pace = this.intervalMs * 0.5 ** (fading / PACE_HALF_LIFE_MS);
		if (pace >= 1) return pace;
		this.intervalMs = 0;
		return 0;
	}

	/** True when forgetting this pacer loses nothing: no hold ahead, nothing in flight. */
	isIdle(now: number, idleMs: number): boolean {
		return this.inFlight === 0 && this.roomWaiters.length === 0 && now >= this.resumeAt && now >= this.nextSlot && now - this.lastUsed >= idleMs;
	}

	reserve(maxWaitMs: number, sendNow = false): PacingSlot | PacingRefusal {
		const now = this.now();
		this.lastUsed = now;
		const pace = sendNow ? 0 : this.paceAt(now);
		const sendAt = sendNow
			? now
			: Math.max(
					now,
					this.resumeAt,
					pace > 0 ? this.nextSlot : 0,
					// Spaced from the last real send too, not only from the schedule.
					this.lastSentAt + pace,
				);
		if (sendAt - now > maxWaitMs) return { ok: false, openAt: sendAt };
		if (sendAt === now && this.inFlight >= this.inFlightCap(now)) {
			return { ok: true, sendAt, waitMs: 0, epoch: this.epoch, full: true };
		}
		if (pace > 0) this.nextSlot = sendAt + pace;
		return { ok: true, sendAt, waitMs: sendAt - now, epoch: this.epoch };
	}

	/**
	 * False after a new 429, and when the in-flight cap is reached. Also false when the
	 * previous send left less than half the pace ago: timers that fire late on a busy machine
	 * would otherwise send a run of overdue slots at once.
	 */
	stillValid(slot: PacingSlot): boolean {
		const now = this.now();
		if (slot.epoch !== this.epoch || now < this.resumeAt) return false;
		if (this.inFlight >= this.inFlightCap(now)) return false;
		return now - this.lastSentAt >= this.paceAt(now) / 2;
	}

	/** How many requests may be in flight now (Infinity once the slow start is over). */
	inFlightCap(now: number): number {
		if (this.slowStartAt === null) return SLOW_START_IN_FLIGHT;
		const steps = Math.floor(Math.max(0, now - this.slowStartAt) / SLOW_START_STEP_MS);
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

	answered(send: PacingSend, retryAt: number | null, holds = true): void {
		const now = this.now();
		this.lastUsed = now;
		this.inFlight = Math.max(0, this.inFlight - 1);
		this.lastAnswerAt = now;
		if (retryAt === null) this.accepted(send);
		else if (holds) this.hold(send, Math.min(retryAt, now + MAX_SHARED_HOLD_MS), now);
		this.wakeRoomWaiters(now);
	}

	private accepted(send: PacingSend): void {
		// Only answers to requests sent since the last hold tell the pace since then.
		if (send.epoch !== this.epoch) return;
		this.acceptedAt.push(this.lastAnswerAt);
		if (this.acceptedAt.length > MAX_REMEMBERED_ANSWERS) this.acceptedAt.shift();
	}

	private hold(send: PacingSend, retryAt: number, now: number): void {
		// The requests the hold kept back start slowly when it ends.
		this.slowStartAt = Math.max(now, retryAt, this.slowStartAt ?? 0);
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
		// With nothing accepted lately, nothing new is learned: the hold does the rest. Never
		// wait longer between two sends than Sonarly's own wait.
		if (accepted > 0) this.intervalMs = Math.min((windowMs / accepted) * PACE_MARGIN, windowMs);
		this.paceSince = retryAt;
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

let currentFactory: PacerFactory = sharedPacerFactory;

/**
 * For the benchmark and tests only: swap how clients get their pacer (the bench measures the
 * per-execution gate the node had before process-wide pacing). Returns the previous one.
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
