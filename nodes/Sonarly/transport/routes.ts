import { pathSegment } from '../helpers/ids';

export const ACCOUNT_GROUPS_PATH = '/v1/accounts';

/**
 * A route under an account group: fixed words as they are, ids encoded as one path segment
 * each (`{ id }`), e.g. route(group, 'campaigns', { id: campaign }, 'stop').
 */
export function route(accountGroupId: string, ...parts: Array<string | { id: string }>): string {
	const segments = parts.map((part) => (typeof part === 'string' ? part : pathSegment(part.id)));
	return [ACCOUNT_GROUPS_PATH, pathSegment(accountGroupId), ...segments].join('/');
}
