import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { toNodeError, unexpectedFailure } from '../helpers/errors';
import type { OperationResult, Outcome, SonarlyFailure } from '../helpers/types';
import { createClient, type SonarlyClient } from '../transport';
import { inputFailure } from '../transport/failures';
import { DEFAULT_CONCURRENCY, readConcurrency, runPool } from './concurrency';
import type { Operation } from './operation';
import * as accountGroup from './accountGroup/AccountGroup.resource';
import * as campaign from './campaign/Campaign.resource';
import { answerNote, fitForTool, isTool, readToolFailure } from './toolFailure';

const resources: Record<string, Record<string, Operation>> = {
	accountGroup: accountGroup.operations,
	campaign: campaign.operations,
};

/**
 * What becomes of a failed item: an item on the error or regular output (either Continue
 * setting), an item the AI agent's model reads (the node runs as a tool with On Error left at
 * its default and Options → Tool Failure at "Return It to the Model"), or a thrown error that
 * stops the workflow (for a tool: fails the tool call, which MCP clients see as isError).
 */
type FailureMode = 'continue' | 'toolResult' | 'throw';

/** Every item's result at its input index; `undefined` for an item that was never run. */
type Results = Array<OperationResult | undefined>;

interface Settled {
	results: Results;
	/** Set when the node could not start at all (credential, settings): no item is to blame. */
	setupFailed: boolean;
	operation?: Operation;
	plans?: Array<Outcome<unknown>>;
}

/**
 * The one place that owns the per-item loop, pairedItem and error shaping. In order: the
 * settings and the credential, then every item's parameters (nothing is sent while any of
 * that fails under Stop Workflow), then the requests, one per campaign for a change.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const mode = failureMode(this);
	const settled = await settle(this, items.length, mode);
	const { results } = settled;

	if (mode === 'throw') {
		const failedAt = results.findIndex((result) => result !== undefined && !result.ok);
		const failed = results[failedAt];
		if (failed && !failed.ok) {
			const itemIndex = settled.setupFailed ? undefined : failedAt;
			const node = this.getNode();
			if (isTool(node)) {
				// What an MCP client or a model reads: bounded, and ending with Sonarly's status and code.
				const fitted = fitForTool(failed.failure);
				const note = [answerNote(fitted), runSummary(settled, failedAt)].filter((text) => text !== '').join(' ');
				throw toNodeError(node, fitted, itemIndex, note);
			}
			throw toNodeError(node, failed.failure, itemIndex, runSummary(settled, failedAt));
		}
	}

	const keepInputFields = mode === 'continue' && this.getNode().onError !== 'continueErrorOutput';
	const output: INodeExecutionData[] = [];
	results.forEach((result, itemIndex) => {
		if (result === undefined) return;
		if (result.ok) {
			for (const json of result.value) output.push({ json, pairedItem: { item: itemIndex } });
		} else {
			const failureData = mode === 'toolResult' ? fitForTool(result.failure) : result.failure;
			output.push(errorItem(failureData, itemIndex, keepInputFields ? items[itemIndex].json : {}));
		}
	});
	return [output];
}

function failureMode(context: IExecuteFunctions): FailureMode {
	if (context.continueOnFail()) return 'continue';
	const node = context.getNode();
	if (!isTool(node) || node.onError !== undefined) return 'throw';
	return readToolFailure(context) === 'error' ? 'throw' : 'toolResult';
}

/** Never throws: under the Continue settings n8n would pass the raw input on as success. */
async function settle(context: IExecuteFunctions, itemCount: number, mode: FailureMode): Promise<Settled> {
	try {
		return await runOperation(context, itemCount, mode);
	} catch (error) {
		return everyItemFails(itemCount, unexpectedFailure(error));
	}
}

async function runOperation(context: IExecuteFunctions, itemCount: number, mode: FailureMode): Promise<Settled> {
	const operation = findOperation(context);
	if (!operation.ok) return everyItemFails(itemCount, operation.failure);
	const setup = await prepare(context, operation.value, mode);
	if (!setup.ok) return everyItemFails(itemCount, setup.failure);

	const plans = Array.from({ length: itemCount }, (_, itemIndex) => planItem(context, operation.value, itemIndex));
	const results: Results = plans.map((plan) => (plan.ok ? undefined : plan));
	const settled: Settled = { results, setupFailed: false, operation: operation.value, plans };
	if (mode === 'throw' && results.some((result) => result !== undefined)) return settled;

	const firstItemOf = sameCampaignItems(operation.value, plans);
	const leaders = plans.flatMap((plan, itemIndex) => (plan.ok && firstItemOf[itemIndex] === itemIndex ? [itemIndex] : []));
	let halted = false;
	await runPool(
		leaders,
		setup.value.concurrency,
		async (itemIndex) => {
			const result = await runItem(operation.value, setup.value.client, plans[itemIndex]);
			results[itemIndex] = result;
			if (!result.ok && mode === 'throw') halted = true;
		},
		() => halted,
	);
	firstItemOf.forEach((firstItem, itemIndex) => {
		if (firstItem === itemIndex) return;
		results[itemIndex] = asDuplicate(operation.value, results[firstItem], firstItem);
	});
	return settled;
}

function everyItemFails(itemCount: number, failureData: SonarlyFailure): Settled {
	return { results: Array.from({ length: itemCount }, () => ({ ok: false, failure: failureData })), setupFailed: true };
}

/** n8n's own "Custom API Call" entry, added because the credential has an `authenticate` block. */
const CUSTOM_API_CALL = '__CUSTOM_API_CALL__';

function findOperation(context: IExecuteFunctions): Outcome<Operation> {
	// With a fallback: n8n 1.x throws for a parameter that is not shown (Custom API Call hides Operation).
	const resource = String(context.getNodeParameter('resource', 0, ''));
	const operation = String(context.getNodeParameter('operation', 0, ''));
	const found = resources[resource]?.[operation];
	if (found) return { ok: true, value: found };
	if (resource === CUSTOM_API_CALL || operation === CUSTOM_API_CALL) {
		return {
			ok: false,
			failure: inputFailure(
				'Custom API Call is not available in the Sonarly node',
				'To call another Sonarly route, use the HTTP Request node: set Authentication to "Predefined Credential Type" and choose Sonarly API, so the request carries your key.',
			),
		};
	}
	return {
		ok: false,
		failure: inputFailure(
			`The operation "${operation}" of resource "${resource}" is not supported`,
			'Open the node and choose a resource and operation from the lists again.',
		),
	};
}

/** Node settings and the credential, read once per execution for every item. */
async function prepare(
	context: IExecuteFunctions,
	operation: Operation,
	mode: FailureMode,
): Promise<Outcome<{ client: SonarlyClient; concurrency: number }>> {
	if (operation.change && context.getNode().retryOnFail === true) {
		const { verb } = operation.change;
		return {
			ok: false,
			failure: inputFailure(
				`Turn off Settings → Retry On Fail for this node to ${verb} campaigns`,
				`Retry On Fail runs every item of the node again, and a repeated ${verb} could act twice on a live campaign, so nothing was sent. This node already waits out Sonarly's rate limits and resends only what Sonarly refused.`,
			),
		};
	}
	// Under Stop Workflow one item at a time, so that nothing is sent after the failing item.
	const concurrency = readConcurrency(context, mode === 'throw' ? 1 : DEFAULT_CONCURRENCY);
	if (!concurrency.ok) return concurrency;
	let client: Outcome<SonarlyClient>;
	try {
		client = await createClient(context);
	} catch (error) {
		return { ok: false, failure: credentialFailure(error) };
	}
	if (!client.ok) return client;
	return { ok: true, value: { client: client.value, concurrency: concurrency.value } };
}

function planItem(context: IExecuteFunctions, operation: Operation, itemIndex: number): Outcome<unknown> {
	try {
		return operation.plan(context, itemIndex);
	} catch (error) {
		return { ok: false, failure: unexpectedFailure(error) };
	}
}

async function runItem(operation: Operation, client: SonarlyClient, plan: Outcome<unknown>): Promise<OperationResult> {
	if (!plan.ok) return plan;
	try {
		return await operation.run(client, plan.value);
	} catch (error) {
		return { ok: false, failure: unexpectedFailure(error) };
	}
}

/**
 * For a change, the first item that names each campaign (same account group and campaign
 * after trimming): only that item is sent. Every other operation runs each item itself.
 */
function sameCampaignItems(operation: Operation, plans: Array<Outcome<unknown>>): number[] {
	const { change } = operation;
	if (!change) return plans.map((_, itemIndex) => itemIndex);
	const firstByCampaign = new Map<string, number>();
	return plans.map((plan, itemIndex) => {
		if (!plan.ok) return itemIndex;
		const { accountGroupId, campaignId } = change.target(plan.value);
		const key = JSON.stringify([accountGroupId, campaignId]);
		if (!firstByCampaign.has(key)) firstByCampaign.set(key, itemIndex);
		return firstByCampaign.get(key) as number;
	});
}

/** A later item naming the same campaign: the same failure, or a success that changed nothing. */
function asDuplicate(operation: Operation, first: OperationResult | undefined, firstItem: number): OperationResult | undefined {
	if (first === undefined || !first.ok || !operation.change) return first;
	const { change } = operation;
	return { ok: true, value: first.value.map((json) => change.duplicate(json, firstItem)) };
}

/**
 * When a failure stops the workflow, n8n shows only the error: say what this run did to
 * campaigns before it, so that nothing done is hidden.
 */
function runSummary({ operation, plans, results }: Settled, failedAt: number): string {
	const change = operation?.change;
	if (!change || !plans) return '';
	const campaignOf = (itemIndex: number) => {
		const plan = plans[itemIndex];
		return plan.ok ? ` (campaign ${change.target(plan.value).campaignId})` : '';
	};
	const acted: string[] = [];
	const mayHave: string[] = [];
	const notSent: number[] = [];
	results.forEach((result, itemIndex) => {
		if (result === undefined) notSent.push(itemIndex);
		else if (result.ok && result.value.some((json) => change.acted(json))) acted.push(`item ${itemIndex}${campaignOf(itemIndex)}`);
		else if (!result.ok && result.failure.mayHaveActed && itemIndex !== failedAt)
			mayHave.push(`item ${itemIndex}${campaignOf(itemIndex)}`);
	});
	const sentences: string[] = [];
	if (acted.length > 0) sentences.push(`Before this failure, this run ${change.done} ${joinWords(acted)}.`);
	if (mayHave.length > 0) {
		sentences.push(`It may have ${change.done} ${joinWords(mayHave)}: check them in Sonarly before running again.`);
	}
	if (notSent.length > 0) sentences.push(`${describeItems(notSent)} ${notSent.length === 1 ? 'was' : 'were'} not sent.`);
	if (sentences.length === 0) return '';
	return `${sentences.join(' ')} To see every item's result, set Settings → On Error to "Continue (using error output)".`;
}

function joinWords(words: string[]): string {
	return words.length === 1 ? words[0] : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** "Item 3", "Items 3 to 5", "Items 1, 3 and 6 to 9". */
function describeItems(indices: number[]): string {
	const runs: string[] = [];
	for (let start = 0; start < indices.length; ) {
		let end = start;
		while (end + 1 < indices.length && indices[end + 1] === indices[end] + 1) end++;
		runs.push(end === start ? `${indices[start]}` : `${indices[start]} to ${indices[end]}`);
		start = end + 1;
	}
	return `${indices.length === 1 ? 'Item' : 'Items'} ${joinWords(runs)}`;
}

function credentialFailure(error: unknown): SonarlyFailure {
	const said = error instanceof Error && error.message ? ` n8n said: "${error.message}".` : '';
	return inputFailure(
		'Could not read the Sonarly API credential',
		`Open the node and choose a Sonarly API credential, or open the credential and save it again.${said}`,
	);
}

/**
 * The shape both n8n lines route to the error output: json keys exactly `error` and
 * `message`. The engine then merges the paired input item's fields underneath; on the regular
 * output nothing merges, so the input fields are kept here.
 */
function errorItem(failureData: SonarlyFailure, itemIndex: number, inputFields: IDataObject): INodeExecutionData {
	return {
		json: { ...inputFields, error: errorDetails(failureData), message: readableMessage(failureData) },
		pairedItem: { item: itemIndex },
	};
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

function readableMessage({ message, description }: SonarlyFailure): string {
	return description ? `${message}. ${description}` : message;
}
