import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { OperationResult } from '../../helpers/types';
import type { SonarlyClient } from '../../transport';
import type { RequestPurpose } from '../../transport/failures';
import { campaignPath } from '../../transport/routes';
import {
	accountGroupLocator,
	campaignLocator,
	readCampaignRef,
	readTimeout,
	requestOptions,
} from '../common/fields';

const showFor = { show: { resource: ['campaign'], operation: ['stop'] } };

export const description: INodeProperties[] = [
	{
		displayName:
			'Stopping is not idempotent: keep Settings → Retry On Fail off, since it re-runs every item and stops campaigns again',
		name: 'retryOnFailNotice',
		type: 'notice',
		default: '',
		displayOptions: showFor,
	},
	accountGroupLocator(showFor),
	campaignLocator(showFor),
	requestOptions(showFor),
];

export const STOP_PURPOSE: RequestPurpose = {
	action: 'stop the campaign',
	permission: 'campaigns:execute',
	target: 'account group or campaign',
	changesState: true,
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

	const answer = await client.request<StoppedCampaign>({
		method: 'POST',
		path: `${campaignPath(ref.value)}/stop`,
		timeoutMs: timeoutMs.value,
		purpose: STOP_PURPOSE,
	});
	if (!answer.ok) return answer;
	return { ok: true, value: [{ ...answer.value.data, traceId: answer.value.traceId }] };
}
