import nock from 'nock';

import {
	LIST_SEARCH_MAX_PAGES,
	LIST_SEARCH_RATE_LIMIT_WAIT_SECONDS,
	searchAccountGroups,
	searchCampaigns,
} from '../nodes/Sonarly/methods/listSearch';
import { BASE_URL, TEST_API_KEY, loadOptionsContext } from './harness/engine';
import {
	ACCOUNT_GROUP_ID,
	byId,
	campaign,
	errorEnvelope,
	successEnvelope,
} from './support/fixtures';
import { useNock } from './support/sonarly';

useNock();

const groups = [
	{ id: 'ag-1', name: 'Acme Sales', createdAt: '2026-01-01T00:00:00.000Z' },
	{ id: 'ag-2', name: 'Globex Outreach', createdAt: '2026-01-02T00:00:00.000Z' },
	{ id: 'ag-3', name: 'ACME Europe', createdAt: '2026-01-03T00:00:00.000Z' },
];

describe('Account Group → From List', () => {
	it('lists every account group from GET /v1/accounts with the Bearer key', async () => {
		const scope = nock(BASE_URL, { reqheaders: { authorization: `Bearer ${TEST_API_KEY}` } })
			.get('/v1/accounts')
			.reply(200, successEnvelope({ items: groups }));

		const result = await searchAccountGroups.call(loadOptionsContext({}));

		expect(scope.isDone()).toBe(true);
		expect(result).toEqual({
			results: [
				{ name: 'Acme Sales', value: 'ag-1' },
				{ name: 'Globex Outreach', value: 'ag-2' },
				{ name: 'ACME Europe', value: 'ag-3' },
			],
			paginationToken: undefined,
		});
	});

	it('filters by name, case-insensitively, or by exact id', async () => {
		nock(BASE_URL)
			.get('/v1/accounts')
			.twice()
			.reply(200, successEnvelope({ items: groups }));

		const byName = await searchAccountGroups.call(loadOptionsContext({}), 'acme');
		const byIdFilter = await searchAccountGroups.call(loadOptionsContext({}), 'ag-2');

		expect(byName.results.map((item) => item.value)).toEqual(['ag-1', 'ag-3']);
		expect(byIdFilter.results.map((item) => item.value)).toEqual(['ag-2']);
	});

	it('follows Sonarly paging through the pagination token when it sends nextCursor', async () => {
		nock(BASE_URL)
			.get('/v1/accounts')
			.reply(
				200,
				successEnvelope({ items: groups.slice(0, 2), nextCursor: 'page-2', hasMore: true }),
			)
			.get('/v1/accounts')
			.query({ cursor: 'page-2' })
			.reply(200, successEnvelope({ items: groups.slice(2), nextCursor: null, hasMore: false }));

		const first = await searchAccountGroups.call(loadOptionsContext({}));
		const second = await searchAccountGroups.call(
			loadOptionsContext({}),
			undefined,
			first.paginationToken,
		);

		expect(first.paginationToken).toBe('page-2');
		expect(second.results.map((item) => item.value)).toEqual(['ag-3']);
		expect(second.paginationToken).toBeUndefined();
	});

	it('shows a clear error when the key is refused', async () => {
		nock(BASE_URL)
			.get('/v1/accounts')
			.reply(401, errorEnvelope('UNAUTHORIZED', 'Invalid API key', 'trace-401'));

		await expect(searchAccountGroups.call(loadOptionsContext({}))).rejects.toMatchObject({
			message: 'Sonarly did not accept the API key',
			description: expect.stringContaining('Check the API key in the Sonarly API credential'),
		});
	});
});

describe('Campaign → From List', () => {
	it('lists the campaigns of the account group chosen above, labelled by name only', async () => {
		const scope = nock(BASE_URL)
			.get(`/v1/accounts/${ACCOUNT_GROUP_ID}/campaigns`)
			.reply(
				200,
				successEnvelope({
					items: [
						campaign('c-1', 'active'),
						{ ...campaign('c-2', 'draft'), name: 'Spring launch' },
					],
				}),
			);

		const result = await searchCampaigns.call(
			loadOptionsContext({ accountGroupId: { __rl: true, mode: 'list', value: ACCOUNT_GROUP_ID } }),
		);

		expect(scope.isDone()).toBe(true);
		// n8n saves the label with the choice: a status in it would go stale after a stop.
		expect(result.results).toEqual([
			{ name: 'Q4 enterprise outreach', value: 'c-1' },
			{ name: 'Spring launch', value: 'c-2' },
		]);
	});

	it('encodes the account group id as one path segment and filters by name', async () => {
		const scope = nock(BASE_URL)
			.get('/v1/accounts/acme%2Feu/campaigns')
			.reply(
				200,
				successEnvelope({
					items: [
						campaign('c-1', 'active'),
						{ ...campaign('c-2', 'draft'), name: 'Spring launch' },
					],
				}),
			);

		const result = await searchCampaigns.call(
			loadOptionsContext({ accountGroupId: byId(' acme/eu ') }),
			'SPRING',
		);

		expect(scope.isDone()).toBe(true);
		expect(result.results.map((item) => item.value)).toEqual(['c-2']);
	});

	it.each([
		['no account group', '', 'Choose an account group first'],
		['an account group of ".."', '..', 'Choose an account group first'],
		[
			'an account group from an expression',
			'={{ $json.accountGroupId }}',
			'The account group comes from an expression: enter the campaign By ID',
		],
	])(
		'answers with one entry that cannot be picked when there is %s, without a request or an error',
		async (_name, value, hint) => {
			const anyRequest = nock(BASE_URL)
				.persist()
				.get(/.*/)
				.reply(200, successEnvelope({ items: [] }));

			const result = await searchCampaigns.call(
				loadOptionsContext({ accountGroupId: byId(value) }),
			);

			// n8n's list ignores a click on an entry whose value is a boolean.
			expect(result).toEqual({ results: [{ name: hint, value: false }] });
			expect(anyRequest.isDone()).toBe(false);
		},
	);

	it('names the missing permission when the key cannot read campaigns', async () => {
		nock(BASE_URL)
			.get(`/v1/accounts/${ACCOUNT_GROUP_ID}/campaigns`)
			.reply(403, errorEnvelope('FORBIDDEN', 'Missing permission', 'trace-403'));

		await expect(
			searchCampaigns.call(loadOptionsContext({ accountGroupId: byId(ACCOUNT_GROUP_ID) })),
		).rejects.toMatchObject({
			message: 'The API key is not allowed to list the campaigns',
			description: expect.stringContaining('the campaigns:read permission'),
		});
	});
});

describe('list searches across pages', () => {
	const page = (ids: number[], nextCursor: string | null) =>
		successEnvelope({
			items: ids.map((n) => ({ id: `ag-${n}`, name: n % 10 === 0 ? `Target ${n}` : `Group ${n}` })),
			nextCursor,
			hasMore: nextCursor !== null,
		});
	const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

	it('without a search text reads one page and hands n8n the token for the next', async () => {
		const scope = nock(BASE_URL)
			.get('/v1/accounts')
			.reply(200, page(range(1, 5), 'p2'));

		const result = await searchAccountGroups.call(loadOptionsContext({}));

		expect(scope.isDone()).toBe(true);
		expect(result.results).toHaveLength(5);
		expect(result.paginationToken).toBe('p2');
	});

	it('with a search text searches the following pages too, and stops at the last one', async () => {
		const scope = nock(BASE_URL)
			.get('/v1/accounts')
			.reply(200, page(range(1, 10), 'p2'))
			.get('/v1/accounts')
			.query({ cursor: 'p2' })
			.reply(200, page(range(11, 10), 'p3'))
			.get('/v1/accounts')
			.query({ cursor: 'p3' })
			.reply(200, page(range(21, 5), null));

		const result = await searchAccountGroups.call(loadOptionsContext({}), 'target');

		expect(scope.isDone()).toBe(true);
		expect(result.results.map((item) => item.name)).toEqual(['Target 10', 'Target 20']);
		expect(result.paginationToken).toBeUndefined();
	});

	it(`reads at most ${LIST_SEARCH_MAX_PAGES} pages per search, then hands n8n the token for the rest`, async () => {
		let served = 0;
		const scope = nock(BASE_URL)
			.persist()
			.get('/v1/accounts')
			.query(true)
			.reply(() => {
				served += 1;
				return [200, page(range(served * 10 - 9, 10), `p${served + 1}`)];
			});

		const first = await searchAccountGroups.call(loadOptionsContext({}), 'target');

		expect(served).toBe(LIST_SEARCH_MAX_PAGES);
		expect(first.results).toHaveLength(LIST_SEARCH_MAX_PAGES);
		expect(first.paginationToken).toBe(`p${LIST_SEARCH_MAX_PAGES + 1}`);

		const next = await searchAccountGroups.call(
			loadOptionsContext({}),
			'target',
			first.paginationToken,
		);
		expect(served).toBe(2 * LIST_SEARCH_MAX_PAGES);
		expect(next.results[0].name).toBe(`Target ${(LIST_SEARCH_MAX_PAGES + 1) * 10}`);
		scope.persist(false);
	});

	it('stops when Sonarly repeats a cursor', async () => {
		nock(BASE_URL)
			.get('/v1/accounts')
			.reply(200, page(range(1, 10), 'p2'))
			.get('/v1/accounts')
			.query({ cursor: 'p2' })
			.reply(200, page(range(11, 10), 'p2'));

		const result = await searchAccountGroups.call(loadOptionsContext({}), 'target');

		expect(result.results.map((item) => item.name)).toEqual(['Target 10', 'Target 20']);
		expect(result.paginationToken).toBeUndefined();
	});
});

describe('list searches under a rate limit', () => {
	it('says "try again" at once when Sonarly asks for a longer wait than a list can spin', async () => {
		const scope = nock(BASE_URL)
			.get('/v1/accounts')
			.reply(429, errorEnvelope('RATE_LIMITED', 'Too many requests', 'trace-429'), {
				'Retry-After': '30',
			});
		const started = Date.now();

		await expect(searchAccountGroups.call(loadOptionsContext({}))).rejects.toMatchObject({
			message: 'Sonarly is busy right now: try again in a few seconds',
			description: expect.stringContaining('open it again in a few seconds'),
		});
		expect(scope.isDone()).toBe(true);
		expect(Date.now() - started).toBeLessThan(1000);
	});

	it(`waits a short Retry-After (within ${LIST_SEARCH_RATE_LIMIT_WAIT_SECONDS} s) and then lists`, async () => {
		nock(BASE_URL)
			.get(`/v1/accounts/${ACCOUNT_GROUP_ID}/campaigns`)
			.reply(429, errorEnvelope('RATE_LIMITED', 'Too many requests'), { 'Retry-After': '1' })
			.get(`/v1/accounts/${ACCOUNT_GROUP_ID}/campaigns`)
			.reply(200, successEnvelope({ items: [campaign('c-1', 'active')] }));
		const started = Date.now();

		const result = await searchCampaigns.call(
			loadOptionsContext({ accountGroupId: byId(ACCOUNT_GROUP_ID) }),
		);

		expect(result.results).toEqual([{ name: 'Q4 enterprise outreach', value: 'c-1' }]);
		expect(Date.now() - started).toBeGreaterThanOrEqual(900);
	});

	it(`gives up within ${LIST_SEARCH_RATE_LIMIT_WAIT_SECONDS} s when 429s keep coming without Retry-After`, async () => {
		const scope = nock(BASE_URL)
			.persist()
			.get('/v1/accounts')
			.reply(429, errorEnvelope('RATE_LIMITED', 'Too many requests'));
		const started = Date.now();

		await expect(searchAccountGroups.call(loadOptionsContext({}))).rejects.toMatchObject({
			message: 'Sonarly is busy right now: try again in a few seconds',
		});
		expect(Date.now() - started).toBeLessThanOrEqual(
			LIST_SEARCH_RATE_LIMIT_WAIT_SECONDS * 1000 + 500,
		);
		scope.persist(false);
	});
});
