import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_TIMEOUT_MS } from '../../transport';
import { inputFailure } from '../../transport/failures';
import type { CampaignRef, Outcome } from '../../helpers/types';
import { readId } from '../../helpers/ids';

export function accountGroupLocator(displayOptions: IDisplayOptions): INodeProperties {
	return {
		displayName: 'Account Group',
		name: 'accountGroupId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The account group that owns the campaign',
		displayOptions,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchAccountGroups', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 64a1f0000000000000000001',
			},
		],
	};
}

export function campaignLocator(displayOptions: IDisplayOptions): INodeProperties {
	return {
		displayName: 'Campaign',
		name: 'campaignId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The campaign. The list shows the campaigns of the account group chosen above, with their status.',
		displayOptions,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchCampaigns', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 507f1f77bcf86cd799439011',
			},
		],
	};
}

export function requestOptions(displayOptions: IDisplayOptions): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options: [
			{
				displayName: 'Timeout',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_TIMEOUT_MS,
				description: 'How long to wait for Sonarly to answer, in milliseconds',
			},
		],
	};
}

export function readCampaignRef(context: IExecuteFunctions, itemIndex: number): Outcome<CampaignRef> {
	const accountGroupId = readId(context, 'accountGroupId', 'Account Group', itemIndex);
	if (!accountGroupId.ok) return accountGroupId;
	const campaignId = readId(context, 'campaignId', 'Campaign', itemIndex);
	if (!campaignId.ok) return campaignId;
	return { ok: true, value: { accountGroupId: accountGroupId.value, campaignId: campaignId.value } };
}

const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export function readTimeout(context: IExecuteFunctions, itemIndex: number): Outcome<number> {
	const raw: unknown = context.getNodeParameter('options.timeout', itemIndex, DEFAULT_TIMEOUT_MS);
	const timeout = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout < 1 || timeout > MAX_TIMEOUT_MS) {
		return {
			ok: false,
			failure: inputFailure(
				`Timeout (item ${itemIndex}) must be a number of milliseconds from 1 to ${MAX_TIMEOUT_MS}`,
				`Set Options → Timeout to a positive number, for example ${DEFAULT_TIMEOUT_MS}.`,
			),
		};
	}
	return { ok: true, value: Math.floor(timeout) };
}
