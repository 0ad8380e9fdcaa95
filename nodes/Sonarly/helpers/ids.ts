import type { IExecuteFunctions } from 'n8n-workflow';

import type { Outcome } from './types';
import { inputFailure } from '../transport/failures';


/**
 * Reads an identifier parameter for one item and checks it can only ever name one path
 * segment. HTTP clients resolve `.` and `..` segments before sending, so percent-encoding
 * alone would not stop `..` from changing the route.
 */
export function readId(
	context: IExecuteFunctions,
	parameterName: string,
	displayName: string,
	itemIndex: number,
): Outcome<string> {
	const raw: unknown = context.getNodeParameter(parameterName, itemIndex, '', {
		extractValue: true,
	});
	return checkId(raw, displayName, itemIndex);
}

export function checkId(raw: unknown, displayName: string, itemIndex: number): Outcome<string> {
	const where = `${displayName} (item ${itemIndex})`;
	if (typeof raw === 'number') {
		// 1e21, -1.5 or 2^53 + 2 would go out as "1e+21", "-1.5" or a rounded number.
		if (!Number.isSafeInteger(raw)) {
			return {
				ok: false,
				failure: inputFailure(
					`${where} must be a whole number that JavaScript can hold exactly`,
					`Enter the ID as text, exactly as Sonarly shows it: ${String(raw)} is not a whole number of at most ${Number.MAX_SAFE_INTEGER}, so it may already have been rounded.`,
				),
			};
		}
		raw = String(raw);
	}
	if (typeof raw !== 'string') {
		return {
			ok: false,
			failure: inputFailure(
				`${where} must be text, but the value is ${describeType(raw)}`,
				`Set ${displayName} to the ID itself (text or a number), not to a whole object or list: point the expression at the field that holds the ID.`,
			),
		};
	}
	const id = raw.trim();
	if (id === '') {
		return {
			ok: false,
			failure: inputFailure(
				`${where} is empty`,
				`Choose a value from the list or enter an ID. If it comes from an expression, check that the field it reads exists on this item.`,
			),
		};
	}
	if (id === '.' || id === '..') {
		return {
			ok: false,
			failure: inputFailure(
				`${where} cannot be "${id}"`,
				`Enter the real ID from Sonarly. "." and ".." are not IDs and would change which address is called.`,
			),
		};
	}
	if (hasControlCharacter(id)) {
		return {
			ok: false,
			failure: inputFailure(
				`${where} contains control characters`,
				`Remove line breaks, tabs and other invisible characters from the ID.`,
			),
		};
	}
	if (hasLoneSurrogate(id)) {
		return {
			ok: false,
			failure: inputFailure(
				`${where} contains a broken character`,
				`The value holds half of an emoji or other character, which happens when an expression cuts text in the middle of one. Use the whole ID.`,
			),
		};
	}
	return { ok: true, value: id };
}

/** Encodes an identifier as exactly one URL path segment. */
export function pathSegment(id: string): string {
	return encodeURIComponent(id);
}

/** C0 and C1 control characters, DEL included: never part of a real ID. */
function hasControlCharacter(text: string): boolean {
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
	}
	return false;
}

/** Half of a UTF-16 surrogate pair: no URL can carry it (encodeURIComponent throws). */
function hasLoneSurrogate(text: string): boolean {
	return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

function describeType(value: unknown): string {
	if (value === null) return 'null';
	if (value === undefined) return 'missing';
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
