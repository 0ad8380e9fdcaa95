import nock from 'nock';

import { searchAccountGroups, searchCampaigns } from '../nodes/Sonarly/methods/listSearch';
import { BASE_URL, TEST_API_KEY, loadOptionsContext } from './harness/engine';
import { ACCOUNT_GROUP_ID, byId, campaign, errorEnvelope, successEnvelope } from './support/fixtures';
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
		nock(BASE_URL).get('/v1/accounts').twice().reply(200, successEnvelope({ items: groups }));

		const byName = await searchAccountGroups.call(loadOptionsContext({}), 'acme');
		const byIdFilter = await searchAccountGroups.call(loadOptionsContext({}), 'ag-2');

		expect(byName.results.map((item) => item.value)).toEqual(['ag-1', 'ag-3']);
		expect(byIdFilter.results.map((item) => item.value)).toEqual(['ag-2']);
	});

	it('follows Sonarly paging through the pagination token when it sends nextCursor', async () => {
		nock(BASE_URL)
			.get('/v1/accounts')
			.reply(200, successEnvelope({ items: groups.slice(0, 2), nextCursor: 'page-2', hasMore: true }))
			.get('/v1/accounts')
			.query({ cursor: 'page-2' })
			.reply(200, successEnvelope({ items: groups.slice(2), nextCursor: null, hasMore: false }));

		const first = await searchAccountGroups.call(loadOptionsContext({}));
		const second = await searchAccountGroups.call(loadOptionsContext({}), undefined, first.paginationToken);

		expect(first.paginationToken).toBe('page-2');
		expect(second.results.map((item) => item.value)).toEqual(['ag-3']);
		expect(second.paginationToken).toBeUndefined();
	});

	it('shows a clear error when the key is refused', async () => {
		nock(BASE_URL).get('/v1/accounts').reply(401, errorEnvelope('UNAUTHORIZED', 'Invalid API key', 'trace-401'));

		await expect(searchAccountGroups.call(loadOptionsContext({}))).rejects.toMatchObject({
			message: 'Sonarly did not accept the API key',
			description: expect.stringContaining('Check the API key in the Sonarly API credential'),
		});
	});
});

describe('Campaign → From List', () => {
	it('lists the campaigns of the account group chosen above, with their status', async () => {
		const scope = nock(BASE_URL)
			.get(`/v1/accounts/${ACCOUNT_GROUP_ID}/campaigns`)
			.reply(
				200,
				successEnvelope({
					items: [campaign('c-1', 'active'), { ...campaign('c-2', 'draft'), name: 'Spring launch' }],
				}),
			);

		const result = await searchCampaigns.call(
			loadOptionsContext({ accountGroupId: { __rl: true, mode: 'list', value: ACCOUNT_GROUP_ID } }),
		);

		expect(scope.isDone()).toBe(true);
		expect(result.results).toEqual([
			{ name: 'Q4 enterprise outreach (active)', value: 'c-1' },
			{ name: 'Spring launch (draft)', value: 'c-2' },
		]);
	});

	it('encodes the account group id as one path segment and filters by name', async () => {
		const scope = nock(BASE_URL)
			.get('/v1/accounts/acme%2Feu/campaigns')
			.reply(
				200,
				successEnvelope({
					items: [campaign('c-1', 'active'), { ...campaign('c-2', 'draft'), name: 'Spring launch' }],
				}),
			);

		const result = await searchCampaigns.call(loadOptionsContext({ accountGroupId: byId(' acme/eu ') }), 'SPRING');

		expect(scope.isDone()).toBe(true);
		expect(result.results.map((item) => item.value)).toEqual(['c-2']);
	});

	it.each([
		['no account group', ''],
		['an account group from an expression', '={{ $json.accountGroupId }}'],
		['an account group of ".."', '..'],
	])('asks to choose an account group first when there is %s, without a request', async (_name, value) => {
		const anyRequest = nock(BASE_URL).persist().get(/.*/).reply(200, successEnvelope({ items: [] }));

		await expect(
			searchCampaigns.call(loadOptionsContext({ accountGroupId: byId(value) })),
		).rejects.toMatchObject({ message: 'Choose an account group first' });
		expect(anyRequest.isDone()).toBe(false);
	});

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
