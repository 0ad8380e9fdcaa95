import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

import type { Outcome } from '../helpers/types';
import {
	inputFailure,
	networkFailure,
	statusFailure,
	unreadableSuccessFailure,
	type ApiErrorBody,
	type RequestPurpose,
} from './failures';

export const CREDENTIAL_TYPE = 'sonarlyApi';
export const DEFAULT_BASE_URL = 'https://api.sonarly.io';
export const DEFAULT_TIMEOUT_MS = 30_000;

export type SonarlyContext = IExecuteFunctions | ILoadOptionsFunctions;

export interface SonarlyRequest {
	method: IHttpRequestMethods;
	/** Path under the base URL, starting with /v1/, every id already encoded. */
	path: string;
	qs?: IDataObject;
	timeoutMs: number;
	purpose: RequestPurpose;
}

export interface SonarlyAnswer<T> {
	data: T;
	traceId: string | null;
}

/** Talks to one Sonarly account (the node's credential) for one execution or list search. */
export interface SonarlyClient {
	baseUrl: string;
	request<T = IDataObject>(request: SonarlyRequest): Promise<Outcome<SonarlyAnswer<T>>>;
}

export async function createClient(context: SonarlyContext): Promise<Outcome<SonarlyClient>> {
	const credentials = await context.getCredentials(CREDENTIAL_TYPE);
	const baseUrl = resolveBaseUrl(credentials.baseUrl);
	if (!baseUrl.ok) return baseUrl;
	return {
		ok: true,
		value: {
			baseUrl: baseUrl.value,
			request: async <T>(request: SonarlyRequest) =>
				await sendRequest<T>(context, baseUrl.value, request),
		},
	};
}

/**
 * The credential's base URL without trailing slashes or a typed /v1 suffix, so that route
 * paths can always start with /v1/. Only plain http(s) URLs without user info are accepted.
 */
export function resolveBaseUrl(raw: unknown): Outcome<string> {
	const text = typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : DEFAULT_BASE_URL;
	const refuse = (why: string) =>
		({
			ok: false,
			failure: inputFailure(
				`The Base URL in the Sonarly API credential ${why}`,
				`Set it to ${DEFAULT_BASE_URL} (or the http(s) address of your proxy or test server).`,
			),
		}) as const;
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return refuse('is not a valid URL');
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		return refuse(`must start with https:// or http://, not ${url.protocol}//`);
	}
	if (url.username !== '' || url.password !== '') {
		return refuse('must not contain a user name or password');
	}
	if (url.search !== '' || url.hash !== '') {
		return refuse('must not contain a query (?) or fragment (#)');
	}
	const path = url.pathname.replace(/\/+$/, '').replace(/\/v1$/i, '');
	return { ok: true, value: `${url.origin}${path}` };
}

async function sendRequest<T>(
	context: SonarlyContext,
	baseUrl: string,
	request: SonarlyRequest,
): Promise<Outcome<SonarlyAnswer<T>>> {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${baseUrl}${request.path}`,
		qs: request.qs,
		json: true,
		timeout: request.timeoutMs,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	if ('getExecutionCancelSignal' in context) {
		options.abortSignal = context.getExecutionCancelSignal();
	}
	let response: IN8nHttpFullResponse;
	try {
		response = (await context.helpers.httpRequestWithAuthentication.call(
			context,
			CREDENTIAL_TYPE,
			options,
		)) as IN8nHttpFullResponse;
	} catch (error) {
		return { ok: false, failure: networkFailure(error, request.purpose, baseUrl, request.timeoutMs) };
	}
	return readAnswer<T>(response, request.purpose);
}

function readAnswer<T>(
	response: IN8nHttpFullResponse,
	purpose: RequestPurpose,
): Outcome<SonarlyAnswer<T>> {
	const status = response.statusCode;
	const body = parseBody(response.body);
	const traceId = typeof body?.traceId === 'string' ? body.traceId : null;
	if (status >= 200 && status < 300) {
		if (body?.success === true && isObject(body.data)) {
			return { ok: true, value: { data: body.data as T, traceId } };
		}
		if (body?.success === false && isObject(body.error)) {
			return { ok: false, failure: statusFailure(status, readApiError(body, traceId), purpose, null) };
		}
		return { ok: false, failure: unreadableSuccessFailure(status, purpose, traceId) };
	}
	const retryAfter = parseRetryAfter(headerValue(response.headers, 'retry-after'));
	return {
		ok: false,
		failure: statusFailure(status, body ? readApiError(body, traceId) : null, purpose, retryAfter),
	};
}

function readApiError(body: Record<string, unknown>, traceId: string | null): ApiErrorBody {
	const error = isObject(body.error) ? body.error : {};
	return {
		code: typeof error.code === 'string' ? error.code : null,
		message: typeof error.message === 'string' ? error.message : null,
		details: error.details ?? null,
		traceId,
	};
}

/** The JSON envelope, or null when the body is empty, HTML, or anything else. */
function parseBody(body: unknown): Record<string, unknown> | null {
	if (isObject(body)) return body;
	if (typeof body !== 'string' || body.trim() === '') return null;
	try {
		const parsed: unknown = JSON.parse(body);
		return isObject(parsed) ? parsed : null;
	} catch {
		return null;
	}
}

/** `Retry-After` as whole seconds from now: either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
	if (value === null || value.trim() === '') return null;
	const text = value.trim();
	if (/^\d+$/.test(text)) return Number(text);
	const date = Date.parse(text);
	if (Number.isNaN(date)) return null;
	return Math.max(0, Math.ceil((date - now) / 1000));
}

function headerValue(headers: IN8nHttpFullResponse['headers'], name: string): string | null {
	const value = headers?.[name] ?? headers?.[name.toLowerCase()];
	if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : null;
	return typeof value === 'string' ? value : value === undefined || value === null ? null : String(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
