import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { toNodeError } from '../helpers/errors';
import type { OperationResult, Outcome, SonarlyFailure } from '../helpers/types';
import { createClient, type SonarlyClient } from '../transport';
import { failure } from '../transport/failures';
import { readConcurrency } from './concurrency';
import * as accountGroup from './accountGroup/AccountGroup.resource';
import * as campaign from './campaign/Campaign.resource';

type Operation = (
	this: IExecuteFunctions,
	itemIndex: number,
	client: SonarlyClient,
) => Promise<OperationResult>;

const resources: Record<string, Record<string, { execute: Operation }>> = {
	accountGroup: accountGroup.operations,
	campaign: campaign.operations,
};

/**
 * The one place that owns the per-item loop, pairedItem and error shaping. Operations
 * never throw for a failed item: they return it as data, and this decides whether it
 * becomes an error-output item (continue-on-fail) or stops the workflow.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const run = resources[resource]?.[operation]?.execute;
	if (!run) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of resource "${resource}" is not supported`,
			{ description: 'Open the node and choose a resource and operation from the lists again.' },
		);
	}

	const results = await runItems(this, run, items.length);
	const continueOnFail = this.continueOnFail();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const result = results[itemIndex];
		if (result === undefined) continue;
		if (result.ok) {
			for (const json of result.value) output.push({ json, pairedItem: { item: itemIndex } });
			continue;
		}
		if (continueOnFail) {
			output.push(errorItem(result.failure, itemIndex, inputFieldsToKeep(this, items[itemIndex])));
			continue;
		}
		const othersSent = results.filter((other, index) => other !== undefined && index !== itemIndex).length;
		throw toNodeError(this.getNode(), result.failure, itemIndex, othersSent);
	}
	return [output];
}

/**
 * Runs the items through a pool of `concurrency` workers, keeping each result at its input
 * index so the output order is the input order whatever finishes first. Without
 * continue-on-fail no new item starts once one has failed: its results stay `undefined`.
 */
async function runItems(
	context: IExecuteFunctions,
	run: Operation,
	itemCount: number,
): Promise<Array<OperationResult | undefined>> {
	const results: Array<OperationResult | undefined> = new Array(itemCount).fill(undefined);
	const setup = await prepare(context);
	if (!setup.ok) return results.map(() => setup);

	const stopAfterFailure = !context.continueOnFail();
	let nextIndex = 0;
	let failed = false;
	const worker = async () => {
		while (nextIndex < itemCount && !(failed && stopAfterFailure)) {
			const itemIndex = nextIndex++;
			const result = await runItem(context, run, itemIndex, setup.value.client);
			results[itemIndex] = result;
			if (!result.ok) failed = true;
		}
	};
	const workers = Math.min(setup.value.concurrency, itemCount);
	await Promise.all(Array.from({ length: workers }, worker));
	return results;
}

async function prepare(
	context: IExecuteFunctions,
): Promise<Outcome<{ client: SonarlyClient; concurrency: number }>> {
	const concurrency = readConcurrency(context);
	if (!concurrency.ok) return concurrency;
	const client = await createClient(context);
	if (!client.ok) return client;
	return { ok: true, value: { client: client.value, concurrency: concurrency.value } };
}

async function runItem(
	context: IExecuteFunctions,
	run: Operation,
	itemIndex: number,
	client: SonarlyClient,
): Promise<OperationResult> {
	try {
		return await run.call(context, itemIndex, client);
	} catch (error) {
		// Thrown only by n8n itself here, e.g. an expression that cannot be evaluated.
		return { ok: false, failure: unexpectedFailure(error) };
	}
}

function unexpectedFailure(error: unknown): SonarlyFailure {
	const { message, description } = (error ?? {}) as { message?: unknown; description?: unknown };
	return failure({
		kind: 'unexpected',
		message: typeof message === 'string' && message !== '' ? message : 'Something went wrong',
		description:
			typeof description === 'string' && description !== ''
				? description
				: 'Check the parameters and expressions of this node for this item.',
	});
}

/**
 * The shape both n8n lines route to the error output: json keys exactly `error` and
 * `message`. The engine then merges the paired input item's fields underneath.
 */
function errorItem(
	failureData: SonarlyFailure,
	itemIndex: number,
	inputFields: IDataObject,
): INodeExecutionData {
	return {
		json: { ...inputFields, error: errorDetails(failureData), message: readableMessage(failureData) },
		pairedItem: { item: itemIndex },
	};
}

/**
 * On the error output the engine merges the input item under ours, and any extra key of
 * ours would send the item down the success branch instead. On the regular output nothing
 * merges, so we keep the input fields ourselves: the user still knows which deal failed.
 */
function inputFieldsToKeep(context: IExecuteFunctions, item: INodeExecutionData): IDataObject {
	return context.getNode().onError === 'continueErrorOutput' ? {} : item.json;
}

function errorDetails(failureData: SonarlyFailure): IDataObject {
	return {
		message: failureData.message,
		description: failureData.description,
		httpCode: failureData.httpCode,
		code: failureData.code,
		apiMessage: failureData.apiMessage,
		details: failureData.details as IDataObject | string | null,
		traceId: failureData.traceId,
	};
}

function readableMessage(failureData: SonarlyFailure): string {
	return `${failureData.message}. ${failureData.description}`;
}
