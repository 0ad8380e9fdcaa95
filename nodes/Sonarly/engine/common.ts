import { FIELDS, outputProperties, readOutput, type OutputChoice, type OutputKind } from '../helpers/simplify';
import { DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS, DEFAULT_TIMEOUT_MS } from '../transport';
import { booleanParam, locator, numberParam, textParam, type Param } from './params';

const MAX_TIMEOUT_MS = 2 ** 31 - 1;
const MAX_RATE_LIMIT_WAIT_SECONDS = 86_400;
export const DEFAULT_LIMIT = 50;
/** Three requests in flight: about three times faster than one at a time on a slow API. */
export const DEFAULT_CONCURRENCY = 3;
export const MAX_CONCURRENCY = 20;
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 300;
/** A wait longer than this belongs in the Sonarly Trigger or a Wait node, not in one node run. */
export const MAX_WAIT_TIMEOUT_SECONDS = 3600;

export const accountGroupId = (description = 'The account group that owns the campaign') =>
	locator({
		name: 'accountGroupId',
		label: 'Account Group',
		// Also what a person reads when writing the $fromAI() description for an AI tool.
		description: `${description}. Its ID comes from Account Group → Get Many.`,
		searchListMethod: 'searchAccountGroups',
		placeholder: 'e.g. 64a1f0000000000000000001',
	});

export const campaignId = locator({
	name: 'campaignId',
	label: 'Campaign',
	description: 'The campaign. The list shows the campaigns of the account group chosen above. Its ID comes from Campaign → Get Many.',
	hint: 'If you change the Account Group, pick the Campaign again: a campaign belongs to one account group.',
	searchListMethod: 'searchCampaigns',
	// The editor clears the campaign when another account group is picked From List. It
	// watches the group's saved label, not its value: a value from an expression changes
	// whenever the input data does, and the editor would then clear a campaign expression.
	dependsOn: ['accountGroupId.cachedResultName'],
});

export const timeout = numberParam({
	name: 'timeout',
	label: 'Timeout',
	displayName: 'Timeout (Milliseconds)',
	placement: 'options',
	default: DEFAULT_TIMEOUT_MS,
	min: 1,
	max: MAX_TIMEOUT_MS,
	unit: 'milliseconds',
	description: 'How long one request to Sonarly may take in all, in milliseconds (30000 is 30 seconds)',
	fix: `Set Options → Timeout to a positive number, for example ${DEFAULT_TIMEOUT_MS}.`,
});

export const maxRateLimitWait = numberParam({
	name: 'maxRateLimitWait',
	label: 'Max Rate Limit Wait',
	displayName: 'Max Rate Limit Wait (Seconds)',
	placement: 'options',
	default: DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS,
	min: 0,
	max: MAX_RATE_LIMIT_WAIT_SECONDS,
	unit: 'seconds',
	description:
		"How long an item may wait in all for Sonarly's rate limit to clear before it fails. Requests refused with 429 are resent after the wait Sonarly asks for.",
	fix: `Set Options → Max Rate Limit Wait to how long an item may wait for Sonarly's rate limit, for example ${DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS}.`,
});

/** Read once per execution: the pool serves every item. */
export const concurrency = (whenUnset: number) =>
	numberParam({
		name: 'concurrency',
		label: 'Concurrency',
		placement: 'options',
		default: DEFAULT_CONCURRENCY,
		fallback: whenUnset,
		min: 1,
		max: MAX_CONCURRENCY,
		wholeNumber: true,
		perExecution: true,
		typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
		description:
			'How many items are sent to Sonarly at the same time. Output order always follows input order. When errors stop the workflow, items go one at a time unless you set this.',
		fix: `Set Options → Concurrency to how many items to send at once, for example ${DEFAULT_CONCURRENCY}.`,
	});

export const idempotencyKey = textParam({
	name: 'idempotencyKey',
	label: 'Idempotency Key',
	placement: 'options',
	maxLength: 255,
	description:
		'Sent as the Idempotency-Key header, exactly as given. By default the node derives one from the workflow, the node and what this item sends, so running the same input again gets Sonarly\'s replay instead of a second request. Set your own, for example {{ $json.dealId }}, to decide what counts as the same request.',
});

export const waitForCompletion = booleanParam({
	name: 'waitForCompletion',
	label: 'Wait for Completion',
	placement: 'options',
	description:
		'Whether to wait until the job ends and output it as it finished. Failed or cancelled jobs go to the error output; a job still running at Wait Timeout is output with timedOut set to true.',
});

export const waitTimeout = numberParam({
	name: 'waitTimeout',
	label: 'Wait Timeout',
	displayName: 'Wait Timeout (Seconds)',
	placement: 'options',
	default: DEFAULT_WAIT_TIMEOUT_SECONDS,
	min: 1,
	max: MAX_WAIT_TIMEOUT_SECONDS,
	unit: 'seconds',
	description:
		'With Wait for Completion, how long to wait at most. The node checks the job every 5 seconds at first, then less often (every 15 seconds at most).',
	fix: `Set Options → Wait Timeout to a number of seconds from 1 to ${MAX_WAIT_TIMEOUT_SECONDS}, for example ${DEFAULT_WAIT_TIMEOUT_SECONDS}. For longer jobs, use the Sonarly Trigger or a Wait node.`,
});

/**
 * Return All and Limit, the usual n8n pair; Limit shows only while Return All is off (n8n
 * then drops it from the saved parameters, so it is read with a fallback).
 */
export const limit: Param<number | null> = (() => {
	const returnAll = booleanParam({
		name: 'returnAll',
		label: 'Return All',
		placement: 'top',
		description: 'Whether to return all results or only up to a given limit',
	});
	const count = numberParam({
		name: 'limit',
		label: 'Limit',
		placement: 'top',
		default: DEFAULT_LIMIT,
		min: 1,
		max: Number.MAX_SAFE_INTEGER,
		wholeNumber: true,
		description: 'Max number of results to return',
		fix: `Set Limit to how many results to return, for example ${DEFAULT_LIMIT}, or turn on Return All.`,
	});
	return {
		properties: [
			...returnAll.properties,
			{ ...count.properties[0], displayOptions: { show: { returnAll: [false] } } },
		],
		placement: 'top',
		read(reader) {
			return returnAll.read(reader) ? null : count.read(reader);
		},
	};
})();

/** Raw, Simplified or Selected Fields for the items of one kind (helpers/simplify.ts). */
export function output(kind: OutputKind): Param<OutputChoice> {
	return {
		properties: outputProperties({}, kind),
		placement: 'top',
		read(reader) {
			const choice = readOutput(reader.context, reader.itemIndex, kind);
			if (choice.ok) return choice.value;
			reader.failures.push(choice.failure);
			return { mode: 'raw', fields: [...FIELDS[kind]] };
		},
	};
}

/** The option that turns a 409 into a success item describing the target as it is. */
export function ignoreConflict(name: string, displayName: string, description: string) {
	return booleanParam({ name, label: displayName, placement: 'options', description });
}

/** Filters → Status of the job and scan lists (Sonarly filters; it documents queued, running, completed, failed, cancelled). */
export const jobStatusFilter = textParam({
	name: 'status',
	label: 'Status',
	placement: 'filters',
	placeholder: 'e.g. running',
	description: 'Only those with this status. Sonarly documents queued, running, completed, failed and cancelled.',
});

/** Cancel: a 422 for a job or scan that already ended becomes a success item. */
export const ignoreFinished = (noun: string) =>
	booleanParam({
		name: 'ignoreFinished',
		label: `Ignore Finished ${noun === 'job' ? 'Jobs' : 'Scans'}`,
		placement: 'options',
		description: `Whether a ${noun} that already ended goes to the success output as it is, with cancelled set to false, instead of failing`,
	});
