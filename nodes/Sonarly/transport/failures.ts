import type { SonarlyFailure } from '../helpers/types';
import { mayHaveActed, type FailureReason, type Safety } from './classify';

/** The words a request's failures are told in. */
export interface Wording {
	/** Verb phrase for messages, e.g. "stop the campaign". */
	action: string;
	/** The API permission the route needs, e.g. "campaigns:execute". */
	permission: string | null;
	/** What a 404 means, e.g. "account group or campaign". */
	target: string;
	/** A write as a noun, for "the stop may or may not have happened" (default: "request"). */
	noun?: string;
	/** Where to check a write that may have happened (default: "in Sonarly"). */
	check?: string;
	/** What a 409 means for this request. */
	conflict?: { message: string; description: string };
	/** What running out of credits means here (402). */
	credits?: string;
	/**
	 * Set when Sonarly's reference does not show the route's method and the node infers it:
	 * a 404 or 405 then says so.
	 */
	methodInferred?: string;
}

/** What a request is for: its words and its safety class shape every message of its failures. */
export interface RequestPurpose extends Wording {
	safety: Safety;
}

export interface ApiErrorBody {
	code: string | null;
	message: string | null;
	details: unknown;
	traceId: string | null;
	detailsTruncated?: boolean;
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
		reason: fields.kind === 'input' ? 'input' : fields.kind === 'unexpected' ? 'unexpected' : 'refused',
		httpCode: null,
		code: null,
		apiMessage: null,
		details: null,
		traceId: null,
		retryAfterSeconds: null,
		mayHaveActed: false,
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
	const reason = statusReason(status);
	const { message, description } = explainStatus(status, apiError, purpose, retryAfterSeconds);
	return failure({
		reason,
		mayHaveActed: mayHaveActed(reason, purpose.safety),
		message,
		description: withTrace(description, apiError?.traceId ?? null),
		httpCode: status,
		code: apiError?.code ?? null,
		apiMessage: apiError?.message ?? null,
		details: apiError?.details ?? null,
		...(apiError?.detailsTruncated ? { detailsTruncated: true } : {}),
		traceId: apiError?.traceId ?? null,
		retryAfterSeconds,
	});
}

interface Explanation {
	message: string;
	description: string;
}

function statusReason(status: number): FailureReason {
	if (status === 429) return 'rateLimited';
	if (status >= 500) return 'serverError';
	if (status >= 300 && status < 400) return 'redirect';
	if (status >= 200 && status < 300) return 'unclearAnswer';
	return 'refused';
}

interface StatusContext {
	status: number;
	purpose: RequestPurpose;
	/** Sonarly's own message, quoted, or ''. */
	sonarlySaid: string;
	retryAfterSeconds: number | null;
}

/** What each documented status means, in the words of the request it answered. */
const STATUS_CATALOGUE: Record<number, (context: StatusContext) => Explanation> = {
	400: ({ purpose, sonarlySaid }) => ({
		message: `Sonarly rejected the request to ${purpose.action} as invalid`,
		description: `Check the IDs this item sends.${sonarlySaid} Nothing was changed.`,
	}),
	401: () => ({
		message: 'Sonarly did not accept the API key',
		description:
			'Check the API key in the Sonarly API credential: it may be mistyped, expired or revoked. Create a new key in Sonarly if needed.',
	}),
	403: ({ purpose, sonarlySaid }) => ({
		message: `The API key is not allowed to ${purpose.action}`,
		description: `Give the key${purpose.permission ? ` the ${purpose.permission} permission and` : ''} access to this account group in Sonarly, or use a key that has them.${sonarlySaid}`,
	}),
	404: ({ purpose, sonarlySaid }) => ({
		message: `The ${purpose.target} was not found`,
		description: `Check the IDs (choosing them From List avoids typos) and that the API key has access to that account group.${
			purpose.target.includes('campaign')
				? ' If you changed the Account Group, pick the Campaign again: a campaign belongs to one account group.'
				: ''
		}${sonarlySaid}`,
	}),
	409: ({ purpose, sonarlySaid }) =>
		purpose.conflict
			? { message: purpose.conflict.message, description: `${purpose.conflict.description}${sonarlySaid}` }
			: { message: `Sonarly could not ${purpose.action} in its current state`, description: `Nothing was changed.${sonarlySaid}` },
	429: ({ retryAfterSeconds }) => ({
		message: "Sonarly's rate limit was reached",
		description: `Sonarly refused the request, so nothing was changed. ${
			retryAfterSeconds === null ? 'Wait a little' : `Wait ${formatSeconds(retryAfterSeconds)}`
		} and run again, or send fewer items at once.`,
	}),
};
STATUS_CATALOGUE[422] = STATUS_CATALOGUE[400];

/** Statuses outside the catalogue, by class: 5xx, 3xx and a 2xx that is not success may have acted. */
function explainByClass({ status, purpose, sonarlySaid }: StatusContext): Explanation {
	if (status >= 200 && status < 300) {
		// A 2xx whose envelope says success: false. For a read nothing happened; for a write
		// nobody knows: Sonarly answered "done" at the HTTP level.
		return mayHaveHappened(`Sonarly answered HTTP ${status} to the request to ${purpose.action}, but said it did not succeed`, purpose, sonarlySaid, {
			description: `Nothing was changed.${sonarlySaid}`,
		});
	}
	if (status >= 500) {
		return mayHaveHappened(`Sonarly failed (HTTP ${status}) while trying to ${purpose.action}`, purpose, sonarlySaid, {
			description: `This is a problem on Sonarly's side; nothing was changed. Try again in a few minutes and contact Sonarly support if it persists.${sonarlySaid}`,
		});
	}
	if (status >= 300 && status < 400) {
		// A 303 means a POST was processed. Sonarly's API does not redirect, so something in
		// front of it answered.
		const where = " Sonarly's API does not redirect: check that the Base URL in the credential points at the API itself.";
		return mayHaveHappened(`Sonarly answered HTTP ${status} (a redirect) to the request to ${purpose.action}`, purpose, where, {
			description: `Nothing was changed.${where}`,
		});
	}
	return {
		message: `Sonarly refused the request to ${purpose.action} (HTTP ${status})`,
		description: `Nothing was changed.${sonarlySaid}`,
	};
}

function explainStatus(
	status: number,
	apiError: ApiErrorBody | null,
	purpose: RequestPurpose,
	retryAfterSeconds: number | null,
): Explanation {
	const sonarlySaid = apiError?.message
		? ` Sonarly said: "${clip(apiError.message, MAX_QUOTED_LENGTH)}".`
		: '';
	const byCode = apiError?.code ? explainCode(apiError.code, status, purpose, sonarlySaid) : null;
	if (byCode) return byCode;
	const explain = STATUS_CATALOGUE[status] ?? explainByClass;
	const explained = explain({ status, purpose, sonarlySaid, retryAfterSeconds });
	if (purpose.methodInferred && (status === 404 || status === 405)) {
		return {
			...explained,
			description: `${explained.description} Sonarly's reference does not show this route's method, and the node sends ${purpose.methodInferred}: if the IDs are right, the method may be wrong. Please tell us at https://github.com/sonarly/n8n-nodes-sonarly/issues.`,
		};
	}
	return explained;
}

/** Sonarly's documented error codes that say more than their status. */
function explainCode(code: string, status: number, purpose: RequestPurpose, sonarlySaid: string): Explanation | null {
	if (code === 'AUDIENCE_NOT_READY') {
		return {
			message: 'The audience is still being filled by a prospecting job',
			description: `Sonarly does not allow this until the job has finished; nothing was changed. Wait for the job to finish (the Sonarly Trigger's Prospecting Job Finished event, or Prospecting Job → Get), then run this again.${sonarlySaid}`,
		};
	}
	if (code === 'IDEMPOTENCY_CONFLICT') {
		return {
			message: `Sonarly refused to ${purpose.action}: this Idempotency Key was already used for a different request`,
			description: `Nothing was sent again. The same key with the same content is a safe replay; with different content it is refused. If this is really a new request, give it its own key in Options → Idempotency Key (for example one that includes the conversation and the date).${sonarlySaid}`,
		};
	}
	if (code === 'INSUFFICIENT_CREDITS' || status === 402) {
		return {
			message: `Sonarly refused to ${purpose.action}: the account does not have enough credits`,
			description: `Nothing was done.${purpose.credits ? ` ${purpose.credits}` : ''} Add credits in Sonarly, then run this again.${sonarlySaid}`,
		};
	}
	return null;
}

/** A write may have acted: say so and ask for a check first. A read gets `forRead`. */
function mayHaveHappened(
	what: string,
	purpose: RequestPurpose,
	extra: string,
	forRead: { description: string },
): Explanation {
	if (purpose.safety === 'read') return { message: what, description: forRead.description };
	return {
		message: `${what}: it may or may not have happened`,
		description: `${checkBeforeRunningAgain(purpose)}${extra}`,
	};
}

/** What to do about a write that may or may not have happened. */
export function checkBeforeRunningAgain(purpose: RequestPurpose): string {
	const noun = purpose.noun ?? 'request';
	if (purpose.safety === 'keyedWrite') {
		return `Check ${purpose.check ?? 'in Sonarly'} before you change anything. Running this node again with the same input is safe: it sends the same Idempotency-Key, so Sonarly returns the first ${noun} instead of acting twice.`;
	}
	return `Check ${purpose.check ?? 'in Sonarly'} before you run this again: a ${noun} cannot safely be repeated blindly.`;
}

/** A 2xx answer whose body is not the documented success envelope. */
export function unreadableSuccessFailure(status: number, purpose: RequestPurpose, traceId: string | null): SonarlyFailure {
	const proxy = "If the Base URL in the credential points at a proxy, check that it forwards Sonarly's answers unchanged.";
	const write = purpose.safety !== 'read';
	return failure({
		reason: 'unclearAnswer',
		message: `Sonarly answered HTTP ${status} to the request to ${purpose.action}, but not in the documented format${write ? ': it has probably happened' : ''}`,
		description: withTrace(write ? `${checkBeforeRunningAgain(purpose)} ${proxy}` : proxy, traceId),
		httpCode: status,
		traceId,
		mayHaveActed: mayHaveActed('unclearAnswer', purpose.safety),
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
			reason: 'notSent',
			message: `Could not connect to Sonarly at ${baseUrl}`,
			description: `The request never reached Sonarly, so nothing was changed. Check the Base URL in the credential, the network and any proxy${codeNote}.`,
			code,
		});
	}
	const write = purpose.safety !== 'read';
	const maybe = write ? `: the ${purpose.noun ?? 'request'} may or may not have happened` : '';
	const checkFirst = write ? checkBeforeRunningAgain(purpose) : 'Nothing was changed; run it again.';
	const ended = (reason: FailureReason, fields: Pick<SonarlyFailure, 'message' | 'description' | 'code'>) =>
		failure({ ...fields, reason, mayHaveActed: mayHaveActed(reason, purpose.safety) });
	if ((code && CANCEL_CODES.has(code)) || isCancellation(error)) {
		return ended('cancelled', {
			message: `The execution was cancelled while waiting for Sonarly${maybe}`,
			description: checkFirst,
			code: code ?? 'ERR_CANCELED',
		});
	}
	if ((code && TIMEOUT_CODES.has(code)) || /timeout/i.test(errorMessage(error))) {
		return timeoutFailure(purpose, timeoutMs, code);
	}
	return ended('connectionLost', {
		message: `The connection to Sonarly broke before it answered${maybe}`,
		description: `${checkFirst} If it keeps happening, check the network and any proxy${codeNote}.`,
		code,
	});
}

/** No whole answer within the Timeout (n8n's idle timeout, or the node's own deadline). */
export function timeoutFailure(purpose: RequestPurpose, timeoutMs: number, code: string | null = null): SonarlyFailure {
	const write = purpose.safety !== 'read';
	const maybe = write ? `: the ${purpose.noun ?? 'request'} may or may not have happened` : '';
	const checkFirst = write ? checkBeforeRunningAgain(purpose) : 'Nothing was changed; run it again.';
	return failure({
		reason: 'timeout',
		message: `Sonarly did not answer within ${timeoutMs} ms${maybe}`,
		description: `${checkFirst} If Sonarly is just slow, raise the Timeout option${code ? ` (${code})` : ''}.`,
		code: code ?? 'ETIMEDOUT',
		mayHaveActed: mayHaveActed('timeout', purpose.safety),
	});
}

export function wasNeverSent(failureData: SonarlyFailure): boolean {
	return failureData.reason === 'notSent';
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
	lastRateLimit: SonarlyFailure,
	openAt: number,
	maxWaitSeconds: number,
): SonarlyFailure {
	const when = isoSeconds(openAt);
	return failure({
		reason: 'rateLimited',
		message: `Sonarly's rate limit did not clear within the ${maxWaitSeconds} s this item may wait`,
		description: withTrace(
			`Sonarly refused the request, so nothing was changed. Try again after ${when}, raise Options → Max Rate Limit Wait, or lower Options → Concurrency.`,
			lastRateLimit.traceId,
		),
		httpCode: 429,
		code: lastRateLimit.code,
		apiMessage: lastRateLimit.apiMessage,
		details: lastRateLimit.details,
		...(lastRateLimit.detailsTruncated ? { detailsTruncated: true } : {}),
		traceId: lastRateLimit.traceId,
		retryAfterSeconds: lastRateLimit.retryAfterSeconds,
	});
}

/**
 * The execution was cancelled while this item waited its turn, either never sent or refused
 * by Sonarly's rate limit so far: nothing was changed either way.
 */
export function cancelledBeforeSendingFailure(refusedBefore = false): SonarlyFailure {
	return failure({
		reason: 'input',
		message: refusedBefore
			? "The execution was cancelled while this item waited for Sonarly's rate limit"
			: 'The execution was cancelled before this item was sent to Sonarly',
		description: refusedBefore
			? 'Sonarly had refused it with HTTP 429 until then, so nothing was changed for this item.'
			: 'Nothing was changed for this item.',
		code: 'ERR_CANCELED',
	});
}

/**
 * Another item's 429 closed the gate, and the wait would outlast this item's budget before
 * it was ever sent.
 */
export function rateLimitNeverSentFailure(openAt: number, maxWaitSeconds: number): SonarlyFailure {
	return failure({
		reason: 'rateLimited',
		message: `This item was never sent: Sonarly's rate limit would not clear within the ${maxWaitSeconds} s it may wait`,
		description: `Nothing was changed for this item. Other requests hit Sonarly's rate limit; try again after ${isoSeconds(openAt)}, raise Options → Max Rate Limit Wait, or lower Options → Concurrency.`,
	});
}

function isoSeconds(epochMs: number): string {
	// parseRetryAfter caps a wait at a year, so this is always a date JavaScript can print.
	return new Date(Math.max(epochMs, Date.now())).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
