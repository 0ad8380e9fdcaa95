import type { CampaignRef } from '../helpers/types';
import { pathSegment } from '../helpers/ids';

export const ACCOUNT_GROUPS_PATH = '/v1/accounts';

export function campaignsPath(accountGroupId: string): string {
	return `${ACCOUNT_GROUPS_PATH}/${pathSegment(accountGroupId)}/campaigns`;
}

export function campaignPath(ref: CampaignRef): string {
	return `${campaignsPath(ref.accountGroupId)}/${pathSegment(ref.campaignId)}`;
}
