/**
 * The Sonarly Trigger's list scanning (nodes/Sonarly/trigger/feed.ts) and its state, as pure
 * functions over simulated lists: whatever the paging (offset or keyset cursors, any page
 * size), bursts, deletions and failed polls, every new item is emitted exactly once and no
 * item that existed before the first poll ever is.
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import {
	remember,
	scanFeed,
	seedFeed,
	type FeedState,
	type Page,
	type PageReader,
	type PollClock,
} from '../../nodes/Sonarly/trigger/feed';
import {
	BOUNDARY_IDS,
	MAX_KNOWN_IDS,
	MAX_PAGES_PER_POLL,
	MAX_STATE_BYTES,
} from '../../nodes/Sonarly/trigger/limits';
import { readState, stateBytes, writeState } from '../../nodes/Sonarly/trigger/state';
import { forPoll } from '../../nodes/Sonarly/trigger/poll';
import { failure, statusFailure } from '../../nodes/Sonarly/transport/failures';
import type { Outcome } from '../../nodes/Sonarly/helpers/types';

const idOf = (item: IDataObject) => (typeof item.id === 'string' ? item.id : null);
const clock = (pages = MAX_PAGES_PER_POLL): PollClock => ({
	pagesLeft: pages,
	hasTime: () => true,
});

/** A simulated Sonarly list: `items` in list order; pages by offset or keyset cursor. */
class FakeList {
	items: string[] = [];
	reads = 0;
	failAt: number | null = null;

	constructor(
		public pageSize: number,
		private readonly cursors: 'offset' | 'keyset' = 'offset',
	) {}

	reader(): PageReader {
		return async (cursor) => {
			this.reads++;
			if (this.failAt !== null && this.reads === this.failAt) {
				return {
					ok: false,
					failure: failure({ message: 'boom', description: '' }),
				} as Outcome<Page>;
			}
			let start = 0;
			if (cursor !== undefined) {
				if (this.cursors === 'offset') start = Number(cursor);
				else {
					const after = this.items.indexOf(cursor);
					// A keyset cursor whose item is gone: the next one after where it was (newest
					// first, ids grow with time here).
					start = after === -1 ? this.items.findIndex((id) => id < cursor) : after + 1;
					if (start === -1) start = this.items.length;
				}
			}
			const slice = this.items.slice(start, start + this.pageSize);
			const more = start + this.pageSize < this.items.length;
			const next =
				this.cursors === 'offset' ? String(start + this.pageSize) : slice[slice.length - 1];
			return {
				ok: true,
				value: { items: slice.map((id) => ({ id })), nextCursor: more ? next : null },
			};
		};
	}
}

let counter = 0;
const newIds = (n: number) =>
	Array.from({ length: n }, () => `m${String(++counter).padStart(8, '0')}`);

describe('scanFeed on a newest-first list', () => {
	it('emits every new item exactly once whatever the bursts, deletions, paging and failed polls (property)', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.integer({ min: 1, max: 30 }),
				fc.constantFrom<'offset' | 'keyset'>('offset', 'keyset'),
				fc.integer({ min: 0, max: 60 }),
				fc.array(
					fc.record({
						add: fc.integer({ min: 0, max: 400 }),
						remove: fc.array(fc.double({ min: 0, max: 0.999, noNaN: true }), { maxLength: 4 }),
						failAt: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
					}),
					{ minLength: 1, maxLength: 12 },
				),
				async (pageSize, cursors, initial, rounds) => {
					const list = new FakeList(pageSize, cursors);
					list.items = newIds(initial).reverse();
					const before = new Set(list.items);
					const seeded = await seedFeed(list.reader(), idOf, clock());
					if (!seeded.ok) throw new Error('seed failed');
					let state: FeedState = seeded.value.state;
					const emitted: string[] = [];
					const added: string[] = [];
					// An offset cursor saved for a burst points at another item once an item above it is
					// deleted: any reader then skips one. Sonarly's cursor is a keyset (its example
					// decodes to a createdAt), where this cannot happen.
					let shiftedOffset = false;
					const poll = async () => {
						const scan = await scanFeed(list.reader(), idOf, state, clock());
						list.failAt = null;
						if (!scan.ok) return;
						emitted.push(...scan.value.fresh.map((item) => item.id as string));
						state = scan.value.state;
					};
					for (const round of rounds) {
						const fresh = newIds(round.add);
						added.push(...fresh);
						list.items = [...fresh.reverse(), ...list.items];
						// Some items disappear (deleted in Sonarly), anywhere in the list.
						if (cursors === 'offset' && state.backlog !== null && round.remove.length > 0) shiftedOffset = true;
						for (const at of round.remove) {
							if (list.items.length > 0) list.items.splice(Math.floor(at * list.items.length), 1);
						}
						list.reads = 0;
						list.failAt = round.failAt;
						await poll();
					}
					// Then polls until the last burst is read.
					for (let i = 0; i < 1000; i++) {
						await poll();
						if (state.backlog === null) break;
					}
					expect(new Set(emitted).size).toBe(emitted.length);
					for (const id of emitted) expect(before.has(id)).toBe(false);
					// Nothing added is missed (deleted ones aside) while the unread part of the bursts
					// stays within what the remembered ids protect; beyond, the oldest are skipped.
					if (added.length < MAX_KNOWN_IDS - 2 * BOUNDARY_IDS && !shiftedOffset) {
						const present = new Set(list.items);
						const missed = added.filter((id) => present.has(id) && !emitted.includes(id));
						expect(missed).toEqual([]);
					}
				},
			),
			{ numRuns: 150 },
		);
	});

	it('reads one page when nothing is new, and at most its page budget for a burst', async () => {
		const list = new FakeList(20);
		list.items = newIds(100).reverse();
		const seeded = await seedFeed(list.reader(), idOf, clock());
		if (!seeded.ok) throw new Error('seed failed');
		list.reads = 0;
		const idle = await scanFeed(list.reader(), idOf, seeded.value.state, clock());
		expect(list.reads).toBe(1);
		expect(idle.ok && idle.value.fresh).toEqual([]);
		list.items = [...newIds(500).reverse(), ...list.items];
		list.reads = 0;
		const burst = await scanFeed(list.reader(), idOf, seeded.value.state, clock());
		expect(list.reads).toBe(MAX_PAGES_PER_POLL);
		expect(burst.ok && burst.value.fresh).toHaveLength(200);
		expect(burst.ok && burst.value.state.backlog).toEqual(
			expect.objectContaining({ emitted: 200 }),
		);
	});

	it('an unknown item after the last known one is older than anything seen: remembered, not emitted', async () => {
		const list = new FakeList(5);
		list.items = ['e', 'd', 'c', 'b', 'a', 'z'];
		const state: FeedState = { known: ['e', 'd', 'c'], complete: false, backlog: null };
		const scan = await scanFeed(list.reader(), idOf, state, clock());
		expect(scan.ok && scan.value.fresh).toEqual([]);
		expect(scan.ok && scan.value.state.known).toEqual(['e', 'd', 'c', 'b', 'a']);
	});

	it('when the remembered ids cover the whole list, a new item anywhere is new (e.g. an oldest-first list)', async () => {
		const list = new FakeList(50);
		list.items = ['a', 'b', 'c'];
		const seeded = await seedFeed(list.reader(), idOf, clock());
		if (!seeded.ok) throw new Error('seed failed');
		expect(seeded.value.state.complete).toBe(true);
		list.items = ['a', 'b', 'c', 'd'];
		const scan = await scanFeed(list.reader(), idOf, seeded.value.state, clock());
		expect(scan.ok && scan.value.fresh).toEqual([{ id: 'd' }]);
		expect(scan.ok && scan.value.state.complete).toBe(true);
	});

	it('a cursor that comes back is the end of the list, not a loop', async () => {
		const read: PageReader = async () => ({
			ok: true,
			value: { items: [{ id: 'x' }], nextCursor: 'same' },
		});
		const seeded = await seedFeed(read, idOf, clock());
		expect(seeded.ok && seeded.value.state).toEqual({
			known: ['x'],
			complete: true,
			backlog: null,
		});
	});

	it('items without an id are never emitted', async () => {
		const read: PageReader = async () => ({
			ok: true,
			value: {
				items: [{ error: 'x', message: 'y' }, { id: 'new' }, { id: 'old' }],
				nextCursor: null,
			},
		});
		const scan = await scanFeed(
			read,
			idOf,
			{ known: ['old'], complete: false, backlog: null },
			clock(),
		);
		expect(scan.ok && scan.value.fresh).toEqual([{ id: 'new' }]);
	});
});

describe('the stored state', () => {
	it('stays under its size limit whatever the ids look like', () => {
		const long = (n: number) => `${'x'.repeat(200)}-${n}`;
		const data: IDataObject = {};
		writeState(data, 'key', {
			kind: 'list',
			list: {
				known: Array.from({ length: MAX_KNOWN_IDS }, (_, n) => long(n)),
				complete: true,
				backlog: null,
				pending: [],
			},
		});
		expect(stateBytes(data)).toBeLessThanOrEqual(MAX_STATE_BYTES);
		expect(data.complete).toBe(false);
		expect((data.known as string[])[0]).toBe(long(0));
	});

	it('is versioned and keyed: another key or version starts afresh; unknown keys are dropped', () => {
		const data: IDataObject = { leftover: true };
		writeState(data, 'k1', {
			kind: 'list',
			list: { known: ['a'], complete: false, backlog: null, pending: [] },
		});
		expect(data).toEqual({
			v: 1,
			key: 'k1',
			known: ['a'],
			complete: false,
			backlog: null,
			pending: [],
		});
		expect(readState(data, 'k1')).toEqual({
			kind: 'list',
			list: { known: ['a'], complete: false, backlog: null, pending: [] },
		});
		expect(readState(data, 'k2')).toBeNull();
		expect(readState({ ...data, v: 2 }, 'k1')).toBeNull();
		writeState(data, 'k1', {
			kind: 'campaigns',
			campaigns: { statuses: ['active'], campaigns: { c1: 0 } },
		});
		expect(data).toEqual({ v: 1, key: 'k1', statuses: ['active'], campaigns: { c1: 0 } });
		expect(readState({ ...data, campaigns: { c1: 3 } }, 'k1')).toBeNull();
	});

	it('remember() puts ids in front without doubles', () => {
		expect(remember({ known: ['a', 'b'], complete: true, backlog: null }, ['b', 'c'])).toEqual({
			known: ['b', 'c', 'a'],
			complete: true,
			backlog: null,
		});
	});
});

describe('poll failures', () => {
	const purpose = {
		action: 'list the messages',
		permission: 'messages:read',
		target: 'account group',
		safety: 'read' as const,
	};

	it('say the trigger keeps its place, and give no advice about options the trigger does not have', () => {
		const rateLimited = forPoll(statusFailure(429, null, purpose, 120));
		expect(rateLimited.message).toBe("Sonarly's rate limit was reached, so this poll stopped");
		expect(rateLimited.description).toMatch(/keeps its place/);
		expect(rateLimited.description).not.toMatch(/Options|Timeout/);
		const forbidden = forPoll(statusFailure(403, null, purpose, null));
		expect(forbidden.description).toMatch(/messages:read.*keeps its place/);
		const network = forPoll(
			failure({
				message: 'Sonarly did not answer within 15000 ms',
				description: 'raise the Timeout option',
				code: 'ETIMEDOUT',
			}),
		);
		expect(network.description).not.toMatch(/Timeout option/);
		expect(network.description).toMatch(/keeps its place.*ETIMEDOUT/);
	});
});
