/**
 * The defects of the shared path that the engine rebuild fixed (issue "One engine for all of
 * Sonarly's API"), each pinned in the real engine on both lines. Every test here failed on
 * the code before the rebuild.
 */
import nock from 'nock';

import { runSonarly, type RunResult } from './harness/engine';
import { ACCOUNT_GROUP_ID, byId, campaign, expectNoApiKey, stopParameters } from './support/fixtures';
import { fakeSonarly, ok, refused, sentTo, useNock } from './support/sonarly';
import { startTrickleServer } from './support/trickle-server';

useNock();

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
const items = (...ids: string[]) => ids.map((id) => ({ id }));
const fromItems = { ...stopParameters(ACCOUNT_GROUP_ID, '={{ $json.id }}') };

describe('1. Sonarly text in items is bounded', () => {
	const huge = { trace: 'x'.repeat(1_000_000), list: Array.from({ length: 5000 }, (_, index) => ({ index, note: 'y'.repeat(50) })) };

	it.each([
		['a 1 MB details string', 'z'.repeat(1_000_000)],
		['a 1 MB details object', huge],
	])('%s: every error item stays under 32 KB, keeps httpCode and code, and marks the cut', async (_label, details) => {
		fakeSonarly(() => ({ status: 400, body: refused('VALIDATION_ERROR', `bad ${'m'.repeat(900_000)}`, 'trace-big', details) }));

		const result = await runSonarly({ items: items('c-1', 'c-1', 'c-2'), parameters: fromItems, onError: 'continueErrorOutput' });

		expect(result.errors).toHaveLength(3);
		for (const item of result.errors) {
			expect(bytes(item.json)).toBeLessThan(32 * 1024);
			expect(item.json.error).toMatchObject({ httpCode: 400, code: 'VALIDATION_ERROR', detailsTruncated: true, traceId: 'trace-big' });
		}
	});

	it('the error that stops the workflow and an AI tool\'s result are bounded too', async () => {
		fakeSonarly(() => ({ status: 400, body: refused('VALIDATION_ERROR', 'm'.repeat(900_000), 't', 'z'.repeat(1_000_000)) }));

		const stopped = await runSonarly({ items: items('c-1'), parameters: fromItems });
		const tool = await runSonarly({ items: items('c-1'), parameters: fromItems, asTool: true });

		expect(bytes({ message: stopped.error?.message, description: stopped.error?.description, context: stopped.error?.context })).toBeLessThan(32 * 1024);
		expect(bytes(tool.success.map((item) => item.json))).toBeLessThan(16 * 1024);
	});
});

describe('2. The key is masked before anything is clipped', () => {
	// Keys with the characters the clip cuts at: no 12-character piece of them may survive.
	const keys = ['QUJDREVGR0hJSktMTU5PUFFSU1RVVldY==', 'sk_live:Zq8vN2mK4pR7tX1wYb', 'abc=def=ghi=jkl=mno=pqr=stu'];

	it.each(keys)('key %s echoed across the clip boundary of a quoted message', async (key) => {
		for (const offset of [480, 488, 495, 499]) {
			nock.cleanAll();
			fakeSonarly(() => ({ status: 400, body: refused('VALIDATION_ERROR', `${'w '.repeat(offset / 2)}${key} tail`, 't') }));
			const result = await runSonarly({
				items: items('c-1'),
				parameters: fromItems,
				onError: 'continueErrorOutput',
				credentials: { apiKey: key },
			});
			const text = visible(result);
			for (let at = 0; at + 12 <= key.length; at++) expect(text).not.toContain(key.slice(at, at + 12));
			expect(text).toContain('[redacted]');
		}
	});
});

describe('4. A 2xx that says success: false on a write is "may or may not have happened"', () => {
	it('is reported as such, and counted in the Stop Workflow run summary', async () => {
		fakeSonarly((request) =>
			request.campaignId === 'c-weird'
				? { status: 200, body: refused('STRANGE', 'did not work', 't-weird') }
				: { status: 404, body: refused('NOT_FOUND', 'no such campaign', 't-404') },
		);

		const continued = await runSonarly({ items: items('c-weird'), parameters: fromItems, onError: 'continueErrorOutput' });
		const stopped = await runSonarly({
			items: items('c-missing', 'c-weird'),
			parameters: { ...fromItems, options: { concurrency: 2 } },
		});

		const error = continued.errors[0].json.error as Record<string, unknown>;
		expect(error.message).toMatch(/: it may or may not have happened$/);
		expect(error.message).not.toMatch(/Nothing was changed/);
		expect(error.description).toMatch(/^Check the campaign's status in Sonarly/);
		expect(stopped.error?.description).toContain('It may have stopped item 1 (campaign c-weird): check them in Sonarly before running again.');
	});
});

describe('5. Timeout is a deadline for the whole request', () => {
	it('a server that sends headers and then trickles its body ends at the Timeout, "may have happened"', async () => {
		nock.enableNetConnect('127.0.0.1');
		const server = await startTrickleServer({ byteEveryMs: 100 });
		try {
			const began = Date.now();
			const result = await runSonarly({
				items: items('c-1'),
				parameters: { ...fromItems, options: { timeout: 1500 } },
				credentials: { baseUrl: server.url },
				onError: 'continueErrorOutput',
			});
			expect(Date.now() - began).toBeLessThan(6000);
			expect(result.errors[0].json.error).toMatchObject({
				message: 'Sonarly did not answer within 1500 ms: the stop may or may not have happened',
				code: 'ETIMEDOUT',
			});
		} finally {
			await server.stop();
			nock.disableNetConnect();
		}
	}, 20_000);
});

describe('8. Paging has a progress guard', () => {
	it('a server that repeats a page under fresh cursors fails after the first repeat, not 1,000 pages', async () => {
		let page = 0;
		const sent = fakeSonarly(() => ({
			status: 200,
			body: ok({ items: [campaign('c-1', 'active'), campaign('c-2', 'draft')], nextCursor: `fresh-${++page}`, hasMore: true }),
		}));

		const result = await runSonarly({
			items: [{}],
			parameters: { resource: 'campaign', operation: 'getAll', accountGroupId: byId(ACCOUNT_GROUP_ID), returnAll: true },
			onError: 'continueErrorOutput',
		});

		expect(sent).toHaveLength(2);
		expect(result.success).toEqual([]);
		expect(result.errors[0].json.message).toMatch(/^Sonarly sent page 2 of the list again under a new cursor, so the node stopped reading/);
	});

	it('an entry repeated on a later page that also brings new ones is returned once', async () => {
		const pages: Record<string, unknown> = {
			'': { items: [campaign('c-1'), campaign('c-2')], nextCursor: 'p2', hasMore: true },
			p2: { items: [campaign('c-2'), campaign('c-3')], nextCursor: null, hasMore: false },
		};
		fakeSonarly((request) => ({ status: 200, body: ok(pages[request.query.get('cursor') ?? '']) }));

		const result = await runSonarly({
			items: [{}],
			parameters: { resource: 'campaign', operation: 'getAll', accountGroupId: byId(ACCOUNT_GROUP_ID), returnAll: true },
		});

		expect(result.success.map((item) => item.json.id)).toEqual(['c-1', 'c-2', 'c-3']);
	});
});

describe('9. Parameters: expression errors, text booleans, every bad parameter', () => {
	it('an expression that cannot be evaluated keeps n8n\'s words and names the parameter and the item', async () => {
		const sent = fakeSonarly(() => ({ status: 200, body: ok({ campaign: campaign(), instancesStopped: 1 }) }));

		const result = await runSonarly({
			items: items('c-1'),
			parameters: { ...fromItems, campaignId: byId("={{ $('No Such Node').item.json.id }}") },
			onError: 'continueErrorOutput',
		});

		expect(sent).toEqual([]);
		const error = result.errors[0].json.error as Record<string, unknown>;
		expect(error.message).toBe("Referenced node doesn't exist");
		expect(error.description).toMatch(/^In Campaign \(item 0\): /);
	});

	it.each([
		['"true"', 'true', 'answered'],
		['" TRUE "', ' TRUE ', 'answered'],
		['"false"', 'false', 'error'],
	])('Ignore Not Active Campaigns from an expression giving %s is read as a boolean', async (_label, text, branch) => {
		fakeSonarly((request) =>
			request.method === 'GET'
				? { status: 200, body: ok(campaign('c-1', 'draft')) }
				: { status: 409, body: refused('CAMPAIGN_NOT_ACTIVE', 'not active') },
		);

		const result = await runSonarly({
			items: [{ id: 'c-1', ignore: text }],
			parameters: { ...fromItems, options: { ignoreNotActive: '={{ $json.ignore }}' } },
			onError: 'continueErrorOutput',
		});

		if (branch === 'answered') expect(result.success[0].json).toMatchObject({ stopped: false, instancesStopped: 0 });
		else expect(result.errors[0].json.error).toMatchObject({ httpCode: 409 });
	});

	it('any other text for a boolean option is refused before sending, naming the option and the item', async () => {
		const sent = fakeSonarly(() => ({ status: 409, body: refused('CAMPAIGN_NOT_ACTIVE', 'not active') }));

		const result = await runSonarly({
			items: [{ id: 'c-1', ignore: 'yes' }],
			parameters: { ...fromItems, options: { ignoreNotActive: '={{ $json.ignore }}' } },
			onError: 'continueErrorOutput',
		});

		expect(sent).toEqual([]);
		expect(result.errors[0].json.message).toMatch(/^Ignore Not Active Campaigns \(item 0\) must be true or false/);
	});

	it('every bad parameter of an item is named at once', async () => {
		const sent = fakeSonarly(() => ({ status: 200, body: ok({}) }));

		const result = await runSonarly({
			items: [{ id: '' }],
			parameters: { ...fromItems, options: { timeout: -5, maxRateLimitWait: 'soon' } },
			onError: 'continueErrorOutput',
		});

		expect(sent).toEqual([]);
		const message = String(result.errors[0].json.message);
		expect(message).toMatch(/^Campaign \(item 0\) is empty \(and 2 more problems in this item, listed below\)/);
		expect(message).toContain('2. Timeout (item 0) must be a number of milliseconds');
		expect(message).toContain('3. Max Rate Limit Wait (item 0) must be a number of seconds');
	});

	it('the Stop Workflow run summary stays under 4 KB for 300 stops (it listed each: about 8 KB)', async () => {
		const ids = Array.from({ length: 300 }, (_, index) => `c-${index}`);
		const sent = fakeSonarly((request) =>
			request.campaignId === 'c-299'
				? { status: 404, body: refused('NOT_FOUND', 'gone') }
				: { status: 200, body: ok({ campaign: campaign(request.campaignId), instancesStopped: 1 }) },
		);

		const result = await runSonarly({ items: items(...ids), parameters: { ...fromItems, options: { concurrency: 5 } } });

		expect(sentTo(sent, 'stop')).toHaveLength(300);
		const description = String(result.error?.description);
		expect(Buffer.byteLength(description)).toBeLessThan(4096);
		expect(description).toContain('this run stopped item 0 (campaign c-0)');
		expect(description).toContain('and 289 more items');
	}, 60_000);
});

function visible(result: RunResult): string {
	expectNoApiKey(result);
	return JSON.stringify({
		success: result.success,
		errors: result.errors,
		message: result.error?.message,
		description: result.error?.description,
	});
}
