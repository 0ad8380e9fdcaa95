import {
	NodeOperationError,
	type ILoadOptionsFunctions,
	type INodeListSearchItems,
	type INodeListSearchResult,
} from 'n8n-workflow';

import { toNodeError } from '../helpers/errors';
import { checkId } from '../helpers/ids';
import type { Outcome } from '../helpers/types';
import { createClient } from '../transport';
import { listAccountGroups, listCampaigns, type ListPage } from '../transport/list';

export async function searchAccountGroups(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const client = unwrap(this, await createClient(this));
	const page = unwrap(this, await listAccountGroups(client, { cursor: paginationToken }));
	return toSearchResult(page, filter, (group) => ({
		name: group.name ? String(group.name) : String(group.id),
		value: String(group.id),
	}));
}

export async function searchCampaigns(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const accountGroupId = checkId(
		this.getCurrentNodeParameter('accountGroupId', { extractValue: true }),
		'Account Group',
		0,
	);
	if (!accountGroupId.ok || accountGroupId.value.startsWith('=')) {
		throw new NodeOperationError(this.getNode(), 'Choose an account group first', {
			description:
				'The list shows the campaigns of the account group chosen above. When the account group comes from an expression, enter the campaign ID By ID instead.',
		});
	}
	const client = unwrap(this, await createClient(this));
	const page = unwrap(
		this,
		await listCampaigns(client, accountGroupId.value, { cursor: paginationToken }),
	);
	return toSearchResult(page, filter, (campaign) => ({
		name: `${campaign.name ? String(campaign.name) : String(campaign.id)} (${String(campaign.status ?? 'unknown status')})`,
		value: String(campaign.id),
	}));
}

function toSearchResult(
	page: ListPage,
	filter: string | undefined,
	toItem: (record: ListPage['items'][number]) => INodeListSearchItems,
): INodeListSearchResult {
	const needle = filter?.trim().toLowerCase() ?? '';
	const results = page.items
		.filter((record) => record.id !== undefined && record.id !== null)
		.map(toItem)
		.filter((item) => needle === '' || item.name.toLowerCase().includes(needle) || item.value === filter?.trim());
	return { results, paginationToken: page.nextCursor ?? undefined };
}

function unwrap<T>(context: ILoadOptionsFunctions, outcome: Outcome<T>): T {
	if (outcome.ok) return outcome.value;
	throw toNodeError(context.getNode(), outcome.failure);
}
