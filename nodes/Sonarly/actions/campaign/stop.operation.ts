import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { CampaignRef, Outcome, OperationResult } from '../../helpers/types';
import { DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS, type SonarlyClient } from '../../transport';
import { inputFailure, type RequestPurpose } from '../../transport/failures';
import { campaignPath } from '../../transport/routes';
import {
	accountGroupLocator,
	campaignLocator,
	readCampaignRef,
	readTimeout,
	requestOptions,
} from '../common/fields';
import { CONCURRENCY_OPTION } from '../concurrency';

const showFor = { show: { resource: ['campaign'], operation: ['stop'] } };

const MAX_RATE_LIMIT_WAIT_SECONDS = 86_400;

function stopOptions(): INodeProperties {
	const options = requestOptions(showFor);
	return {
		...options,
		options: [
			CONCURRENCY_OPTION,
			{
				displayName: 'Ignore Not Active Campaigns',
				name: 'ignoreNotActive',
				type: 'boolean',
				default: false,
				description:
					'Whether a campaign that is already stopped or not active goes to the success output with stopped set to false, instead of failing. Makes a trigger that fires twice harmless.',
			},
			{
				displayName: 'Max Rate Limit Wait (Seconds)',
				name: 'maxRateLimitWait',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS,
				description:
					"How long an item may wait in all for Sonarly's rate limit to clear before it fails. Requests refused with 429 are resent after the wait Sonarly asks for.",
			},
			...(options.options ?? []),
		] as INodeProperties[],
	};
}

export const description: INodeProperties[] = [
	{
		displayName:
			'Stopping is not idempotent: keep Settings → Retry On Fail off, since it re-runs every item and stops campaigns again. This node already waits out rate limits safely.',
		name: 'retryOnFailNotice',
		type: 'notice',
		default: '',
		displayOptions: showFor,
	},
	accountGroupLocator(showFor),
	campaignLocator(showFor),
	stopOptions(),
];

export const STOP_PURPOSE: RequestPurpose = {
	action: 'stop the campaign',
	permission: 'campaigns:execute',
	target: 'account group or campaign',
	changesState: true,
};

const READ_AFTER_CONFLICT_PURPOSE: RequestPurpose = {
	action: 'read the campaign that Sonarly said is not active',
	permission: 'campaigns:read',
	target: 'account group or campaign',
	changesState: false,
};

export interface StoppedCampaign extends IDataObject {
	campaign: IDataObject;
	instancesStopped: number;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	client: SonarlyClient,
): Promise<OperationResult> {
	const ref = readCampaignRef(this, itemIndex);
	if (!ref.ok) return ref;
	const timeoutMs = readTimeout(this, itemIndex);
	if (!timeoutMs.ok) return timeoutMs;
	const maxRateLimitWaitSeconds = readMaxRateLimitWait(this, itemIndex);
	if (!maxRateLimitWaitSeconds.ok) return maxRateLimitWaitSeconds;
	const ignoreNotActive = this.getNodeParameter('options.ignoreNotActive', itemIndex, false) === true;

	const answer = await client.request<StoppedCampaign>({
		method: 'POST',
		path: `${campaignPath(ref.value)}/stop`,
		timeoutMs: timeoutMs.value,
		purpose: STOP_PURPOSE,
		maxRateLimitWaitSeconds: maxRateLimitWaitSeconds.value,
	});
	if (answer.ok) {
		return { ok: true, value: [{ ...answer.value.data, stopped: true, traceId: answer.value.traceId }] };
	}
	if (answer.failure.httpCode === 409 && ignoreNotActive) {
		return await describeNotActive(client, ref.value, timeoutMs.value, maxRateLimitWaitSeconds.value);
	}
	return answer;
}

/** 409 with "Ignore Not Active Campaigns" on: the campaign as it is now, marked not stopped by us. */
async function describeNotActive(
	client: SonarlyClient,
	ref: CampaignRef,
	timeoutMs: number,
	maxRateLimitWaitSeconds: number,
): Promise<OperationResult> {
	const current = await client.request<IDataObject>({
		method: 'GET',
		path: campaignPath(ref),
		timeoutMs,
		purpose: READ_AFTER_CONFLICT_PURPOSE,
		maxRateLimitWaitSeconds,
	});
	if (!current.ok) return current;
	return {
		ok: true,
		value: [{ campaign: current.value.data, instancesStopped: 0, stopped: false, traceId: current.value.traceId }],
	};
}

function readMaxRateLimitWait(context: IExecuteFunctions, itemIndex: number): Outcome<number> {
	const raw: unknown = context.getNodeParameter(
		'options.maxRateLimitWait',
		itemIndex,
		DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS,
	);
	const seconds = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0 || seconds > MAX_RATE_LIMIT_WAIT_SECONDS) {
		return {
			ok: false,
			failure: inputFailure(
				`Max Rate Limit Wait (item ${itemIndex}) must be a number of seconds from 0 to ${MAX_RATE_LIMIT_WAIT_SECONDS}`,
				`Set Options → Max Rate Limit Wait to how long an item may wait for Sonarly's rate limit, for example ${DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS}.`,
			),
		};
	}
	return { ok: true, value: seconds };
}
