import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';

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
