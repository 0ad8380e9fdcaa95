import type { INodeProperties } from 'n8n-workflow';

import { listAccountGroups, listAll } from '../../transport/list';
import { listFields, readLimit, readTimeout, requestOptions } from '../common/fields';
import { defineOperation } from '../operation';

const showFor = { show: { resource: ['accountGroup'], operation: ['getAll'] } };

export const description: INodeProperties[] = [...listFields(showFor), requestOptions(showFor)];

/** One output item per account group the API key can see: `{ id, name, createdAt }`. */
export const operation = defineOperation<{ limit: number | null; timeoutMs: number }>({
	plan(context, itemIndex) {
		const limit = readLimit(context, itemIndex);
		if (!limit.ok) return limit;
		const timeoutMs = readTimeout(context, itemIndex);
		if (!timeoutMs.ok) return timeoutMs;
		return { ok: true, value: { limit: limit.value, timeoutMs: timeoutMs.value } };
	},
	async run(client, { limit, timeoutMs }) {
		return await listAll(async (cursor) => await listAccountGroups(client, { cursor, timeoutMs }), { limit });
	},
});
