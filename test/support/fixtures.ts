import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { TEST_API_KEY, type RunResult } from '../harness/engine';

export const ACCOUNT_GROUP_ID = '64a1f0000000000000000001';
export const CAMPAIGN_ID = '507f1f77bcf86cd799439011';

export function byId(value: unknown): INodeParameters {
	return { __rl: true, mode: 'id', value } as INodeParameters;
}

export function stopParameters(
	accountGroupId: unknown = ACCOUNT_GROUP_ID,
	campaignId: unknown = CAMPAIGN_ID,
	extra: INodeParameters = {},
): INodeParameters {
	return {
		accountGroupId: byId(accountGroupId),
		campaignId: byId(campaignId),
		...extra,
	} as INodeParameters;
}

export function stopPath(accountGroupId = ACCOUNT_GROUP_ID, campaignId = CAMPAIGN_ID): string {
	return `/v1/accounts/${accountGroupId}/campaigns/${campaignId}/stop`;
}

export function campaign(id = CAMPAIGN_ID, status = 'stopped'): IDataObject {
	return {
		id,
		name: 'Q4 enterprise outreach',
		description: 'Follow-ups for enterprise leads',
		status,
		selectedLeadCount: 25,
		includeConversationHistory: true,
		autoCancelOnMessageReceived: true,
		outreachLanguage: 'en',
		createdAt: '2026-10-01T09:00:00.000Z',
		updatedAt: '2026-11-28T10:00:00.000Z',
		startedAt: '2026-10-02T09:00:00.000Z',
		rateLimitedUntil: null,
	};
}

export function successEnvelope(data: unknown, traceId = 'trace-ok-1'): IDataObject {
	return { success: true, data, error: null, traceId } as IDataObject;
}

export function errorEnvelope(
	code: string,
	message: string,
	traceId = 'trace-err-1',
	details: unknown = null,
): IDataObject {
	return { success: false, data: null, error: { code, message, details }, traceId } as IDataObject;
}

/** Everything a user or a log could see of a run: items on both outputs and the thrown error. */
export function visibleText(result: RunResult): string {
	return JSON.stringify({
		success: result.success,
		errors: result.errors,
		error: result.error,
		errorMessage: result.error?.message,
		errorDescription: result.error?.description,
	});
}

export function expectNoApiKey(result: RunResult): void {
	expect(visibleText(result)).not.toContain(TEST_API_KEY);
}
