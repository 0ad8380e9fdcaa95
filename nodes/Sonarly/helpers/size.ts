/**
 * Sizes as n8n's JSON holds them: UTF-8 bytes inside a JSON string literal, escapes included,
 * so that a cap in bytes holds whatever characters Sonarly sends.
 */

/** `text` cut to `maxBytes` (JSON-encoded), ending "… [cut: N characters in all]". */
export function clipToBytes(text: string, maxBytes: number): string {
	if (jsonBytes(text) <= maxBytes) return text;
	const suffix = `… [cut: ${text.length} characters in all]`;
	const budget = maxBytes - jsonBytes(suffix);
	let used = 0;
	let end = 0;
	while (end < text.length) {
		const width = isPairAt(text, end) ? 2 : 1;
		const cost = width === 2 ? 4 : unitBytes(text.charCodeAt(end));
		if (used + cost > budget) break;
		used += cost;
		end += width;
	}
	return `${text.slice(0, end)}${suffix}`;
}

/** Bytes of `text` inside a JSON string literal, UTF-8 encoded. */
export function jsonBytes(text: string): number {
	let bytes = 0;
	for (let index = 0; index < text.length; index++) {
		if (isPairAt(text, index)) {
			bytes += 4;
			index++;
		} else {
			bytes += unitBytes(text.charCodeAt(index));
		}
	}
	return bytes;
}

function isPairAt(text: string, index: number): boolean {
	const high = text.charCodeAt(index);
	const low = text.charCodeAt(index + 1);
	return high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff;
}

/** One UTF-16 unit that is not half of a pair: `"` and `\` are escaped, control characters and lone surrogates written as \uXXXX. */
function unitBytes(code: number): number {
	if (code === 0x22 || code === 0x5c) return 2;
	if (code < 0x20) return 6;
	if (code < 0x80) return 1;
	if (code < 0x800) return 2;
	if (code >= 0xd800 && code <= 0xdfff) return 6;
	return 3;
}
