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

const showFor = { show: { resource: ['campaign'], operation: ['get'] } };

export const description: INodeProperties[] = [
	accountGroupLocator(showFor),
	campaignLocator(showFor),
	requestOptions(showFor),
];

export const GET_PURPOSE: RequestPurpose = {
	action: 'get the campaign',
	permission: 'campaigns:read',
	target: 'account group or campaign',
	changesState: false,
};

/** The campaign as Sonarly describes it, plus the `traceId` of the answer. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	client: SonarlyClient,
): Promise<OperationResult> {
	const ref = readCampaignRef(this, itemIndex);
	if (!ref.ok) return ref;
	const timeoutMs = readTimeout(this, itemIndex);
	if (!timeoutMs.ok) return timeoutMs;

	const answer = await client.request<IDataObject>({
		method: 'GET',
		path: campaignPath(ref.value),
		timeoutMs: timeoutMs.value,
		purpose: GET_PURPOSE,
	});
	if (!answer.ok) return answer;
	return { ok: true, value: [{ ...answer.value.data, traceId: answer.value.traceId }] };
}
