import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS, DEFAULT_TIMEOUT_MS } from '../../transport';
import { inputFailure } from '../../transport/failures';
import type { CampaignRef, Outcome } from '../../helpers/types';
import { readId } from '../../helpers/ids';
import { TOOL_FAILURE_OPTION } from '../toolFailure';

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
		// Also what a person reads when writing the $fromAI() description for an AI tool.
		description: `${description}. Its ID comes from Account Group → Get Many.`,
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
				hint: 'The ID as Sonarly shows it, usually 24 letters and digits',
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
		description:
			'The campaign. The list shows the campaigns of the account group chosen above. Its ID comes from Campaign → Get Many.',
		hint: 'If you change the Account Group, pick the Campaign again: a campaign belongs to one account group.',
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
				hint: 'The ID as Sonarly shows it, usually 24 letters and digits',
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
				displayName: 'Timeout (Milliseconds)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_TIMEOUT_MS,
				description: 'How long to wait for Sonarly to answer, in milliseconds (30000 is 30 seconds)',
			},
			TOOL_FAILURE_OPTION,
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
const MAX_RATE_LIMIT_WAIT_SECONDS = 86_400;
export const DEFAULT_LIMIT = 50;

interface NumberRule {
	/** The parameter's path, e.g. options.timeout. */
	name: string;
	fallback: number;
	min: number;
	max: number;
	wholeNumber: boolean;
	/** The message when the value breaks the rule, and how to fix it. */
	refusal: (itemIndex: number) => [message: string, description: string];
}

/**
 * A number parameter of one item, refused when it breaks its rule: n8n does not enforce
 * `minValue`/`maxValue` at run time, and an expression can give any type.
 */
export function readNumber(context: IExecuteFunctions, rule: NumberRule, itemIndex: number): Outcome<number> {
	const raw: unknown = context.getNodeParameter(rule.name, itemIndex, rule.fallback);
	const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	const fits =
		typeof value === 'number' &&
		Number.isFinite(value) &&
		value >= rule.min &&
		value <= rule.max &&
		(!rule.wholeNumber || Number.isInteger(value));
	if (!fits) return { ok: false, failure: inputFailure(...rule.refusal(itemIndex)) };
	return { ok: true, value };
}

const TIMEOUT_RULE: NumberRule = {
	name: 'options.timeout',
	fallback: DEFAULT_TIMEOUT_MS,
	min: 1,
	max: MAX_TIMEOUT_MS,
	wholeNumber: false,
	refusal: (itemIndex) => [
		`Timeout (item ${itemIndex}) must be a number of milliseconds from 1 to ${MAX_TIMEOUT_MS}`,
		`Set Options → Timeout to a positive number, for example ${DEFAULT_TIMEOUT_MS}.`,
	],
};

export function readTimeout(context: IExecuteFunctions, itemIndex: number): Outcome<number> {
	const timeout = readNumber(context, TIMEOUT_RULE, itemIndex);
	return timeout.ok ? { ok: true, value: Math.floor(timeout.value) } : timeout;
}

const MAX_RATE_LIMIT_WAIT_RULE: NumberRule = {
	name: 'options.maxRateLimitWait',
	fallback: DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS,
	min: 0,
	max: MAX_RATE_LIMIT_WAIT_SECONDS,
	wholeNumber: false,
	refusal: (itemIndex) => [
		`Max Rate Limit Wait (item ${itemIndex}) must be a number of seconds from 0 to ${MAX_RATE_LIMIT_WAIT_SECONDS}`,
		`Set Options → Max Rate Limit Wait to how long an item may wait for Sonarly's rate limit, for example ${DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS}.`,
	],
};

export function readMaxRateLimitWait(context: IExecuteFunctions, itemIndex: number): Outcome<number> {
	return readNumber(context, MAX_RATE_LIMIT_WAIT_RULE, itemIndex);
}

export const MAX_RATE_LIMIT_WAIT_OPTION: INodeProperties = {
	displayName: 'Max Rate Limit Wait (Seconds)',
	name: 'maxRateLimitWait',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS,
	description:
		"How long an item may wait in all for Sonarly's rate limit to clear before it fails. Requests refused with 429 are resent after the wait Sonarly asks for.",
};

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

const LIMIT_RULE: NumberRule = {
	name: 'limit',
	fallback: DEFAULT_LIMIT,
	min: 1,
	max: Number.MAX_SAFE_INTEGER,
	wholeNumber: true,
	refusal: (itemIndex) => [
		`Limit (item ${itemIndex}) must be a whole number of at least 1`,
		`Set Limit to how many results to return, for example ${DEFAULT_LIMIT}, or turn on Return All.`,
	],
};

/**
 * How many results to return for one item: null for all of them. n8n drops Limit from the
 * saved parameters while Return All is on (and may omit it when it equals its default).
 */
export function readLimit(context: IExecuteFunctions, itemIndex: number): Outcome<number | null> {
	const returnAll: unknown = context.getNodeParameter('returnAll', itemIndex, false);
	if (returnAll === true) return { ok: true, value: null };
	return readNumber(context, LIMIT_RULE, itemIndex);
}
