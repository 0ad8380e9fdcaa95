import { accountGroupId, limit } from '../engine/common';
import { defineOperation } from '../engine/operation';
import { optionalIntegerParam } from '../engine/params';
import { KINDS, TRACE_ID } from '../helpers/schema';
import { route } from '../transport/routes';
import { given, groupLocator } from './common';

const group = accountGroupId('The account group of the prospects');

export const getAll = defineOperation<{ accountGroupId: string; audienceId: string; limit: number | null }>({
	resource: 'prospect',
	operation: 'getAll',
	name: 'Get Many',
	description: 'List the prospects of an audience (cursor paging; Return All reads every page)',
	action: 'List prospects of an audience',
	safety: 'read',
	params: {
		accountGroupId: group,
		audienceId: groupLocator('audienceId', 'Audience', 'The audience whose prospects to list. Its ID comes from Audience → Get Many.', 'searchAudiences'),
		limit,
	},
	wording: { action: 'list the prospects of the audience', permission: 'prospects:read', target: 'account group or audience' },
	request: (p) => ({ method: 'GET', path: route(p.accountGroupId, 'audiences', { id: p.audienceId }, 'prospects') }),
	list: { limit: (p) => p.limit },
	schema: KINDS.prospect,
	simplify: 'prospect',
});

export const findByProviderId = defineOperation<{ accountGroupId: string; providerId: string }>({
	resource: 'prospect',
	operation: 'findByProviderId',
	name: 'Find by Provider ID',
	description:
		"Find the Sonarly prospects behind a LinkedIn provider ID (for example a message's participantProviderId). Returns Sonarly's resolution and every match as sent: Sonarly never guesses between duplicates, and neither does the node.",
	action: 'Find prospect by provider ID',
	safety: 'read',
	params: {
		accountGroupId: group,
		providerId: groupLocator('providerId', 'Provider ID', 'The external (LinkedIn) provider ID, for example participantProviderId from Message → Get Many'),
	},
	wording: { action: 'look up the provider ID', permission: 'prospects:read', target: 'account group' },
	request: (p) => ({ method: 'GET', path: route(p.accountGroupId, 'prospects', 'by-provider-id', { id: p.providerId }) }),
	schema: { fields: { providerId: 'string', resolution: 'string', matches: 'array', ...TRACE_ID } },
});

export const getSignals = defineOperation<{ accountGroupId: string; prospectId: string; minScore: number | null }>({
	resource: 'prospect',
	operation: 'getSignals',
	name: 'Get Signals',
	description:
		'Get the signal results of one prospect. Status pending means Sonarly has not finished evaluating the prospect yet, not that it has no signals; evaluated with no results means none matched.',
	action: 'Get the signals of a prospect',
	safety: 'read',
	params: {
		accountGroupId: group,
		prospectId: groupLocator('prospectId', 'Prospect', 'The prospect, for example an ID from Prospect → Get Many'),
		minScore: optionalIntegerParam({ name: 'minScore', label: 'Min Score', placement: 'additionalFields', min: 0, max: 1_000_000, description: 'Leave out signal items scored below this' }),
	},
	wording: { action: 'get the signals of the prospect', permission: 'prospects:read', target: 'account group or prospect' },
	request: (p) => ({ method: 'GET', path: route(p.accountGroupId, 'prospects', { id: p.prospectId }, 'signals'), qs: given({ minScore: p.minScore }) }),
	output: (data) => ({ ...data, pending: data.status === 'pending' }),
	schema: { fields: { prospectId: 'string', status: 'string', results: 'array', pending: 'boolean', ...TRACE_ID } },
});

const SALES_NAVIGATOR = { action: 'list the Sales Navigator searches and lists', permission: 'prospecting:read', target: 'account group' };

export const savedSearches = defineOperation<{ accountGroupId: string }>({
	resource: 'salesNavigator',
	operation: 'getSavedSearches',
	name: 'Get Saved Searches',
	description: 'List the Sales Navigator saved searches (the savedSearchId a sales_navigator prospecting job needs)',
	action: 'List Sales Navigator searches',
	safety: 'read',
	params: { accountGroupId: accountGroupId('The account group whose LinkedIn accounts to ask') },
	wording: SALES_NAVIGATOR,
	request: (p) => ({ method: 'GET', path: route(p.accountGroupId, 'sales-navigator', 'saved-searches') }),
	list: { limit: () => null },
	schema: KINDS.salesNavigatorList,
});

export const leadLists = defineOperation<{ accountGroupId: string }>({
	resource: 'salesNavigator',
	operation: 'getLeadLists',
	name: 'Get Lead Lists',
	description: 'List the Sales Navigator lead lists (the leadListId a sales_navigator prospecting job needs)',
	action: 'List lead lists',
	safety: 'read',
	params: { accountGroupId: accountGroupId('The account group whose LinkedIn accounts to ask') },
	wording: SALES_NAVIGATOR,
	request: (p) => ({ method: 'GET', path: route(p.accountGroupId, 'sales-navigator', 'lead-lists') }),
	list: { limit: () => null },
	schema: KINDS.salesNavigatorList,
});

