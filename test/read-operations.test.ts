/**
 * The read operations (Account Group → Get Many, Campaign → Get / Get Many) through n8n's
 * real engine, with nock standing in for Sonarly on the wire.
 */
import nock from 'nock';
import type { IDataObject, IExecuteFunctions, INodeParameters, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { readLimit } from '../nodes/Sonarly/actions/common/fields';
import { Sonarly } from '../nodes/Sonarly/Sonarly.node';
import { listAll, type ListPage } from '../nodes/Sonarly/transport/list';
import { BASE_URL, TEST_API_KEY, runSonarly, type OnError, type RunResult } from './harness/engine';

const AG = '64a1f0000000000000000001';
const AG2 = '64a1f0000000000000000002';
const CAMPAIGN = '507f1f77bcf86cd799439011';
const CAMPAIGN2 = '507f1f77bcf86cd799439012';

/** Requests that reached nock but matched no interceptor (nothing may go out unplanned). */
let unmatched: string[] = [];
const recordUnmatched = (request: { method?: string; path?: string }) => {
	unmatched.push(`${request.method ?? '?'} ${request.path ?? '?'}`);
};

beforeAll(() => {
	nock.disableNetConnect();
	nock.emitter.on('no match', recordUnmatched);
});

afterAll(() => {
	nock.emitter.removeListener('no match', recordUnmatched);
	nock.enableNetConnect();
});

beforeEach(() => {
	unmatched = [];
});

afterEach(() => {
	nock.cleanAll();
});

/** Sonarly answers only requests carrying the credential's key as a Bearer token. */
function sonarly() {
	return nock(BASE_URL, { reqheaders: { authorization: `Bearer ${TEST_API_KEY}` } });
}

function ok(data: unknown, traceId = 'trace-ok') {
	return { success: true, data, error: null, traceId };
}

function fail(code: string, message: string, traceId = 'trace-fail') {
	return { success: false, data: null, error: { code, message, details: null }, traceId };
}

function group(n: number): IDataObject {
	return { id: `ag-${n}`, name: `Group ${n}`, createdAt: '2024-01-01T00:00:00.000Z' };
}

function campaign(id: string, status: string, name = `Campaign ${id}`): IDataObject {
	return {
		id,
		name,
		description: '',
		status,
		selectedLeadCount: 12,
		includeConversationHistory: false,
		autoCancelOnMessageReceived: true,
		outreachLanguage: 'en',
		createdAt: '2024-01-01T00:00:00.000Z',
		updatedAt: '2024-01-02T00:00:00.000Z',
		startedAt: null,
		rateLimitedUntil: null,
	};
}

const byId = (value: string) => ({ __rl: true, mode: 'id', value });

async function run(
	parameters: INodeParameters,
	items: IDataObject[] = [{ dealId: 'D-1' }],
	onError?: OnError,
): Promise<RunResult> {
	return await runSonarly({ items, parameters, onError });
}

const jsonOf = (result: RunResult) => result.success.map((item) => item.json);
const pairs = (result: RunResult) =>
	result.success.map((item) => (item.pairedItem as { item: number }).item);

describe('description', () => {
	const properties = new Sonarly().description.properties;

	const operationsOf = (resource: string) => {
		const operation = properties.find(
			(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource),
		) as INodeProperties;
		return {
			operation,
			options: (operation.options as INodePropertyOptions[]).map(({ name, value, action }) => ({
				name,
				value,
				action,
			})),
		};
	};

	const shownFor = (resource: string, operation: string) =>
		properties.filter(
			(p) =>
				p.displayOptions?.show?.resource?.includes(resource) &&
				p.displayOptions?.show?.operation?.includes(operation),
		);

	it('lists the resources alphabetically, Campaign staying the default', () => {
		const resource = properties.find((p) => p.name === 'resource') as INodeProperties;
		expect(resource.options).toEqual([
			{ name: 'Account Group', value: 'accountGroup' },
			{ name: 'Campaign', value: 'campaign' },
		]);
		expect(resource.default).toBe('campaign');
	});

	it('offers Account Group → Get Many', () => {
		const { operation, options } = operationsOf('accountGroup');
		expect(options).toEqual([{ name: 'Get Many', value: 'getAll', action: 'Get many account groups' }]);
		expect(operation.default).toBe('getAll');
	});

	it('offers Campaign → Get, Get Many, Start and Stop in alphabetical order, each with an action, Stop staying the default', () => {
		const { operation, options } = operationsOf('campaign');
		expect(options.map((option) => option.value)).toEqual(['get', 'getAll', 'start', 'stop']);
		expect(options.map((option) => option.name)).toEqual([...options.map((option) => option.name)].sort());
		for (const option of options) expect(option.action).toEqual(expect.any(String));
		expect(operation.default).toBe('stop');
	});

	it.each([
		['accountGroup', 'getAll', ['returnAll', 'limit', 'options']],
		['campaign', 'get', ['accountGroupId', 'campaignId', 'options']],
		['campaign', 'getAll', ['accountGroupId', 'returnAll', 'limit', 'filters', 'options']],
	])('%s → %s shows %j, with a Timeout option', (resource, operation, names) => {
		const shown = shownFor(resource, operation);
		expect(shown.map((p) => p.name)).toEqual(names);
		const options = shown.find((p) => p.name === 'options') as INodeProperties;
		expect((options.options as INodeProperties[]).map((o) => o.name)).toEqual(['timeout']);
	});

	it('uses the same Account Group and Campaign locators for Get as for Stop', () => {
		const locators = (operation: string) =>
			shownFor('campaign', operation)
				.filter((p) => p.type === 'resourceLocator')
				.map((locator) => ({ ...locator, displayOptions: undefined }));
		expect(locators('get')).toEqual(locators('stop'));
		expect(locators('get').map((p) => p.name)).toEqual(['accountGroupId', 'campaignId']);
	});

	it.each([
		['accountGroup', 'getAll'],
		['campaign', 'getAll'],
	])('%s → %s: Return All off by default, Limit 50 (at least 1) shown only while it is off', (resource, operation) => {
		const shown = shownFor(resource, operation);
		const returnAll = shown.find((p) => p.name === 'returnAll') as INodeProperties;
		const limit = shown.find((p) => p.name === 'limit') as INodeProperties;
		expect(returnAll).toMatchObject({ type: 'boolean', default: false });
		expect(limit).toMatchObject({ type: 'number', default: 50, typeOptions: { minValue: 1 } });
		expect(limit.displayOptions?.show).toEqual({
			resource: [resource],
			operation: [operation],
			returnAll: [false],
		});
	});

	it('offers a free-text Status filter on Campaign → Get Many and says no status list is published', () => {
		const filters = shownFor('campaign', 'getAll').find((p) => p.name === 'filters') as INodeProperties;
		expect(filters.type).toBe('collection');
		const status = (filters.options as INodeProperties[]).find((o) => o.name === 'status') as INodeProperties;
		expect(status).toMatchObject({ type: 'string', default: '' });
		expect(status.description).toMatch(/exactly/);
		expect(status.description).toMatch(/no list of statuses/);
	});
});

describe('Account Group → Get Many', () => {
	const base = { resource: 'accountGroup', operation: 'getAll' };

	it('sends GET /v1/accounts with the Bearer key and pairs each group with its input item', async () => {
		sonarly()
			.get('/v1/accounts')
			.times(2)
			.reply(200, ok({ items: [group(1), group(2)] }));

		const result = await run(base, [{ dealId: 'D-1' }, { dealId: 'D-2' }]);

		expect(result.error).toBeUndefined();
		expect(jsonOf(result)).toEqual([group(1), group(2), group(1), group(2)]);
		expect(pairs(result)).toEqual([0, 0, 1, 1]);
		expect(nock.isDone()).toBe(true);
		expect(unmatched).toEqual([]);
	});

	it('follows nextCursor over three pages with Return All', async () => {
		sonarly().get('/v1/accounts').reply(200, ok({ items: [group(1)], nextCursor: 'c1', hasMore: true }));
		sonarly()
			.get('/v1/accounts')
			.query({ cursor: 'c1' })
			.reply(200, ok({ items: [group(2), group(3)], nextCursor: 'c2', hasMore: true }));
		sonarly()
			.get('/v1/accounts')
			.query({ cursor: 'c2' })
			.reply(200, ok({ items: [group(4)], hasMore: false }));

		const result = await run({ ...base, returnAll: true });

		expect(jsonOf(result).map((g) => g.id)).toEqual(['ag-1', 'ag-2', 'ag-3', 'ag-4']);
		expect(pairs(result)).toEqual([0, 0, 0, 0]);
		expect(nock.isDone()).toBe(true);
		expect(unmatched).toEqual([]);
	});

	it('does not follow a nextCursor when hasMore is false', async () => {
		sonarly()
			.get('/v1/accounts')
			.reply(200, ok({ items: [group(1)], nextCursor: 'c1', hasMore: false }));

		const result = await run({ ...base, returnAll: true });

		expect(jsonOf(result).map((g) => g.id)).toEqual(['ag-1']);
		expect(unmatched).toEqual([]);
	});

	it('stops fetching once Limit is reached across pages', async () => {
		sonarly()
			.get('/v1/accounts')
			.reply(200, ok({ items: [group(1), group(2)], nextCursor: 'c1', hasMore: true }));
		sonarly()
			.get('/v1/accounts')
			.query({ cursor: 'c1' })
			.reply(200, ok({ items: [group(3), group(4)], nextCursor: 'c2', hasMore: true }));
		const third = sonarly()
			.get('/v1/accounts')
			.query({ cursor: 'c2' })
			.reply(200, ok({ items: [group(5)] }));

		const result = await run({ ...base, returnAll: false, limit: 3 });

		expect(jsonOf(result).map((g) => g.id)).toEqual(['ag-1', 'ag-2', 'ag-3']);
		expect(third.isDone()).toBe(false);
		expect(unmatched).toEqual([]);
	});

	it('stops when Sonarly sends a cursor it already sent', async () => {
		sonarly().get('/v1/accounts').reply(200, ok({ items: [group(1)], nextCursor: 'c1' }));
		sonarly()
			.get('/v1/accounts')
			.query({ cursor: 'c1' })
			.reply(200, ok({ items: [group(2)], nextCursor: 'c2' }));
		sonarly()
			.get('/v1/accounts')
			.query({ cursor: 'c2' })
			.reply(200, ok({ items: [group(3)], nextCursor: 'c1' }));
		const again = sonarly()
			.get('/v1/accounts')
			.query({ cursor: 'c1' })
			.reply(200, ok({ items: [group(2)], nextCursor: 'c2' }));

		const result = await run({ ...base, returnAll: true });

		expect(result.error).toBeUndefined();
		expect(jsonOf(result).map((g) => g.id)).toEqual(['ag-1', 'ag-2', 'ag-3']);
		expect(again.isDone()).toBe(false);
		expect(unmatched).toEqual([]);
	});

	it('returns 50 when Limit is absent from the parameters (Return All off)', async () => {
		const sixty = Array.from({ length: 60 }, (_, n) => group(n));
		sonarly().get('/v1/accounts').reply(200, ok({ items: sixty }));

		const result = await run({ ...base, returnAll: false });

		expect(result.success).toHaveLength(50);
		expect(result.success[49].json.id).toBe('ag-49');
	});

	it('returns 50 when Return All is an expression that evaluates to false and no Limit is set', async () => {
		const sixty = Array.from({ length: 60 }, (_, n) => group(n));
		sonarly().get('/v1/accounts').reply(200, ok({ items: sixty }));

		const result = await run({ ...base, returnAll: '={{ $json.everything }}' }, [{ everything: false }]);

		expect(result.error).toBeUndefined();
		expect(result.success).toHaveLength(50);
	});

	it('returns every group when Return All is on and Limit is absent', async () => {
		const sixty = Array.from({ length: 60 }, (_, n) => group(n));
		sonarly().get('/v1/accounts').reply(200, ok({ items: sixty }));

		const result = await run({ ...base, returnAll: true });

		expect(result.success).toHaveLength(60);
	});

	it.each([0, -1, 2.5])('refuses Limit %p for the item without sending a request', async (limit) => {
		const untouched = sonarly().get('/v1/accounts').reply(200, ok({ items: [group(1)] }));

		const result = await run({ ...base, returnAll: false, limit }, [{ dealId: 'D-1' }], 'continueErrorOutput');

		expect(result.success).toEqual([]);
		expect(result.errors).toHaveLength(1);
		expect(result.errors[0].json.message).toBe(
			'Limit (item 0) must be a whole number of at least 1. Set Limit to how many results to return, for example 50, or turn on Return All.',
		);
		expect(untouched.isDone()).toBe(false);
		expect(unmatched).toEqual([]);
	});

	it('stops the workflow on an invalid Limit when the error output is off', async () => {
		const result = await run({ ...base, returnAll: false, limit: 0 });

		expect(result.error?.message).toBe('Limit (item 0) must be a whole number of at least 1');
		expect(unmatched).toEqual([]);
	});

	it('reports a 401 in words and keeps the trace ID', async () => {
		sonarly().get('/v1/accounts').reply(401, fail('UNAUTHORIZED', 'Invalid API key', 'trace-401'));

		const result = await run(base);

		expect(result.error?.message).toBe('Sonarly did not accept the API key');
		expect(String(result.error?.description)).toContain('trace-401');
	});
});

describe('Campaign → Get', () => {
	const base = { resource: 'campaign', operation: 'get' };

	it('sends GET /v1/accounts/{ag}/campaigns/{id} and outputs the campaign plus traceId, paired per item', async () => {
		sonarly()
			.get(`/v1/accounts/${AG}/campaigns/${CAMPAIGN}`)
			.reply(200, ok(campaign(CAMPAIGN, 'active'), 'trace-1'));
		sonarly()
			.get(`/v1/accounts/${AG2}/campaigns/${CAMPAIGN2}`)
			.reply(200, ok(campaign(CAMPAIGN2, 'draft'), 'trace-2'));

		const result = await run(
			{
				...base,
				accountGroupId: byId('={{ $json.ag }}'),
				campaignId: byId('={{ $json.campaign }}'),
			},
			[
				{ ag: AG, campaign: CAMPAIGN },
				{ ag: AG2, campaign: CAMPAIGN2 },
			],
		);

		expect(result.error).toBeUndefined();
		expect(jsonOf(result)).toEqual([
			{ ...campaign(CAMPAIGN, 'active'), traceId: 'trace-1' },
			{ ...campaign(CAMPAIGN2, 'draft'), traceId: 'trace-2' },
		]);
		expect(pairs(result)).toEqual([0, 1]);
		expect(nock.isDone()).toBe(true);
		expect(unmatched).toEqual([]);
	});

	it('encodes the IDs as single path segments', async () => {
		sonarly()
			.get('/v1/accounts/a%2Fb/campaigns/c%3Fd')
			.reply(200, ok(campaign('c?d', 'draft')));

		const result = await run({ ...base, accountGroupId: byId('a/b'), campaignId: byId('c?d') });

		expect(jsonOf(result)[0].id).toBe('c?d');
		expect(unmatched).toEqual([]);
	});

	it('names the campaigns:read permission on a 403', async () => {
		sonarly()
			.get(`/v1/accounts/${AG}/campaigns/${CAMPAIGN}`)
			.reply(403, fail('FORBIDDEN', 'Missing permission', 'trace-403'));

		const result = await run({ ...base, accountGroupId: byId(AG), campaignId: byId(CAMPAIGN) });

		expect(result.error?.message).toBe('The API key is not allowed to get the campaign');
		expect(String(result.error?.description)).toContain('campaigns:read');
		expect(String(result.error?.description)).toContain('trace-403');
	});

	it('says the campaign was not found on a 404', async () => {
		sonarly()
			.get(`/v1/accounts/${AG}/campaigns/${CAMPAIGN}`)
			.reply(404, fail('NOT_FOUND', 'Campaign not found'));

		const result = await run({ ...base, accountGroupId: byId(AG), campaignId: byId(CAMPAIGN) });

		expect(result.error?.message).toBe('The account group or campaign was not found');
		expect(String(result.error?.description)).toContain('Sonarly said: "Campaign not found"');
	});

	it('sends a failed item to the error output with only error and message over the input fields', async () => {
		sonarly()
			.get(`/v1/accounts/${AG}/campaigns/${CAMPAIGN}`)
			.reply(404, fail('NOT_FOUND', 'Campaign not found', 'trace-404'));
		sonarly()
			.get(`/v1/accounts/${AG}/campaigns/${CAMPAIGN2}`)
			.reply(200, ok(campaign(CAMPAIGN2, 'active'), 'trace-2'));

		const result = await run(
			{ ...base, accountGroupId: byId(AG), campaignId: byId('={{ $json.campaign }}') },
			[
				{ dealId: 'D-1', campaign: CAMPAIGN },
				{ dealId: 'D-2', campaign: CAMPAIGN2 },
			],
			'continueErrorOutput',
		);

		expect(result.error).toBeUndefined();
		expect(jsonOf(result)).toEqual([{ ...campaign(CAMPAIGN2, 'active'), traceId: 'trace-2' }]);
		expect(pairs(result)).toEqual([1]);
		expect(result.errors).toHaveLength(1);
		const failed = result.errors[0].json;
		expect(Object.keys(failed).sort()).toEqual(['campaign', 'dealId', 'error', 'message']);
		expect(failed).toMatchObject({ dealId: 'D-1', campaign: CAMPAIGN });
		expect(failed.error).toMatchObject({ httpCode: 404, code: 'NOT_FOUND', traceId: 'trace-404' });
		expect(failed.message).toMatch(/^The account group or campaign was not found\. /);
	});
});

describe('Campaign → Get Many', () => {
	const base = { resource: 'campaign', operation: 'getAll' };
	const mixed = [
		campaign('c-1', 'active'),
		campaign('c-2', 'draft'),
		campaign('c-3', 'Active'),
		campaign('c-4', 'active'),
		campaign('c-5', 'inactive'),
	];

	it('sends GET /v1/accounts/{ag}/campaigns per item and pairs each list with its input item', async () => {
		sonarly()
			.get(`/v1/accounts/${AG}/campaigns`)
			.reply(200, ok({ items: [campaign('c-1', 'active'), campaign('c-2', 'draft')] }));
		sonarly()
			.get(`/v1/accounts/${AG2}/campaigns`)
			.reply(200, ok({ items: [campaign('c-9', 'active')] }));

		const result = await run({ ...base, accountGroupId: byId('={{ $json.ag }}') }, [{ ag: AG }, { ag: AG2 }]);

		expect(result.error).toBeUndefined();
		expect(jsonOf(result)).toEqual([
			campaign('c-1', 'active'),
			campaign('c-2', 'draft'),
			campaign('c-9', 'active'),
		]);
		expect(pairs(result)).toEqual([0, 0, 1]);
		expect(nock.isDone()).toBe(true);
		expect(unmatched).toEqual([]);
	});

	it('returns every campaign when no status filter is set', async () => {
		sonarly().get(`/v1/accounts/${AG}/campaigns`).reply(200, ok({ items: mixed }));

		const result = await run({ ...base, accountGroupId: byId(AG), filters: {} });

		expect(jsonOf(result).map((c) => c.id)).toEqual(['c-1', 'c-2', 'c-3', 'c-4', 'c-5']);
	});

	it.each(['active', '  active \t'])('keeps only the exact status %j (trimmed, case-sensitive)', async (status) => {
		sonarly().get(`/v1/accounts/${AG}/campaigns`).reply(200, ok({ items: mixed }));

		const result = await run({ ...base, accountGroupId: byId(AG), filters: { status } });

		expect(jsonOf(result).map((c) => c.id)).toEqual(['c-1', 'c-4']);
		expect(unmatched).toEqual([]);
	});

	it('treats a blank status filter as no filter', async () => {
		sonarly().get(`/v1/accounts/${AG}/campaigns`).reply(200, ok({ items: mixed }));

		const result = await run({ ...base, accountGroupId: byId(AG), filters: { status: '   ' } });

		expect(result.success).toHaveLength(5);
	});

	it('counts only matching campaigns towards Limit across pages, and stops once it has enough', async () => {
		sonarly()
			.get(`/v1/accounts/${AG}/campaigns`)
			.reply(200, ok({ items: [campaign('c-1', 'active'), campaign('c-2', 'draft')], nextCursor: 'p2' }));
		sonarly()
			.get(`/v1/accounts/${AG}/campaigns`)
			.query({ cursor: 'p2' })
			.reply(200, ok({ items: [campaign('c-3', 'draft'), campaign('c-4', 'active')], nextCursor: 'p3' }));
		const third = sonarly()
			.get(`/v1/accounts/${AG}/campaigns`)
			.query({ cursor: 'p3' })
			.reply(200, ok({ items: [campaign('c-5', 'active')] }));

		const result = await run({
			...base,
			accountGroupId: byId(AG),
			returnAll: false,
			limit: 2,
			filters: { status: 'active' },
		});

		expect(jsonOf(result).map((c) => c.id)).toEqual(['c-1', 'c-4']);
		expect(third.isDone()).toBe(false);
		expect(unmatched).toEqual([]);
	});

	it('follows pages with Return All and filters every page', async () => {
		sonarly()
			.get(`/v1/accounts/${AG}/campaigns`)
			.reply(200, ok({ items: [campaign('c-1', 'active')], nextCursor: 'p2', hasMore: true }));
		sonarly()
			.get(`/v1/accounts/${AG}/campaigns`)
			.query({ cursor: 'p2' })
			.reply(200, ok({ items: [campaign('c-2', 'draft'), campaign('c-3', 'active')], hasMore: false }));

		const result = await run({
			...base,
			accountGroupId: byId(AG),
			returnAll: true,
			filters: { status: 'active' },
		});

		expect(jsonOf(result).map((c) => c.id)).toEqual(['c-1', 'c-3']);
		expect(nock.isDone()).toBe(true);
	});

	it('outputs nothing for an item when no campaign matches', async () => {
		sonarly().get(`/v1/accounts/${AG}/campaigns`).reply(200, ok({ items: mixed }));

		const result = await run({ ...base, accountGroupId: byId(AG), filters: { status: 'paused' } });

		expect(result.error).toBeUndefined();
		expect(result.success).toEqual([]);
	});

	it('names the campaigns:read permission on a 403', async () => {
		sonarly().get(`/v1/accounts/${AG}/campaigns`).reply(403, fail('FORBIDDEN', 'Missing permission'));

		const result = await run({ ...base, accountGroupId: byId(AG) });

		expect(result.error?.message).toBe('The API key is not allowed to list the campaigns');
		expect(String(result.error?.description)).toContain('the campaigns:read permission');
	});

	it('says the account group was not found on a 404', async () => {
		sonarly().get(`/v1/accounts/${AG}/campaigns`).reply(404, fail('NOT_FOUND', 'Account group not found'));

		const result = await run({ ...base, accountGroupId: byId(AG) });

		expect(result.error?.message).toBe('The account group was not found');
	});

	it('sends a 403 to the error output with only error and message over the input fields', async () => {
		sonarly().get(`/v1/accounts/${AG}/campaigns`).reply(403, fail('FORBIDDEN', 'Missing permission', 't-403'));
		sonarly().get(`/v1/accounts/${AG2}/campaigns`).reply(200, ok({ items: [campaign('c-9', 'active')] }));

		const result = await run(
			{ ...base, accountGroupId: byId('={{ $json.ag }}') },
			[
				{ dealId: 'D-1', ag: AG },
				{ dealId: 'D-2', ag: AG2 },
			],
			'continueErrorOutput',
		);

		expect(jsonOf(result).map((c) => c.id)).toEqual(['c-9']);
		expect(pairs(result)).toEqual([1]);
		expect(result.errors).toHaveLength(1);
		const failed = result.errors[0].json;
		expect(Object.keys(failed).sort()).toEqual(['ag', 'dealId', 'error', 'message']);
		expect(failed).toMatchObject({ dealId: 'D-1', ag: AG });
		expect(failed.error).toMatchObject({ httpCode: 403, code: 'FORBIDDEN', traceId: 't-403' });
		expect(failed.message).toContain('campaigns:read');
	});

	it('refuses an empty account group for the item without sending a request', async () => {
		const result = await run(
			{ ...base, accountGroupId: byId('={{ $json.ag }}') },
			[{ dealId: 'D-1', ag: '' }],
			'continueErrorOutput',
		);

		expect(result.errors).toHaveLength(1);
		expect(result.errors[0].json.message).toMatch(/^Account Group \(item 0\) is empty\. /);
		expect(unmatched).toEqual([]);
	});

	it.each([0, -1])('refuses Limit %p without sending a request', async (limit) => {
		const untouched = sonarly().get(`/v1/accounts/${AG}/campaigns`).reply(200, ok({ items: mixed }));

		const result = await run(
			{ ...base, accountGroupId: byId(AG), returnAll: false, limit },
			[{ dealId: 'D-1' }],
			'continueErrorOutput',
		);

		expect(result.errors).toHaveLength(1);
		expect(result.errors[0].json.message).toMatch(/^Limit \(item 0\) must be a whole number of at least 1\. /);
		expect(untouched.isDone()).toBe(false);
		expect(unmatched).toEqual([]);
	});

	it('falls back to a Limit of 50 when the parameter is absent', async () => {
		const sixty = Array.from({ length: 60 }, (_, n) => campaign(`c-${n}`, 'active'));
		sonarly().get(`/v1/accounts/${AG}/campaigns`).reply(200, ok({ items: sixty }));

		const result = await run({ ...base, accountGroupId: byId(AG), returnAll: false });

		expect(result.success).toHaveLength(50);
	});

	it('refuses a list answer without items as not in the documented format', async () => {
		sonarly().get(`/v1/accounts/${AG}/campaigns`).reply(200, ok({ campaigns: [] }, 'trace-odd'));

		const result = await run({ ...base, accountGroupId: byId(AG) });

		expect(result.error?.message).toBe(
			'Sonarly answered HTTP 200 to the request to list the campaigns, but not in the documented format',
		);
	});
});

describe('listAll', () => {
	const page = (items: IDataObject[], nextCursor: string | null): ListPage => ({ items, nextCursor });

	it('gives up with a readable failure when Sonarly never stops sending new cursors', async () => {
		const cursors: Array<string | undefined> = [];
		const result = await listAll(
			async (cursor) => {
				cursors.push(cursor);
				return { ok: true, value: page([{ id: cursors.length }], `c${cursors.length}`) };
			},
			{ maxPages: 3 },
		);

		expect(cursors).toEqual([undefined, 'c1', 'c2']);
		expect(result.ok).toBe(false);
		expect(!result.ok && result.failure.message).toBe(
			'Sonarly kept sending more pages after 3 pages, so the node stopped reading',
		);
	});

	it('passes a failed page through untouched', async () => {
		const failed = {
			ok: false as const,
			failure: {
				kind: 'api' as const,
				message: 'x',
				description: 'y',
				httpCode: 500,
				code: null,
				apiMessage: null,
				details: null,
				traceId: null,
				retryAfterSeconds: null,
			},
		};
		const result = await listAll(async (cursor) =>
			cursor === undefined ? { ok: true, value: page([{ id: 1 }], 'c1') } : failed,
		);

		expect(result).toBe(failed);
	});
});

describe('readLimit', () => {
	/** A context holding only the given parameters: like n8n, it answers the fallback for the rest. */
	const contextWith = (parameters: IDataObject) =>
		({
			getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) =>
				name in parameters ? parameters[name] : fallback,
		}) as unknown as IExecuteFunctions;

	it.each([
		[{ returnAll: true }, null],
		[{ returnAll: true, limit: 3 }, null],
		[{ returnAll: false }, 50],
		[{}, 50],
		[{ returnAll: false, limit: 7 }, 7],
		[{ returnAll: false, limit: ' 12 ' }, 12],
	])('reads %j as %p', (parameters, expected) => {
		expect(readLimit(contextWith(parameters), 0)).toEqual({ ok: true, value: expected });
	});

	it.each([0, -1, 2.5, Number.NaN, '', 'ten', null, [5]])('refuses Limit %p', (limit) => {
		const outcome = readLimit(contextWith({ returnAll: false, limit }), 3);
		expect(outcome.ok).toBe(false);
		expect(!outcome.ok && outcome.failure).toMatchObject({
			kind: 'input',
			message: 'Limit (item 3) must be a whole number of at least 1',
		});
	});
});
