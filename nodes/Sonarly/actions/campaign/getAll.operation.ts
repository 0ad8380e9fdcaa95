import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readId } from '../../helpers/ids';
import type { Outcome } from '../../helpers/types';
import { inputFailure } from '../../transport/failures';
import { listAll, listCampaigns } from '../../transport/list';
import {
	accountGroupLocator,
	listFields,
	readLimit,
	readTimeout,
	requestOptions,
} from '../common/fields';
import { defineOperation } from '../operation';

const showFor = { show: { resource: ['campaign'], operation: ['getAll'] } };

export const description: INodeProperties[] = [
	accountGroupLocator(showFor, 'The account group whose campaigns to list'),
	...listFields(showFor),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: showFor,
		options: [
			{
				displayName: 'Status',
				name: 'status',
				type: 'string',
				default: '',
				placeholder: 'e.g. active',
				description:
					'Only campaigns whose status is exactly this text (case-sensitive; spaces around it are ignored). Sonarly publishes no list of statuses: check one campaign with Get to see the values your account uses.',
			},
		],
	},
	requestOptions(showFor),
];

interface GetManyPlan {
	accountGroupId: string;
	limit: number | null;
	status: string | null;
	timeoutMs: number;
}

/** One output item per campaign of the account group (after the status filter, up to the limit). */
export const operation = defineOperation<GetManyPlan>({
	plan(context, itemIndex) {
		const accountGroupId = readId(context, 'accountGroupId', 'Account Group', itemIndex);
		if (!accountGroupId.ok) return accountGroupId;
		const limit = readLimit(context, itemIndex);
		if (!limit.ok) return limit;
		const status = readStatusFilter(context, itemIndex);
		if (!status.ok) return status;
		const timeoutMs = readTimeout(context, itemIndex);
		if (!timeoutMs.ok) return timeoutMs;
		return {
			ok: true,
			value: { accountGroupId: accountGroupId.value, limit: limit.value, status: status.value, timeoutMs: timeoutMs.value },
		};
	},
	async run(client, { accountGroupId, limit, status, timeoutMs }) {
		return await listAll(async (cursor) => await listCampaigns(client, accountGroupId, { cursor, timeoutMs }), {
			limit,
			keep: status === null ? undefined : (campaign: IDataObject) => campaign.status === status,
		});
	},
});

/** The status to keep, trimmed; null when the filter is not set or blank. */
function readStatusFilter(context: IExecuteFunctions, itemIndex: number): Outcome<string | null> {
	const raw: unknown = context.getNodeParameter('filters.status', itemIndex, '');
	if (raw === undefined || raw === null) return { ok: true, value: null };
	if (typeof raw !== 'string' && typeof raw !== 'number') {
		return {
			ok: false,
			failure: inputFailure(
				`Filters → Status (item ${itemIndex}) must be text`,
				'Set it to one status, for example active, not to a list or an object.',
			),
		};
	}
	const text = String(raw).trim();
	return { ok: true, value: text === '' ? null : text };
}
