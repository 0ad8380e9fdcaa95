import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';

import type { SonarlyFailure } from './types';

/** The error n8n shows when a failure stops the workflow (or a list search). */
export function toNodeError(
	node: INode,
	failureData: SonarlyFailure,
	itemIndex?: number,
	othersSent = 0,
) {
	const description = failureData.description + othersSentNote(othersSent);
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

/** A thrown error hides the output of the other items, though they were processed. */
function othersSentNote(othersSent: number): string {
	if (othersSent === 0) return '';
	const others = othersSent === 1 ? '1 other item was' : `${othersSent} other items were`;
	return ` ${others} already processed before the workflow stopped; set Settings → On Error to "Continue (using error output)" to see every item's result.`;
}
