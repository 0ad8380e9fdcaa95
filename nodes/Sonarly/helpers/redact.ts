import { clipToBytes, jsonBytes } from './size';
import type { SonarlyFailure } from './types';

/** What an echoed API key is replaced with. */
export const REDACTED = '[redacted]';

/** Where nesting in a response is cut: deeper than any real Sonarly answer, shallow enough to serialise. */
export const MAX_DEPTH = 32;
export const TOO_DEEP = '[nested too deep]';

/**
 * Shorter values cannot be told apart from ordinary words, so masking them would garble
 * every message; such a key is not a real Sonarly key anyway.
 */
const MIN_SECRET_LENGTH = 6;

/** The forms an echoed key can take in a parsed body: as sent, trimmed, URL-encoded. */
function secretForms(secret: unknown): string[] {
	if (typeof secret !== 'string') return [];
	const forms = new Set([secret, secret.trim()]);
	for (const form of [...forms]) {
		try {
			forms.add(encodeURIComponent(form));
		} catch {
			// A key with half a surrogate pair has no URL-encoded form.
		}
	}
	return [...forms]
		.filter((form) => form.length >= MIN_SECRET_LENGTH)
		.sort((a, b) => b.length - a.length);
}

function maskText(text: string, forms: string[]): string {
	let masked = text;
	for (const form of forms) {
		if (masked.includes(form)) masked = masked.split(form).join(REDACTED);
	}
	return masked;
}

/**
 * The value with the key masked; the value itself (not a copy) wherever nothing had to
 * change, so a clean page of 100 entries costs a scan, not 100 copies.
 */
function maskValue(value: unknown, forms: string[], depth: number): unknown {
	if (typeof value === 'string') return maskText(value, forms);
	if (typeof value !== 'object' || value === null) return value;
	if (depth >= MAX_DEPTH) return TOO_DEEP;
	if (Array.isArray(value)) {
		let changed: unknown[] | null = null;
		value.forEach((entry, index) => {
			const masked = maskValue(entry, forms, depth + 1);
			if (masked !== entry) (changed ??= [...value])[index] = masked;
		});
		return changed ?? value;
	}
	let changed: Record<string, unknown> | null = null;
	for (const [key, entry] of Object.entries(value)) {
		const maskedKey = maskText(key, forms);
		const masked = maskValue(entry, forms, depth + 1);
		if (maskedKey === key && masked === entry) continue;
		changed ??= { ...value };
		if (maskedKey !== key) delete changed[key];
		changed[maskedKey] = masked;
	}
	return changed ?? value;
}

/**
 * A copy of anything derived from a response with every occurrence of the API key masked
 * (object keys included) and nesting cut at MAX_DEPTH, so that it can go into an item, an
 * error message or the saved execution.
 */
export function redactValue<T>(value: T, secret: unknown): T {
	return maskValue(value, secretForms(secret), 0) as T;
}

export function redactText(text: string, secret: unknown): string {
	return maskText(text, secretForms(secret));
}

/** A failure with the key masked in every field a user, a log or the execution can see. */
export function redactFailure(failureData: SonarlyFailure, secret: unknown): SonarlyFailure {
	const forms = secretForms(secret);
	const text = (value: string | null) => (value === null ? null : maskText(value, forms));
	return {
		...failureData,
		message: maskText(failureData.message, forms),
		description: maskText(failureData.description, forms),
		code: text(failureData.code),
		apiMessage: text(failureData.apiMessage),
		details: maskValue(failureData.details, forms, 0),
		traceId: text(failureData.traceId),
	};
}

/**
 * How much of Sonarly's own error text an item keeps, in bytes of n8n's JSON (escapes
 * included). Together they keep every error item far below 32 KB whatever Sonarly or a proxy
 * sends; an AI tool's result is cut tighter (engine/toolFailure.ts).
 */
export const MAX_API_MESSAGE_BYTES = 2048;
export const MAX_DETAILS_BYTES = 8192;
export const MAX_SHORT_TEXT_BYTES = 256;

interface ApiErrorText {
	code: string | null;
	message: string | null;
	details: unknown;
	traceId: string | null;
	detailsTruncated?: boolean;
}

/**
 * Sonarly's error fields, capped (after masking: a cap may cut the text anywhere). `details`
 * too long to keep whole becomes the start of its JSON text, marked `detailsTruncated`.
 */
export function capApiError<T extends ApiErrorText>(error: T): T & { detailsTruncated?: boolean } {
	const capped: T = {
		...error,
		code: capText(error.code, MAX_SHORT_TEXT_BYTES),
		message: capText(error.message, MAX_API_MESSAGE_BYTES),
		traceId: capText(error.traceId, MAX_SHORT_TEXT_BYTES),
	};
	if (error.details === null || error.details === undefined) return capped;
	const text = typeof error.details === 'string' ? error.details : safeJson(error.details);
	if (jsonBytes(text) <= MAX_DETAILS_BYTES) return capped;
	return { ...capped, details: clipToBytes(text, MAX_DETAILS_BYTES), detailsTruncated: true };
}

function capText(text: string | null, maxBytes: number): string | null {
	return text === null ? null : clipToBytes(text, maxBytes);
}

function safeJson(value: unknown): string {
	try {
		return JSON.stringify(value) ?? '';
	} catch {
		return String(value);
	}
}
