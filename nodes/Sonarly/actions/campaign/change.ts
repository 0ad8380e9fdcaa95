import type { IDataObject, IDisplayOptions, INodeProperties } from 'n8n-workflow';

import type { CampaignRef, OperationResult } from '../../helpers/types';
import { rateLimitBudget, type RateLimitBudget, type SonarlyClient } from '../../transport';
import type { RequestPurpose } from '../../transport/failures';
import { campaignPath } from '../../transport/routes';
import {
	accountGroupLocator,
	campaignLocator,
	MAX_RATE_LIMIT_WAIT_OPTION,
	readCampaignRef,
	readMaxRateLimitWait,
	readTimeout,
	requestOptions,
} from '../common/fields';
import { CONCURRENCY_OPTION } from '../concurrency';
import { defineOperation, type Operation } from '../operation';

/**
 * Stop and Start: one POST that changes a campaign and is not idempotent. Everything they
 * share lives here; each operation file only says its words.
 */
export interface CampaignChange {
	/** The route's last segment and the verb: "stop". */
	verb: string;
	/** Past tense, also the output field that says whether this run acted: "stopped". */
	done: string;
	purpose: RequestPurpose;
	/** The option that turns a 409 into a success item describing the campaign as it is. */
	ignoreConflict: { name: string; displayName: string; description: string };
	/** The output fields of an item for which this run changed nothing, e.g. instancesStopped: 0. */
	unchanged: IDataObject;
}

interface ChangePlan {
	ref: CampaignRef;
	timeoutMs: number;
	maxRateLimitWaitSeconds: number;
	ignoreConflict: boolean;
}

/** The notice, the two locators and the options of a change, shown for `displayOptions`. */
export function changeDescription(change: CampaignChange, displayOptions: IDisplayOptions): INodeProperties[] {
	const options = requestOptions(displayOptions);
	return [
		{
			displayName: `Leave Settings → Retry On Fail off: a repeated ${change.verb} could act twice, so this node will not run with it on. It already waits out Sonarly's rate limits by itself.`,
			name: 'retryOnFailNotice',
			type: 'notice',
			default: '',
			displayOptions,
		},
		accountGroupLocator(displayOptions),
		campaignLocator(displayOptions),
		{
			...options,
			options: [
				CONCURRENCY_OPTION,
				{ ...change.ignoreConflict, type: 'boolean', default: false },
				MAX_RATE_LIMIT_WAIT_OPTION,
				...(options.options ?? []),
			] as INodeProperties[],
		},
	];
}

export function changeOperation(change: CampaignChange): Operation {
	return defineOperation<ChangePlan>({
		plan(context, itemIndex) {
			const ref = readCampaignRef(context, itemIndex);
			if (!ref.ok) return ref;
			const timeoutMs = readTimeout(context, itemIndex);
			if (!timeoutMs.ok) return timeoutMs;
			const maxRateLimitWaitSeconds = readMaxRateLimitWait(context, itemIndex);
			if (!maxRateLimitWaitSeconds.ok) return maxRateLimitWaitSeconds;
			const ignoreConflict = context.getNodeParameter(`options.${change.ignoreConflict.name}`, itemIndex, false) === true;
			return {
				ok: true,
				value: { ref: ref.value, timeoutMs: timeoutMs.value, maxRateLimitWaitSeconds: maxRateLimitWaitSeconds.value, ignoreConflict },
			};
		},
		async run(client, plan) {
			const budget = rateLimitBudget(plan.maxRateLimitWaitSeconds);
			const answer = await client.request<IDataObject>({
				method: 'POST',
				path: `${campaignPath(plan.ref)}/${change.verb}`,
				timeoutMs: plan.timeoutMs,
				purpose: change.purpose,
				rateLimitBudget: budget,
			});
			if (answer.ok) {
				return { ok: true, value: [{ ...answer.value.data, [change.done]: true, traceId: answer.value.traceId }] };
			}
			if (answer.failure.httpCode === 409 && plan.ignoreConflict) {
				return await describeUnchanged(client, change, plan, budget);
			}
			return answer;
		},
		change: {
			verb: change.verb,
			done: change.done,
			target: (plan) => plan.ref,
			acted: (json) => json[change.done] === true,
			duplicate: (json, firstItem) => ({ ...json, ...change.unchanged, duplicateOfItem: firstItem }),
		},
	});
}

/** A 409 with the ignore option on: the campaign as it is now, marked unchanged by this run. */
async function describeUnchanged(
	client: SonarlyClient,
	change: CampaignChange,
	plan: ChangePlan,
	budget: RateLimitBudget,
): Promise<OperationResult> {
	const current = await client.request<IDataObject>({
		method: 'GET',
		path: campaignPath(plan.ref),
		timeoutMs: plan.timeoutMs,
		purpose: {
			action: `read the campaign that Sonarly would not ${change.verb}`,
			permission: 'campaigns:read',
			target: 'account group or campaign',
		},
		rateLimitBudget: budget,
	});
	if (!current.ok) return current;
	return {
		ok: true,
		value: [{ campaign: current.value.data, ...change.unchanged, traceId: current.value.traceId }],
	};
}
