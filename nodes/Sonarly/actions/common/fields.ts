import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_TIMEOUT_MS } from '../../transport';
import { inputFailure } from '../../transport/failures';
import type { CampaignRef, Outcome } from '../../helpers/types';
import { readId } from '../../helpers/ids';

export function accountGroupLocator(
	displayOptions: IDisplayOptions,
	description = 'The account group that owns the campaign',
): INodeProperties {
	return {
		displayName: 'Account Group',
		name: 'accountGroupId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
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
		// The editor clears the campaign when another account group is picked From List. It
		// watches the group's saved label, not its value: a value from an expression changes
		// whenever the input data does, and the editor would then clear a campaign expression.
		typeOptions: { loadOptionsDependsOn: ['accountGroupId.cachedResultName'] },
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

export const DEFAULT_LIMIT = 50;

/** Return All and Limit, the usual n8n pair; Limit shows only while Return All is off. */
export function listFields(displayOptions: IDisplayOptions): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions,
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { ...displayOptions, show: { ...(displayOptions.show ?? {}), returnAll: [false] } },
		},
	];
}

/**
 * How many results to return for one item: null for all of them. n8n drops Limit from the
 * saved parameters while Return All is on (and may omit it when it equals its default), and
 * does not enforce `minValue` at run time, so both are handled here.
 */
export function readLimit(context: IExecuteFunctions, itemIndex: number): Outcome<number | null> {
	const returnAll: unknown = context.getNodeParameter('returnAll', itemIndex, false);
	if (returnAll === true) return { ok: true, value: null };
	const raw: unknown = context.getNodeParameter('limit', itemIndex, DEFAULT_LIMIT);
	const limit = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1) {
		return {
			ok: false,
			failure: inputFailure(
				`Limit (item ${itemIndex}) must be a whole number of at least 1`,
				`Set Limit to how many results to return, for example ${DEFAULT_LIMIT}, or turn on Return All.`,
			),
		};
	}
	return { ok: true, value: limit };
}
