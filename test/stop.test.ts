import nock from 'nock';

import { BASE_URL, TEST_API_KEY, runSonarly } from './harness/engine';
import {
	ACCOUNT_GROUP_ID,
	byId,
	campaign,
	errorEnvelope,
	expectNoApiKey,
	stopParameters,
	stopPath,
	successEnvelope,
} from './support/fixtures';
import { useNock } from './support/sonarly';

useNock();

describe('Campaign → Stop: the request that goes out', () => {
	it('POSTs to the stop route with the Bearer key, no body, and outputs the data with traceId', async () => {
		let seenBody: unknown = 'not called';
		const scope = nock(BASE_URL, { reqheaders: { authorization: `Bearer ${TEST_API_KEY}` } })
			.post(stopPath(), (body) => {
				seenBody = body;
				return true;
			})
			.reply(200, successEnvelope({ campaign: campaign(), instancesStopped: 25 }, 'trace-abc'));

		const result = await runSonarly({ items: [{ dealId: 'D-1' }], parameters: stopParameters() });

		expect(scope.isDone()).toBe(true);
		expect(seenBody).toBe('');
		expect(result.error).toBeUndefined();
		expect(result.success).toEqual([
			{
				json: { campaign: campaign(), instancesStopped: 25, stopped: true, traceId: 'trace-abc' },
				pairedItem: { item: 0 },
			},
		]);
		expectNoApiKey(result);
	});

	it('reads ids from expressions, trims them and encodes each as one path segment', async () => {
		const scope = nock(BASE_URL)
			.post('/v1/accounts/acme%20sales%2Feu/campaigns/c%3F1%23x/stop')
			.reply(200, successEnvelope({ campaign: campaign('c?1#x'), instancesStopped: 1 }));

		const result = await runSonarly({
			items: [{ group: '  acme sales/eu ', id: 'c?1#x\t' }],
			parameters: {
				accountGroupId: byId('={{ $json.group }}'),
				campaignId: byId('={{ $json.id }}'),
			},
		});

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.success).toHaveLength(1);
	});

	it('accepts the locator in every shape n8n stores it: {__rl}, {mode, value}, a plain string, a number', async () => {
		const scope = nock(BASE_URL)
			.post('/v1/accounts/ag-1/campaigns/c-1/stop')
			.reply(200, successEnvelope({ campaign: campaign('c-1'), instancesStopped: 1 }))
			.post('/v1/accounts/ag-2/campaigns/12345/stop')
			.reply(200, successEnvelope({ campaign: campaign('12345'), instancesStopped: 2 }));

		const first = await runSonarly({
			items: [{}],
			parameters: { accountGroupId: { mode: 'list', value: 'ag-1' }, campaignId: 'c-1' },
		});
		const second = await runSonarly({
			items: [{ campaignId: 12345 }],
			parameters: { accountGroupId: 'ag-2', campaignId: byId('={{ $json.campaignId }}') },
		});

		expect(first.error).toBeUndefined();
		expect(second.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(second.success[0].json.instancesStopped).toBe(2);
	});

	it('uses the credential base URL, tolerating a trailing slash and a typed /v1', async () => {
		const scope = nock('http://127.0.0.1:8787')
			.post(`/proxy${stopPath()}`)
			.twice()
			.reply(200, successEnvelope({ campaign: campaign(), instancesStopped: 3 }));

		for (const baseUrl of ['http://127.0.0.1:8787/proxy/', ' http://127.0.0.1:8787/proxy/v1/ ']) {
			const result = await runSonarly({ items: [{}], parameters: stopParameters(), credentials: { baseUrl } });
			expect(result.error).toBeUndefined();
		}
		expect(scope.isDone()).toBe(true);
	});

	it('gives up after the Timeout option and says the stop may have happened', async () => {
		nock(BASE_URL)
			.post(stopPath())
			.delay(500)
			.reply(200, successEnvelope({ campaign: campaign(), instancesStopped: 1 }));

		const result = await runSonarly({
			items: [{}],
			parameters: stopParameters(undefined, undefined, { options: { timeout: 50 } }),
			onError: 'continueErrorOutput',
		});

		expect(result.success).toHaveLength(0);
		expect(result.errors).toHaveLength(1);
		expect(result.errors[0].json.error).toMatchObject({
			message: 'Sonarly did not answer within 50 ms: the stop may or may not have happened',
			httpCode: null,
		});
		expectNoApiKey(result);
	});
});

interface StatusCase {
	status: number;
	code: string;
	message: string;
	description: RegExp;
	headers?: Record<string, string>;
}

const statusCases: StatusCase[] = [
	{
		status: 400,
		code: 'VALIDATION_ERROR',
		message: 'Sonarly rejected the request to stop the campaign as invalid',
		description: /Check the IDs this item sends\. Sonarly said: "campaignId is malformed"/,
	},
	{
		status: 401,
		code: 'UNAUTHORIZED',
		message: 'Sonarly did not accept the API key',
		description: /Check the API key in the Sonarly API credential/,
	},
	{
		status: 403,
		code: 'FORBIDDEN',
		message: 'The API key is not allowed to stop the campaign',
		description: /the campaigns:execute permission/,
	},
	{
		status: 404,
		code: 'NOT_FOUND',
		message: 'The account group or campaign was not found',
		description: /Check the IDs/,
	},
	{
		status: 409,
		code: 'CAMPAIGN_NOT_ACTIVE',
		message: 'The campaign is not active, so Sonarly could not stop the campaign',
		description: /draft or already stopped; nothing was changed/,
	},
	{
		status: 429,
		code: 'RATE_LIMITED',
		message: "Sonarly's rate limit was reached",
		description: /nothing was changed\. Wait 7 seconds and run again/,
		headers: { 'Retry-After': '7' },
	},
	{
		status: 500,
		code: 'INTERNAL',
		message: 'Sonarly failed (HTTP 500) while trying to stop the campaign: it may or may not have happened',
		description: /Check the campaign's status in Sonarly \(or with Campaign → Get\) before you run this again: a stop cannot safely be repeated blindly/,
	},
	{
		status: 502,
		code: 'UPSTREAM',
		message: 'Sonarly failed (HTTP 502) while trying to stop the campaign: it may or may not have happened',
		description: /Check the campaign's status in Sonarly \(or with Campaign → Get\) before you run this again: a stop cannot safely be repeated blindly/,
	},
	{
		status: 418,
		code: 'TEAPOT',
		message: 'Sonarly refused the request to stop the campaign (HTTP 418)',
		description: /Nothing was changed/,
	},
];

describe('Campaign → Stop: every status gets its own message', () => {
	it.each(statusCases)(
		'HTTP $status goes to the error output with what happened and how to fix it',
		async ({ status, code, message, description, headers }) => {
			const apiMessage = status === 400 ? 'campaignId is malformed' : `api says ${status}`;
			nock(BASE_URL)
				.post(stopPath())
				.reply(status, errorEnvelope(code, apiMessage, `trace-${status}`, { field: 'campaignId' }), headers);

			const result = await runSonarly({
				items: [{ dealId: 'D-9' }],
				// Waiting out 429s has its own tests (rate-limit.test.ts); here the first answer counts.
				parameters: stopParameters(undefined, undefined, { options: { maxRateLimitWait: 0 } }),
				onError: 'continueErrorOutput',
			});

			expect(result.success).toHaveLength(0);
			expect(result.errors).toHaveLength(1);
			const item = result.errors[0];
			expect(item.pairedItem).toEqual({ item: 0 });
			expect(Object.keys(item.json).sort()).toEqual(['dealId', 'error', 'message']);
			expect(item.json.dealId).toBe('D-9');
			expect(item.json.error).toEqual({
				message,
				description: expect.stringMatching(description),
				httpCode: status,
				code,
				apiMessage,
				details: { field: 'campaignId' },
				traceId: `trace-${status}`,
			});
			expect(item.json.message).toBe(`${message}. ${(item.json.error as { description: string }).description}`);
			expect((item.json.error as { description: string }).description).toContain(`trace-${status}`);
			expectNoApiKey(result);
		},
	);

	it.each(statusCases)(
		'HTTP $status stops the workflow with the same message when errors are not continued',
		async ({ status, code, message, headers }) => {
			nock(BASE_URL).post(stopPath()).reply(status, errorEnvelope(code, 'nope', 'trace-x'), headers);

			const result = await runSonarly({
				items: [{}],
				parameters: stopParameters(undefined, undefined, { options: { maxRateLimitWait: 0 } }),
			});

			expect(result.error?.message).toBe(message);
			expect(result.error?.httpCode).toBe(String(status));
			expect((result.error?.context as { itemIndex?: number }).itemIndex).toBe(0);
			expectNoApiKey(result);
		},
	);

	it('explains an HTML 502 from a proxy and an empty 500', async () => {
		nock(BASE_URL)
			.post(stopPath(ACCOUNT_GROUP_ID, 'c-1'))
			.reply(502, '<html><body><h1>502 Bad Gateway</h1></body></html>', { 'Content-Type': 'text/html' })
			.post(stopPath(ACCOUNT_GROUP_ID, 'c-2'))
			.reply(500, '');

		const result = await runSonarly({
			items: [{ campaignId: 'c-1' }, { campaignId: 'c-2' }],
			parameters: { accountGroupId: byId(ACCOUNT_GROUP_ID), campaignId: byId('={{ $json.campaignId }}') },
			onError: 'continueErrorOutput',
		});

		expect(result.errors.map((item) => item.json.error)).toEqual([
			expect.objectContaining({
				message: 'Sonarly failed (HTTP 502) while trying to stop the campaign: it may or may not have happened',
				httpCode: 502,
				code: null,
				apiMessage: null,
				traceId: null,
			}),
			expect.objectContaining({
				message: 'Sonarly failed (HTTP 500) while trying to stop the campaign: it may or may not have happened',
				httpCode: 500,
			}),
		]);
	});

	it('reports a 2xx that is not the documented envelope instead of passing junk on', async () => {
		nock(BASE_URL).post(stopPath()).reply(200, '<html>maintenance</html>', { 'Content-Type': 'text/html' });

		const result = await runSonarly({ items: [{}], parameters: stopParameters(), onError: 'continueErrorOutput' });

		expect(result.errors[0].json.error).toMatchObject({
			message:
				'Sonarly answered HTTP 200 to the request to stop the campaign, but not in the documented format: it has probably happened',
			httpCode: 200,
		});
	});
});

describe('Campaign → Stop: failures without an HTTP answer', () => {
	it.each([
		['ECONNREFUSED', 4, 'Could not connect to Sonarly at https://api.sonarly.io', /never reached Sonarly, so nothing was changed/],
		// n8n 2.x's HTTP layer repeats a failed DNS lookup once itself, so 4 or more.
		['ENOTFOUND', 4, 'Could not connect to Sonarly at https://api.sonarly.io', /Check the Base URL/],
		[
			'ECONNRESET',
			1,
			'The connection to Sonarly broke before it answered: the stop may or may not have happened',
			/Check the campaign's status in Sonarly \(or with Campaign → Get\) before you run this again: a stop cannot safely be repeated blindly/,
		],
	])('%s: sent %d time(s), then a clear message', async (code, attempts, message, description) => {
		let sent = 0;
		nock(BASE_URL)
			.post(stopPath())
			.times(5)
			.replyWithError(Object.assign(new Error(`connect ${code} 1.2.3.4:443`), { code }))
			.on('request', () => sent++);

		const result = await runSonarly({ items: [{}], parameters: stopParameters(), onError: 'continueErrorOutput' });

		if (code === 'ENOTFOUND') expect(sent).toBeGreaterThanOrEqual(attempts);
		else expect(sent).toBe(attempts);
		expect(result.errors).toHaveLength(1);
		expect(result.errors[0].json.error).toMatchObject({ message, httpCode: null, code });
		expect((result.errors[0].json.error as { description: string }).description).toMatch(description);
		expectNoApiKey(result);
	});
});

describe('Campaign → Stop: a mixed batch', () => {
	function mixedBatch() {
		nock(BASE_URL)
			.post(stopPath(ACCOUNT_GROUP_ID, 'c-ok-1'))
			.reply(200, successEnvelope({ campaign: campaign('c-ok-1'), instancesStopped: 4 }, 'trace-1'))
			.post(stopPath(ACCOUNT_GROUP_ID, 'c-missing'))
			.reply(404, errorEnvelope('NOT_FOUND', 'Campaign not found', 'trace-2'))
			.post(stopPath(ACCOUNT_GROUP_ID, 'c-draft'))
			.reply(409, errorEnvelope('CAMPAIGN_NOT_ACTIVE', 'Campaign is a draft', 'trace-3'))
			.post(stopPath(ACCOUNT_GROUP_ID, 'c-ok-2'))
			.reply(200, successEnvelope({ campaign: campaign('c-ok-2'), instancesStopped: 9 }, 'trace-4'));
		return ['c-ok-1', 'c-missing', 'c-draft', 'c-ok-2'].map((campaignId, index) => ({
			dealId: `D-${index}`,
			campaignId,
			message: 'an input field called message',
		}));
	}
	const parameters = {
		accountGroupId: byId(ACCOUNT_GROUP_ID),
		campaignId: byId('={{ $json.campaignId }}'),
	};

	it('Continue (using error output): successes and failures on their own branch, paired, with input fields', async () => {
		const items = mixedBatch();
		const result = await runSonarly({ items, parameters, onError: 'continueErrorOutput' });

		expect(nock.isDone()).toBe(true);
		expect(result.error).toBeUndefined();
		expect(result.success.map((item) => [item.pairedItem, item.json.traceId, item.json.instancesStopped])).toEqual([
			[{ item: 0 }, 'trace-1', 4],
			[{ item: 3 }, 'trace-4', 9],
		]);
		expect(result.errors.map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
		expect(result.errors.map((item) => item.json.dealId)).toEqual(['D-1', 'D-2']);
		expect(result.errors.map((item) => (item.json.error as { code: string }).code)).toEqual([
			'NOT_FOUND',
			'CAMPAIGN_NOT_ACTIVE',
		]);
		// The engine merges the input under our json: an input field named `message` is replaced.
		expect(result.errors[0].json.message).toMatch(/^The account group or campaign was not found\. /);
		expectNoApiKey(result);
	});

	it('Continue (regular output): every item stays on the one output, in input order', async () => {
		const items = mixedBatch();
		const result = await runSonarly({ items, parameters, onError: 'continueRegularOutput' });

		expect(result.error).toBeUndefined();
		expect(result.errors).toHaveLength(0);
		expect(result.success.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
			{ item: 3 },
		]);
		expect(result.success[1].json.error).toMatchObject({ httpCode: 404, traceId: 'trace-2' });
		// Nothing merges the input on this output, so the node keeps the input fields itself.
		expect(result.success[1].json.dealId).toBe('D-1');
		expect(result.success[0].json.dealId).toBeUndefined();
		expect(result.success[2].json.error).toMatchObject({ httpCode: 409, traceId: 'trace-3' });
		expect(result.success[3].json.instancesStopped).toBe(9);
	});

	it('Stop Workflow at Concurrency 1: the first failure ends the run, naming the item, and later items are not sent', async () => {
		const items = mixedBatch();
		const result = await runSonarly({
			items,
			parameters: { ...parameters, options: { concurrency: 1 } },
		});

		expect(result.error?.message).toBe('The account group or campaign was not found');
		expect(result.error?.description).toContain(
			'Before this failure, this run stopped item 0 (campaign c-ok-1). Items 2 to 3 were not sent. To see every item\'s result, set Settings → On Error to "Continue (using error output)".',
		);
		expect((result.error?.context as { itemIndex?: number }).itemIndex).toBe(1);
		expect(nock.pendingMocks()).toEqual([
			`POST ${BASE_URL}:443${stopPath(ACCOUNT_GROUP_ID, 'c-draft')}`,
			`POST ${BASE_URL}:443${stopPath(ACCOUNT_GROUP_ID, 'c-ok-2')}`,
		]);
		expectNoApiKey(result);
	});
});

describe('Campaign → Stop: bad input is refused per item and never sent', () => {
	// Every refused id value: test/unit/pure.test.ts (checkId) and hostile-input.test.ts (through
	// the engine); refusal before the first request under Stop Workflow: fail-safe.test.ts.
	it('refuses an object where an id belongs, naming the parameter and item', async () => {
		const anyRequest = nock(BASE_URL).persist().post(/.*/).reply(200, {});

		const result = await runSonarly({
			items: [{ ok: 'c-1' }, { nested: { id: 'c-2' } }],
			parameters: {
				accountGroupId: byId(ACCOUNT_GROUP_ID),
				campaignId: byId('={{ $json.nested }}'),
			},
			onError: 'continueErrorOutput',
		});

		expect(anyRequest.isDone()).toBe(false);
		expect(result.errors.map((item) => (item.json.error as { message: string }).message)).toEqual([
			'Campaign (item 0) must be text, but the value is missing',
			'Campaign (item 1) must be text, but the value is an object',
		]);
	});

	it('refuses a Timeout option that is not a positive number', async () => {
		const anyRequest = nock(BASE_URL).persist().post(/.*/).reply(200, {});

		const result = await runSonarly({
			items: [{}],
			parameters: stopParameters(undefined, undefined, { options: { timeout: 0 } }),
			onError: 'continueErrorOutput',
		});

		expect(anyRequest.isDone()).toBe(false);
		expect((result.errors[0].json.error as { message: string }).message).toBe(
			'Timeout (item 0) must be a number of milliseconds from 1 to 2147483647',
		);
	});
});
