import type { IDataObject } from 'n8n-workflow';

import type { Outcome } from '../helpers/types';
import { campaignsPath } from './routes';
import { DEFAULT_TIMEOUT_MS, type SonarlyClient } from './index';
import { unreadableSuccessFailure, type RequestPurpose } from './failures';

export interface ListPage {
	items: IDataObject[];
	/** Set only when Sonarly says there is more (its paging is undocumented, so it is optional). */
	nextCursor: string | null;
}

export interface ListRequest {
	cursor?: string;
	timeoutMs?: number;
}

export const LIST_ACCOUNT_GROUPS: RequestPurpose = {
	action: 'list the account groups',
	permission: null,
	target: 'list of account groups',
	changesState: false,
};

export const LIST_CAMPAIGNS: RequestPurpose = {
	action: 'list the campaigns',
	permission: 'campaigns:read',
	target: 'account group',
	changesState: false,
};

export async function listAccountGroups(
	client: SonarlyClient,
	request: ListRequest = {},
): Promise<Outcome<ListPage>> {
	return await fetchPage(client, '/v1/accounts', LIST_ACCOUNT_GROUPS, request);
}

export async function listCampaigns(
	client: SonarlyClient,
	accountGroupId: string,
	request: ListRequest = {},
): Promise<Outcome<ListPage>> {
	return await fetchPage(client, campaignsPath(accountGroupId), LIST_CAMPAIGNS, request);
}

async function fetchPage(
	client: SonarlyClient,
	path: string,
	purpose: RequestPurpose,
	{ cursor, timeoutMs = DEFAULT_TIMEOUT_MS }: ListRequest,
): Promise<Outcome<ListPage>> {
	const answer = await client.request<IDataObject>({
		method: 'GET',
		path,
		qs: cursor ? { cursor } : undefined,
		timeoutMs,
		purpose,
	});
	if (!answer.ok) return answer;
	const { items, nextCursor, hasMore } = answer.value.data;
	if (!Array.isArray(items)) {
		return { ok: false, failure: unreadableSuccessFailure(200, purpose, answer.value.traceId) };
	}
	const more = typeof nextCursor === 'string' && nextCursor !== '' && hasMore !== false;
	return {
		ok: true,
		value: {
			items: items.filter((item): item is IDataObject => typeof item === 'object' && item !== null),
			nextCursor: more ? nextCursor : null,
		},
	};
}
