import type { IDataObject } from 'n8n-workflow';

import type { Outcome } from '../helpers/types';
import { ACCOUNT_GROUPS_PATH, campaignsPath } from './routes';
import { DEFAULT_TIMEOUT_MS, type SonarlyClient } from './index';
import { failure, unreadableSuccessFailure, type RequestPurpose } from './failures';

export interface ListPage {
	items: IDataObject[];
	/** Set only when Sonarly says there is more (its paging is undocumented, so it is optional). */
	nextCursor: string | null;
}

export interface ListRequest {
	cursor?: string;
	timeoutMs?: number;
}

/** Fetches one page of a list: the cursor is undefined for the first page. */
export type PageFetcher = (cursor: string | undefined) => Promise<Outcome<ListPage>>;

export const LIST_ACCOUNT_GROUPS: RequestPurpose = {
	action: 'list the account groups',
	permission: null,
	target: 'list of account groups',
};

export const LIST_CAMPAIGNS: RequestPurpose = {
	action: 'list the campaigns',
	permission: 'campaigns:read',
	target: 'account group',
};

/** Safety net for `listAll`: a server that keeps sending new cursors cannot keep it busy forever. */
export const MAX_PAGES = 1000;

/** One page of account groups (the list search asks for one page per call). */
export async function listAccountGroups(
	client: SonarlyClient,
	request: ListRequest = {},
): Promise<Outcome<ListPage>> {
	return await fetchPage(client, ACCOUNT_GROUPS_PATH, LIST_ACCOUNT_GROUPS, request);
}

/** One page of the campaigns of an account group (the list search asks for one page per call). */
export async function listCampaigns(
	client: SonarlyClient,
	accountGroupId: string,
	request: ListRequest = {},
): Promise<Outcome<ListPage>> {
	return await fetchPage(client, campaignsPath(accountGroupId), LIST_CAMPAIGNS, request);
}

export interface ListAllOptions {
	/** Stop fetching once this many kept items are collected; null or absent means every page. */
	limit?: number | null;
	/** Only items it accepts are kept and counted towards the limit. */
	keep?: (item: IDataObject) => boolean;
	/** Pages to read at most before giving up (default MAX_PAGES). */
	maxPages?: number;
}

/**
 * Follows `nextCursor` from page to page (the same page function the list searches use)
 * until Sonarly stops sending one, a cursor comes back that was already followed, or
 * `limit` kept items are collected.
 */
export async function listAll(
	fetchPageAt: PageFetcher,
	{ limit = null, keep, maxPages = MAX_PAGES }: ListAllOptions = {},
): Promise<Outcome<IDataObject[]>> {
	const items: IDataObject[] = [];
	const followed = new Set<string>();
	let cursor: string | undefined;
	for (let pages = 0; pages < maxPages; pages++) {
		const page = await fetchPageAt(cursor);
		if (!page.ok) return page;
		for (const item of page.value.items) {
			if (keep && !keep(item)) continue;
			items.push(item);
			if (limit !== null && items.length >= limit) return { ok: true, value: items };
		}
		const next = page.value.nextCursor;
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

async function fetchPage(
	client: SonarlyClient,
	path: string,
	purpose: RequestPurpose,
	{ cursor, timeoutMs = DEFAULT_TIMEOUT_MS }: ListRequest,
): Promise<Outcome<ListPage>> {
	const answer = await client.request<IDataObject>({
		method: 'GET',
		path,
		qs: cursor ? { cursor } : undefined,
		timeoutMs,
		purpose,
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
			items: items.filter(isListEntry),
			nextCursor: more ? nextCursor : null,
		},
	};
}

/**
 * Only objects with an id are campaigns or account groups. Anything else is dropped: an entry
 * shaped like `{ error, message }` would otherwise be routed to the error output by n8n.
 */
function isListEntry(item: unknown): item is IDataObject {
	if (typeof item !== 'object' || item === null || Array.isArray(item)) return false;
	const { id } = item as IDataObject;
	return (typeof id === 'string' && id !== '') || typeof id === 'number';
}
