import type { IDataObject, IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';

import { clipToBytes, jsonBytes } from '../helpers/size';
import type { SonarlyFailure } from '../helpers/types';

/**
 * How a failure looks when the node runs as a tool (its `…Tool` variant, under an AI Agent or
 * an MCP Server Trigger) with Settings → On Error left at its default.
 *
 * - `result`: the failure is the tool's result, an item with `error` and `message` that the
 *   model reads; the run goes on. An MCP client receives it as a successful call (n8n sets
 *   `isError` only when the tool throws, on 2.x and 1.x alike).
 * - `error`: the tool call fails. n8n's MCP Server Trigger answers `isError: true` with the text
 *   "<message>\n\nDetails: <description>" (prefixed "NodeOperationError: " on 2.x, "Error: " on
 *   1.x); the description ends with Sonarly's HTTP status and code.
 */
export type ToolFailure = 'result' | 'error';

export const TOOL_FAILURE_OPTION: INodeProperties = {
	displayName: 'Tool Failure',
	name: 'toolFailure',
	type: 'options',
	// n8n shows it on the tool variant only (and drops it from the regular node's parameters).
	displayOptions: { show: { '@tool': [true] } },
	options: [
		{
			name: 'Fail the Tool Call',
			value: 'error',
			description:
				'The tool call fails with the message, the HTTP status and Sonarly\'s code; MCP clients receive it with isError set. Use it behind an MCP Server Trigger.',
		},
		{
			name: 'Return It to the Model',
			value: 'result',
			description:
				'The failure is the tool result (error and message) and the run goes on. Use it under an AI Agent: on n8n 1.x a failed tool call stops the whole agent run.',
		},
	],
	default: 'result',
	description: 'What an AI agent or MCP client receives when the call fails',
};

export function isTool(node: INode): boolean {
	return node.type.endsWith('Tool');
}

/** The node's Tool Failure option; anything unreadable counts as the default. */
export function readToolFailure(context: IExecuteFunctions): ToolFailure {
	try {
		return context.getNodeParameter('options.toolFailure', 0, 'result') === 'error' ? 'error' : 'result';
	} catch {
		return 'result';
	}
}

/** The end of a failed tool call's description: what Sonarly answered, for a client's logic. */
export function answerNote(failureData: SonarlyFailure): string {
	const parts = [
		failureData.httpCode === null ? '' : `HTTP ${failureData.httpCode}`,
		failureData.code === null ? '' : `code ${failureData.code}`,
	].filter((part) => part !== '');
	return parts.length === 0 ? '' : `Sonarly's answer: ${parts.join(', ')}.`;
}

/**
 * Byte budgets, in the JSON text n8n hands the model or the MCP client (UTF-8, with JSON's
 * escapes), of each field a tool's failure can carry. With the readable `message` (message and
 * description again, at most 4098 bytes) and the JSON around them, a failure item stays under
 * 14 KB, so one failed call is always well under 16 KB whatever Sonarly sends.
 */
export const TOOL_TEXT_BUDGET = {
	message: 1024,
	description: 3072,
	apiMessage: 2048,
	details: 3072,
	code: 256,
	traceId: 256,
} as const;

/**
 * A failure cut to the budgets: long texts end with "… [cut: N characters in all]", and
 * details too large for theirs become the start of their JSON text, cut the same way.
 */
export function fitForTool(failureData: SonarlyFailure): SonarlyFailure {
	const text = (value: string | null, budget: number) => (value === null ? null : clipToBytes(value, budget));
	return {
		...failureData,
		message: clipToBytes(failureData.message, TOOL_TEXT_BUDGET.message),
		description: clipToBytes(failureData.description, TOOL_TEXT_BUDGET.description),
		code: text(failureData.code, TOOL_TEXT_BUDGET.code),
		apiMessage: text(failureData.apiMessage, TOOL_TEXT_BUDGET.apiMessage),
		traceId: text(failureData.traceId, TOOL_TEXT_BUDGET.traceId),
		details: fitDetails(failureData.details),
	};
}

function fitDetails(details: unknown): unknown {
	if (details === null || details === undefined) return null;
	if (typeof details === 'string') return clipToBytes(details, TOOL_TEXT_BUDGET.details);
	let json: string | undefined;
	try {
		json = JSON.stringify(details);
	} catch {
		json = undefined;
	}
	if (json === undefined) return null;
	// Counted as a string (quotes escaped): at least what the value takes as JSON.
	return jsonBytes(json) <= TOOL_TEXT_BUDGET.details ? (details as IDataObject) : clipToBytes(json, TOOL_TEXT_BUDGET.details);
}

