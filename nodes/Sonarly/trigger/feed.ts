import type { IDataObject } from 'n8n-workflow';

import type { Outcome } from '../helpers/types';
import { BOUNDARY_IDS, MAX_KNOWN_IDS } from './limits';

/**
 * Finding what is new in one of Sonarly's cursor lists (messages, audiences, jobs, scans)
 * without a documented sort order and without a documented timestamp field.
 *
 * What it relies on: each item has a stable id; the list is the same between polls except for
 * items added (and removed); new items appear *above* the items the trigger already knows
 * (newest first), or anywhere when the trigger knows the whole list. What it never relies on:
 * any field but the id, or the form of a cursor (offset or keyset: a page that shifts only
 * repeats items already seen, which are skipped).
 *
 * - A poll reads from the top until a page holds an id it knows (the known point), the list
 *   ends, or its page budget is spent.
 * - An unknown item is new when it comes before the last known item read (between known items,
 *   e.g. an older message synced late, it is new too), when no known item was read at all, or
 *   when the remembered ids cover the whole list (`complete`). An unknown item after the last
 *   known one is older than anything seen so far: it is remembered, never emitted.
 * - A burst longer than one poll's pages is emitted newest part first, and the rest is read by
 *   the next polls from where this one stopped (`backlog`) down to the ids that were the top of
 *   the list before the burst (`stop`).
 * - Emitted ids are remembered, so nothing is emitted twice while it is among the newest
 *   MAX_KNOWN_IDS items.
 */

export interface Page {
	items: IDataObject[];
	/** Set only when Sonarly says there is a next page. */
	nextCursor: string | null;
}

/** Reads one page: `cursor` is undefined for the first page. */
export type PageReader = (cursor: string | undefined) => Promise<Outcome<Page>>;

/** The id of an item, or null when it has none (such an item is never emitted). */
export type IdOf = (item: IDataObject) => string | null;

export interface Backlog {
	/** Where the next poll goes on reading the burst. */
	cursor: string;
	/** The ids that were at the top of the list before the burst: reading stops there. */
	stop: string[];
	/** Items of this burst emitted so far. */
	emitted: number;
}

export interface FeedState {
	/** Ids the trigger knows, newest first as last read, at most MAX_KNOWN_IDS. */
	known: string[];
	/** True when `known` held every id of the list at the last poll. */
	complete: boolean;
	backlog: Backlog | null;
}

/** A poll's shared budget: pages left, and whether there is time for one more. */
export interface PollClock {
	pagesLeft: number;
	hasTime(): boolean;
}

export interface FeedScan {
	/** The new items, in the order of the list (newest first). */
	fresh: IDataObject[];
	/** Every item read, once, in the order of the list. */
	seen: IDataObject[];
	state: FeedState;
}

interface Entry {
	id: string;
	item: IDataObject;
}

interface Run {
	entries: Entry[];
	/** A page held a boundary id. */
	boundary: boolean;
	/** The list ended (no next page, or a cursor came back that was already followed). */
	end: boolean;
	/** Where to go on when the budget ran out first; null otherwise. */
	resumeAt: string | null;
	pages: number;
}

/**
 * Reads pages from `start` until one holds a boundary id, the list ends or the budget runs
 * out. `firstPageAlways` reads the first page even when the budget says no.
 */
async function readRun(
	read: PageReader,
	idOf: IdOf,
	start: string | undefined,
	isBoundary: (id: string) => boolean,
	clock: PollClock,
	firstPageAlways: boolean,
): Promise<Outcome<Run>> {
	const entries: Entry[] = [];
	const followed = new Set<string>(start === undefined ? [] : [start]);
	let cursor = start;
	let pages = 0;
	for (;;) {
		const mayRead = (firstPageAlways && pages === 0) || (clock.pagesLeft > 0 && clock.hasTime());
		if (!mayRead) {
			return {
				ok: true,
				value: { entries, boundary: false, end: false, resumeAt: cursor ?? null, pages },
			};
		}
		clock.pagesLeft--;
		pages++;
		const page = await read(cursor);
		if (!page.ok) return page;
		let boundary = false;
		for (const item of page.value.items) {
			const id = idOf(item);
			if (id === null) continue;
			entries.push({ id, item });
			if (isBoundary(id)) boundary = true;
		}
		const next = page.value.nextCursor;
		const end = next === null || followed.has(next);
		if (boundary || end)
			return { ok: true, value: { entries, boundary, end, resumeAt: null, pages } };
		followed.add(next);
		cursor = next;
	}
}

/** The first poll: reads the top of the list (or all of it) and remembers it; emits nothing. */
export async function seedFeed(
	read: PageReader,
	idOf: IdOf,
	clock: PollClock,
): Promise<Outcome<{ seen: IDataObject[]; state: FeedState }>> {
	const run = await readRun(read, idOf, undefined, () => false, clock, true);
	if (!run.ok) return run;
	const ids = new Set<string>();
	const seen: IDataObject[] = [];
	for (const { id, item } of run.value.entries) {
		if (ids.has(id)) continue;
		ids.add(id);
		seen.push(item);
	}
	const known = [...ids].slice(0, MAX_KNOWN_IDS);
	return {
		ok: true,
		value: {
			seen,
			state: { known, complete: run.value.end && known.length === ids.size, backlog: null },
		},
	};
}

/** A later poll: what is new since `prev`, and the state to keep. */
export async function scanFeed(
	read: PageReader,
	idOf: IdOf,
	prev: FeedState,
	clock: PollClock,
): Promise<Outcome<FeedScan>> {
	const known = new Set(prev.known);
	const seenIds = new Set<string>();
	const order: string[] = [];
	const seen: IDataObject[] = [];
	const fresh: IDataObject[] = [];

	/** Takes a run's items once each; `isNew(index)` decides for the unknown ones. */
	const take = (
		entries: Entry[],
		isBoundary: (id: string) => boolean,
		anyUnknownIsNew: boolean,
	) => {
		let lastBoundary = -1;
		entries.forEach(({ id }, index) => {
			if (isBoundary(id)) lastBoundary = index;
		});
		let count = 0;
		entries.forEach(({ id, item }, index) => {
			if (seenIds.has(id)) return;
			seenIds.add(id);
			order.push(id);
			seen.push(item);
			if (known.has(id)) return;
			if (anyUnknownIsNew || lastBoundary === -1 || index < lastBoundary) {
				fresh.push(item);
				count++;
			}
		});
		return count;
	};

	const head = await readRun(read, idOf, undefined, (id) => known.has(id), clock, true);
	if (!head.ok) return head;
	const headFresh = take(head.value.entries, (id) => known.has(id), prev.complete);

	let backlog: Backlog | null = prev.backlog;
	if (!head.value.boundary && !head.value.end && head.value.resumeAt !== null) {
		// A burst longer than this poll's pages: the rest is read from here by the next polls,
		// down to the top of the list as it was before (an earlier burst's boundary, if any).
		backlog = {
			cursor: head.value.resumeAt,
			stop: prev.backlog?.stop ?? prev.known.slice(0, BOUNDARY_IDS),
			emitted: (prev.backlog?.emitted ?? 0) + headFresh,
		};
	} else if (prev.backlog !== null) {
		const stop = new Set(prev.backlog.stop);
		const run = await readRun(read, idOf, prev.backlog.cursor, (id) => stop.has(id), clock, false);
		if (!run.ok) return run;
		const count = take(run.value.entries, (id) => stop.has(id), false);
		// Everything emitted while a burst is being read lies between the top and its boundary.
		backlog =
			run.value.resumeAt !== null
				? {
						cursor: run.value.resumeAt,
						stop: prev.backlog.stop,
						emitted: prev.backlog.emitted + headFresh + count,
					}
				: null;
	}
	// The remembered ids protect a burst from being emitted twice only while they hold all of
	// it: a longer one is left unfinished (its oldest items are skipped, never repeated).
	if (backlog !== null && backlog.emitted >= MAX_KNOWN_IDS - 2 * BOUNDARY_IDS) backlog = null;

	const all = [...order, ...prev.known.filter((id) => !seenIds.has(id))];
	const next = all.slice(0, MAX_KNOWN_IDS);
	const evicted = next.length < all.length;
	return {
		ok: true,
		value: {
			fresh,
			seen,
			state: {
				known: next,
				complete: (head.value.end || prev.complete) && !evicted,
				backlog,
			},
		},
	};
}

/** Adds ids at the front of the remembered ones (e.g. jobs emitted after a direct read). */
export function remember(state: FeedState, ids: string[]): FeedState {
	if (ids.length === 0) return state;
	const adding = new Set(ids);
	const all = [...ids, ...state.known.filter((id) => !adding.has(id))];
	const known = all.slice(0, MAX_KNOWN_IDS);
	return { ...state, known, complete: state.complete && known.length === all.length };
}
