import {
	NodeOperationError,
	type IDataObject,
	type ILoadOptionsFunctions,
	type INodeListSearchItems,
	type INodeListSearchResult,
} from 'n8n-workflow';

import { toNodeError } from '../helpers/errors';
import { checkId } from '../helpers/ids';
import type { Outcome, SonarlyFailure } from '../helpers/types';
import { createClient, DEFAULT_TIMEOUT_MS, rateLimitBudget, type SonarlyClient } from '../transport';
import { failure, type RequestPurpose } from '../transport/failures';
import { fetchPage, LIST_CAMPAIGNS, listAccountGroups, type ListPage, type ListRequest } from '../transport/list';
import { route } from '../transport/routes';

/**
 * A list search waits at most this long in all for Sonarly's rate limit: the dropdown spins
 * meanwhile, so it then says "try again" rather than wait the execution's 60 s.
 */
export const LIST_SEARCH_RATE_LIMIT_WAIT_SECONDS = 5;

/**
 * With a search text, the list search reads up to this many pages of Sonarly's answer per
 * call (n8n does not ask for more pages by itself while a search text is typed; scrolling to
 * the end of the list reads the next ones). Without one, it reads one page per call and n8n
 * asks for the next page as the user scrolls.
 */
export const LIST_SEARCH_MAX_PAGES = 10;

type PageReader = (client: SonarlyClient, request: ListRequest) => Promise<Outcome<ListPage>>;

export async function searchAccountGroups(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await search(this, listAccountGroups, filter, paginationToken, (group) => ({
		name: group.name ? String(group.name) : String(group.id),
		value: String(group.id),
	}));
}

export async function searchCampaigns(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
	return await searchInGroup(this, 'campaign', ['campaigns'], LIST_CAMPAIGNS, filter, paginationToken);
}

export async function searchAudiences(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
	return await searchInGroup(this, 'audience', ['audiences'], LIST_AUDIENCES, filter, paginationToken);
}

export async function searchSavedSearches(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
	return await searchInGroup(this, 'saved search', ['sales-navigator', 'saved-searches'], LIST_SALES_NAVIGATOR, filter, paginationToken);
}

export async function searchLeadLists(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
	return await searchInGroup(this, 'lead list', ['sales-navigator', 'lead-lists'], LIST_SALES_NAVIGATOR, filter, paginationToken);
}

export async function searchValuePropositions(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
	return await searchInGroup(this, 'value proposition', ['value-propositions'], LIST_TEMPLATES, filter, paginationToken);
}

/** The starter templates, with the ones Sonarly marks unavailable said so in their label. */
export async function searchStarterTemplates(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
	return await searchInGroup(this, 'starter template', ['campaigns', 'starter-templates'], LIST_CAMPAIGNS, filter, paginationToken, (template) => ({
		name: `${template.name ? String(template.name) : String(template.id)}${template.available === false ? ' (not available)' : ''}`,
		value: String(template.id),
	}));
}

/** The folders of the audience navigation (one page: Sonarly does not page it). */
export async function searchFolders(this: ILoadOptionsFunctions, filter?: string) {
	const group = chosenGroup(this, 'folder');
	if (!group.ok) return group.value;
	return await search(
		this,
		async (client, request) => {
			const answer = await client.request<IDataObject>({ method: 'GET', path: route(group.value, 'audiences', 'navigation'), timeoutMs: DEFAULT_TIMEOUT_MS, purpose: LIST_AUDIENCES, rateLimitBudget: request.rateLimitBudget });
			if (!answer.ok) return answer;
			const folders = Array.isArray(answer.value.data.folders) ? (answer.value.data.folders as IDataObject[]) : [];
			return { ok: true, value: { items: folders, nextCursor: null } };
		},
		filter,
		undefined,
		named,
	);
}

const LIST_AUDIENCES: RequestPurpose = { action: 'list the audiences', permission: 'audiences:read', target: 'account group', safety: 'read' };
const LIST_SALES_NAVIGATOR: RequestPurpose = { action: 'list the Sales Navigator searches and lists', permission: 'prospecting:read', target: 'account group', safety: 'read' };
const LIST_TEMPLATES: RequestPurpose = { action: 'list the templates', permission: 'templates:read', target: 'account group', safety: 'read' };

const named = (record: IDataObject): INodeListSearchItems => ({
	name: record.name ? String(record.name) : String(record.id),
	value: String(record.id),
});

/**
 * The account group chosen above, or the one entry the editor cannot pick that says why there
 * is none (a thrown error would reach the browser as an HTTP 500 and a "Could not load list"
 * box, though nothing failed).
 */
function chosenGroup(context: ILoadOptionsFunctions, noun: string): { ok: true; value: string } | { ok: false; value: INodeListSearchResult } {
	const accountGroupId = checkId(context.getCurrentNodeParameter('accountGroupId', { extractValue: true }), 'Account Group', 0);
	if (accountGroupId.ok && !accountGroupId.value.startsWith('=')) return { ok: true, value: accountGroupId.value };
	const name = accountGroupId.ok
		? `The account group comes from an expression: enter the ${noun} By ID`
		: 'Choose an account group first';
	return { ok: false, value: { results: [{ name, value: false }] } };
}

/** A list of the chosen account group, by name (the label is the name only: n8n saves it with the choice). */
async function searchInGroup(
	context: ILoadOptionsFunctions,
	noun: string,
	parts: string[],
	purpose: RequestPurpose,
	filter: string | undefined,
	paginationToken: string | undefined,
	toItem: (record: IDataObject) => INodeListSearchItems = named,
): Promise<INodeListSearchResult> {
	const group = chosenGroup(context, noun);
	if (!group.ok) return group.value;
	const path = route(group.value, ...parts);
	return await search(context, async (client, request) => await fetchPage(client, { path, purpose }, request), filter, paginationToken, toItem);
}

async function search(
	context: ILoadOptionsFunctions,
	readPage: PageReader,
	filter: string | undefined,
	paginationToken: string | undefined,
	toItem: (record: IDataObject) => INodeListSearchItems,
): Promise<INodeListSearchResult> {
	const client = asLookup(unwrap(context, await createClient(context)));
	const needle = filter?.trim() ?? '';
	const matches = (item: INodeListSearchItems) =>
		needle === '' ||
		item.name.toLowerCase().includes(needle.toLowerCase()) ||
		item.value === needle;
	const maxPages = needle === '' ? 1 : LIST_SEARCH_MAX_PAGES;
	const results: INodeListSearchItems[] = [];
	// One short budget for the whole search, however many pages it reads.
	const budget = rateLimitBudget(LIST_SEARCH_RATE_LIMIT_WAIT_SECONDS);
	const followed = new Set<string>(paginationToken === undefined ? [] : [paginationToken]);
	let cursor = paginationToken;
	for (let pages = 0; pages < maxPages; pages++) {
		const page = unwrap(context, await readPage(client, { cursor, rateLimitBudget: budget }));
		for (const record of page.items) {
			if (record.id === undefined || record.id === null) continue;
			const item = toItem(record);
			if (matches(item)) results.push(item);
		}
		const next = page.nextCursor;
		// A cursor already followed would only repeat pages: the list is complete.
		if (next === null || followed.has(next)) return { results };
		followed.add(next);
		cursor = next;
	}
	// More pages remain: n8n asks for them with this token when the user scrolls to the end.
	return { results, paginationToken: cursor };
}

/**
 * A list search is a lookup beside the executions: it waits out a hold their 429s set (within
 * its short budget) but never holds them itself, and a hold it cannot wait out is worded for
 * the dropdown, never with an execution's options.
 */
function asLookup(client: SonarlyClient): SonarlyClient {
	const lookup = { heldBack: heldBackFailure };
	return { ...client, request: async (request) => await client.request({ ...request, lookup }) };
}

function heldBackFailure(openAt: number): SonarlyFailure {
	const seconds = Math.max(1, Math.ceil((openAt - Date.now()) / 1000));
	const wait = seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
	return failure({
		message: `Sonarly is busy right now: try again in ${wait}`,
		description:
			'Workflows using this Sonarly account reached its rate limit, so the list was not loaded (nothing was changed). Open the list again then, or enter the ID By ID.',
	});
}

function unwrap<T>(context: ILoadOptionsFunctions, outcome: Outcome<T>): T {
	if (outcome.ok) return outcome.value;
	// The pages are read one after the other, so a wait the budget cannot cover always follows
	// this search's own 429: the failure carries it.
	if (outcome.failure.httpCode === 429) throw busyError(context, outcome.failure);
	throw toNodeError(context.getNode(), outcome.failure);
}

function busyError(context: ILoadOptionsFunctions, failure: SonarlyFailure) {
	const trace = failure.traceId ? ` Trace ID for Sonarly support: ${failure.traceId}.` : '';
	return new NodeOperationError(
		context.getNode(),
		'Sonarly is busy right now: try again in a few seconds',
		{
			description: `Sonarly's rate limit refused the list for the moment (nothing was changed). Close the list and open it again in a few seconds, or enter the ID By ID.${trace}`,
		},
	);
}
