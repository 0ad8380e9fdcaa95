import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	IPollFunctions,
} from 'n8n-workflow';

import { capApiError, redactFailure, redactValue } from '../helpers/redact';
import type { Outcome, SonarlyFailure } from '../helpers/types';
import { KEYED_RESENDS, resendWithSameKey } from './classify';
import {
	cancelledBeforeSendingFailure,
	inputFailure,
	networkFailure,
	rateLimitNeverSentFailure,
	rateLimitWaitExceededFailure,
	statusFailure,
	timeoutFailure,
	unreadableSuccessFailure,
	wasNeverSent,
	type ApiErrorBody,
	type RequestPurpose,
} from './failures';
import { backoffMs, MAX_SHARED_HOLD_MS, pacerFor, waitFor, type Pacer } from './pacing';

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
	/** A JSON body. */
	body?: IDataObject;
	/** Sent as `Idempotency-Key`: only keyed writes have one, and every resend carries the same. */
	idempotencyKey?: string;
	/** How long the whole request may take, first byte to last. */
	timeoutMs: number;
	purpose: RequestPurpose;
	/** The item's rate-limit wait budget, shared by every request the item makes. */
	rateLimitBudget?: RateLimitBudget;
	/**
	 * Set for a lookup beside the executions (a list search in the editor): it respects the
	 * account's hold but never sets one (its own 429 makes only it wait), and when a hold set by
	 * other requests would outlast its budget it fails with `heldBack(openAt)`, not the item's words.
	 */
	lookup?: { heldBack: (openAt: number) => SonarlyFailure };
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
	/** The HTTP status (a keyed write's 200 is Sonarly's replay of an earlier request). */
	status: number;
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
	const secret = credentials.apiKey;
	return {
		ok: true,
		value: {
			baseUrl: baseUrl.value,
			request: async <T>(request: SonarlyRequest) => {
				const outcome = await requestKeyed<T>(context, { baseUrl: baseUrl.value, gate, secret }, request);
				// Answers were masked where they were read; this pass covers our own texts (a
				// Base URL that carries the key in its path).
				return outcome.ok ? outcome : { ok: false, failure: redactFailure(outcome.failure, secret) };
			},
		},
	};
}

interface Account {
	baseUrl: string;
	gate: Pacer;
	/** The API key: every answer is masked with it before anything reads it. */
	secret: unknown;
}

/**
 * A keyed write that may have acted (5xx, timeout, reset, a 2xx that is not success) is sent
 * again with the same Idempotency-Key, so that Sonarly replays it rather than acts twice.
 * Nothing else is resent here.
 */
async function requestKeyed<T>(context: SonarlyContext, account: Account, request: SonarlyRequest): Promise<Outcome<SonarlyAnswer<T>>> {
	const signal = cancelSignal(context);
	let outcome = await requestPaced<T>(context, account, request);
	for (let resend = 0; resend < KEYED_RESENDS && request.idempotencyKey !== undefined; resend++) {
		if (outcome.ok || !resendWithSameKey(outcome.failure.reason, request.purpose.safety)) break;
		if (!(await waitFor(backoffMs(resend), signal))) break;
		outcome = await requestPaced<T>(context, account, request);
	}
	return outcome;
}

/**
 * Sends one request, resending it only when that is safe: after a 429 (Sonarly refused it)
 * once the shared wait has passed, and after a failure that provably never reached Sonarly.
 * Anything that may have acted (timeout, reset, 5xx) is returned as it is.
 */
async function requestPaced<T>(
	context: SonarlyContext,
	account: Account,
	request: SonarlyRequest,
): Promise<Outcome<SonarlyAnswer<T>>> {
	const { gate } = account;
	const signal = cancelSignal(context);
	const budget = request.rateLimitBudget ?? rateLimitBudget();
	const { maxWaitSeconds } = budget;
	let rateLimitAttempts = 0;
	let connectAttempts = 0;
	let lastRateLimit: SonarlyFailure | null = null;
	/** When this request's own last 429 lets it go again (epoch ms). */
	let ownRetryAt = 0;
	const refused = (openAt: number): Outcome<SonarlyAnswer<T>> => ({
		ok: false,
		failure:
			request.lookup && !lastRateLimit
				? request.lookup.heldBack(openAt)
				: waitTooLong(lastRateLimit, openAt, maxWaitSeconds),
	});
	const cancelled = (): Outcome<SonarlyAnswer<T>> => ({
		ok: false,
		failure: cancelledBeforeSendingFailure(lastRateLimit !== null),
	});
	for (;;) {
		const leftMs = maxWaitSeconds * 1000 - budget.waitedMs;
		const ownWaitMs = ownRetryAt - Date.now();
		if (ownWaitMs > 0) {
			if (ownWaitMs > leftMs) return refused(ownRetryAt);
			if (!(await waitFor(ownWaitMs, signal))) return cancelled();
			budget.waitedMs += ownWaitMs;
			continue;
		}
		// Max Rate Limit Wait 0: the item may not wait, so no hold or pace of ours keeps it
		// back; only Sonarly's own 429 fails it.
		const slot = gate.reserve(leftMs, maxWaitSeconds === 0);
		if (!slot.ok) return refused(slot.openAt);
		if (slot.full) {
			// Many requests of this account are in flight while its limit is unknown: wait for
			// one to come back (not counted as rate-limit wait: it ends with an answer).
			if (!(await gate.waitForRoom(signal))) return cancelled();
			continue;
		}
		if (slot.waitMs > 0) {
			if (!(await waitFor(slot.waitMs, signal))) return cancelled();
			budget.waitedMs += slot.waitMs;
			// A 429 that arrived meanwhile moved the moment: take a new slot.
			if (!gate.stillValid(slot)) continue;
		}
		if (signal?.aborted) return cancelled();

		const sent = gate.sending();
		let outcome: Outcome<SonarlyAnswer<T>> | undefined;
		try {
			outcome = await sendRequest<T>(context, account, request, signal);
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
			ownRetryAt = Date.now() + Math.min(waitMs, MAX_SHARED_HOLD_MS);
			// A lookup's 429 makes only the lookup wait: it never holds the executions.
			gate.answered(sent, ownRetryAt, !request.lookup);
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
	{ baseUrl, secret }: Account,
	request: SonarlyRequest,
	signal: AbortSignal | undefined,
): Promise<Outcome<SonarlyAnswer<T>>> {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${baseUrl}${request.path}`,
		qs: request.qs,
		...(request.body !== undefined ? { body: request.body } : {}),
		...(request.idempotencyKey !== undefined ? { headers: { 'Idempotency-Key': request.idempotencyKey } } : {}),
		json: true,
		timeout: request.timeoutMs,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// A redirect would re-send the stop elsewhere, and n8n sends the Authorization header
		// along even to another origin: Sonarly does not redirect, so any 3xx is a failure.
		disableFollowRedirect: true,
		abortSignal: signal,
	};
	const sent = context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_TYPE, options) as Promise<IN8nHttpFullResponse>;
	const answered = sent.then(
		(response) => ({ response }),
		(error: unknown) => ({ error }),
	);
	// n8n's `timeout` only ends a connection that stays silent that long: a server that sends
	// headers and then trickles its body would hold the item (and the execution) for ever. The
	// Timeout is a deadline for the whole request.
	const deadline = new AbortController();
	const expired = waitFor(request.timeoutMs, deadline.signal).then(() => 'deadline passed' as const);
	const first = await Promise.race([answered, expired]);
	deadline.abort();
	if (first === 'deadline passed') {
		return { ok: false, failure: timeoutFailure(request.purpose, request.timeoutMs) };
	}
	return settle<T>(first, { baseUrl, secret }, request);
}

function settle<T>(
	result: { response: IN8nHttpFullResponse } | { error: unknown },
	{ baseUrl, secret }: Pick<Account, 'baseUrl' | 'secret'>,
	request: SonarlyRequest,
): Outcome<SonarlyAnswer<T>> {
	if ('error' in result) {
		return { ok: false, failure: networkFailure(result.error, request.purpose, baseUrl, request.timeoutMs) };
	}
	return readAnswer<T>(result.response, request.purpose, secret);
}

/**
 * The one boundary where an answer enters the node: the key is masked in everything Sonarly
 * (or a proxy) sent, then its error texts are capped, and only then are they quoted (and
 * clipped) in messages. A key cut in half by a clip could no longer be recognised.
 */
function readAnswer<T>(
	response: IN8nHttpFullResponse,
	purpose: RequestPurpose,
	secret: unknown,
): Outcome<SonarlyAnswer<T>> {
	const status = response.statusCode;
	const body = redactValue(parseBody(response.body), secret);
	const traceId = typeof body?.traceId === 'string' ? body.traceId : null;
	if (status >= 200 && status < 300) {
		if (body?.success === true && isObject(body.data)) {
			return { ok: true, value: { data: body.data as T, traceId, status } };
		}
		if (body?.success === false && isObject(body.error)) {
			return { ok: false, failure: statusFailure(status, readApiError(body, traceId), purpose, null) };
		}
		return { ok: false, failure: unreadableSuccessFailure(status, purpose, capApiError({ code: null, message: null, details: null, traceId }).traceId) };
	}
	const retryAfter = parseRetryAfter(headerValue(response.headers, 'retry-after'));
	return {
		ok: false,
		failure: statusFailure(status, body ? readApiError(body, traceId) : null, purpose, retryAfter),
	};
}

function readApiError(body: Record<string, unknown>, traceId: string | null): ApiErrorBody {
	const error = isObject(body.error) ? body.error : {};
	return capApiError({
		code: typeof error.code === 'string' ? error.code : null,
		message: typeof error.message === 'string' ? error.message : null,
		details: error.details ?? null,
		traceId,
	});
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
