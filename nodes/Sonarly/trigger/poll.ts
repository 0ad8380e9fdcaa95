import {
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type IPollFunctions,
} from 'n8n-workflow';

import { toNodeError } from '../helpers/errors';
import type { Outcome, SonarlyFailure } from '../helpers/types';
import {
	createClient,
	rateLimitBudget,
	type RateLimitBudget,
	type SonarlyClient,
} from '../transport';
import { unreadableSuccessFailure, type RequestPurpose } from '../transport/failures';
import {
	EVENTS,
	TRIGGER_EVENTS,
	campaignEventId,
	idIn,
	isFinal,
	oldestFirst,
	type CampaignEvent,
	type ListEvent,
	type TriggerEvent,
} from './events';
import { remember, scanFeed, seedFeed, type Page, type PageReader, type PollClock } from './feed';
import {
	MANUAL_MAX_PAGES,
	MAX_CAMPAIGN_PAGES,
	MAX_CAMPAIGNS,
	MAX_PAGES_PER_POLL,
	MAX_PENDING,
	MIN_TIME_FOR_A_PAGE_MS,
	PENDING_CHECKS_PER_POLL,
	POLL_BUDGET_MS,
	RATE_LIMIT_WAIT_SECONDS,
	REQUEST_TIMEOUT_MS,
	SEED_MAX_PAGES,
} from './limits';
import { readState, writeState, type CampaignState, type ListState } from './state';

/**
 * One poll of the Sonarly Trigger. In production it reads the state, finds what is new, and
 * stores the new state only once everything succeeded; a failure throws (n8n's own error
 * classes, so the failed execution keeps the message) and leaves the state as it was, so the
 * next poll emits what this one could not. A test run ("Fetch Test Event") returns the newest
 * matching event and neither reads nor changes the state.
 */
export async function pollSonarly(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const settings = readSettings(this);
	const client = orThrow(this, await createClient(this));
	const poll = new PollRun(this, client, settings);
	if (this.getMode() === 'manual') return toOutput(await poll.testEvent());

	const data = this.getWorkflowStaticData('node');
	const stored = readState(data, settings.key);
	const definition = EVENTS[settings.event];
	if (definition.kind === 'campaigns') {
		const prev = stored?.kind === 'campaigns' ? stored.campaigns : null;
		const { items, state } = await poll.campaigns(definition, prev);
		writeState(data, settings.key, { kind: 'campaigns', campaigns: state });
		return toOutput(items);
	}
	const prev = stored?.kind === 'list' ? stored.list : null;
	const { items, state } = await poll.list(definition, prev);
	writeState(data, settings.key, { kind: 'list', list: state });
	return toOutput(items);
}

interface Settings {
	accountGroupId: string;
	event: TriggerEvent;
	conversationId: string | null;
	/** What the state was recorded for: a change of any part starts afresh. */
	key: string;
}

function readSettings(context: IPollFunctions): Settings {
	const node = context.getNode();
	const rawGroup: unknown = context.getNodeParameter('accountGroupId', '', { extractValue: true });
	const accountGroupId = typeof rawGroup === 'number' ? String(rawGroup) : rawGroup;
	if (typeof accountGroupId !== 'string' || accountGroupId.trim() === '') {
		throw new NodeOperationError(node, 'Choose an Account Group', {
			description: 'Pick the account group to watch From List, or enter its ID By ID.',
		});
	}
	const groupId = accountGroupId.trim();
	if (groupId === '.' || groupId === '..') {
		throw new NodeOperationError(node, `The Account Group ID "${groupId}" is not a valid ID`, {
			description: 'Enter the ID as Sonarly shows it, usually 24 letters and digits.',
		});
	}
	const event = context.getNodeParameter('event', 'newMessage') as TriggerEvent;
	if (!TRIGGER_EVENTS.includes(event)) {
		throw new NodeOperationError(
			node,
			`The event "${String(event)}" is not one the Sonarly Trigger knows`,
			{
				description: 'Choose an Event from the list.',
			},
		);
	}
	let conversationId: string | null = null;
	if (event === 'newMessage') {
		const filters = context.getNodeParameter('filters', {}) as IDataObject;
		const raw = filters.conversationId;
		if (raw !== undefined && raw !== null && raw !== '') {
			if (typeof raw !== 'string' && typeof raw !== 'number') {
				throw new NodeOperationError(node, 'Filters → Conversation ID must be text', {
					description: 'Enter the conversation ID itself, not an object or a list.',
				});
			}
			conversationId = String(raw).trim() || null;
		}
	}
	return {
		accountGroupId: groupId,
		event,
		conversationId,
		key: JSON.stringify([groupId, event, conversationId]),
	};
}

/** The poll's budget: 30 s in all (less if n8n gives less), rate-limit waits included. */
class Budget implements PollClock {
	readonly deadline: number;
	readonly rateLimit: RateLimitBudget = rateLimitBudget(RATE_LIMIT_WAIT_SECONDS);
	pagesLeft: number;

	constructor(context: IPollFunctions) {
		// n8n 2.x says how long a poll may take (n8n 1.x does not): the shorter one counts.
		const given = typeof context.getPollBudgetMs === 'function' ? context.getPollBudgetMs() : NaN;
		const total =
			Number.isFinite(given) && given > 0 ? Math.min(given, POLL_BUDGET_MS) : POLL_BUDGET_MS;
		this.deadline = Date.now() + total;
		this.pagesLeft = 0;
	}

	/** Starts a phase of the poll that may read `pages` pages (the deadline stays the poll's). */
	pages(pages: number): this {
		this.pagesLeft = pages;
		return this;
	}

	hasTime(): boolean {
		return this.deadline - Date.now() > MIN_TIME_FOR_A_PAGE_MS;
	}

	/** A request's timeout: what is left once the rate-limit wait still allowed is set aside. */
	timeoutMs(): number {
		const waitLeft = RATE_LIMIT_WAIT_SECONDS * 1000 - this.rateLimit.waitedMs;
		const left = this.deadline - Date.now() - Math.max(0, waitLeft);
		return Math.max(1_000, Math.min(REQUEST_TIMEOUT_MS, left));
	}
}

class PollRun {
	private readonly groupPath: string;
	/** One deadline and one rate-limit wait budget for the whole poll. */
	private readonly budget: Budget;

	constructor(
		private readonly context: IPollFunctions,
		private readonly client: SonarlyClient,
		private readonly settings: Settings,
	) {
		this.groupPath = `/v1/accounts/${encodeURIComponent(settings.accountGroupId)}`;
		this.budget = new Budget(context);
	}

	private query(): IDataObject {
		return this.settings.conversationId === null
			? {}
			: { conversationId: this.settings.conversationId };
	}

	private reader(
		path: string,
		purpose: RequestPurpose,
		budget: Budget,
		qs: IDataObject = {},
	): PageReader {
		return async (cursor) => {
			const query = { ...qs, ...(cursor === undefined ? {} : { cursor }) };
			const answer = await this.client.request<IDataObject>({
				method: 'GET',
				path: `${this.groupPath}/${path}`,
				qs: Object.keys(query).length === 0 ? undefined : query,
				timeoutMs: budget.timeoutMs(),
				purpose,
				rateLimitBudget: budget.rateLimit,
			});
			if (!answer.ok) return answer;
			return readPage(answer.value.data, purpose, answer.value.traceId);
		};
	}

	/** List events: the first poll records where things stand; later ones emit what is new. */
	async list(
		event: ListEvent,
		prev: ListState | null,
	): Promise<{ items: IDataObject[]; state: ListState }> {
		const idOf = (item: IDataObject) => idIn(item, event.idField);
		if (prev === null) {
			const budget = this.budget.pages(SEED_MAX_PAGES);
			const seed = this.orThrow(
				await seedFeed(this.reader(event.path, event.list, budget, this.query()), idOf, budget),
			);
			const pending = event.finishes
				? await this.unfinished(event, seed.seen.filter((item) => !isFinal(item)).map(idOf))
				: [];
			return { items: [], state: { ...seed.state, pending } };
		}
		const budget = this.budget.pages(MAX_PAGES_PER_POLL);
		const scan = this.orThrow(
			await scanFeed(this.reader(event.path, event.list, budget, this.query()), idOf, prev, budget),
		);
		if (!event.finishes) {
			const items = oldestFirst(scan.fresh, 'createdAt').map((item) => ({
				...item,
				eventId: event.eventId(item, idOf(item) as string),
			}));
			return { items, state: { ...scan.state, pending: [] } };
		}

		// Jobs and scans: an event is one that is finished now and was either new or followed
		// while unfinished. Unfinished ones are followed until they end.
		const pending = new Set(prev.pending);
		const fresh = new Set(scan.fresh.map(idOf));
		const finished: IDataObject[] = [];
		const readIds = new Set<string>();
		for (const item of scan.seen) {
			const id = idOf(item) as string;
			readIds.add(id);
			if (!isFinal(item)) pending.add(id);
			else if (fresh.has(id) || pending.has(id)) {
				finished.push(item);
				pending.delete(id);
			}
		}
		// Unfinished ones not on the pages read (older, further down the list): one by one.
		const checked: string[] = [];
		const readDirectly: string[] = [];
		for (const id of [...pending]
			.filter((id) => !readIds.has(id))
			.slice(0, PENDING_CHECKS_PER_POLL)) {
			if (!budget.hasTime()) break;
			const item = await this.readOne(event, id, budget);
			checked.push(id);
			if (item === null) pending.delete(id);
			else if (isFinal(item)) {
				finished.push(item);
				readDirectly.push(id);
				pending.delete(id);
			}
		}
		// Those read and still running go to the back of the queue.
		const stillChecked = checked.filter((id) => pending.has(id));
		const order = [...[...pending].filter((id) => !stillChecked.includes(id)), ...stillChecked];
		const items = oldestFirst(finished, 'updatedAt').map((item) => ({
			...item,
			eventId: event.eventId(item, idOf(item) as string),
		}));
		const state = remember(scan.state, readDirectly);
		return { items, state: { ...state, pending: order.slice(-MAX_PENDING) } };
	}

	/**
	 * The first poll of a job or scan event: every job queued or running now, wherever it is in
	 * the list, is followed (it finishing later is an event).
	 */
	private async unfinished(event: ListEvent, onTop: Array<string | null>): Promise<string[]> {
		const ids = new Set(onTop.filter((id): id is string => id !== null));
		const idOf = (item: IDataObject) => idIn(item, event.idField);
		for (const status of ['queued', 'running']) {
			const budget = this.budget.pages(MAX_PAGES_PER_POLL);
			const read = this.reader(event.path, event.list, budget, { status });
			let cursor: string | undefined;
			for (let first = true; budget.pagesLeft > 0 && (first || budget.hasTime()); first = false) {
				budget.pagesLeft--;
				const page = this.orThrow(await read(cursor));
				for (const item of page.items) {
					const id = idOf(item);
					if (id !== null && !isFinal(item)) ids.add(id);
				}
				if (page.nextCursor === null) break;
				cursor = page.nextCursor;
			}
		}
		return [...ids].slice(0, MAX_PENDING);
	}

	/** One job or scan by id; null when Sonarly no longer has it (404) or the id cannot be sent. */
	private async readOne(event: ListEvent, id: string, budget: Budget): Promise<IDataObject | null> {
		if (id === '.' || id === '..' || event.one === undefined) return null;
		const answer = await this.client.request<IDataObject>({
			method: 'GET',
			path: `${this.groupPath}/${event.path}/${encodeURIComponent(id)}`,
			timeoutMs: budget.timeoutMs(),
			purpose: event.one,
			rateLimitBudget: budget.rateLimit,
		});
		if (!answer.ok) {
			if (answer.failure.httpCode === 404) return null;
			throw this.error(answer.failure);
		}
		return answer.value.data;
	}

	/** The campaign event: every campaign whose status differs from the last poll's. */
	async campaigns(
		event: CampaignEvent,
		prev: CampaignState | null,
	): Promise<{ items: IDataObject[]; state: CampaignState }> {
		const { entries, complete } = await this.allCampaigns(
			event,
			this.budget.pages(MAX_CAMPAIGN_PAGES),
		);
		const statuses: string[] = [];
		const campaigns: Record<string, number> = {};
		let bytes = 0;
		const changed: IDataObject[] = [];
		for (const { id, status, item } of entries) {
			if (hasOwn(campaigns, id)) continue;
			const before =
				prev === null || !hasOwn(prev.campaigns, id)
					? undefined
					: prev.statuses[prev.campaigns[id]];
			// Followed campaigns are capped (count and size): one beyond is neither followed nor
			// announced, so it can never be announced as new twice.
			bytes += id.length + 8;
			if (Object.keys(campaigns).length >= MAX_CAMPAIGNS || bytes > 50_000) continue;
			let index = statuses.indexOf(status);
			if (index === -1) index = statuses.push(status) - 1;
			campaigns[id] = index;
			if (prev !== null && before !== status) {
				changed.push({
					...item,
					previousStatus: before ?? null,
					eventId: campaignEventId(item, id),
				});
			}
		}
		if (prev !== null && !complete) {
			// The list could not be read to its end: campaigns not read keep their last status.
			for (const [id, index] of Object.entries(prev.campaigns)) {
				if (hasOwn(campaigns, id) || Object.keys(campaigns).length >= MAX_CAMPAIGNS) continue;
				const status = prev.statuses[index];
				let at = statuses.indexOf(status);
				if (at === -1) at = statuses.push(status) - 1;
				campaigns[id] = at;
			}
		}
		return { items: oldestFirst(changed, 'updatedAt'), state: { statuses, campaigns } };
	}

	private async allCampaigns(
		event: CampaignEvent,
		budget: Budget,
	): Promise<{
		entries: Array<{ id: string; status: string; item: IDataObject }>;
		complete: boolean;
	}> {
		const read = this.reader('campaigns', event.list, budget);
		const entries: Array<{ id: string; status: string; item: IDataObject }> = [];
		const followed = new Set<string>();
		let cursor: string | undefined;
		for (;;) {
			budget.pagesLeft--;
			const page = this.orThrow(await read(cursor));
			for (const item of page.items) {
				const id = idIn(item, 'id');
				if (id !== null && typeof item.status === 'string')
					entries.push({ id, status: item.status, item });
			}
			const next = page.nextCursor;
			if (next === null || followed.has(next)) return { entries, complete: true };
			if (budget.pagesLeft <= 0 || !budget.hasTime()) return { entries, complete: false };
			followed.add(next);
			cursor = next;
		}
	}

	/** "Fetch Test Event": the newest matching event, without the state. */
	async testEvent(): Promise<IDataObject[]> {
		const definition = EVENTS[this.settings.event];
		const budget = this.budget.pages(MANUAL_MAX_PAGES);
		if (definition.kind === 'campaigns') {
			const { entries } = await this.allCampaigns(definition, budget);
			const newest = newestOf(
				entries.map((entry) => entry.item),
				'updatedAt',
			);
			if (newest === null) throw this.none(definition.none);
			const id = idIn(newest, 'id') as string;
			return [{ ...newest, previousStatus: null, eventId: campaignEventId(newest, id) }];
		}
		const idOf = (item: IDataObject) => idIn(item, definition.idField);
		const read = this.reader(definition.path, definition.list, budget, this.query());
		const candidates: IDataObject[] = [];
		let cursor: string | undefined;
		while (budget.pagesLeft > 0) {
			budget.pagesLeft--;
			const page = this.orThrow(await read(cursor));
			candidates.push(
				...page.items.filter(
					(item) => idOf(item) !== null && (!definition.finishes || isFinal(item)),
				),
			);
			// A message or an audience is on the first page; finished jobs may be further down.
			if (candidates.length > 0 || page.nextCursor === null) break;
			cursor = page.nextCursor;
		}
		const newest = newestOf(candidates, definition.finishes ? 'updatedAt' : 'createdAt');
		if (newest === null) throw this.none(definition.none);
		return [{ ...newest, eventId: definition.eventId(newest, idOf(newest) as string) }];
	}

	private none([message, description]: [string, string]) {
		return new NodeOperationError(this.context.getNode(), message, { description });
	}

	private orThrow<T>(outcome: Outcome<T>): T {
		if (outcome.ok) return outcome.value;
		throw this.error(outcome.failure);
	}

	private error(failure: SonarlyFailure) {
		return toNodeError(this.context.getNode(), forPoll(failure));
	}
}

function orThrow<T>(context: IPollFunctions, outcome: Outcome<T>): T {
	if (outcome.ok) return outcome.value;
	throw toNodeError(context.getNode(), forPoll(outcome.failure));
}

/** A page of one of Sonarly's cursor lists (`data.items`, `nextCursor`, `hasMore`). */
function readPage(
	data: IDataObject,
	purpose: RequestPurpose,
	traceId: string | null,
): Outcome<Page> {
	const { items, nextCursor, hasMore } = data;
	if (!Array.isArray(items)) {
		return { ok: false, failure: unreadableSuccessFailure(200, purpose, traceId) };
	}
	const more = typeof nextCursor === 'string' && nextCursor !== '' && hasMore !== false;
	return {
		ok: true,
		value: {
			items: items.filter(
				(item): item is IDataObject =>
					typeof item === 'object' && item !== null && !Array.isArray(item),
			),
			nextCursor: more ? nextCursor : null,
		},
	};
}

/** The newest item by `field` when every item has a readable date there, else the first (lists are newest first). */
function newestOf(items: IDataObject[], field: string): IDataObject | null {
	if (items.length === 0) return null;
	const ordered = oldestFirst(items, field);
	return ordered[ordered.length - 1];
}

const KEEPS_ITS_PLACE =
	'The trigger keeps its place: the next poll that succeeds emits every event since the last one.';

/**
 * A failure in the words of a poll: what happened, and that nothing is lost (the state was not
 * advanced). The action node's advice (Options → Max Rate Limit Wait, the Timeout option)
 * does not apply to the trigger, so rate-limit and network failures get their own.
 */
export function forPoll(failure: SonarlyFailure): SonarlyFailure {
	const trace = failure.traceId ? ` Trace ID for Sonarly support: ${failure.traceId}.` : '';
	if (failure.kind !== 'api')
		return { ...failure, description: `${failure.description} ${KEEPS_ITS_PLACE}`.trim() };
	if (
		failure.httpCode === 429 ||
		(failure.httpCode === null && /rate limit/i.test(failure.message))
	) {
		return {
			...failure,
			message: "Sonarly's rate limit was reached, so this poll stopped",
			description: `A poll waits at most ${RATE_LIMIT_WAIT_SECONDS} s for the rate limit. ${KEEPS_ITS_PLACE} If it keeps happening, poll less often, or send fewer requests with the same API key elsewhere: they share its rate limit.${trace}`,
		};
	}
	if (failure.httpCode === null) {
		const code = failure.code ? ` (${failure.code})` : '';
		return {
			...failure,
			description: `${KEEPS_ITS_PLACE} If it keeps happening, check Sonarly's status, the network, any proxy and the Base URL in the credential${code}.`,
		};
	}
	return { ...failure, description: `${failure.description} ${KEEPS_ITS_PLACE}` };
}

function hasOwn(object: object, key: string): boolean {
	return Object.prototype.hasOwnProperty.call(object, key);
}

function toOutput(items: IDataObject[]): INodeExecutionData[][] | null {
	return items.length === 0 ? null : [items.map((json) => ({ json }))];
}
