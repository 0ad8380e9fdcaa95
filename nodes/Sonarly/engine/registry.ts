import type { IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { Outcome } from '../helpers/types';
import { OPERATIONS, RESOURCES } from '../operations';
import { inputFailure } from '../transport/failures';
import * as common from './common';
import type { OperationSpec } from './operation';
import type { Param, Placement } from './params';
import { TOOL_FAILURE_OPTION } from './toolFailure';

/** Shown on the tool variant only; read once by the executor (engine/toolFailure.ts). */
const toolFailure: Param<null> = { properties: [TOOL_FAILURE_OPTION], placement: 'options', read: () => null };

/**
 * The parameters the engine reads for every operation, besides the operation's own, by what
 * the operation is: every request has a Timeout; writes a rate-limit budget; keyed writes an
 * Idempotency Key; job starts Wait for Completion; reads with a schema an Output choice.
 */
export function engineParams(spec: OperationSpec): Record<string, Param<unknown>> {
	return {
		timeoutMs: common.timeout,
		maxRateLimitWaitSeconds: common.maxRateLimitWait,
		...(spec.safety === 'keyedWrite' ? { idempotencyKey: common.idempotencyKey } : {}),
		...(spec.wait ? { waitForCompletion: common.waitForCompletion, waitTimeoutSeconds: common.waitTimeout } : {}),
		...(spec.simplify ? { output: common.output(spec.simplify) } : {}),
	};
}

/** The parameters shown in the form that the engine adds (Max Rate Limit Wait only for writes). */
function shownEngineParams(spec: OperationSpec): Array<Param<unknown>> {
	const { timeoutMs, maxRateLimitWaitSeconds, output, ...rest } = engineParams(spec);
	return [
		...(output ? [output] : []),
		...(spec.concurrency ? [common.concurrency(common.DEFAULT_CONCURRENCY)] : []),
		...(spec.safety === 'read' ? [] : [maxRateLimitWaitSeconds]),
		...Object.values(rest),
		timeoutMs,
		toolFailure,
	];
}

const byKey = new Map(OPERATIONS.map((spec) => [`${spec.resource}.${spec.operation}`, spec]));

/** n8n's own "Custom API Call" entry, added because the credential has an `authenticate` block. */
const CUSTOM_API_CALL = '__CUSTOM_API_CALL__';

export function findOperation(context: IExecuteFunctions): Outcome<OperationSpec> {
	// With a fallback: n8n 1.x throws for a parameter that is not shown (Custom API Call hides Operation).
	const resource = String(context.getNodeParameter('resource', 0, ''));
	const operation = String(context.getNodeParameter('operation', 0, ''));
	const found = byKey.get(`${resource}.${operation}`);
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

const COLLECTIONS: Record<Exclude<Placement, 'top'>, { displayName: string; placeholder: string }> = {
	additionalFields: { displayName: 'Additional Fields', placeholder: 'Add Field' },
	filters: { displayName: 'Filters', placeholder: 'Add Filter' },
	updateFields: { displayName: 'Update Fields', placeholder: 'Add Field' },
	options: { displayName: 'Options', placeholder: 'Add Option' },
};

/**
 * The node's properties, built from the operations: Resource, then per resource its
 * Operation list, then each operation's form. A collection (Options, Filters, …) stands where
 * its first parameter would, with its entries in alphabetical order.
 */
export function nodeProperties(): INodeProperties[] {
	const resourceOptions: INodePropertyOptions[] = RESOURCES.map(({ label, resource }) => ({ name: label, value: resource }));
	const defaultResource = RESOURCES.find((resource) => resource.default)?.resource ?? RESOURCES[0].resource;
	const properties: INodeProperties[] = [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: resourceOptions,
			default: defaultResource,
		},
	];
	for (const resource of RESOURCES) {
		const specs = OPERATIONS.filter((spec) => spec.resource === resource.resource);
		const defaultOperation = resource.startsOn ?? specs[0].operation;
		properties.push({
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource.resource] } },
			options: specs
				.map((spec) => ({ name: spec.name, value: spec.operation, description: spec.description, action: spec.action }))
				.sort((a, b) => a.name.localeCompare(b.name)),
			default: defaultOperation,
		});
	}
	for (const spec of OPERATIONS) properties.push(...operationForm(spec));
	return properties;
}

function operationForm(spec: OperationSpec): INodeProperties[] {
	const show = { resource: [spec.resource], operation: [spec.operation] };
	const shown = (property: INodeProperties): INodeProperties => ({
		...property,
		displayOptions: { ...property.displayOptions, show: { ...show, ...(property.displayOptions?.show ?? {}) } },
	});
	const form: INodeProperties[] = [];
	if (spec.notice) form.push(shown({ displayName: spec.notice, name: 'retryOnFailNotice', type: 'notice', default: '' }));
	const collections = new Map<Placement, INodeProperties[]>();
	const params = [...Object.values(spec.params as Record<string, Param<unknown>>), ...shownEngineParams(spec)];
	for (const param of params) {
		if (param.placement === 'top') {
			form.push(...param.properties.map(shown));
			continue;
		}
		let entries = collections.get(param.placement);
		if (!entries) {
			entries = [];
			collections.set(param.placement, entries);
			const { displayName, placeholder } = COLLECTIONS[param.placement];
			form.push(
				shown({ displayName, name: param.placement, type: 'collection', placeholder, default: {}, options: entries }),
			);
		}
		entries.push(...param.properties);
	}
	for (const entries of collections.values()) entries.sort((a, b) => a.displayName.localeCompare(b.displayName));
	return form;
}
