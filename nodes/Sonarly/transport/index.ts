import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	IPollFunctions,
} from 'n8n-workflow';

import { redactOutcome } from '../helpers/redact';
import type { Outcome, SonarlyFailure } from '../helpers/types';
import {
	cancelledBeforeSendingFailure,
	inputFailure,
	networkFailure,
	rateLimitNeverSentFailure,
	rateLimitWaitExceededFailure,
	statusFailure,
	unreadableSuccessFailure,
	wasNeverSent,
	type ApiErrorBody,
	type RequestPurpose,
} from './failures';
import { backoffMs, pacerFor, waitFor, type Pacer } from './pacing';

export const CREDENTIAL_TYPE = 'sonarlyApi';
export const DEFAULT_BASE_URL = 'https://api.sonarly.io';
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS = 60;
/** Resends of a request that provably never reached Sonarly (refused, DNS, TLS). */
const CONNECT_RETRIES = 3;

export type SonarlyContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

export interface SonarlyRequest {
	method: IHttpRequestMethods;
	/** Path under the base URL, starting with /v1/, every id already encoded. */
	path: string;
	qs?: IDataObject;
	timeoutMs: number;
	purpose: RequestPurpose;
	/** The item's rate-limit wait budget, shared by every request the item makes. */
	rateLimitBudget?: RateLimitBudget;
}

/** How long one item may wait in all for Sonarly's rate limit to clear, across its requests. */
export interface RateLimitBudget {
	maxWaitSeconds: number;
	waitedMs: number;
}

export function rateLimitBudget(maxWaitSeconds = DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS): RateLimitBudget {
	return { maxWaitSeconds, waitedMs: 0 };
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
	// Shared by every execution and list search of this n8n process that uses the account.
	const gate = pacerFor(baseUrl.value, String(credentials.apiKey ?? ''));
	return {
		ok: true,
		value: {
			baseUrl: baseUrl.value,
			// Sonarly or a proxy may echo the key back (in error.message, details, an HTML
			// page): nothing derived from a response leaves the transport unmasked.
			request: async <T>(request: SonarlyRequest) =>
				redactOutcome(
					await requestPaced<T>(context, baseUrl.value, gate, request),
					credentials.apiKey,
				),
		},
	};
}

/**
 * Sends one request, resending it only when that is safe: after a 429 (Sonarly refused it)
 * once the shared wait has passed, and after a failure that provably never reached Sonarly.
 * Anything that may have acted (timeout, reset, 5xx) is returned as it is.
 */
async function requestPaced<T>(
	context: SonarlyContext,
	baseUrl: string,
	gate: Pacer,
	request: SonarlyRequest,
): Promise<Outcome<SonarlyAnswer<T>>> {
	const signal = cancelSignal(context);
	const budget = request.rateLimitBudget ?? rateLimitBudget();
	const { maxWaitSeconds } = budget;
	let rateLimitAttempts = 0;
	let connectAttempts = 0;
	let lastRateLimit: SonarlyFailure | null = null;
	for (;;) {
		const slot = gate.reserve(maxWaitSeconds * 1000 - budget.waitedMs);
		if (!slot.ok) return { ok: false, failure: waitTooLong(lastRateLimit, slot.openAt, maxWaitSeconds) };
		if (slot.full) {
			// Many requests of this account are in flight while its limit is unknown: wait for
			// one to come back (not counted as rate-limit wait: it ends with an answer).
			if (!(await gate.waitForRoom(signal))) {
				return { ok: false, failure: cancelledBeforeSendingFailure(lastRateLimit !== null) };
			}
			continue;
		}
		if (slot.waitMs > 0) {
			if (!(await waitFor(slot.waitMs, signal))) {
				return { ok: false, failure: cancelledBeforeSendingFailure(lastRateLimit !== null) };
			}
			budget.waitedMs += slot.waitMs;
			// A 429 that arrived meanwhile moved the moment: take a new slot.
			if (!gate.stillValid(slot)) continue;
		}
		if (signal?.aborted) return { ok: false, failure: cancelledBeforeSendingFailure(lastRateLimit !== null) };

		const sent = gate.sending();
		let outcome: Outcome<SonarlyAnswer<T>> | undefined;
		try {
			outcome = await sendRequest<T>(context, baseUrl, request, signal);
		} finally {
			// Never leave the pacer counting a request in flight that is gone.
			if (outcome === undefined) gate.answered(sent, null);
		}
		if (outcome.ok) {
			gate.answered(sent, null);
			return outcome;
		}
		const { failure } = outcome;
		if (failure.httpCode === 429) {
			lastRateLimit = failure;
			const waitMs =
				failure.retryAfterSeconds !== null
					? Math.max(failure.retryAfterSeconds * 1000, MIN_RATE_LIMIT_WAIT_MS)
					: backoffMs(rateLimitAttempts);
			rateLimitAttempts++;
			gate.answered(sent, Date.now() + waitMs);
			continue;
		}
		gate.answered(sent, null);
		if (wasNeverSent(failure) && connectAttempts < CONNECT_RETRIES) {
			if (!(await waitFor(backoffMs(connectAttempts, 250, 2000), signal))) return outcome;
			connectAttempts++;
			continue;
		}
		return outcome;
	}
}

/**
 * The wait for the rate limit would outlast the item's budget. A request Sonarly refused
 * gets Sonarly's 429 (as it is, when no wait was allowed); one that other requests' 429s held
 * back was never sent.
 */
function waitTooLong(lastRateLimit: SonarlyFailure | null, openAt: number, maxWaitSeconds: number): SonarlyFailure {
	if (!lastRateLimit) return rateLimitNeverSentFailure(openAt, maxWaitSeconds);
	if (maxWaitSeconds === 0) return lastRateLimit;
	return rateLimitWaitExceededFailure(lastRateLimit, openAt, maxWaitSeconds);
}

/** A `Retry-After: 0` still gets a short pause, so a busy Sonarly is not hammered. */
const MIN_RATE_LIMIT_WAIT_MS = 100;

function cancelSignal(context: SonarlyContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal() : undefined;
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
	signal: AbortSignal | undefined,
): Promise<Outcome<SonarlyAnswer<T>>> {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${baseUrl}${request.path}`,
		qs: request.qs,
		json: true,
		timeout: request.timeoutMs,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// A redirect would re-send the stop elsewhere, and n8n sends the Authorization header
		// along even to another origin: Sonarly does not redirect, so any 3xx is a failure.
		disableFollowRedirect: true,
		abortSignal: signal,
	};
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

/** The longest wait a Retry-After is taken to ask for. */
const MAX_RETRY_AFTER_SECONDS = 365 * 86_400;

/** `Retry-After` as whole seconds from now: either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
	if (value === null || value.trim() === '') return null;
	const text = value.trim();
	// Delta-seconds are digits only; an HTTP date names its day and month. Anything else
	// (-5, 1.5) is no Retry-After at all, though Date.parse would read it as a year.
	const isDate = /[a-z]/i.test(text);
	if (!/^\d+$/.test(text) && !isDate) return null;
	const seconds = isDate ? Math.ceil((Date.parse(text) - now) / 1000) : Number(text);
	if (Number.isNaN(seconds)) return null;
	// Centuries (or 400 digits) would print as 1e+23 or Infinity and overflow a Date.
	return Math.min(Math.max(0, seconds), MAX_RETRY_AFTER_SECONDS);
}

function headerValue(headers: IN8nHttpFullResponse['headers'], name: string): string | null {
	const value = headers?.[name] ?? headers?.[name.toLowerCase()];
	if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : null;
	return typeof value === 'string' ? value : value === undefined || value === null ? null : String(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
