import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { toNodeError } from '../helpers/errors';
import type { OperationResult, SonarlyFailure } from '../helpers/types';
import { createClient, type SonarlyClient } from '../transport';
import { failure } from '../transport/failures';
import * as campaign from './campaign/Campaign.resource';

type Operation = (
	this: IExecuteFunctions,
	itemIndex: number,
	client: SonarlyClient,
) => Promise<OperationResult>;

const resources: Record<string, Record<string, { execute: Operation }>> = {
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

	const client = await createClient(this);
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const result = client.ok
			? await runItem(this, run, itemIndex, client.value)
			: ({ ok: false, failure: client.failure } as const);
		if (result.ok) {
			for (const json of result.value) output.push({ json, pairedItem: { item: itemIndex } });
			continue;
		}
		if (this.continueOnFail()) {
			output.push(errorItem(result.failure, itemIndex, inputFieldsToKeep(this, items[itemIndex])));
			continue;
		}
		throw toNodeError(this.getNode(), result.failure, itemIndex);
	}
	return [output];
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
