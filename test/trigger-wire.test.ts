/**
 * The Sonarly Trigger against answers the sandbox does not give (nock stands in for Sonarly):
 * what goes out on the wire, a campaign that appears, a long Retry-After, an answer in another
 * format, entries without an id, and an API key echoed back.
 */
import { BASE_URL, TEST_API_KEY } from './harness/engine';
import { fakeSonarly, ok, refused, useNock, type Reply, type SentRequest } from './support/sonarly';
import { TriggerHost, byId } from './trigger/host';
import { RATE_LIMIT_WAIT_SECONDS } from '../nodes/Sonarly/trigger/limits';

const AG = '64a1f0000000000000000001';

useNock();

function host(event: string, parameters: Record<string, unknown> = {}): TriggerHost {
	return new TriggerHost({
		parameters: { accountGroupId: byId(AG), event, ...parameters } as never,
		baseUrl: BASE_URL,
		apiKey: TEST_API_KEY,
	});
}

const page = (items: unknown[], nextCursor: string | null = null) =>
	ok({ items, nextCursor, hasMore: nextCursor !== null });

describe('Sonarly Trigger on the wire', () => {
	it('sends GET with the Bearer key, the cursor Sonarly gave and the filter; never a limit', async () => {
		const sent = fakeSonarly((request: SentRequest): Reply => {
			const cursor = request.query.get('cursor');
			if (cursor === null)
				return { status: 200, body: page([{ id: 'm3' }, { id: 'm2' }], 'opaque/+=') };
			return { status: 200, body: page([{ id: 'm1' }]) };
		});
		const trigger = host('newMessage', { filters: { conversationId: ' conv 1 ' } });
		expect((await trigger.activate()).error).toBeUndefined();
		expect(sent.map((request) => [request.method, request.path, request.query.toString()])).toEqual(
			[
				['GET', `/v1/accounts/${AG}/messages`, 'conversationId=conv+1'],
				['GET', `/v1/accounts/${AG}/messages`, 'conversationId=conv+1&cursor=opaque%2F%2B%3D'],
			],
		);
		expect(sent.every((request) => request.authorization === `Bearer ${TEST_API_KEY}`)).toBe(true);
		expect(sent.some((request) => request.query.has('limit'))).toBe(false);
	});

	it('a campaign that appears is announced once with previousStatus null; one that goes is forgotten', async () => {
		let campaigns = [
			{ id: 'c1', status: 'active', updatedAt: '2026-01-01T00:00:00.000Z' },
			{ id: 'c2', status: 'draft', updatedAt: '2026-01-02T00:00:00.000Z' },
		];
		fakeSonarly(() => ({ status: 200, body: ok({ items: campaigns }) }));
		const trigger = host('campaignStatusChanged');
		await trigger.activate();
		campaigns = [
			...campaigns.slice(1),
			{ id: 'c3', status: 'draft', updatedAt: '2026-01-03T00:00:00.000Z' },
		];
		expect((await trigger.poll()).items).toEqual([
			{
				...campaigns[1],
				previousStatus: null,
				eventId: 'campaign:c3:draft:2026-01-03T00:00:00.000Z',
			},
		]);
		expect((await trigger.poll()).items).toEqual([]);
		expect(Object.keys(trigger.nodeState().campaigns as object).sort()).toEqual(['c2', 'c3']);
	});

	it('a long Retry-After fails the poll at once, and the next poll is not even sent before it passes', async () => {
		const sent = fakeSonarly(() => ({
			status: 429,
			body: refused('RATE_LIMITED', 'Slow down', 'trace-429'),
			headers: { 'retry-after': '120' },
		}));
		const trigger = host('newMessage');
		const started = Date.now();
		const first = await trigger.activate();
		expect(Date.now() - started).toBeLessThan(RATE_LIMIT_WAIT_SECONDS * 1000);
		expect(first.error?.constructor.name).toBe('NodeApiError');
		expect(first.error?.httpCode).toBe('429');
		expect(first.error?.message).toBe("Sonarly's rate limit was reached, so this poll stopped");
		expect(first.error?.description).toMatch(/Trace ID for Sonarly support: trace-429/);
		expect(sent).toHaveLength(1);
		const second = await trigger.activate();
		expect(second.error?.message).toBe("Sonarly's rate limit was reached, so this poll stopped");
		expect(sent).toHaveLength(1);
	});

	it('an answer in another format fails the poll, and says so', async () => {
		fakeSonarly(() => ({ status: 200, body: ok({ messages: [] }) }));
		const { error } = await host('newMessage').activate();
		expect(error?.message).toMatch(/not in the documented format/);
		expect(error?.description).toMatch(/keeps its place/);
	});

	it('entries that are not objects or have no id are never emitted', async () => {
		let items: unknown[] = [{ id: 'old' }];
		fakeSonarly(() => ({ status: 200, body: page(items) }));
		const trigger = host('newMessage');
		await trigger.activate();
		items = [
			null,
			'text',
			[1],
			{ error: 'x', message: 'y' },
			{ id: '' },
			{ id: 'new' },
			{ id: 'old' },
		];
		expect((await trigger.poll()).items).toEqual([{ id: 'new', eventId: 'message:new' }]);
	});

	it('an API key that Sonarly echoes back never reaches the error', async () => {
		fakeSonarly(() => ({
			status: 401,
			body: refused('UNAUTHORIZED', `Key ${TEST_API_KEY} is revoked`, 'trace-401', {
				key: TEST_API_KEY,
			}),
		}));
		const { error } = await host('audienceReady').activate();
		expect(error?.message).toBe('Sonarly did not accept the API key');
		expect(
			JSON.stringify({ error, message: error?.message, description: error?.description }),
		).not.toContain(TEST_API_KEY);
	});

	it('a job followed while running that Sonarly no longer has (404) is dropped, not an error', async () => {
		let jobs = [{ jobId: 'j1', status: 'running', updatedAt: '2026-01-01T00:00:00.000Z' }];
		fakeSonarly((request) => {
			if (request.path.endsWith('/prospecting/j1'))
				return { status: 404, body: refused('NOT_FOUND', 'gone') };
			return { status: 200, body: page(request.query.get('status') === 'completed' ? [] : jobs) };
		});
		const trigger = host('prospectingJobFinished');
		await trigger.activate();
		expect(trigger.nodeState().pending).toEqual(['j1']);
		jobs = [];
		const { items, error } = await trigger.poll();
		expect(error).toBeUndefined();
		expect(items).toEqual([]);
		expect(trigger.nodeState().pending).toEqual([]);
	});
});
