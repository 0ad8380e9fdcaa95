import type { INodeProperties } from 'n8n-workflow';

import { outputProperties, readOutput, shapeItem, type OutputChoice } from '../../helpers/simplify';
import { listAccountGroups, listAll } from '../../transport/list';
import { listFields, readLimit, readTimeout, requestOptions } from '../common/fields';
import { defineOperation } from '../operation';

const showFor = { show: { resource: ['accountGroup'], operation: ['getAll'] } };

export const description: INodeProperties[] = [
	...listFields(showFor),
	...outputProperties(showFor, 'accountGroup'),
	requestOptions(showFor),
];

/** One output item per account group the API key can see: `{ id, name, createdAt }`. */
export const operation = defineOperation<{ limit: number | null; timeoutMs: number; output: OutputChoice }>({
	plan(context, itemIndex) {
		const limit = readLimit(context, itemIndex);
		if (!limit.ok) return limit;
		const timeoutMs = readTimeout(context, itemIndex);
		if (!timeoutMs.ok) return timeoutMs;
		const output = readOutput(context, itemIndex, 'accountGroup');
		if (!output.ok) return output;
		return { ok: true, value: { limit: limit.value, timeoutMs: timeoutMs.value, output: output.value } };
	},
	async run(client, { limit, timeoutMs, output }) {
		const listed = await listAll(async (cursor) => await listAccountGroups(client, { cursor, timeoutMs }), { limit });
		if (!listed.ok) return listed;
		return { ok: true, value: listed.value.map((group) => shapeItem(group, output)) };
	},
});
