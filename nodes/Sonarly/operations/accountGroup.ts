import { limit } from '../engine/common';
import { KINDS } from '../helpers/schema';
import { defineOperation } from '../engine/operation';
import { ACCOUNT_GROUPS_PATH } from '../transport/routes';

export const getAll = defineOperation<{ limit: number | null }>({
	resource: 'accountGroup',
	operation: 'getAll',
	name: 'Get Many',
	description: 'List the account groups the API key can access, with the IDs every other Sonarly operation needs',
	action: 'Find an account group ID',
	safety: 'read',
	params: { limit },
	wording: { action: 'list the account groups', permission: null, target: 'list of account groups' },
	request: () => ({ method: 'GET', path: ACCOUNT_GROUPS_PATH }),
	list: { limit: (p) => p.limit },
	schema: KINDS.accountGroup,
	simplify: 'accountGroup',
});
