import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { searchAccountGroups } from '../nodes/Sonarly/methods/listSearch';
import { BASE_URL, loadOptionsContext, runSonarly } from './harness/engine';
import {
	ACCOUNT_GROUP_ID,
	byId,
	campaign,
	errorEnvelope,
	stopParameters,
	stopPath,
	successEnvelope,
} from './support/fixtures';
import { useNock } from './support/sonarly';

useNock();

jest.setTimeout(20_000);

interface Sent {
	campaignId: string;
	at: number;
}

/** Answers stops from a script per campaign, recording when each request arrived. */
function scriptedSonarly(script: Record<string, Array<[number, IDataObject, Record<string, string>?]>>) {
	const sent: Sent[] = [];
	nock(BASE_URL)
		.persist()
		.post(/\/v1\/accounts\/[^/]+\/campaigns\/[^/]+\/stop$/)
		.reply((uri) => {
			const campaignId = decodeURIComponent(uri.split('/')[5]);
			sent.push({ campaignId, at: Date.now() });
			const next = script[campaignId]?.shift();
			if (!next) return [500, errorEnvelope('UNEXPECTED', `unscripted request for ${campaignId}`)];
			const [status, body, headers] = next;
			return [status, body, headers ?? {}];
		});
	return sent;
}

const ok = (campaignId: string, instancesStopped = 1): [number, IDataObject] => [
	200,
	successEnvelope({ campaign: campaign(campaignId, 'stopped'), instancesStopped }),
];
const rateLimited = (headers?: Record<string, string>): [number, IDataObject, Record<string, string>?] => [
	429,
	errorEnvelope('RATE_LIMITED', 'Too many requests', 'trace-429'),
	headers,
];

const idsFromItems = { accountGroupId: byId(ACCOUNT_GROUP_ID), campaignId: byId('={{ $json.campaignId }}') };

describe('429: wait and resend', () => {
	it('honours Retry-After in seconds, then resends once and succeeds', async () => {
		const sent = scriptedSonarly({ c1: [rateLimited({ 'Retry-After': '1' }), ok('c1', 7)] });

		const result = await runSonarly({ items: [{ campaignId: 'c1' }], parameters: idsFromItems });

		expect(result.error).toBeUndefined();
		expect(result.success.map((item) => item.json.instancesStopped)).toEqual([7]);
		expect(sent).toHaveLength(2);
		expect(sent[1].at - sent[0].at).toBeGreaterThanOrEqual(950);
	});

	it('honours Retry-After as an HTTP date', async () => {
		const retryAt = new Date(Date.now() + 2000);
		const sent = scriptedSonarly({ c1: [rateLimited({ 'Retry-After': retryAt.toUTCString() }), ok('c1')] });

		const result = await runSonarly({ items: [{ campaignId: 'c1' }], parameters: idsFromItems });

		expect(result.success).toHaveLength(1);
		expect(sent).toHaveLength(2);
		// HTTP dates have whole seconds: the resend may not come before that second began.
		expect(sent[1].at).toBeGreaterThanOrEqual(Math.floor(retryAt.getTime() / 1000) * 1000 - 50);
	});

	it('without Retry-After backs off on its own schedule and still gets through', async () => {
		const sent = scriptedSonarly({ c1: [rateLimited(), rateLimited(), ok('c1')] });

		const result = await runSonarly({ items: [{ campaignId: 'c1' }], parameters: idsFromItems });

		expect(result.success).toHaveLength(1);
		expect(sent).toHaveLength(3);
		// 1 s then 2 s steps, each at least half its step.
		expect(sent[1].at - sent[0].at).toBeGreaterThanOrEqual(450);
		expect(sent[2].at - sent[1].at).toBeGreaterThanOrEqual(950);
	});

	it('shares the wait: while one item waits, no other item of the execution is sent', async () => {
		const sent = scriptedSonarly({
			a: [rateLimited({ 'Retry-After': '1' }), ok('a')],
			b: [ok('b')],
			c: [ok('c')],
			d: [ok('d')],
		});

		const result = await runSonarly({
			items: ['a', 'b', 'c', 'd'].map((campaignId) => ({ campaignId })),
			parameters: { ...idsFromItems, options: { concurrency: 2 } },
		});

		expect(result.success.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		const refusedAt = sent[0].at;
		expect(sent[0].campaignId).toBe('a');
		const sentDuringWait = sent.filter(
			(request, index) => index > 0 && request.at > refusedAt + 50 && request.at < refusedAt + 950,
		);
		expect(sentDuringWait).toEqual([]);
		expect(sent.filter((request) => request.at >= refusedAt + 950).map((request) => request.campaignId).sort()).toEqual(
			expect.arrayContaining(['a']),
		);
		expect(sent).toHaveLength(5);
	});

	it('fails the item with a rate-limit message once the wait would pass Max Rate Limit Wait', async () => {
		const sent = scriptedSonarly({ c1: [rateLimited({ 'Retry-After': '120' })] });

		const result = await runSonarly({
			items: [{ campaignId: 'c1', dealId: 'D-1' }],
			parameters: { ...idsFromItems, options: { maxRateLimitWait: 2 } },
			onError: 'continueErrorOutput',
		});

		expect(sent).toHaveLength(1);
		expect(result.errors).toHaveLength(1);
		const error = result.errors[0].json.error as IDataObject;
		expect(error).toMatchObject({
			message: "Sonarly's rate limit did not clear within the 2 s this item may wait",
			httpCode: 429,
			code: 'RATE_LIMITED',
			traceId: 'trace-429',
		});
		expect(error.description).toMatch(
			/^Sonarly refused the request, so nothing was changed\. Try again after \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ, raise Options → Max Rate Limit Wait/,
		);
		const retryAt = Date.parse(/after (\S+),/.exec(String(error.description))?.[1] ?? '');
		expect(retryAt - sent[0].at).toBeGreaterThan(110_000);
	});

	it('ends a wait at once when the execution is cancelled, without sending again', async () => {
		const sent = scriptedSonarly({ c1: [rateLimited({ 'Retry-After': '30' }), ok('c1')] });
		const started = Date.now();

		const result = await runSonarly({
			items: [{ campaignId: 'c1' }],
			parameters: idsFromItems,
			onError: 'continueErrorOutput',
			cancelAfterMs: 300,
		});

		expect(Date.now() - started).toBeLessThan(10_000);
		expect(sent).toHaveLength(1);
		expect(result.success).toHaveLength(0);
		// What the user sees: the item, refused by Sonarly and then never resent, says so.
		expect(result.errors.map((item) => (item.json.error as IDataObject).message)).toEqual([
			"The execution was cancelled while this item waited for Sonarly's rate limit",
		]);
		expect((result.errors[0].json.error as IDataObject).description).toBe(
			'Sonarly had refused it with HTTP 429 until then, so nothing was changed for this item.',
		);
	});
});

describe('Max Rate Limit Wait 0: only Sonarly\'s own 429 fails an item', () => {
	it('a later execution with Concurrency 3 sends every item, whatever an earlier 429 taught', async () => {
		// The first execution: one stop accepted, the next refused for 1 s, then accepted.
		const sent = scriptedSonarly({
			a: [ok('a')],
			b: [rateLimited({ 'Retry-After': '1' }), ok('b')],
			x: [ok('x')],
			y: [ok('y')],
			z: [ok('z')],
		});
		const first = await runSonarly({
			items: [{ campaignId: 'a' }, { campaignId: 'b' }],
			parameters: { ...idsFromItems, options: { concurrency: 1 } },
			onError: 'continueErrorOutput',
		});
		expect(first.success).toHaveLength(2);

		const second = await runSonarly({
			items: ['x', 'y', 'z'].map((campaignId) => ({ campaignId })),
			parameters: { ...idsFromItems, options: { concurrency: 3, maxRateLimitWait: 0 } },
			onError: 'continueErrorOutput',
		});

		expect(second.errors.map((item) => (item.json.error as IDataObject).message)).toEqual([]);
		expect(second.success.map((item) => item.json.campaign)).toEqual(['x', 'y', 'z'].map((id) => campaign(id, 'stopped')));
		expect(sent.slice(0, 3).map((request) => request.campaignId)).toEqual(['a', 'b', 'b']);
		expect(sent.slice(3).map((request) => request.campaignId).sort()).toEqual(['x', 'y', 'z']);
	});

	it('an item is sent even while another item\'s 429 holds the account, and only a 429 of its own fails it', async () => {
		const sent = scriptedSonarly({
			'live-0': [rateLimited({ 'Retry-After': '120' })],
			'live-1': [ok('live-1')],
			'live-2': [rateLimited({ 'Retry-After': '120' })],
		});

		const result = await runSonarly({
			items: ['live-0', 'live-1', 'live-2'].map((campaignId) => ({ campaignId })),
			parameters: { ...idsFromItems, options: { concurrency: 1, maxRateLimitWait: 0 } },
			onError: 'continueErrorOutput',
		});

		expect(sent.map((request) => request.campaignId)).toEqual(['live-0', 'live-1', 'live-2']);
		expect(result.success.map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
		// Sonarly's own 429, as it is: no "never sent" for an item Sonarly was never asked about.
		expect(result.errors.map((item) => [item.pairedItem, (item.json.error as IDataObject).httpCode])).toEqual([
			[{ item: 0 }, 429],
			[{ item: 2 }, 429],
		]);
	});
});

describe('list searches in the editor respect the account\'s hold but never set one', () => {
	it('a list search\'s own 429 holds no execution of the account', async () => {
		nock(BASE_URL)
			.get('/v1/accounts')
			.reply(429, errorEnvelope('RATE_LIMITED', 'Too many requests', 'trace-429'), { 'Retry-After': '30' });
		await expect(searchAccountGroups.call(loadOptionsContext({}))).rejects.toMatchObject({
			message: 'Sonarly is busy right now: try again in a few seconds',
		});
		const sent = scriptedSonarly({ c1: [ok('c1')] });
		const started = Date.now();

		const result = await runSonarly({
			items: [{ campaignId: 'c1' }],
			parameters: { ...idsFromItems, options: { maxRateLimitWait: 2 } },
			onError: 'continueErrorOutput',
		});

		expect(result.errors.map((item) => (item.json.error as IDataObject).message)).toEqual([]);
		expect(result.success).toHaveLength(1);
		expect(sent.map((request) => request.campaignId)).toEqual(['c1']);
		expect(Date.now() - started).toBeLessThan(1500);
	});

	it('a hold an execution\'s 429 set refuses a list search in the list\'s own words, without sending', async () => {
		scriptedSonarly({ c1: [rateLimited({ 'Retry-After': '120' })] });
		const held = await runSonarly({
			items: [{ campaignId: 'c1' }],
			parameters: { ...idsFromItems, options: { maxRateLimitWait: 0 } },
			onError: 'continueErrorOutput',
		});
		expect(held.errors).toHaveLength(1);
		const list = nock(BASE_URL).get('/v1/accounts').reply(200, successEnvelope({ items: [] }));

		const refused = await searchAccountGroups.call(loadOptionsContext({})).then(
			() => undefined,
			(error: Error & { description?: string }) => error,
		);

		expect(list.isDone()).toBe(false);
		expect(refused?.message).toBe('Sonarly is busy right now: try again in 2 minutes');
		expect(refused?.description).toBe(
			'Workflows using this Sonarly account reached its rate limit, so the list was not loaded (nothing was changed). Open the list again then, or enter the ID By ID.',
		);
		// No execution option names or item words in an editor dropdown.
		expect(`${refused?.message} ${refused?.description}`).not.toMatch(/Max Rate Limit Wait|Concurrency|Options|item/);
	});
});

describe('failures before Sonarly, and after it may have acted', () => {
	it('resends a refused connection with backoff, since it never reached Sonarly', async () => {
		let attempts = 0;
		nock(BASE_URL)
			.post(stopPath())
			.times(2)
			.replyWithError(Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' }))
			.on('request', () => attempts++);
		nock(BASE_URL)
			.post(stopPath())
			.reply(200, successEnvelope({ campaign: campaign(), instancesStopped: 3 }))
			.on('request', () => attempts++);

		const result = await runSonarly({ items: [{}], parameters: stopParameters() });

		expect(result.error).toBeUndefined();
		expect(attempts).toBe(3);
		expect(result.success[0].json).toMatchObject({ instancesStopped: 3, stopped: true });
	});

	it.each([
		['HTTP 500', (scope: nock.Interceptor) => scope.reply(500, errorEnvelope('INTERNAL', 'boom', 'trace-500'))],
		['HTTP 502', (scope: nock.Interceptor) => scope.reply(502, '<html>Bad gateway</html>')],
		['HTTP 503', (scope: nock.Interceptor) => scope.reply(503, errorEnvelope('UNAVAILABLE', 'later'))],
		['a timeout', (scope: nock.Interceptor) => scope.delay(400).reply(200, successEnvelope({}))],
		[
			'a reset',
			(scope: nock.Interceptor) =>
				scope.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })),
		],
	])('%s is sent exactly once and reported as "may or may not have happened"', async (_name, answer) => {
		let attempts = 0;
		answer(nock(BASE_URL).post(stopPath()).times(3)).on('request', () => attempts++);

		const result = await runSonarly({
			items: [{}],
			parameters: stopParameters(undefined, undefined, { options: { timeout: 100 } }),
			onError: 'continueErrorOutput',
		});

		expect(attempts).toBe(1);
		expect(String((result.errors[0].json.error as IDataObject).message)).toMatch(/may or may not have happened$/);
	});
});

describe('Ignore Not Active Campaigns', () => {
	it('on: a 409 reads the campaign and puts it on the success output, stopped false', async () => {
		nock(BASE_URL)
			.post(stopPath(ACCOUNT_GROUP_ID, 'c-done'))
			.reply(409, errorEnvelope('CAMPAIGN_NOT_ACTIVE', 'Campaign already stopped'))
			.get(`/v1/accounts/${ACCOUNT_GROUP_ID}/campaigns/c-done`)
			.reply(200, successEnvelope(campaign('c-done', 'stopped'), 'trace-get'))
			.post(stopPath(ACCOUNT_GROUP_ID, 'c-live'))
			.reply(200, successEnvelope({ campaign: campaign('c-live'), instancesStopped: 12 }, 'trace-stop'));

		const result = await runSonarly({
			items: [{ campaignId: 'c-done' }, { campaignId: 'c-live' }],
			parameters: { ...idsFromItems, options: { ignoreNotActive: true } },
			onError: 'continueErrorOutput',
		});

		expect(nock.isDone()).toBe(true);
		expect(result.errors).toEqual([]);
		expect(result.success.map((item) => [item.pairedItem, item.json])).toEqual([
			[{ item: 0 }, { campaign: campaign('c-done', 'stopped'), instancesStopped: 0, stopped: false, traceId: 'trace-get' }],
			[{ item: 1 }, { campaign: campaign('c-live'), instancesStopped: 12, stopped: true, traceId: 'trace-stop' }],
		]);
	});

	it('off: a 409 is a failure and nothing is read', async () => {
		const read = nock(BASE_URL).get(/.*/).reply(200, successEnvelope(campaign()));
		nock(BASE_URL).post(stopPath()).reply(409, errorEnvelope('CAMPAIGN_NOT_ACTIVE', 'Campaign already stopped'));

		const result = await runSonarly({ items: [{}], parameters: stopParameters(), onError: 'continueErrorOutput' });

		expect(read.isDone()).toBe(false);
		expect(result.errors[0].json.error).toMatchObject({ httpCode: 409, code: 'CAMPAIGN_NOT_ACTIVE' });
	});

	it('on, but the key cannot read campaigns: the read failure names the permission', async () => {
		nock(BASE_URL)
			.post(stopPath())
			.reply(409, errorEnvelope('CAMPAIGN_NOT_ACTIVE', 'Campaign is a draft'))
			.get(/campaigns\/[^/]+$/)
			.reply(403, errorEnvelope('FORBIDDEN', 'Missing campaigns:read'));

		const result = await runSonarly({
			items: [{}],
			parameters: stopParameters(undefined, undefined, { options: { ignoreNotActive: true } }),
			onError: 'continueErrorOutput',
		});

		expect(result.errors[0].json.error).toMatchObject({
			message: 'The API key is not allowed to read the campaign that Sonarly would not stop',
			httpCode: 403,
		});
	});
});

describe('Concurrency', () => {
	it('keeps output order equal to input order and one output item per input item, whatever finishes first', async () => {
		const outcomes = Array.from({ length: 24 }, (_, index) => index);
		nock(BASE_URL)
			.persist()
			.post(/\/campaigns\/[^/]+\/stop$/)
			.delay(5)
			.reply((uri) => {
				const index = Number(uri.split('/')[5].replace('c-', ''));
				// Later items answer sooner, so completion order is roughly reversed.
				const kind = index % 4;
				if (kind === 1) return [404, errorEnvelope('NOT_FOUND', 'gone', `t-${index}`)];
				if (kind === 2) return [409, errorEnvelope('CAMPAIGN_NOT_ACTIVE', 'draft', `t-${index}`)];
				return [200, successEnvelope({ campaign: campaign(`c-${index}`), instancesStopped: index }, `t-${index}`)];
			});

		const result = await runSonarly({
			items: outcomes.map((index) => ({ campaignId: `c-${index}`, row: index })),
			parameters: { ...idsFromItems, options: { concurrency: 5 } },
			onError: 'continueErrorOutput',
		});

		expect(result.success.length + result.errors.length).toBe(24);
		expect(result.success.map((item) => item.pairedItem)).toEqual(
			outcomes.filter((index) => index % 4 === 0 || index % 4 === 3).map((item) => ({ item })),
		);
		expect(result.success.map((item) => item.json.instancesStopped)).toEqual(
			outcomes.filter((index) => index % 4 === 0 || index % 4 === 3),
		);
		expect(result.errors.map((item) => [item.pairedItem, item.json.row, (item.json.error as IDataObject).traceId])).toEqual(
			outcomes
				.filter((index) => index % 4 === 1 || index % 4 === 2)
				.map((index) => [{ item: index }, index, `t-${index}`]),
		);
	});

	it('refuses a Concurrency outside 1 to 20 for every item, without sending', async () => {
		const anyRequest = nock(BASE_URL).persist().post(/.*/).reply(200, {});

		const result = await runSonarly({
			items: [{}, {}],
			parameters: stopParameters(undefined, undefined, { options: { concurrency: 0 } }),
			onError: 'continueErrorOutput',
		});

		expect(anyRequest.isDone()).toBe(false);
		expect(result.errors.map((item) => (item.json.error as IDataObject).message)).toEqual([
			'Concurrency must be a whole number from 1 to 20',
			'Concurrency must be a whole number from 1 to 20',
		]);
	});
});
