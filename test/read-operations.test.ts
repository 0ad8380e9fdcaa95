/**
 * The read operations (Account Group → Get Many, Campaign → Get / Get Many) through n8n's
 * real engine, with nock standing in for Sonarly on the wire.
 */
import nock from 'nock';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { BASE_URL, TEST_API_KEY, runSonarly, type OnError, type RunResult } from './harness/engine';
import { unmatched, useNock } from './support/sonarly';

const AG = '64a1f0000000000000000001';
const AG2 = '64a1f0000000000000000002';
const CAMPAIGN = '507f1f77bcf86cd799439011';
const CAMPAIGN2 = '507f1f77bcf86cd799439012';

useNock();

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
