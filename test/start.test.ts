/**
 * Campaign → Start through n8n's real engine: the request, the success item, every status on
 * its branch with Start's own words, and the same safety rules as Stop.
 */
import type { IDataObject } from 'n8n-workflow';

import { TEST_API_KEY, runSonarly } from './harness/engine';
import { ACCOUNT_GROUP_ID, byId, campaign, expectNoApiKey } from './support/fixtures';
import { fakeSonarly, ok, refused, sentTo, useNock, type Reply } from './support/sonarly';

useNock();

const startParameters = (options: IDataObject = {}) => ({
	operation: 'start',
	accountGroupId: byId(ACCOUNT_GROUP_ID),
	campaignId: byId('={{ $json.campaignId }}'),
	options,
});

const started = (id: string): Reply => ({
	status: 200,
	body: ok({ campaign: campaign(id, 'active'), triggered: true, instancesCreated: 25 }, `trace-${id}`),
});

const errorOf = (item: { json: IDataObject }) => item.json.error as IDataObject;

describe('Campaign → Start: the request and the success item', () => {
	it('POSTs to the start route with the Bearer key and no body, and outputs data, started and traceId', async () => {
		const sent = fakeSonarly((request) => started(request.campaignId ?? ''));

		const result = await runSonarly({ items: [{ campaignId: ' nurture-1 ' }], parameters: startParameters() });

		expect(sent.map((request) => [request.method, request.path, request.authorization, request.body])).toEqual([
			['POST', `/v1/accounts/${ACCOUNT_GROUP_ID}/campaigns/nurture-1/start`, `Bearer ${TEST_API_KEY}`, ''],
		]);
		expect(result.success).toEqual([
			{
				json: {
					campaign: campaign('nurture-1', 'active'),
					triggered: true,
					instancesCreated: 25,
					started: true,
					traceId: 'trace-nurture-1',
				},
				pairedItem: { item: 0 },
			},
		]);
		expectNoApiKey(result);
	});
});

describe('Campaign → Start: every status in its own words, on the error output', () => {
	const cases: Array<[number, string, RegExp | string, RegExp]> = [
		[400, 'VALIDATION_ERROR', 'Sonarly rejected the request to start the campaign as invalid', /Sonarly said: "status must be draft"/],
		[422, 'VALIDATION_ERROR', 'Sonarly rejected the request to start the campaign as invalid', /Sonarly said: "status must be draft"/],
		[401, 'UNAUTHORIZED', 'Sonarly did not accept the API key', /Check the API key/],
		[403, 'FORBIDDEN', 'The API key is not allowed to start the campaign', /campaigns:execute/],
		[404, 'NOT_FOUND', 'The account group or campaign was not found', /pick the Campaign again/],
		[409, 'CAMPAIGN_ACTIVE', 'The campaign cannot be started in its current state', /It may already be active; nothing was changed/],
		[500, 'INTERNAL', 'Sonarly failed (HTTP 500) while trying to start the campaign: it may or may not have happened', /Campaign → Get\) before you run this again: a start cannot safely be repeated/],
		[502, 'UPSTREAM', 'Sonarly failed (HTTP 502) while trying to start the campaign: it may or may not have happened', /a start cannot safely be repeated/],
	];

	it.each(cases)('HTTP %i (%s)', async (status, code, message, description) => {
		const sent = fakeSonarly(() => ({ status, body: refused(code, 'status must be draft', `trace-${status}`) }));

		const result = await runSonarly({
			items: [{ campaignId: 'c-1', dealId: 'D-1' }],
			parameters: startParameters(),
			onError: 'continueErrorOutput',
		});

		expect(sentTo(sent, 'start')).toEqual(['c-1']);
		expect(result.success).toEqual([]);
		expect(result.errors).toHaveLength(1);
		expect(result.errors[0].json.dealId).toBe('D-1');
		expect(errorOf(result.errors[0])).toMatchObject({ message, httpCode: status, code, traceId: `trace-${status}` });
		expect(String(errorOf(result.errors[0]).description)).toMatch(description);
	});

	it('a timeout says the start may or may not have happened, and is not resent', async () => {
		const sent = fakeSonarly((request) => ({ ...started(request.campaignId ?? ''), delayMs: 300 }));

		const result = await runSonarly({
			items: [{ campaignId: 'c-1' }],
			parameters: startParameters({ timeout: 50 }),
			onError: 'continueErrorOutput',
		});

		expect(sentTo(sent, 'start')).toEqual(['c-1']);
		expect(errorOf(result.errors[0]).message).toBe('Sonarly did not answer within 50 ms: the start may or may not have happened');
		expect(String(errorOf(result.errors[0]).description)).toMatch(/Campaign → Get/);
	});

	it('a 429 waits for Retry-After and resends, since Sonarly refused it', async () => {
		let calls = 0;
		const sent = fakeSonarly((request) =>
			calls++ === 0
				? { status: 429, body: refused('RATE_LIMITED', 'slow down'), headers: { 'Retry-After': '1' } }
				: started(request.campaignId ?? ''),
		);

		const result = await runSonarly({ items: [{ campaignId: 'c-1' }], parameters: startParameters() });

		expect(sentTo(sent, 'start')).toEqual(['c-1', 'c-1']);
		expect(sent[1].at - sent[0].at).toBeGreaterThanOrEqual(950);
		expect(result.success[0].json.started).toBe(true);
	});
});

describe('Campaign → Start: Ignore Already Active Campaigns', () => {
	const alreadyActive = (request: { method: string; campaignId?: string }): Reply =>
		request.method === 'GET'
			? { status: 200, body: ok(campaign(request.campaignId, 'active'), 'trace-get') }
			: { status: 409, body: refused('CAMPAIGN_ACTIVE', 'already running', 'trace-409') };

	it('on: a 409 reads the campaign and goes to the success output with started: false', async () => {
		const sent = fakeSonarly(alreadyActive);

		const result = await runSonarly({
			items: [{ campaignId: 'c-1' }],
			parameters: startParameters({ ignoreAlreadyActive: true }),
			onError: 'continueErrorOutput',
		});

		expect(sent.map((request) => request.method)).toEqual(['POST', 'GET']);
		expect(result.errors).toEqual([]);
		expect(result.success.map((item) => item.json)).toEqual([
			{ campaign: campaign('c-1', 'active'), triggered: false, instancesCreated: 0, started: false, traceId: 'trace-get' },
		]);
	});

	it('off: the 409 is a failure', async () => {
		fakeSonarly(alreadyActive);

		const result = await runSonarly({ items: [{ campaignId: 'c-1' }], parameters: startParameters() });

		expect(result.error?.message).toBe('The campaign cannot be started in its current state');
	});
});

describe('Campaign → Start: the safety rules it shares with Stop', () => {
	it('sends one start for items naming the same campaign; the others do not count it twice', async () => {
		const sent = fakeSonarly((request) => started(request.campaignId ?? ''));

		const result = await runSonarly({
			items: [{ campaignId: 'c-1' }, { campaignId: 'c-1 ' }],
			parameters: startParameters(),
		});

		expect(sentTo(sent, 'start')).toEqual(['c-1']);
		expect(result.success.map((item) => [item.json.started, item.json.instancesCreated, item.json.triggered, item.json.duplicateOfItem])).toEqual([
			[true, 25, true, undefined],
			[false, 0, false, 0],
		]);
	});

	it('pre-flight: under Stop Workflow an empty id later in the batch means nothing is started', async () => {
		const sent = fakeSonarly((request) => started(request.campaignId ?? ''));

		const result = await runSonarly({ items: [{ campaignId: 'c-1' }, { campaignId: '' }], parameters: startParameters() });

		expect(sent).toEqual([]);
		expect(result.error?.message).toBe('Campaign (item 1) is empty');
	});

	it('refuses to run with Retry On Fail on, naming the setting', async () => {
		const sent = fakeSonarly((request) => started(request.campaignId ?? ''));

		const result = await runSonarly({
			items: [{ campaignId: 'c-1' }],
			parameters: startParameters(),
			retryOnFail: { maxTries: 2, waitBetweenTries: 1 },
		});

		expect(sent).toEqual([]);
		expect(result.error?.message).toBe('Turn off Settings → Retry On Fail for this node to start campaigns');
	});

	it('under Stop Workflow, names what the run started before a failure', async () => {
		fakeSonarly((request) =>
			request.campaignId === 'c-2' ? { status: 404, body: refused('NOT_FOUND', 'nope') } : started(request.campaignId ?? ''),
		);

		const result = await runSonarly({
			items: [{ campaignId: 'c-1' }, { campaignId: 'c-2' }, { campaignId: 'c-3' }],
			parameters: startParameters(),
		});

		expect(result.error?.description).toContain('Before this failure, this run started item 0 (campaign c-1). Item 2 was not sent.');
	});
});
