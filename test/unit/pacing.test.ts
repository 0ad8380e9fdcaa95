// The process-wide pacing of nodes/Sonarly/transport/pacing.ts, on an injected clock: no real
// timers, no network. The last block drives many simulated requests against a simulated
// Sonarly with a fixed one-second window, to compare the shared pacer with the old gate.
import {
	AccountPacer,
	fingerprint,
	IDLE_FORGET_MS,
	MAX_SHARED_HOLD_MS,
	PACE_MARGIN,
	PacerRegistry,
	SLOW_START_IN_FLIGHT,
	type Pacer,
	type PacingSend,
	type PacingSlot,
} from '../../nodes/Sonarly/transport/pacing';

class Clock {
	t = 1_000_000;
	now = () => this.t;
	advance(ms: number) {
		this.t += ms;
	}
}

function slotOf(result: ReturnType<Pacer['reserve']>): PacingSlot {
	if (!result.ok) throw new Error(`expected a slot, got a refusal until ${result.openAt}`);
	return result;
}

/** `count` requests sent and accepted now, one after another. */
function acceptMany(pacer: Pacer, count: number) {
	for (let i = 0; i < count; i++) {
		slotOf(pacer.reserve(Infinity));
		pacer.answered(pacer.sending(), null);
	}
}

describe('fingerprint', () => {
	it('is stable, short, hex, and differs between keys', () => {
		expect(fingerprint('sk_live_abc')).toBe(fingerprint('sk_live_abc'));
		expect(fingerprint('sk_live_abc')).toMatch(/^[0-9a-f]{16}$/);
		const many = new Set(Array.from({ length: 2000 }, (_, i) => fingerprint(`sk_live_${i}`)));
		expect(many.size).toBe(2000);
		expect(fingerprint('sk_live_abd')).not.toBe(fingerprint('sk_live_abc'));
		expect(fingerprint('')).toMatch(/^[0-9a-f]{16}$/);
	});
});

describe('PacerRegistry', () => {
	const SAMPLE = ['sample', 'api', 'token', '0123456789'].join('-');

	it('gives every client of one account the same pacer, and other accounts their own', () => {
		const registry = new PacerRegistry(new Clock().now);
		const a = registry.forAccount('https://api.sonarly.io', SAMPLE);
		expect(registry.forAccount('https://api.sonarly.io', SAMPLE)).toBe(a);
		expect(registry.forAccount('https://api.sonarly.io', `${SAMPLE}x`)).not.toBe(a);
		expect(registry.forAccount('http://127.0.0.1:8787', SAMPLE)).not.toBe(a);
		expect(registry.size).toBe(3);
	});

	it('never keeps the API key itself as (part of) a map key', () => {
		const registry = new PacerRegistry(new Clock().now);
		registry.forAccount('https://api.sonarly.io', SAMPLE);
		for (const key of registry.keys()) {
			expect(key).not.toContain(SAMPLE);
			expect(key).not.toContain('sample');
		}
	});

	it('forgets an account idle for IDLE_FORGET_MS, and keeps it while it is used', () => {
		const clock = new Clock();
		const registry = new PacerRegistry(clock.now);
		const old = registry.forAccount('https://a', SAMPLE);
		clock.advance(IDLE_FORGET_MS - 1);
		registry.forAccount('https://b', SAMPLE);
		expect(registry.size).toBe(2);
		expect(registry.forAccount('https://a', SAMPLE)).toBe(old);
		clock.advance(IDLE_FORGET_MS);
		registry.forAccount('https://c', SAMPLE);
		expect(registry.keys().some((k) => k.startsWith('https://a '))).toBe(false);
		expect(registry.keys().some((k) => k.startsWith('https://b '))).toBe(false);
		expect(registry.size).toBe(1);
	});

	it('keeps an idle account whose hold has not ended yet', () => {
		const clock = new Clock();
		// Forget after 1 minute idle; the hold lasts 5.
		const registry = new PacerRegistry(clock.now, 200, 60_000);
		const held = registry.forAccount('https://a', SAMPLE);
		held.answered(held.sending(), clock.t + 5 * 60_000);
		clock.advance(2 * 60_000);
		registry.forAccount('https://b', SAMPLE);
		expect(registry.forAccount('https://a', SAMPLE)).toBe(held);
	});

	it('stays bounded: the least recently used account goes first', () => {
		const clock = new Clock();
		const registry = new PacerRegistry(clock.now, 5);
		for (let i = 0; i < 50; i++) {
			registry.forAccount(`https://h${i}`, SAMPLE);
			clock.advance(1);
		}
		expect(registry.size).toBe(5);
		expect(registry.keys().map((k) => k.split(' ')[0])).toEqual([
			'https://h45',
			'https://h46',
			'https://h47',
			'https://h48',
			'https://h49',
		]);
	});

	it('drops an account with nothing pending before one that is holding or sending', () => {
		const clock = new Clock();
		const registry = new PacerRegistry(clock.now, 2);
		const busy = registry.forAccount('https://busy', SAMPLE);
		busy.sending(); // in flight
		clock.advance(1);
		registry.forAccount('https://quiet', SAMPLE);
		clock.advance(1);
		registry.forAccount('https://new', SAMPLE);
		expect(registry.forAccount('https://busy', SAMPLE)).toBe(busy);
	});
});

describe('AccountPacer', () => {
	it('does not space requests before Sonarly ever said 429', () => {
		const clock = new Clock();
		const pacer = new AccountPacer(clock.now);
		for (let i = 0; i < 50; i++) expect(slotOf(pacer.reserve(0)).waitMs).toBe(0);
		expect(pacer.paceMs).toBe(0);
	});

	it('after a 429 sends nothing before the moment Sonarly gave', () => {
		const clock = new Clock();
		const pacer = new AccountPacer(clock.now);
		pacer.answered(pacer.sending(), clock.t + 1000);
		const slot = slotOf(pacer.reserve(5000));
		expect(slot.sendAt).toBe(clock.t + 1000);
		expect(slot.waitMs).toBe(1000);
		expect(pacer.openAt).toBe(clock.t + 1000);
	});

	it('holds the account for at most MAX_SHARED_HOLD_MS, whatever one Retry-After says', () => {
		const clock = new Clock();
		const pacer = new AccountPacer(clock.now);
		pacer.answered(pacer.sending(), clock.t + 365 * 86_400_000);
		expect(pacer.openAt).toBe(clock.t + MAX_SHARED_HOLD_MS);
	});

	it('refuses, without reserving, a slot further away than the wait the request has left', () => {
		const clock = new Clock();
		const pacer = new AccountPacer(clock.now);
		pacer.answered(pacer.sending(), clock.t + 3000);
		expect(pacer.reserve(2999)).toEqual({ ok: false, openAt: clock.t + 3000 });
		expect(pacer.reserve(0)).toEqual({ ok: false, openAt: clock.t + 3000 });
		// Nothing was reserved by the refusals: the first slot is still the resume moment.
		expect(slotOf(pacer.reserve(3000)).sendAt).toBe(clock.t + 3000);
	});

	it('learns the pace Sonarly accepted and resumes one slot at a time, not all at once', () => {
		const clock = new Clock();
		const pacer = new AccountPacer(clock.now);
		const start = clock.t;
		// 20 accepted over 100 ms, then a 429 saying "come back in 1 s": 20 per second.
		for (let i = 0; i < 20; i++) {
			slotOf(pacer.reserve(Infinity));
			pacer.answered(pacer.sending(), null);
			clock.advance(5);
		}
		expect(clock.t - start).toBe(100);
		const resume = clock.t + 1000;
		pacer.answered(pacer.sending(), resume);
		const expected = (1000 / 20) * PACE_MARGIN;
		expect(pacer.paceMs).toBeCloseTo(expected, 6);
		const slots = Array.from({ length: 10 }, () => slotOf(pacer.reserve(Infinity)).sendAt);
		expect(slots[0]).toBe(resume);
		for (let i = 1; i < slots.length; i++) expect(slots[i] - slots[i - 1]).toBeCloseTo(expected, 6);
	});

	it('timers that fire late do not send a run of overdue slots at once', () => {
		const clock = new Clock();
		const pacer = new AccountPacer(clock.now);
		acceptMany(pacer, 20);
		pacer.answered(pacer.sending(), clock.t + 1000);
		const pace = pacer.paceMs;
		const slots = [0, 1, 2].map(() => slotOf(pacer.reserve(Infinity)));
		// The machine was busy: all three wake up long after their moments.
		clock.t = slots[2].sendAt + 500;
		expect(pacer.stillValid(slots[0])).toBe(true);
		pacer.sending();
		expect(pacer.stillValid(slots[1])).toBe(false);
		expect(pacer.stillValid(slots[2])).toBe(false);
		const again = slotOf(pacer.reserve(Infinity));
		expect(again.sendAt).toBeGreaterThanOrEqual(clock.t + pace);
	});

	it('a slot reserved before a new 429 is no longer valid: the request takes a new one', () => {
		const clock = new Clock();
		const pacer = new AccountPacer(clock.now);
		acceptMany(pacer, 10);
		pacer.answered(pacer.sending(), clock.t + 500);
		const early = slotOf(pacer.reserve(Infinity));
		clock.advance(500);
		expect(pacer.stillValid(early)).toBe(true);
		// Another request gets a 429 before `early` was sent.
		acceptMany(pacer, 3);
		pacer.answered(pacer.sending(), clock.t + 2000);
		expect(pacer.stillValid(early)).toBe(false);
		expect(slotOf(pacer.reserve(Infinity)).sendAt).toBe(clock.t + 2000);
	});

	it('a 429 for a request sent before the current hold may lengthen the hold, not relearn the pace', () => {
		const clock = new Clock();
		const pacer = new AccountPacer(clock.now);
		acceptMany(pacer, 20);
		const inFlight = [pacer.sending(), pacer.sending(), pacer.sending()];
		pacer.answered(inFlight[0], clock.t + 1000);
		const pace = pacer.paceMs;
		clock.advance(3);
		pacer.answered(inFlight[1], clock.t + 1000);
		expect(pacer.paceMs).toBe(pace);
		expect(pacer.openAt).toBe(clock.t + 1000);
		// An earlier moment never shortens the hold.
		pacer.answered(inFlight[2], clock.t + 10);
		expect(pacer.openAt).toBe(clock.t + 1000);
		// Answers of the old period do not count as accepted in the new one.
		expect(pacer.paceMs).toBe(pace);
	});

	it('a 429 right after resuming, with nothing accepted since, keeps the pace and holds again', () => {
		const clock = new Clock();
		const pacer = new AccountPacer(clock.now);
		acceptMany(pacer, 10);
		pacer.answered(pacer.sending(), clock.t + 1000);
		const pace = pacer.paceMs;
		clock.advance(1000);
		slotOf(pacer.reserve(Infinity));
		pacer.answered(pacer.sending(), clock.t + 1000);
		expect(pacer.paceMs).toBe(pace);
		expect(pacer.openAt).toBe(clock.t + 1000);
	});

	it('slow start: at most 8 in flight at first, more each second without a 429', async () => {
		const clock = new Clock();
		const pacer = new AccountPacer(clock.now);
		const sends = Array.from({ length: 8 }, () => {
			expect(slotOf(pacer.reserve(0)).full).toBeUndefined();
			return pacer.sending();
		});
		const eleventh = slotOf(pacer.reserve(0));
		expect(eleventh.full).toBe(true);
		let woken = false;
		const room = pacer.waitForRoom().then((ok) => (woken = ok));
		await Promise.resolve();
		expect(woken).toBe(false);
		pacer.answered(sends[0], null);
		await room;
		expect(woken).toBe(true);
		expect(pacer.inFlightCap(clock.t)).toBe(8);
		clock.advance(1000);
		expect(pacer.inFlightCap(clock.t)).toBe(16);
		clock.advance(3000);
		expect(pacer.inFlightCap(clock.t)).toBe(Infinity);
		// A 429 starts the slow start again.
		pacer.answered(pacer.sending(), clock.t + 1000);
		expect(pacer.inFlightCap(clock.t)).toBe(8);
	});

	it('a request let in by an answer leaves no timer behind', async () => {
		jest.useFakeTimers();
		try {
			const pacer = new AccountPacer(() => Date.now());
			const sends = Array.from({ length: 8 }, () => pacer.sending());
			const room = pacer.waitForRoom();
			pacer.answered(sends[0], null);
			await expect(room).resolves.toBe(true);
			// Thousands of requests can pass through here in a busy process.
			expect(jest.getTimerCount()).toBe(0);
		} finally {
			jest.useRealTimers();
		}
	});

	it('a request waiting for room is released at once by cancellation', async () => {
		jest.useFakeTimers();
		try {
			const pacer = new AccountPacer(() => Date.now());
			for (let i = 0; i < 8; i++) pacer.sending();
			const controller = new AbortController();
			let released: boolean | undefined;
			void pacer.waitForRoom(controller.signal).then((ok) => (released = ok));
			controller.abort();
			await jest.advanceTimersByTimeAsync(0);
			expect(released).toBe(false);
			expect(jest.getTimerCount()).toBe(0);
			await expect(pacer.waitForRoom(controller.signal)).resolves.toBe(false);
		} finally {
			jest.useRealTimers();
		}
	});

	it('learns from the answers of the last wait-long stretch only', () => {
		const clock = new Clock();
		const pacer = new AccountPacer(clock.now);
		acceptMany(pacer, 30);
		clock.advance(60_000); // a quiet minute: those 30 say nothing about now
		for (let i = 0; i < 10; i++) {
			slotOf(pacer.reserve(Infinity));
			pacer.answered(pacer.sending(), null);
			clock.advance(10);
		}
		pacer.answered(pacer.sending(), clock.t + 2000);
		expect(pacer.paceMs).toBeCloseTo((2000 / 10) * PACE_MARGIN, 6);
	});

	it('a learned pace holds 10 s, then halves every 10 s, counted in time, not in calls', () => {
		const clock = new Clock();
		const pacer = new AccountPacer(clock.now);
		acceptMany(pacer, 10);
		const resume = clock.t + 1000;
		pacer.answered(pacer.sending(), resume);
		const pace = pacer.paceMs;
		expect(pace).toBeCloseTo((1000 / 10) * PACE_MARGIN, 6);
		clock.t = resume + 10_000;
		expect(pacer.paceMs).toBeCloseTo(pace, 6);
		clock.t = resume + 20_000;
		expect(pacer.paceMs).toBeCloseTo(pace / 2, 6);
		// A thousand calls in the next second change nothing.
		for (let i = 0; i < 1000; i++) pacer.reserve(0, true);
		clock.advance(1000);
		expect(pacer.paceMs).toBeCloseTo(pace / 2 ** 1.1, 6);
	});

	it('a learned pace is forgotten a while after the burst, though no request came since', () => {
		const clock = new Clock();
		const pacer = new AccountPacer(clock.now);
		// One accepted, then "wait 1 s": the slowest pace there is, one send a second.
		acceptMany(pacer, 1);
		pacer.answered(pacer.sending(), clock.t + 1000);
		expect(pacer.paceMs).toBe(1000);
		clock.advance(3 * 60_000);
		// Three requests of a new execution go at once, as before any 429.
		const slots = [0, 1, 2].map(() => slotOf(pacer.reserve(0)));
		expect(slots.map((slot) => slot.waitMs)).toEqual([0, 0, 0]);
		expect(pacer.paceMs).toBe(0);
	});

	it('a request that may not wait gets a slot now, whatever the hold or the pace', () => {
		const clock = new Clock();
		const pacer = new AccountPacer(clock.now);
		acceptMany(pacer, 10);
		pacer.answered(pacer.sending(), clock.t + 120_000);
		expect(pacer.reserve(0)).toEqual({ ok: false, openAt: clock.t + 120_000 });
		const now = slotOf(pacer.reserve(0, true));
		expect(now).toMatchObject({ sendAt: clock.t, waitMs: 0 });
		expect(now.full).toBeUndefined();
		// Only the in-flight cap still applies: it ends with an answer, not with a wait.
		for (let i = 0; i < SLOW_START_IN_FLIGHT; i++) pacer.sending();
		expect(slotOf(pacer.reserve(0, true)).full).toBe(true);
	});

	it('a 429 that holds nothing (a list search\'s) neither holds nor teaches the account', () => {
		const clock = new Clock();
		const pacer = new AccountPacer(clock.now);
		acceptMany(pacer, 10);
		pacer.answered(pacer.sending(), clock.t + 30_000, false);
		expect(pacer.openAt).toBe(0);
		expect(pacer.paceMs).toBe(0);
		expect(slotOf(pacer.reserve(0)).waitMs).toBe(0);
	});

	it('the requests a hold kept back resume a few at a time, not all at once', () => {
		const clock = new Clock();
		const pacer = new AccountPacer(clock.now);
		// Refused before anything was accepted: no pace to space them with.
		const first = Array.from({ length: SLOW_START_IN_FLIGHT }, () => pacer.sending());
		for (const send of first) pacer.answered(send, clock.t + 1000);
		expect(pacer.paceMs).toBe(0);
		const slots = Array.from({ length: 20 }, () => slotOf(pacer.reserve(Infinity)));
		expect(new Set(slots.map((slot) => slot.sendAt))).toEqual(new Set([clock.t + 1000]));
		clock.advance(1000);
		const letThrough = slots.filter((slot) => {
			if (!pacer.stillValid(slot)) return false;
			pacer.sending();
			return true;
		});
		expect(letThrough).toHaveLength(SLOW_START_IN_FLIGHT);
	});

	it('never spaces two sends further apart than Sonarly’s own wait', () => {
		const clock = new Clock();
		const pacer = new AccountPacer(clock.now);
		// One accepted over 5 s (a slow trickle that still counts as busy), then "wait 1 s".
		slotOf(pacer.reserve(Infinity));
		const first = pacer.sending();
		clock.advance(5000);
		pacer.answered(first, null);
		pacer.answered(pacer.sending(), clock.t + 1000);
		expect(pacer.paceMs).toBeLessThanOrEqual(1000);
	});
});

/**
 * The per-execution gate the node had before process-wide pacing, for the comparison below:
 * after a 429 nothing is sent before the moment given, then everything resumes at once.
 */
class PerExecutionGate implements Pacer {
	private resumeAt = 0;
	private epoch = 0;

	constructor(private readonly now: () => number) {}

	get openAt(): number {
		return this.resumeAt;
	}

	reserve(maxWaitMs: number): PacingSlot | { ok: false; openAt: number } {
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
		if (retryAt !== null && retryAt > this.resumeAt) {
			this.resumeAt = retryAt;
			this.epoch++;
		}
	}
}

// ---------------------------------------------------------------------------------------------
// A discrete-event simulation: N requests, all wanting to go at t = 0, each following the
// transport's loop (reserve, wait, re-check, send, 429 → again), against a Sonarly with a fixed
// 1 s window of R requests and `Retry-After` in whole seconds (at least 1), as the sandbox.

interface SimResult {
	done: number;
	failed: number;
	rateLimited: number;
	lastDoneAt: number;
}

async function simulate({
	n,
	perSecond,
	latencyMs,
	maxWaitMs,
	pacerFor,
}: {
	n: number;
	perSecond: number;
	latencyMs: number;
	maxWaitMs: number;
	pacerFor: (clock: Clock) => () => Pacer;
}): Promise<SimResult> {
	const clock = new Clock();
	clock.t = 0;
	const nextPacer = pacerFor(clock);
	const events: Array<{ at: number; seq: number; run: () => void }> = [];
	let seq = 0;
	const at = (time: number, run: () => void) => {
		events.push({ at: time, seq: seq++, run });
	};
	let windowStart = -Infinity;
	let inWindow = 0;
	const server = (arrival: number): number | null => {
		if (arrival - windowStart >= 1000) {
			windowStart = arrival;
			inWindow = 0;
		}
		if (inWindow >= perSecond) return Math.max(1, Math.ceil((windowStart + 1000 - arrival) / 1000)) * 1000;
		inWindow++;
		return null;
	};
	const result: SimResult = { done: 0, failed: 0, rateLimited: 0, lastDoneAt: 0 };
	for (let i = 0; i < n; i++) {
		const pacer = nextPacer();
		let waited = 0;
		const step = () => {
			const slot = pacer.reserve(maxWaitMs - waited);
			if (!slot.ok) {
				result.failed++;
				return;
			}
			if (slot.full) {
				void pacer.waitForRoom().then(() => at(clock.t, step));
				return;
			}
			const go = () => {
				waited += slot.waitMs;
				if (!pacer.stillValid(slot)) return step();
				const sent = pacer.sending();
				const retryAfter = server(clock.t + latencyMs / 2);
				at(clock.t + latencyMs, () => {
					if (retryAfter === null) {
						pacer.answered(sent, null);
						result.done++;
						result.lastDoneAt = clock.t;
						return;
					}
					result.rateLimited++;
					pacer.answered(sent, clock.t + retryAfter);
					step();
				});
			};
			// As in the transport: a slot for now is sent at once, with no wait in between.
			if (slot.waitMs === 0) go();
			else at(slot.sendAt, go);
		};
		at(0, step);
	}
	while (events.length > 0) {
		events.sort((a, b) => a.at - b.at || a.seq - b.seq);
		const event = events.shift()!;
		clock.t = Math.max(clock.t, event.at);
		event.run();
		// Let promise callbacks (waitForRoom) schedule their events.
		for (let k = 0; k < 3; k++) await Promise.resolve();
	}
	return result;
}

describe('a burst of single-item executions against a fixed-window limit (simulated)', () => {
	const burst = { n: 200, perSecond: 20, latencyMs: 20, maxWaitMs: 60_000 };
	const ideal = (burst.n / burst.perSecond) * 1000;

	it('one shared pacer: all go through, close to N/R, few 429s', async () => {
		const result = await simulate({
			...burst,
			pacerFor: (clock) => {
				const shared = new AccountPacer(clock.now);
				return () => shared;
			},
		});
		expect(result.failed).toBe(0);
		expect(result.done).toBe(burst.n);
		expect(result.lastDoneAt).toBeLessThanOrEqual(ideal * 1.15);
		// Only the slow start's requests in flight when the first window ran out.
		expect(result.rateLimited).toBeLessThanOrEqual(8);
	});

	it('one shared pacer in the steady state: after the first hit, no further 429', async () => {
		// A pacer that already learned 20 per ~1 s from an earlier burst, still holding.
		const result = await simulate({
			...burst,
			pacerFor: (clock) => {
				const pacer = new AccountPacer(clock.now);
				acceptMany(pacer, 20);
				pacer.answered(pacer.sending(), clock.t + 1000);
				return () => pacer;
			},
		});
		expect(result.failed).toBe(0);
		expect(result.done).toBe(burst.n);
		expect(result.rateLimited).toBe(0);
		expect(result.lastDoneAt).toBeLessThanOrEqual(1000 + ideal * 1.05);
	});

	it('a gate per execution (the old behaviour): far more 429s', async () => {
		const result = await simulate({ ...burst, pacerFor: (clock) => () => new PerExecutionGate(clock.now) });
		const shared = await simulate({
			...burst,
			pacerFor: (clock) => {
				const pacer = new AccountPacer(clock.now);
				return () => pacer;
			},
		});
		expect(result.rateLimited).toBeGreaterThan(shared.rateLimited * 3);
	});
});
