import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { toNodeError, unexpectedFailure } from '../helpers/errors';
import { shapeItem, type OutputChoice } from '../helpers/simplify';
import type { OperationResult, Outcome, SonarlyFailure } from '../helpers/types';
import { createClient, rateLimitBudget, type RateLimitBudget, type SonarlyClient } from '../transport';
import { fetchPage, listAll } from '../transport/list';
import { inputFailure, type RequestPurpose } from '../transport/failures';
import { concurrency as concurrencyParam, DEFAULT_CONCURRENCY } from './common';
import { defaultIdempotencyKey, canonicalJson } from './idempotency';
import type { CommonParams, OperationSpec, RequestSpec } from './operation';
import { engineParams, findOperation } from './registry';
import { ItemReader, type ParamSpecs } from './params';
import { errorItem, runSummary, type Results } from './output';
import { answerNote, fitForTool, isTool, readToolFailure } from './toolFailure';
import { waitForJob } from './wait';

/**
 * What becomes of a failed item: an item on the error or regular output (either Continue
 * setting), an item the AI agent's model reads (the node runs as a tool with On Error left at
 * its default and Options → Tool Failure at "Return It to the Model"), or a thrown error that
 * stops the workflow (for a tool: fails the tool call, which MCP clients see as isError).
 */
type FailureMode = 'continue' | 'toolResult' | 'throw';

/** One item's parameters: the operation's own and the engine's. */
interface Plan {
	params: IDataObject;
	common: EngineValues;
	request: RequestSpec;
	idempotencyKey?: string;
}

interface EngineValues extends CommonParams {
	idempotencyKey: string | null;
	waitForCompletion: boolean;
	waitTimeoutSeconds: number;
	output: OutputChoice | null;
}

interface Settled {
	results: Results;
	/** Set when the node could not start at all (credential, settings): no item is to blame. */
	setupFailed: boolean;
	operation?: OperationSpec;
	plans?: Array<Outcome<Plan>>;
}

/**
 * The one place that owns the per-item loop, pairedItem and error shaping. In order: the
 * settings and the credential, then every item's parameters (nothing is sent while any of
 * that fails under Stop Workflow), then the requests: one per identical write.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const mode = failureMode(this);
	const settled = await settle(this, items.length, mode);
	const { results } = settled;

	if (mode === 'throw') {
		const failedAt = results.findIndex((result) => result !== undefined && !result.ok);
		const failed = results[failedAt];
		if (failed && !failed.ok) {
			const itemIndex = settled.setupFailed ? undefined : failedAt;
			const plans = settled.plans?.map((plan) => (plan.ok ? { ok: true as const, value: plan.value.params } : plan));
			const summary = runSummary(settled.operation, plans, results, failedAt);
			const node = this.getNode();
			if (!isTool(node)) throw toNodeError(node, failed.failure, itemIndex, summary);
			// What an MCP client or a model reads: bounded, and ending with Sonarly's status and code.
			const fitted = fitForTool(failed.failure);
			throw toNodeError(node, fitted, itemIndex, [answerNote(fitted), summary].filter((text) => text !== '').join(' '));
		}
	}

	const keepInputFields = mode === 'continue' && this.getNode().onError !== 'continueErrorOutput';
	const output: INodeExecutionData[] = [];
	results.forEach((result, itemIndex) => {
		if (result === undefined) return;
		if (result.ok) {
			for (const json of result.value) output.push({ json, pairedItem: { item: itemIndex } });
		} else {
			const failure = mode === 'toolResult' ? fitForTool(result.failure) : result.failure;
			output.push(errorItem(failure, itemIndex, keepInputFields ? items[itemIndex].json : {}));
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
	const spec = operation.value;
	const setup = await prepare(context, spec, mode);
	if (!setup.ok) return everyItemFails(itemCount, setup.failure);

	const plans = Array.from({ length: itemCount }, (_, itemIndex) => planItem(context, spec, itemIndex));
	const results: Results = plans.map((plan) => (plan.ok ? undefined : plan));
	const settled: Settled = { results, setupFailed: false, operation: spec, plans };
	if (mode === 'throw' && results.some((result) => result !== undefined)) return settled;

	const firstItemOf = identicalWrites(spec, plans);
	const leaders = plans.flatMap((plan, itemIndex) => (plan.ok && firstItemOf[itemIndex] === itemIndex ? [itemIndex] : []));
	let halted = false;
	const run = new Runner(context, spec, setup.value.client);
	await runPool(
		leaders,
		setup.value.concurrency,
		async (itemIndex) => {
			const plan = plans[itemIndex];
			const result = plan.ok ? await run.item(plan.value) : plan;
			results[itemIndex] = result;
			if (!result.ok && mode === 'throw') halted = true;
		},
		() => halted,
	);
	firstItemOf.forEach((firstItem, itemIndex) => {
		if (firstItem === itemIndex) return;
		results[itemIndex] = asDuplicate(spec, results[firstItem], firstItem);
	});
	return settled;
}

function everyItemFails(itemCount: number, failureData: SonarlyFailure): Settled {
	return { results: Array.from({ length: itemCount }, () => ({ ok: false, failure: failureData })), setupFailed: true };
}

/** Node settings and the credential, read once per execution for every item. */
async function prepare(
	context: IExecuteFunctions,
	spec: OperationSpec,
	mode: FailureMode,
): Promise<Outcome<{ client: SonarlyClient; concurrency: number }>> {
	if (spec.safety === 'write' && context.getNode().retryOnFail === true) {
		const noun = spec.wording.noun ?? 'request';
		return {
			ok: false,
			failure: inputFailure(
				`Turn off Settings → Retry On Fail for this node to ${spec.retryOnFail?.doing ?? spec.wording.action}`,
				`Retry On Fail runs every item of the node again, and a repeated ${noun} could act twice${spec.retryOnFail?.risk ?? ''}, so nothing was sent. This node already waits out Sonarly's rate limits and resends only what Sonarly refused.`,
			),
		};
	}
	// Under Stop Workflow one item at a time, so that nothing is sent after the failing item.
	const reader = new ItemReader(context, 0);
	const concurrency = concurrencyParam(mode === 'throw' ? 1 : DEFAULT_CONCURRENCY).read(reader);
	const refused = reader.failure();
	if (refused) return { ok: false, failure: refused };
	let client: Outcome<SonarlyClient>;
	try {
		client = await createClient(context);
	} catch (error) {
		return { ok: false, failure: credentialFailure(error) };
	}
	if (!client.ok) return client;
	return { ok: true, value: { client: client.value, concurrency } };
}

/** Reads and checks every parameter of one item, and builds its request. Sends nothing. */
function planItem(context: IExecuteFunctions, spec: OperationSpec, itemIndex: number): Outcome<Plan> {
	try {
		const reader = new ItemReader(context, itemIndex);
		const params = readAll(spec.params as ParamSpecs<IDataObject>, reader);
		const common = readAll(engineParams(spec) as ParamSpecs<IDataObject>, reader) as unknown as EngineValues;
		const refusal = reader.failures.length === 0 ? spec.validate?.(params, itemIndex) : null;
		if (refusal) reader.refuse(...refusal);
		const failure = reader.failure();
		if (failure) return { ok: false, failure };
		const request = spec.request(params);
		const idempotencyKey =
			spec.safety === 'keyedWrite' ? (common.idempotencyKey ?? defaultIdempotencyKey(context, request)) : undefined;
		return { ok: true, value: { params, common, request, idempotencyKey } };
	} catch (error) {
		return { ok: false, failure: unexpectedFailure(error) };
	}
}

function readAll(specs: ParamSpecs<IDataObject>, reader: ItemReader): IDataObject {
	const values: IDataObject = {};
	for (const [key, param] of Object.entries(specs)) values[key] = param.read(reader) as IDataObject[string];
	return values;
}

/** Sends one item's request(s) and shapes the answer. Never throws. */
class Runner {
	private readonly purpose: RequestPurpose;

	constructor(
		private readonly context: IExecuteFunctions,
		private readonly spec: OperationSpec,
		private readonly client: SonarlyClient,
	) {
		this.purpose = { ...spec.wording, safety: spec.safety };
	}

	async item(plan: Plan): Promise<OperationResult> {
		try {
			return await this.run(plan);
		} catch (error) {
			return { ok: false, failure: unexpectedFailure(error) };
		}
	}

	private async run({ params, common, request, idempotencyKey }: Plan): Promise<OperationResult> {
		const { spec, client } = this;
		const budget = rateLimitBudget(common.maxRateLimitWaitSeconds);
		if (spec.list) return await this.list(params, common, request, budget);
		const answer = await client.request<IDataObject>({
			...request,
			idempotencyKey,
			timeoutMs: common.timeoutMs,
			purpose: this.purpose,
			rateLimitBudget: budget,
		});
		if (!answer.ok) {
			if (answer.failure.httpCode === (spec.conflict?.status ?? 409) && spec.conflict?.ignore(params)) {
				return await this.describeConflict(params, common, budget);
			}
			return answer;
		}
		const { data, traceId, status } = answer.value;
		const shaped = spec.output ? spec.output(data, params) : data;
		if (Array.isArray(shaped)) return { ok: true, value: shaped.map((json) => this.shape(json, common)) };
		let json: IDataObject = { ...shaped, traceId };
		if (idempotencyKey !== undefined) json = { ...json, idempotencyKey, replayed: status === 200 };
		if (spec.wait && common.waitForCompletion) {
			const waited = await waitForJob(spec.wait, params, json, {
				client,
				signal: this.context.getExecutionCancelSignal(),
				timeoutMs: common.timeoutMs,
				waitSeconds: common.waitTimeoutSeconds,
			});
			if (!waited.ok) return waited;
			json = { ...waited.value[0], ...(idempotencyKey !== undefined ? { idempotencyKey, replayed: status === 200 } : {}) };
		}
		return { ok: true, value: [this.shape(json, common)] };
	}

	private shape(json: IDataObject, common: EngineValues): IDataObject {
		return common.output ? shapeItem(json, common.output) : json;
	}

	private async list(params: IDataObject, common: EngineValues, request: RequestSpec, budget: RateLimitBudget): Promise<OperationResult> {
		const list = this.spec.list!;
		const idField = list.idField ?? 'id';
		const listed = await listAll(
			async (cursor) =>
				await fetchPage(
					this.client,
					{ path: request.path, qs: request.qs, purpose: this.purpose, idField },
					{ cursor, timeoutMs: common.timeoutMs, rateLimitBudget: budget },
				),
			{ limit: list.limit(params), keep: list.keep ? (entry) => list.keep!(params, entry) : undefined, idField },
		);
		if (!listed.ok) return listed;
		const output = this.spec.output;
		const shaped: IDataObject[] = output ? listed.value.flatMap((entry) => [output(entry, params)].flat()) : listed.value;
		return { ok: true, value: shaped.map((entry) => this.shape(entry, common)) };
	}

	/** A 409 with the ignore option on: the target as it is now, marked unchanged by this run. */
	private async describeConflict(params: IDataObject, common: EngineValues, budget: RateLimitBudget): Promise<OperationResult> {
		const conflict = this.spec.conflict!;
		const current = await this.client.request<IDataObject>({
			...conflict.read(params),
			timeoutMs: common.timeoutMs,
			purpose: { ...conflict.wording, safety: 'read' },
			rateLimitBudget: budget,
		});
		if (!current.ok) return current;
		return { ok: true, value: [{ ...conflict.describe(current.value.data, params), traceId: current.value.traceId }] };
	}
}

/**
 * For a write, the first item that sends each identical request (same method, path, query,
 * body and key): only that item is sent. Reads run each item themselves.
 */
function identicalWrites(spec: OperationSpec, plans: Array<Outcome<Plan>>): number[] {
	if (spec.safety === 'read') return plans.map((_, itemIndex) => itemIndex);
	const firstOf = new Map<string, number>();
	return plans.map((plan, itemIndex) => {
		if (!plan.ok) return itemIndex;
		const { method, path, qs, body } = plan.value.request;
		const identity = canonicalJson([method, path, qs ?? null, body ?? null, plan.value.idempotencyKey ?? null]);
		if (!firstOf.has(identity)) firstOf.set(identity, itemIndex);
		return firstOf.get(identity) as number;
	});
}

/** A later item sending the same write: the same failure, or the first item's success marked. */
function asDuplicate(spec: OperationSpec, first: OperationResult | undefined, firstItem: number): OperationResult | undefined {
	if (first === undefined || !first.ok) return first;
	const mark = spec.duplicate ?? ((json: IDataObject, item: number) => ({ ...json, duplicateOfItem: item }));
	return { ok: true, value: first.value.map((json) => mark(json, firstItem)) };
}

function credentialFailure(error: unknown): SonarlyFailure {
	const said = error instanceof Error && error.message ? ` n8n said: "${error.message}".` : '';
	return inputFailure(
		'Could not read the Sonarly API credential',
		`Open the node and choose a Sonarly API credential, or open the credential and save it again.${said}`,
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
