import type { SonarlyFailure } from '../helpers/types';

/** What a request is for: it shapes every message a failure of that request gets. */
export interface RequestPurpose {
	/** Verb phrase for messages, e.g. "stop the campaign". */
	action: string;
	/** The API permission the route needs, e.g. "campaigns:execute". */
	permission: string | null;
	/** What a 404 means, e.g. "account group or campaign". */
	target: string;
	/**
	 * True when the request changes something at Sonarly. A failure after such a request may
	 * have reached Sonarly (timeout, reset, 5xx) is then reported as "may have happened".
	 */
	changesState: boolean;
}

export interface ApiErrorBody {
	code: string | null;
	message: string | null;
	details: unknown;
	traceId: string | null;
}

/** Network error codes that mean the request never left this machine or never got a connection. */
const NOT_SENT_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EAI_FAIL',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'EADDRNOTAVAIL',
	'CERT_HAS_EXPIRED',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'ERR_INVALID_URL',
]);
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);
const CANCEL_CODES = new Set(['ERR_CANCELED', 'ABORT_ERR']);

export function failure(fields: Partial<SonarlyFailure> & Pick<SonarlyFailure, 'message' | 'description'>): SonarlyFailure {
	return {
		kind: 'api',
		httpCode: null,
		code: null,
		apiMessage: null,
		details: null,
		traceId: null,
		retryAfterSeconds: null,
		...fields,
	};
}

export function inputFailure(message: string, description: string): SonarlyFailure {
	return failure({ kind: 'input', message, description });
}

/** A Sonarly answer with a non-2xx status, whatever its body. */
export function statusFailure(
	status: number,
	apiError: ApiErrorBody | null,
	purpose: RequestPurpose,
	retryAfterSeconds: number | null,
): SonarlyFailure {
	const { message, description } = explainStatus(status, apiError, purpose, retryAfterSeconds);
	return failure({
		message,
		description: withTrace(description, apiError?.traceId ?? null),
		httpCode: status,
		code: apiError?.code ?? null,
		apiMessage: apiError?.message ?? null,
		details: apiError?.details ?? null,
		traceId: apiError?.traceId ?? null,
		retryAfterSeconds,
	});
}

function explainStatus(
	status: number,
	apiError: ApiErrorBody | null,
	purpose: RequestPurpose,
	retryAfterSeconds: number | null,
): { message: string; description: string } {
	const sonarlySaid = apiError?.message
		? ` Sonarly said: "${clip(apiError.message, MAX_QUOTED_LENGTH)}".`
		: '';
	if (status === 400 || status === 422) {
		return {
			message: `Sonarly rejected the request to ${purpose.action} as invalid`,
			description: `Check the IDs this item sends.${sonarlySaid}`,
		};
	}
	if (status === 401) {
		return {
			message: 'Sonarly did not accept the API key',
			description:
				'Check the API key in the Sonarly API credential: it may be mistyped, expired or revoked. Create a new key in Sonarly if needed.',
		};
	}
	if (status === 403) {
		const permission = purpose.permission ? ` the ${purpose.permission} permission and` : '';
		return {
			message: `The API key is not allowed to ${purpose.action}`,
			description: `Give the key${permission} access to this account group in Sonarly, or use a key that has them.${sonarlySaid}`,
		};
	}
	if (status === 404) {
		return {
			message: `The ${purpose.target} was not found`,
			description: `Check the IDs (choosing them From List avoids typos) and that the API key has access to that account group.${sonarlySaid}`,
		};
	}
	if (status === 409) {
		return purpose.changesState
			? {
					message: `The campaign is not active, so Sonarly could not ${purpose.action}`,
					description: `It may be a draft or already stopped; nothing was changed. Check its status in Sonarly before running again.${sonarlySaid}`,
				}
			: {
					message: `Sonarly could not ${purpose.action} in its current state`,
					description: `Nothing was changed.${sonarlySaid}`,
				};
	}
	if (status === 429) {
		const wait =
			retryAfterSeconds === null ? 'Wait a little' : `Wait ${formatSeconds(retryAfterSeconds)}`;
		return {
			message: "Sonarly's rate limit was reached",
			description: `Sonarly refused the request, so nothing was changed. ${wait} and run again, or send fewer items at once.`,
		};
	}
	if (status >= 500) {
		return serverFailure(`Sonarly failed (HTTP ${status}) while trying to ${purpose.action}`, purpose, sonarlySaid);
	}
	return {
		message: `Sonarly refused the request to ${purpose.action} (HTTP ${status})`,
		description: `Nothing was changed.${sonarlySaid}`,
	};
}

function serverFailure(
	what: string,
	purpose: RequestPurpose,
	sonarlySaid: string,
): { message: string; description: string } {
	if (purpose.changesState) {
		return {
			message: `${what}: it may or may not have happened`,
			description: `Check the campaign's status in Sonarly before you run this again: a stop cannot safely be repeated blindly.${sonarlySaid}`,
		};
	}
	return {
		message: what,
		description: `This is a problem on Sonarly's side; nothing was changed. Try again in a few minutes and contact Sonarly support if it persists.${sonarlySaid}`,
	};
}

/** A 2xx answer whose body is not the documented success envelope. */
export function unreadableSuccessFailure(status: number, purpose: RequestPurpose, traceId: string | null): SonarlyFailure {
	const maybe = purpose.changesState ? ': it has probably happened' : '';
	return failure({
		message: `Sonarly answered HTTP ${status} to the request to ${purpose.action}, but not in the documented format${maybe}`,
		description: withTrace(
			purpose.changesState
				? "Check the campaign's status in Sonarly before you run this again. If the Base URL points at a proxy, check that it forwards Sonarly's answers unchanged."
				: 'If the Base URL in the credential points at a proxy, check that it forwards Sonarly\'s answers unchanged.',
			traceId,
		),
		httpCode: status,
		traceId,
	});
}

/** A failure with no HTTP answer at all: refused, unreachable, timed out, reset or cancelled. */
export function networkFailure(
	error: unknown,
	purpose: RequestPurpose,
	baseUrl: string,
	timeoutMs: number,
): SonarlyFailure {
	const code = findErrorCode(error);
	const codeNote = code ? ` (${code})` : '';
	if (code && NOT_SENT_CODES.has(code)) {
		return failure({
			message: `Could not connect to Sonarly at ${baseUrl}`,
			description: `The request never reached Sonarly, so nothing was changed. Check the Base URL in the credential, the network and any proxy${codeNote}.`,
			code,
		});
	}
	const maybe = purpose.changesState ? ': the stop may or may not have happened' : '';
	const checkFirst = purpose.changesState
		? "Check the campaign's status in Sonarly before you run this again."
		: 'Nothing was changed; run it again.';
	if ((code && CANCEL_CODES.has(code)) || isCancellation(error)) {
		return failure({
			message: `The execution was cancelled while waiting for Sonarly${maybe}`,
			description: checkFirst,
			code: code ?? 'ERR_CANCELED',
		});
	}
	if ((code && TIMEOUT_CODES.has(code)) || /timeout/i.test(errorMessage(error))) {
		return failure({
			message: `Sonarly did not answer within ${timeoutMs} ms${maybe}`,
			description: `${checkFirst} If Sonarly is just slow, raise the Timeout option${codeNote}.`,
			code: code ?? 'ETIMEDOUT',
		});
	}
	return failure({
		message: `The connection to Sonarly broke before it answered${maybe}`,
		description: `${checkFirst} If it keeps happening, check the network and any proxy${codeNote}.`,
		code,
	});
}

export function wasNeverSent(failureData: SonarlyFailure): boolean {
	return failureData.httpCode === null && failureData.code !== null && NOT_SENT_CODES.has(failureData.code);
}

function withTrace(description: string, traceId: string | null): string {
	return traceId
		? `${description} Trace ID for Sonarly support: ${clip(traceId, MAX_QUOTED_LENGTH)}.`
		: description;
}

/**
 * How much of Sonarly's own text a message or description quotes. The full text stays in the
 * error's `apiMessage`/`traceId` fields; a proxy's multi-megabyte answer must not become the
 * message n8n shows.
 */
const MAX_QUOTED_LENGTH = 500;

/**
 * The start of `text`, cut before the word that crosses `length`: no fragment of a long
 * token (an echoed API key, which is masked later as a whole) is ever quoted.
 */
function clip(text: string, length: number): string {
	if (text.length <= length) return text;
	const head = text.slice(0, length);
	return `${head.slice(0, head.search(/[^\s"'`<>(){}[\],;:=&?]*$/))}…`;
}

function formatSeconds(seconds: number): string {
	return seconds === 1 ? '1 second' : `${seconds} seconds`;
}

/** n8n's HTTP helper wraps the client's error, sometimes twice: walk the cause chain. */
function causeChain(error: unknown): Array<Record<string, unknown>> {
	const chain: Array<Record<string, unknown>> = [];
	let current: unknown = error;
	while (current && typeof current === 'object' && chain.length < 6) {
		const link = current as Record<string, unknown>;
		chain.push(link);
		current = link.cause;
	}
	return chain;
}

const ERROR_CODE = /^[A-Z][A-Z0-9_]+$/;

/** n8n 2.x keeps the client error as `cause`; 1.x only leaves its code in `httpCode`. */
function findErrorCode(error: unknown): string | null {
	for (const link of causeChain(error)) {
		for (const value of [link.code, link.httpCode]) {
			if (typeof value === 'string' && ERROR_CODE.test(value)) return value;
		}
	}
	return null;
}

function isCancellation(error: unknown): boolean {
	return causeChain(error).some((link) => link.name === 'AbortError' || link.name === 'CanceledError');
}

function errorMessage(error: unknown): string {
	return causeChain(error)
		.map((link) => (typeof link.message === 'string' ? link.message : ''))
		.join(' ');
}

/** Sonarly kept answering 429 for longer than the item may wait. */
export function rateLimitWaitExceededFailure(
	lastRateLimit: SonarlyFailure | null,
	openAt: number,
	maxWaitSeconds: number,
): SonarlyFailure {
	// parseRetryAfter caps a wait at a year, so this is always a date JavaScript can print.
	const when = new Date(Math.max(openAt, Date.now())).toISOString().replace(/\.\d{3}Z$/, 'Z');
	return failure({
		message: `Sonarly's rate limit did not clear within the ${maxWaitSeconds} s this item may wait`,
		description: withTrace(
			`Sonarly refused the request, so nothing was changed. Try again after ${when}, raise Options → Max Rate Limit Wait, or lower Options → Concurrency.`,
			lastRateLimit?.traceId ?? null,
		),
		httpCode: 429,
		code: lastRateLimit?.code ?? null,
		apiMessage: lastRateLimit?.apiMessage ?? null,
		details: lastRateLimit?.details ?? null,
		traceId: lastRateLimit?.traceId ?? null,
		retryAfterSeconds: lastRateLimit?.retryAfterSeconds ?? null,
	});
}

/** The execution was cancelled while this item waited its turn: nothing was sent. */
export function cancelledBeforeSendingFailure(): SonarlyFailure {
	return failure({
		message: 'The execution was cancelled before this item was sent to Sonarly',
		description: 'Nothing was changed for this item.',
		code: 'ERR_CANCELED',
	});
}
