import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';

import type { SonarlyFailure } from './types';

/** The error n8n shows when a failure stops the workflow (or a list search). */
export function toNodeError(node: INode, failureData: SonarlyFailure, itemIndex?: number) {
	const description = failureData.description + earlierItemsNote(itemIndex);
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

/** A thrown error hides the output of the items before it, though they were processed. */
function earlierItemsNote(itemIndex: number | undefined): string {
	if (!itemIndex) return '';
	const earlier = itemIndex === 1 ? 'Item 0 was' : `Items 0 to ${itemIndex - 1} were`;
	return ` ${earlier} already sent to Sonarly before this failure; set Settings → On Error to "Continue (using error output)" to see every item's result.`;
}
