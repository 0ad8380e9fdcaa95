import { ExecutionBaseError, NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';

import { failure } from '../transport/failures';
import type { SonarlyFailure } from './types';

/**
 * The error n8n shows when a failure stops the workflow (or a list search). `note` adds what
 * the run did to other items, which the thrown error would otherwise hide.
 */
export function toNodeError(node: INode, failureData: SonarlyFailure, itemIndex?: number, note = '') {
	const description = [failureData.description, note].filter((text) => text !== '').join(' ');
	if (failureData.kind !== 'api') {
		return new NodeOperationError(node, failureData.message, { description, itemIndex });
	}
	// Plain data only: n8n serialises this object into the execution, so it must never hold
	// request options or headers. Its keys avoid `code`/`status`, which NodeApiError would
	// read as the HTTP code or map to a generic message.
	const response: JsonObject = {
		sonarlyCode: failureData.code,
		sonarlyMessage: failureData.apiMessage,
		sonarlyDetails: failureData.details as JsonObject | string | null,
		traceId: failureData.traceId,
	};
	return new NodeApiError(node, response, {
		message: failureData.message,
		description,
		httpCode: failureData.httpCode === null ? undefined : String(failureData.httpCode),
		itemIndex,
	});
}

/**
 * An error thrown while an item ran. n8n's own errors (an expression that cannot be
 * evaluated, a parameter n8n cannot read) keep their words; anything else is a bug of ours.
 */
export function unexpectedFailure(error: unknown): SonarlyFailure {
	if (isN8nError(error)) {
		return failure({ kind: 'unexpected', message: error.message, description: error.description ?? '' });
	}
	const message = error instanceof Error && error.message ? error.message : String(error);
	return failure({
		kind: 'unexpected',
		message: `The Sonarly node failed unexpectedly: ${message}`,
		description:
			'This is a bug in the node, not in your workflow: please report it at https://github.com/sonarly/n8n-nodes-sonarly/issues with this message. If this item stops or starts a campaign, check the campaign in Sonarly before running again.',
	});
}

/** n8n's own error classes, by name too: a community package may get its own n8n-workflow copy. */
const N8N_ERRORS = new Set(['ExpressionError', 'ExpressionExtensionError', 'NodeOperationError', 'NodeApiError', 'ApplicationError', 'UserError', 'WorkflowOperationError']);

function isN8nError(error: unknown): error is Error & { description?: string | null } {
	return error instanceof ExecutionBaseError || (error instanceof Error && N8N_ERRORS.has(error.name));
}
