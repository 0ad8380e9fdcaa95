import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { OperationResult } from '../../helpers/types';
import type { SonarlyClient } from '../../transport';
import { listAccountGroups, listAll } from '../../transport/list';
import { listFields, readLimit, readTimeout, requestOptions } from '../common/fields';

const showFor = { show: { resource: ['accountGroup'], operation: ['getAll'] } };

export const description: INodeProperties[] = [...listFields(showFor), requestOptions(showFor)];

/** One output item per account group the API key can see: `{ id, name, createdAt }`. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	client: SonarlyClient,
): Promise<OperationResult> {
	const limit = readLimit(this, itemIndex);
	if (!limit.ok) return limit;
	const timeoutMs = readTimeout(this, itemIndex);
	if (!timeoutMs.ok) return timeoutMs;

	return await listAll(
		async (cursor) => await listAccountGroups(client, { cursor, timeoutMs: timeoutMs.value }),
		{ limit: limit.value },
	);
}
