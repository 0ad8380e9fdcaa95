import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Outcome } from '../helpers/types';
import { readNumber } from './common/fields';

/**
 * Three requests in flight: about three times faster than one at a time on a slow API, while
 * a burst against Sonarly's undocumented rate limit costs at most three refused requests
 * before the shared wait holds everything back.
 */
export const DEFAULT_CONCURRENCY = 3;
export const MAX_CONCURRENCY = 20;

export const CONCURRENCY_OPTION: INodeProperties = {
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
	default: DEFAULT_CONCURRENCY,
	description:
		'How many items are sent to Sonarly at the same time. Output order always follows input order. When errors stop the workflow, items go one at a time unless you set this.',
};

/**
 * Read once per execution: the pool serves every item. `whenUnset` applies when the user
 * did not set the option (Stop Workflow runs one at a time then).
 */
export function readConcurrency(context: IExecuteFunctions, whenUnset: number): Outcome<number> {
	return readNumber(
		context,
		{
			name: 'options.concurrency',
			fallback: whenUnset,
			min: 1,
			max: MAX_CONCURRENCY,
			wholeNumber: true,
			refusal: () => [
				`Concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}`,
				`Set Options → Concurrency to how many items to send at once, for example ${DEFAULT_CONCURRENCY}.`,
			],
		},
		0,
	);
}

/**
 * Runs `task` for every index through `concurrency` workers. Once `halt()` is true no new
 * index starts; the ones already running finish.
 */
export async function runPool(
	indices: number[],
	concurrency: number,
	task: (index: number) => Promise<void>,
	halt: () => boolean,
): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < indices.length && !halt()) await task(indices[next++]);
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, indices.length) }, worker));
}
