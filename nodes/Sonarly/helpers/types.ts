import type { IDataObject } from 'n8n-workflow';

import type { FailureReason } from '../transport/classify';

/**
 * Everything the node knows about one failed item, as plain data. The router turns it into
 * a thrown NodeApiError/NodeOperationError or into an error-output item; nothing in it may
 * ever hold the API key or request headers.
 */
export interface SonarlyFailure {
	/**
	 * Refused before any request ('input'), failed at Sonarly or on the wire ('api'), or an
	 * error n8n raised, such as an expression that cannot be evaluated ('unexpected').
	 */
	kind: 'input' | 'api' | 'unexpected';
	/** How it ended: the key into the failure table (transport/classify.ts). */
	reason: FailureReason;
	/** What happened, one sentence. */
	message: string;
	/** How to fix it. */
	description: string;
	httpCode: number | null;
	/** Sonarly's `error.code`, untouched. */
	code: string | null;
	/** Sonarly's `error.message`, untouched. */
	apiMessage: string | null;
	/** Sonarly's `error.details` (string, object or null: its type is undocumented). */
	details: unknown;
	/** Set when `details` was too long to keep whole: it then holds the start of its JSON text. */
	detailsTruncated?: boolean;
	traceId: string | null;
	/** Seconds Sonarly asked us to wait (429 `Retry-After`), when it said so. */
	retryAfterSeconds: number | null;
	/**
	 * True when a write may have reached Sonarly and acted (timeout, reset, 3xx, 5xx, a 2xx
	 * that is not success): it must never be resent blindly.
	 */
	mayHaveActed: boolean;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; failure: SonarlyFailure };

/** The identifiers of the campaign an operation acts on, as the user gave them (trimmed). */
export interface CampaignRef {
	accountGroupId: string;
	campaignId: string;
}

export type OperationResult = Outcome<IDataObject[]>;
