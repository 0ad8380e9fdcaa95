import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { CampaignRef } from '../../helpers/types';
import type { RequestPurpose } from '../../transport/failures';
import { campaignPath } from '../../transport/routes';
import { accountGroupLocator, campaignLocator, readCampaignRef, readTimeout, requestOptions } from '../common/fields';
import { defineOperation } from '../operation';

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
};

/** The campaign as Sonarly describes it, plus the `traceId` of the answer. */
export const operation = defineOperation<{ ref: CampaignRef; timeoutMs: number }>({
	plan(context, itemIndex) {
		const ref = readCampaignRef(context, itemIndex);
		if (!ref.ok) return ref;
		const timeoutMs = readTimeout(context, itemIndex);
		if (!timeoutMs.ok) return timeoutMs;
		return { ok: true, value: { ref: ref.value, timeoutMs: timeoutMs.value } };
	},
	async run(client, { ref, timeoutMs }) {
		const answer = await client.request<IDataObject>({
			method: 'GET',
			path: campaignPath(ref),
			timeoutMs,
			purpose: GET_PURPOSE,
		});
		if (!answer.ok) return answer;
		return { ok: true, value: [{ ...answer.value.data, traceId: answer.value.traceId }] };
	},
});
