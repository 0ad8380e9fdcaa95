/**
 * How each operation treats Sonarly:
 * - `read`: safe to repeat.
 * - `write`: not idempotent. Never resent after a failure that may have acted.
 * - `keyedWrite`: sent with an `Idempotency-Key`, so Sonarly replays rather than acts twice:
 *   resent with the same key after a failure that may have acted.
 */
export type Safety = 'read' | 'write' | 'keyedWrite';

/** Every way a request can end without the answer it wanted. */
export type FailureReason =
	/** Refused before anything was sent: a parameter, the credential, a setting. */
	| 'input'
	/** An error n8n raised (an expression), or a bug of the node. */
	| 'unexpected'
	/** Sonarly answered 4xx (not 429): it refused and changed nothing. */
	| 'refused'
	/** Sonarly answered 429: it refused, and says when to come back. */
	| 'rateLimited'
	/** The request never left this machine or never got a connection. */
	| 'notSent'
	/** A 3xx: something in front of Sonarly answered; a 303 means a POST was processed. */
	| 'redirect'
	/** A 5xx: Sonarly (or a proxy) failed, possibly after acting. */
	| 'serverError'
	/** A 2xx that is not the success envelope (`success: false`, HTML, empty). */
	| 'unclearAnswer'
	/** No answer within the Timeout. */
	| 'timeout'
	/** The connection broke before an answer. */
	| 'connectionLost'
	/** The execution was cancelled while the request was on its way. */
	| 'cancelled';

interface Rule {
	/** A write that ended this way may have acted at Sonarly (reads never act). */
	mayHaveActed: boolean;
	/** Which classes the transport sends again after it (429: after Sonarly's wait). */
	resend: readonly Safety[];
}

const ALL: readonly Safety[] = ['read', 'write', 'keyedWrite'];
const KEYED: readonly Safety[] = ['keyedWrite'];
const NONE: readonly Safety[] = [];

/**
 * The one table of what a failure means. A request that may have acted is never resent
 * blindly: only a keyed write is, with the same key, so Sonarly answers with its replay.
 */
export const FAILURE_TABLE: Readonly<Record<FailureReason, Rule>> = {
	input: { mayHaveActed: false, resend: NONE },
	unexpected: { mayHaveActed: false, resend: NONE },
	refused: { mayHaveActed: false, resend: NONE },
	rateLimited: { mayHaveActed: false, resend: ALL },
	notSent: { mayHaveActed: false, resend: ALL },
	redirect: { mayHaveActed: true, resend: NONE },
	serverError: { mayHaveActed: true, resend: KEYED },
	unclearAnswer: { mayHaveActed: true, resend: KEYED },
	timeout: { mayHaveActed: true, resend: KEYED },
	connectionLost: { mayHaveActed: true, resend: KEYED },
	cancelled: { mayHaveActed: true, resend: NONE },
};

export function mayHaveActed(reason: FailureReason, safety: Safety): boolean {
	return safety !== 'read' && FAILURE_TABLE[reason].mayHaveActed;
}

/** Whether a keyed write is resent with its key after this failure (429 and never-sent aside). */
export function resendWithSameKey(reason: FailureReason, safety: Safety): boolean {
	return safety === 'keyedWrite' && FAILURE_TABLE[reason].mayHaveActed && FAILURE_TABLE[reason].resend.includes(safety);
}

/** How many more times a keyed write is sent after an unclear failure. */
export const KEYED_RESENDS = 2;
