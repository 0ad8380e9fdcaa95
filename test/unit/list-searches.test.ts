/**
 * The From List searches of the operations beyond campaigns: each is scoped to the account
 * group chosen above, and says so (an entry that cannot be picked) when there is none. Run
 * once: n8n's load-options context is the same on both lines for this (list-search.test.ts pins
 * the shared search on both).
 */
import nock from 'nock';

import {
	searchAudiences,
	searchFolders,
	searchLeadLists,
	searchSavedSearches,
	searchStarterTemplates,
	searchValuePropositions,
} from '../../nodes/Sonarly/methods/listSearch';
import { BASE_URL, loadOptionsContext } from '../harness/engine';
import { ACCOUNT_GROUP_ID as AG, byId, successEnvelope } from '../support/fixtures';
import { useNock } from '../support/sonarly';

useNock();

const inGroup = loadOptionsContext({ accountGroupId: byId(AG) });

describe('From List beyond campaigns', () => {
	it.each([
		['audiences', searchAudiences, `/v1/accounts/${AG}/audiences`],
		['saved searches', searchSavedSearches, `/v1/accounts/${AG}/sales-navigator/saved-searches`],
		['lead lists', searchLeadLists, `/v1/accounts/${AG}/sales-navigator/lead-lists`],
		['value propositions', searchValuePropositions, `/v1/accounts/${AG}/value-propositions`],
	])('%s: the chosen account group\'s list, by name', async (_label, search, path) => {
		const scope = nock(BASE_URL)
			.get(path)
			.reply(200, successEnvelope({ items: [{ id: 'x-1', name: 'Webinar' }, { id: 'x-2', name: 'Events' }] }));

		const result = await search.call(inGroup, 'web');

		expect(scope.isDone()).toBe(true);
		expect(result.results).toEqual([{ name: 'Webinar', value: 'x-1' }]);
	});

	it('starter templates say which are not available to the account', async () => {
		nock(BASE_URL)
			.get(`/v1/accounts/${AG}/campaigns/starter-templates`)
			.reply(200, successEnvelope({ items: [{ id: 'engage-inmail', name: 'Engage by InMail', available: true }, { id: 'connect', name: 'Connect', available: false }] }));

		const result = await searchStarterTemplates.call(inGroup);

		expect(result.results).toEqual([
			{ name: 'Engage by InMail', value: 'engage-inmail' },
			{ name: 'Connect (not available)', value: 'connect' },
		]);
	});

	it('folders come from the audience navigation', async () => {
		nock(BASE_URL)
			.get(`/v1/accounts/${AG}/audiences/navigation`)
			.reply(200, successEnvelope({ folders: [{ id: 'f-1', name: 'Events', audiences: [] }], ungroupedAudiences: [{ id: 'a-9', name: 'Loose' }] }));

		const result = await searchFolders.call(inGroup);

		expect(result.results).toEqual([{ name: 'Events', value: 'f-1' }]);
	});

	it('without an account group: one entry that cannot be picked, and nothing sent', async () => {
		const result = await searchAudiences.call(loadOptionsContext({}));

		expect(result).toEqual({ results: [{ name: 'Choose an account group first', value: false }] });
	});
});
