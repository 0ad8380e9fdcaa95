import type { IDataObject } from 'n8n-workflow';

import type { Outcome } from '../helpers/types';
import { ACCOUNT_GROUPS_PATH } from './routes';
import { DEFAULT_TIMEOUT_MS, type RateLimitBudget, type SonarlyClient } from './index';
import { failure, unreadableSuccessFailure, type RequestPurpose } from './failures';

export interface ListPage {
	items: IDataObject[];
	/** Set only when Sonarly says there is more (its paging is undocumented, so it is optional). */
	nextCursor: string | null;
}

export interface ListRequest {
	cursor?: string;
	timeoutMs?: number;
	/** The rate-limit wait budget (the transport's default if unset); list searches pass a short one. */
	rateLimitBudget?: RateLimitBudget;
}

/** Fetches one page of a list: the cursor is undefined for the first page. */
export type PageFetcher = (cursor: string | undefined) => Promise<Outcome<ListPage>>;

export const LIST_ACCOUNT_GROUPS: RequestPurpose = {
	action: 'list the account groups',
	permission: null,
	target: 'list of account groups',
	safety: 'read',
};

export const LIST_CAMPAIGNS: RequestPurpose = {
	action: 'list the campaigns',
	permission: 'campaigns:read',
	target: 'account group',
	safety: 'read',
};

/** Safety net for `listAll`: a server that keeps sending new cursors cannot keep it busy forever. */
export const MAX_PAGES = 1000;
/** The most entries one item collects: more would not fit an execution anyway. */
export const MAX_LIST_ENTRIES = 100_000;

/** One page of account groups (the list search asks for one page per call). */
export async function listAccountGroups(
	client: SonarlyClient,
	request: ListRequest = {},
): Promise<Outcome<ListPage>> {
	return await fetchPage(client, { path: ACCOUNT_GROUPS_PATH, purpose: LIST_ACCOUNT_GROUPS }, request);
}

export interface ListAllOptions {
	/** Stop fetching once this many kept items are collected; null or absent means every page. */
	limit?: number | null;
	/** Only items it accepts are kept and counted towards the limit. */
	keep?: (item: IDataObject) => boolean;
	/** Pages to read at most before giving up (default MAX_PAGES). */
	maxPages?: number;
	/** Entries to collect at most before giving up (default MAX_LIST_ENTRIES). */
	maxEntries?: number;
	/** The field that identifies an entry (default `id`). */
	idField?: string;
}

/**
 * Follows `nextCursor` from page to page (the same page function the list searches use)
 * until Sonarly stops sending one, a cursor comes back that was already followed, or
 * `limit` kept items are collected. An entry seen before is not returned twice, and a page
 * with nothing new ends the list with a failure: a server that repeats itself under fresh
 * cursors would otherwise be read a thousand times.
 */
export async function listAll(
	fetchPageAt: PageFetcher,
	{ limit = null, keep, maxPages = MAX_PAGES, maxEntries = MAX_LIST_ENTRIES, idField = 'id' }: ListAllOptions = {},
): Promise<Outcome<IDataObject[]>> {
	const items: IDataObject[] = [];
	const followed = new Set<string>();
	const seen = new Set<string>();
	let cursor: string | undefined;
	for (let pages = 0; pages < maxPages; pages++) {
		const page = await fetchPageAt(cursor);
		if (!page.ok) return page;
		let fresh = 0;
		for (const item of page.value.items) {
			const id = String(item[idField]);
			if (seen.has(id)) continue;
			seen.add(id);
			fresh++;
			if (keep && !keep(item)) continue;
			if (items.length >= maxEntries) return { ok: false, failure: tooManyEntries(maxEntries) };
			items.push(item);
			if (limit !== null && items.length >= limit) return { ok: true, value: items };
		}
		const next = page.value.nextCursor;
		if (next !== null && fresh === 0) return { ok: false, failure: repeatedPage(pages + 1) };
		// A cursor seen before would only repeat pages already read: the list is complete.
		if (next === null || followed.has(next)) return { ok: true, value: items };
		followed.add(next);
		cursor = next;
	}
	return {
		ok: false,
		failure: failure({
			message: `Sonarly kept sending more pages after ${maxPages} pages, so the node stopped reading`,
			description:
				'Turn off Return All and set a Limit. If the list really is that long, contact Sonarly support: its paging may be looping.',
		}),
	};
}

function tooManyEntries(maxEntries: number) {
	return failure({
		message: `The list has more than ${maxEntries.toLocaleString('en-US')} entries, more than one item can hold`,
		description: 'Turn off Return All and set a Limit, or narrow the list with a filter.',
	});
}

function repeatedPage(pages: number) {
	return failure({
		reason: 'unclearAnswer',
		message: `Sonarly sent page ${pages} of the list again under a new cursor, so the node stopped reading`,
		description:
			'Nothing new came back, and following it would repeat the same page for ever. Run it again later; if it keeps happening, turn off Return All and set a Limit, and tell Sonarly support.',
	});
}

export interface PageQuery {
	path: string;
	purpose: RequestPurpose;
	/** Query parameters besides the cursor (filters). */
	qs?: IDataObject;
	/** The field that identifies an entry (default `id`). */
	idField?: string;
}

/** One page of a list: entries without an id are dropped. */
export async function fetchPage(
	client: SonarlyClient,
	{ path, purpose, qs, idField = 'id' }: PageQuery,
	{ cursor, timeoutMs = DEFAULT_TIMEOUT_MS, rateLimitBudget }: ListRequest,
): Promise<Outcome<ListPage>> {
	const query = { ...(qs ?? {}), ...(cursor ? { cursor } : {}) };
	const answer = await client.request<IDataObject>({
		method: 'GET',
		path,
		qs: Object.keys(query).length > 0 ? query : undefined,
		timeoutMs,
		purpose,
		rateLimitBudget,
	});
	if (!answer.ok) return answer;
	const { items, nextCursor, hasMore } = answer.value.data;
	if (!Array.isArray(items)) {
		return { ok: false, failure: unreadableSuccessFailure(200, purpose, answer.value.traceId) };
	}
	const more = typeof nextCursor === 'string' && nextCursor !== '' && hasMore !== false;
	return {
		ok: true,
		value: {
			items: items.filter((item): item is IDataObject => isListEntry(item, idField)),
			nextCursor: more ? nextCursor : null,
		},
	};
}

/**
 * Only objects with an id are entries. Anything else is dropped: an entry shaped like
 * `{ error, message }` would otherwise be routed to the error output by n8n.
 */
function isListEntry(item: unknown, idField: string): boolean {
	if (typeof item !== 'object' || item === null || Array.isArray(item)) return false;
	const id = (item as IDataObject)[idField];
	return (typeof id === 'string' && id !== '') || typeof id === 'number';
}
