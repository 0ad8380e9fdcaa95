import type { CampaignRef } from '../helpers/types';
import { pathSegment } from '../helpers/ids';

export function campaignsPath(accountGroupId: string): string {
	return `/v1/accounts/${pathSegment(accountGroupId)}/campaigns`;
}

export function campaignPath(ref: CampaignRef): string {
	return `${campaignsPath(ref.accountGroupId)}/${pathSegment(ref.campaignId)}`;
}
