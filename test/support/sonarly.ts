/**
 * The one place where tests stand in for Sonarly on the wire. `useNock()` cuts the network
 * and records every request that no interceptor answered; `fakeSonarly()` answers every
 * request to the API from a function and logs what went out, so a test can say exactly which
 * stops were sent.
 */
import nock from 'nock';
import { sleep, type IDataObject } from 'n8n-workflow';

import { BASE_URL } from '../harness/engine';

/** Requests that reached nock but matched no interceptor: nothing may go out unplanned. */
export const unmatched: string[] = [];

const recordUnmatched = (request: { method?: string; path?: string }) => {
	unmatched.push(`${request.method ?? '?'} ${request.path ?? '?'}`);
};

/** Registers the hooks every test file that talks to "Sonarly" needs. */
export function useNock(): void {
	beforeAll(() => {
		nock.disableNetConnect();
		nock.emitter.on('no match', recordUnmatched);
	});
	beforeEach(() => {
		unmatched.length = 0;
	});
	afterEach(() => {
		nock.cleanAll();
	});
	afterAll(() => {
		nock.emitter.removeListener('no match', recordUnmatched);
		nock.enableNetConnect();
	});
}

export interface SentRequest {
	method: string;
	path: string;
	/** Decoded path segments after /v1/accounts/: the account group, the campaign, the action. */
	accountGroupId?: string;
	campaignId?: string;
	action?: string;
	query: URLSearchParams;
	authorization: string | undefined;
	/** The `Idempotency-Key` header, when one was sent. */
	idempotencyKey: string | undefined;
	body: unknown;
	at: number;
}

/** Status, body and headers, optionally after a delay (to outlast a Timeout). */
export interface Reply {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
	delayMs?: number;
}

export type Answer = (request: SentRequest) => Reply;

/**
 * Answers every request to `baseUrl` with `answer` and returns the log of what was sent, in
 * the order it arrived.
 */
export function fakeSonarly(answer: Answer, baseUrl = BASE_URL): SentRequest[] {
	const sent: SentRequest[] = [];
	for (const method of ['GET', 'POST', 'PATCH', 'DELETE'] as const) {
		nock(baseUrl)
			.persist()
			.intercept(/^\/.*/, method)
			.reply(async function (this: { req: { headers: Record<string, string> } }, uri, body) {
				const url = new URL(uri, 'http://sonarly.test');
				const segments = url.pathname.split('/').slice(3).map(decodeURIComponent);
				const request: SentRequest = {
					method,
					path: url.pathname,
					accountGroupId: segments[0],
					campaignId: segments[2],
					action: segments[3],
					query: url.searchParams,
					authorization: this.req.headers.authorization,
					idempotencyKey: this.req.headers['idempotency-key'],
					body,
					at: Date.now(),
				};
				sent.push(request);
				const { status, body: replyBody, headers, delayMs } = answer(request);
				if (delayMs) await sleep(delayMs);
				return [status, (replyBody ?? '') as string, headers ?? {}];
			});
	}
	return sent;
}

/** The campaign ids that were sent a request with this action (e.g. 'stop'), in order. */
export function sentTo(sent: SentRequest[], action: string): string[] {
	return sent.filter((request) => request.action === action).map((request) => request.campaignId ?? '');
}

export function ok(data: unknown, traceId = 'trace-ok'): IDataObject {
	return { success: true, data, error: null, traceId } as IDataObject;
}

export function refused(code: string, message: string, traceId = 'trace-fail', details: unknown = null): IDataObject {
	return { success: false, data: null, error: { code, message, details }, traceId } as IDataObject;
}
