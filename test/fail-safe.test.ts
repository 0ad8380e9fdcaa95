/**
 * The promise users judge us on: whatever the node settings, no campaign is stopped that
 * should not be, none twice, and nothing done is hidden. Every test reads the request log.
 */
import type { IDataObject } from 'n8n-workflow';

import { runSonarly, type RunResult } from './harness/engine';
import { ACCOUNT_GROUP_ID, byId, campaign } from './support/fixtures';
import { fakeSonarly, ok, refused, sentTo, unmatched, useNock, type Reply, type SentRequest } from './support/sonarly';

useNock();

const idsFromItems = {
	accountGroupId: byId('={{ $json.group ?? "' + ACCOUNT_GROUP_ID + '" }}'),
	campaignId: byId('={{ $json.campaignId }}'),
};

/**
 * Sonarly as the tests need it: campaign ids starting with `live` stop, `draft` answer 409,
 * `missing` 404, `broken` 500, `moved` 303, `slow` after 300 ms; GET returns the campaign.
 */
function sonarly(overrides: (request: SentRequest) => Reply | undefined = () => undefined): SentRequest[] {
	return fakeSonarly((request) => {
		const override = overrides(request);
		if (override) return override;
		const id = request.campaignId ?? '';
		if (request.method === 'GET') return { status: 200, body: ok(campaign(id, 'draft'), `trace-get-${id}`) };
		if (id.startsWith('live')) return { status: 200, body: ok({ campaign: campaign(id), instancesStopped: 5 }, `trace-${id}`) };
		if (id.startsWith('slow')) return { status: 200, body: ok({ campaign: campaign(id), instancesStopped: 2 }), delayMs: 300 };
		if (id.startsWith('draft')) return { status: 409, body: refused('CAMPAIGN_NOT_ACTIVE', 'Campaign is a draft', `trace-${id}`) };
		if (id.startsWith('broken')) return { status: 500, body: refused('INTERNAL', 'boom', `trace-${id}`) };
		if (id.startsWith('moved')) return { status: 303, headers: { location: '/elsewhere' } };
		return { status: 404, body: refused('NOT_FOUND', 'Campaign not found', `trace-${id}`) };
	});
}

const items = (...campaignIds: unknown[]): Array<Record<string, unknown>> =>
	campaignIds.map((campaignId, index) => ({ dealId: `D-${index}`, campaignId }));

const errorOf = (item: { json: IDataObject }) => item.json.error as IDataObject;

function expectNothingHiddenIn(result: RunResult) {
	expect(result.error?.description).not.toMatch(/already processed/);
}

describe('pre-flight: every item is checked before the first request', () => {
	it('Stop Workflow: one empty id fails the run, naming it, and no campaign is stopped', async () => {
		const sent = sonarly();

		const result = await runSonarly({ items: items('', 'live-1', 'draft-1'), parameters: idsFromItems });

		expect(result.error?.message).toBe('Campaign (item 0) is empty');
		expect((result.error?.context as { itemIndex?: number }).itemIndex).toBe(0);
		expect(sent).toEqual([]);
		expectNothingHiddenIn(result);
	});

	it('Stop Workflow: an invalid item later in the batch also stops the run before anything is sent', async () => {
		const sent = sonarly();

		const result = await runSonarly({
			items: [...items('live-1', 'live-2'), { campaignId: { not: 'an id' } }],
			parameters: idsFromItems,
		});

		expect(result.error?.message).toBe('Campaign (item 2) must be text, but the value is an object');
		expect(sent).toEqual([]);
	});

	it('Continue (using error output): invalid items go to the error output, the valid ones are stopped', async () => {
		const sent = sonarly();

		const result = await runSonarly({
			items: items('', 'live-1', 1e21),
			parameters: idsFromItems,
			onError: 'continueErrorOutput',
		});

		expect(sentTo(sent, 'stop')).toEqual(['live-1']);
		expect(result.success.map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
		expect(result.errors.map((item) => [item.pairedItem, errorOf(item).message])).toEqual([
			[{ item: 0 }, 'Campaign (item 0) is empty'],
			[{ item: 2 }, 'Campaign (item 2) must be a whole number that JavaScript can hold exactly'],
		]);
	});

	it.each([[1e21], [-1.5], [2 ** 53 + 2], [Number.MAX_VALUE]])(
		'refuses the number %p as an id instead of sending a rounded or exotic one',
		async (campaignId) => {
			const sent = sonarly();

			const result = await runSonarly({ items: items(campaignId), parameters: idsFromItems, onError: 'continueErrorOutput' });

			expect(sent).toEqual([]);
			expect(errorOf(result.errors[0]).description).toMatch(/Enter the ID as text/);
		},
	);

	it('still accepts a safe whole number as an id', async () => {
		const sent = sonarly(() => ({ status: 200, body: ok({ campaign: campaign('12345'), instancesStopped: 1 }) }));

		const result = await runSonarly({ items: items(12345), parameters: idsFromItems });

		expect(result.error).toBeUndefined();
		expect(sentTo(sent, 'stop')).toEqual(['12345']);
	});

	it("keeps n8n's own message for an expression that cannot be evaluated", async () => {
		const sent = sonarly();

		const result = await runSonarly({
			items: items('live-1'),
			parameters: { ...idsFromItems, campaignId: byId("={{ $('No Such Node').item.json.id }}") },
			onError: 'continueErrorOutput',
		});

		expect(sent).toEqual([]);
		const error = errorOf(result.errors[0]);
		expect(error.message).toBe("Referenced node doesn't exist");
		expect(error.message).not.toMatch(/Sonarly/);
		expect(error.description).not.toBe('Check the parameters and expressions of this node for this item.');
	});
});

describe('Stop Workflow: nothing starts after a failure, and nothing done is hidden', () => {
	it('runs one item at a time by default, so no stop goes out after the failing item', async () => {
		const sent = sonarly();

		const result = await runSonarly({ items: items('slow-0', 'missing-1', 'live-2', 'live-3'), parameters: idsFromItems });

		expect(sentTo(sent, 'stop')).toEqual(['slow-0', 'missing-1']);
		expect(result.error?.message).toBe('The account group or campaign was not found');
		expect((result.error?.context as { itemIndex?: number }).itemIndex).toBe(1);
		expect(result.error?.description).toContain('Before this failure, this run stopped item 0 (campaign slow-0).');
		expect(result.error?.description).toContain('Items 2 to 3 were not sent.');
		expectNothingHiddenIn(result);
	});

	it('names the campaigns that may have been stopped when Sonarly failed or a redirect came back', async () => {
		const sent = sonarly();

		const first = await runSonarly({ items: items('live-0', 'broken-1', 'live-2'), parameters: idsFromItems });
		const second = await runSonarly({ items: items('moved-0'), parameters: idsFromItems });

		expect(sentTo(sent, 'stop')).toEqual(['live-0', 'broken-1', 'moved-0']);
		expect(first.error?.message).toBe('Sonarly failed (HTTP 500) while trying to stop the campaign: it may or may not have happened');
		expect(first.error?.description).toContain('Before this failure, this run stopped item 0 (campaign live-0).');
		expect(second.error?.message).toBe(
			'Sonarly answered HTTP 303 (a redirect) to the request to stop the campaign: it may or may not have happened',
		);
		expect(second.error?.description).toMatch(/Check the campaign's status in Sonarly/);
	});

	it('with Concurrency set higher, names every stop that was already in flight', async () => {
		const sent = sonarly();

		const result = await runSonarly({
			items: items('slow-0', 'missing-1', 'slow-2', 'live-3', 'live-4'),
			parameters: { ...idsFromItems, options: { concurrency: 3 } },
		});

		expect(sentTo(sent, 'stop')).toEqual(['slow-0', 'missing-1', 'slow-2']);
		expect(result.error?.description).toContain(
			'Before this failure, this run stopped item 0 (campaign slow-0) and item 2 (campaign slow-2).',
		);
		expect(result.error?.description).toContain('Items 3 to 4 were not sent.');
	});
});

describe('at most one stop per campaign per execution, whatever the settings', () => {
	it.each(['continueErrorOutput', 'continueRegularOutput', undefined] as const)(
		'refuses to run Stop with Retry On Fail on (On Error: %s) and sends nothing',
		async (onError) => {
			const sent = sonarly();

			const result = await runSonarly({
				items: items('missing-0', 'live-1'),
				parameters: idsFromItems,
				onError,
				retryOnFail: { maxTries: 3, waitBetweenTries: 1 },
			});

			expect(sent).toEqual([]);
			const message = 'Turn off Settings → Retry On Fail for this node to stop campaigns';
			if (onError === undefined) {
				expect(result.error?.message).toBe(message);
				expect(result.error?.description).toMatch(/a repeated stop could act twice/);
			} else {
				const failed = onError === 'continueErrorOutput' ? result.errors : result.success;
				expect(failed.map((item) => [item.pairedItem, errorOf(item).message])).toEqual([
					[{ item: 0 }, message],
					[{ item: 1 }, message],
				]);
				expect(result.success.filter((item) => item.json.stopped !== undefined)).toEqual([]);
			}
		},
	);

	it('leaves Retry On Fail alone for the read operations', async () => {
		const sent = sonarly();

		const result = await runSonarly({
			items: items('draft-1'),
			parameters: { operation: 'get', ...idsFromItems },
			retryOnFail: { maxTries: 2, waitBetweenTries: 1 },
		});

		expect(result.error).toBeUndefined();
		expect(sent.map((request) => request.method)).toEqual(['GET']);
	});

	it('sends one stop for items that name the same campaign, and does not count it twice', async () => {
		const sent = sonarly();

		const result = await runSonarly({
			items: [
				...items('live-1', ' live-1 ', 'live-2', 'live-1'),
				{ group: 'other-group', campaignId: 'live-1' },
			],
			parameters: idsFromItems,
			onError: 'continueErrorOutput',
		});

		expect(sent.map((request) => `${request.accountGroupId}/${request.campaignId}`)).toEqual([
			`${ACCOUNT_GROUP_ID}/live-1`,
			`${ACCOUNT_GROUP_ID}/live-2`,
			'other-group/live-1',
		]);
		expect(result.errors).toEqual([]);
		const rows = result.success.map((item) => [
			item.pairedItem,
			item.json.stopped,
			item.json.instancesStopped,
			item.json.duplicateOfItem,
			(item.json.campaign as IDataObject).id,
		]);
		expect(rows).toEqual([
			[{ item: 0 }, true, 5, undefined, 'live-1'],
			[{ item: 1 }, false, 0, 0, 'live-1'],
			[{ item: 2 }, true, 5, undefined, 'live-2'],
			[{ item: 3 }, false, 0, 0, 'live-1'],
			[{ item: 4 }, true, 5, undefined, 'live-1'],
		]);
		expect(result.success.reduce((sum, item) => sum + Number(item.json.instancesStopped), 0)).toBe(15);
	});

	it('gives every duplicate the same failure when the one stop fails', async () => {
		const sent = sonarly();

		const result = await runSonarly({
			items: items('draft-1', 'draft-1'),
			parameters: idsFromItems,
			onError: 'continueErrorOutput',
		});

		expect(sentTo(sent, 'stop')).toEqual(['draft-1']);
		expect(result.errors.map((item) => [item.pairedItem, errorOf(item).code, errorOf(item).traceId])).toEqual([
			[{ item: 0 }, 'CAMPAIGN_NOT_ACTIVE', 'trace-draft-1'],
			[{ item: 1 }, 'CAMPAIGN_NOT_ACTIVE', 'trace-draft-1'],
		]);
	});
});

describe('setup failures are per-item failures, never raw input on the success branch', () => {
	const setups = [
		['an unreadable credential', { unreadable: true }, /credential/i],
		['an ftp:// Base URL', { baseUrl: 'ftp://api.sonarly.io' }, /must start with https:\/\/ or http:\/\//],
	] as const;

	it.each(setups)('%s under Continue (using error output): one error item per input item', async (_, credentials, message) => {
		const sent = sonarly();

		const result = await runSonarly({ items: items('live-1', 'live-2', 'live-3'), parameters: idsFromItems, credentials, onError: 'continueErrorOutput' });

		expect(sent).toEqual([]);
		expect(result.success).toEqual([]);
		expect(result.errors.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.errors.map((item) => item.json.dealId)).toEqual(['D-0', 'D-1', 'D-2']);
		expect(String(errorOf(result.errors[0]).message)).toMatch(message);
	});

	it.each(setups)('%s under Continue (regular output): every item carries the error', async (_, credentials) => {
		const result = await runSonarly({ items: items('live-1', 'live-2'), parameters: idsFromItems, credentials, onError: 'continueRegularOutput' });

		expect(result.success.map((item) => [item.pairedItem, item.json.dealId, Boolean(item.json.error)])).toEqual([
			[{ item: 0 }, 'D-0', true],
			[{ item: 1 }, 'D-1', true],
		]);
	});

	it.each(setups)('%s under Stop Workflow: the run fails without claiming other items were processed', async (_, credentials, message) => {
		const sent = sonarly();

		const result = await runSonarly({ items: items('live-1', 'live-2', 'live-3'), parameters: idsFromItems, credentials });

		expect(sent).toEqual([]);
		expect(result.error?.message).toMatch(message);
		expect(result.error?.description).not.toMatch(/processed|stopped item/);
	});

	it('"Custom API Call" (added by n8n) points to the HTTP Request node, and sends nothing', async () => {
		const sent = sonarly();

		const result = await runSonarly({
			items: items('live-1'),
			parameters: { resource: '__CUSTOM_API_CALL__', operation: '__CUSTOM_API_CALL__' },
		});

		expect(sent).toEqual([]);
		expect(result.error?.message).toBe('Custom API Call is not available in the Sonarly node');
		expect(result.error?.description).toMatch(/HTTP Request node: set Authentication to "Predefined Credential Type"/);
	});

	it('an Options → Concurrency expression that fails becomes an error item per input item', async () => {
		const sent = sonarly();

		const result = await runSonarly({
			items: items('live-1', 'live-2'),
			parameters: { ...idsFromItems, options: { concurrency: "={{ $('No Such Node').item.json.concurrency }}" } },
			onError: 'continueErrorOutput',
		});

		expect(sent).toEqual([]);
		expect(result.success).toEqual([]);
		expect(result.errors.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});
});

describe('rate limits and the other paths the review found', () => {
	it('an item that gave up waiting behind another item\'s 429 says it was never sent', async () => {
		const sent = sonarly((request) =>
			request.campaignId === 'live-0'
				? { status: 429, body: refused('RATE_LIMITED', 'Too many requests', 'trace-429'), headers: { 'Retry-After': '120' } }
				: undefined,
		);

		const result = await runSonarly({
			items: items('live-0', 'live-1'),
			parameters: { ...idsFromItems, options: { maxRateLimitWait: 1, concurrency: 1 } },
			onError: 'continueErrorOutput',
		});

		expect(sentTo(sent, 'stop')).toEqual(['live-0']);
		expect(result.errors.map((item) => [errorOf(item).httpCode, errorOf(item).message])).toEqual([
			[429, "Sonarly's rate limit did not clear within the 1 s this item may wait"],
			[null, 'This item was never sent: Sonarly\'s rate limit would not clear within the 1 s it may wait'],
		]);
		expect(errorOf(result.errors[1]).description).toMatch(/^Nothing was changed for this item\./);
	});

	it('the read after a 409 (Ignore Not Active Campaigns) shares the item\'s Max Rate Limit Wait', async () => {
		let stops = 0;
		let reads = 0;
		const sent = sonarly((request) => {
			const limited = { status: 429, body: refused('RATE_LIMITED', 'slow down'), headers: { 'Retry-After': '1' } };
			if (request.method === 'POST') return stops++ === 0 ? limited : undefined;
			return reads++ === 0 ? limited : undefined;
		});

		const result = await runSonarly({
			items: items('draft-1'),
			parameters: { ...idsFromItems, options: { ignoreNotActive: true, maxRateLimitWait: 1.5 } },
			onError: 'continueErrorOutput',
		});

		// 1 s waited before the stop went through: the read may wait only the 0.5 s left.
		expect(sent.map((request) => request.method)).toEqual(['POST', 'POST', 'GET']);
		expect(errorOf(result.errors[0]).message).toBe("Sonarly's rate limit did not clear within the 1.5 s this item may wait");
	});

	it('Get Many never puts a list entry on the error output, whatever its fields', async () => {
		fakeSonarly(() => ({
			status: 200,
			body: ok({ items: [{ error: 'not a campaign', message: 'x' }, campaign('c-1', 'active'), { details: 'y', error: true }] }),
		}));

		const result = await runSonarly({
			items: [{}],
			parameters: { operation: 'getAll', accountGroupId: byId(ACCOUNT_GROUP_ID) },
			onError: 'continueErrorOutput',
		});

		expect(result.errors).toEqual([]);
		expect(result.success.map((item) => item.json.id)).toEqual(['c-1']);
		expect(unmatched).toEqual([]);
	});
});

describe('as an AI agent tool', () => {
	it('with On Error at its default, a failure is an item the model reads, with the advice, codes and trace ID', async () => {
		sonarly();

		const result = await runSonarly({ items: items('draft-1'), parameters: idsFromItems, asTool: true });

		expect(result.error).toBeUndefined();
		expect(result.success).toHaveLength(1);
		const { json } = result.success[0];
		expect(Object.keys(json).sort()).toEqual(['error', 'message']);
		expect(json.error).toMatchObject({
			message: 'The campaign is not active, so Sonarly could not stop the campaign',
			description: expect.stringMatching(/nothing was changed/),
			httpCode: 409,
			code: 'CAMPAIGN_NOT_ACTIVE',
			traceId: 'trace-draft-1',
		});
	});

	it('an explicit On Error: Stop Workflow still stops the run', async () => {
		sonarly();

		const result = await runSonarly({ items: items('draft-1'), parameters: idsFromItems, asTool: true, onError: 'stopWorkflow' });

		expect(result.error?.message).toBe('The campaign is not active, so Sonarly could not stop the campaign');
	});
});
