import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { OperationResult, Outcome, SonarlyFailure } from '../helpers/types';
import type { OperationSpec } from './operation';

/**
 * The shape both n8n lines route to the error output: json keys exactly `error` and
 * `message`. The engine then merges the paired input item's fields underneath; on the regular
 * output nothing merges, so the input fields are kept here.
 */
export function errorItem(failure: SonarlyFailure, itemIndex: number, inputFields: IDataObject): INodeExecutionData {
	return {
		json: { ...inputFields, error: errorDetails(failure), message: readableMessage(failure) },
		pairedItem: { item: itemIndex },
	};
}

/** Sonarly's texts in it were capped where the answer was read (helpers/redact.ts). */
export function errorDetails(failure: SonarlyFailure): IDataObject {
	return {
		message: failure.message,
		description: failure.description,
		httpCode: failure.httpCode,
		code: failure.code,
		apiMessage: failure.apiMessage,
		details: failure.details as IDataObject | string | null,
		...(failure.detailsTruncated ? { detailsTruncated: true } : {}),
		traceId: failure.traceId,
	};
}

export function readableMessage({ message, description }: SonarlyFailure): string {
	return description ? `${message}. ${description}` : message;
}

/** Every item's result at its input index; `undefined` for an item that was never run. */
export type Results = Array<OperationResult | undefined>;

/** How many items a run summary names one by one before it counts the rest. */
const MAX_NAMED = 10;

/**
 * When a failure stops the workflow, n8n shows only the error: say what this run did with
 * its writes before it, so that nothing done is hidden. Reads change nothing: no summary.
 * Bounded (under 4 KB) however many items the run had.
 */
export function runSummary(
	operation: OperationSpec | undefined,
	plans: Array<Outcome<unknown>> | undefined,
	results: Results,
	failedAt: number,
): string {
	if (!operation || operation.safety === 'read' || !plans) return '';
	const { summary } = operation;
	const done = summary?.done ?? 'sent the request of';
	const named = (itemIndex: number) => {
		const plan = plans[itemIndex];
		const target = plan.ok && summary?.target ? summary.target(plan.value as IDataObject) : null;
		return target ? `item ${itemIndex} (${target})` : `item ${itemIndex}`;
	};
	const acted: number[] = [];
	const mayHave: number[] = [];
	const notSent: number[] = [];
	const actedOn = operation.acted ?? (() => true);
	results.forEach((result, itemIndex) => {
		if (result === undefined) notSent.push(itemIndex);
		else if (result.ok && result.value.some((json) => actedOn(json))) acted.push(itemIndex);
		else if (!result.ok && result.failure.mayHaveActed && itemIndex !== failedAt) mayHave.push(itemIndex);
	});
	const sentences: string[] = [];
	if (acted.length > 0) sentences.push(`Before this failure, this run ${done} ${nameItems(acted, named)}.`);
	if (mayHave.length > 0) {
		sentences.push(`It may have ${done} ${nameItems(mayHave, named)}: check them in Sonarly before running again.`);
	}
	if (notSent.length > 0) sentences.push(`${describeItems(notSent)} ${notSent.length === 1 ? 'was' : 'were'} not sent.`);
	if (sentences.length === 0) return '';
	return `${sentences.join(' ')} To see every item's result, set Settings → On Error to "Continue (using error output)".`;
}

function nameItems(indices: number[], named: (itemIndex: number) => string): string {
	const shown = indices.slice(0, MAX_NAMED).map(named);
	const rest = indices.length - shown.length;
	return joinWords(rest > 0 ? [...shown, `${rest} more ${rest === 1 ? 'item' : 'items'}`] : shown);
}

export function joinWords(words: string[]): string {
	return words.length === 1 ? words[0] : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** "Item 3", "Items 3 to 5", "Items 1, 3 and 6 to 9" (at most MAX_NAMED ranges, then a count). */
export function describeItems(indices: number[]): string {
	const runs: string[] = [];
	let start = 0;
	for (; start < indices.length && runs.length < MAX_NAMED; ) {
		let end = start;
		while (end + 1 < indices.length && indices[end + 1] === indices[end] + 1) end++;
		runs.push(end === start ? `${indices[start]}` : `${indices[start]} to ${indices[end]}`);
		start = end + 1;
	}
	const rest = indices.length - start;
	if (rest > 0) runs.push(`${rest} more`);
	return `${indices.length === 1 ? 'Item' : 'Items'} ${joinWords(runs)}`;
}
