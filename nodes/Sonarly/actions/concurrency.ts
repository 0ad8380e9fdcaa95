import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Outcome } from '../helpers/types';
import { inputFailure } from '../transport/failures';

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
		'How many items are sent to Sonarly at the same time. Output order always follows input order.',
};

/** Read once per execution: the pool serves every item. */
export function readConcurrency(context: IExecuteFunctions): Outcome<number> {
	const raw: unknown = context.getNodeParameter('options.concurrency', 0, DEFAULT_CONCURRENCY);
	const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_CONCURRENCY) {
		return {
			ok: false,
			failure: inputFailure(
				`Concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}`,
				`Set Options → Concurrency to how many items to send at once, for example ${DEFAULT_CONCURRENCY}.`,
			),
		};
	}
	return { ok: true, value };
}
