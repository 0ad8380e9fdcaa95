/**
 * The node's pure functions, tested once (they do not depend on the n8n engine line):
 * Base URL resolution, Retry-After and backoff, ID checks, redaction, paging, Limit.
 */
import { ExpressionError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { limit as limitParam } from '../../nodes/Sonarly/engine/common';
import { canonicalJson, sha256Hex } from '../../nodes/Sonarly/engine/idempotency';
import { describeItems } from '../../nodes/Sonarly/engine/output';
import { FAILURE_TABLE, resendWithSameKey } from '../../nodes/Sonarly/transport/classify';
import { readParams } from '../../nodes/Sonarly/engine/params';
import { unexpectedFailure } from '../../nodes/Sonarly/helpers/errors';
import { checkId } from '../../nodes/Sonarly/helpers/ids';
import {
	MAX_DEPTH,
	REDACTED,
	TOO_DEEP,
	redactFailure,
	redactValue,
} from '../../nodes/Sonarly/helpers/redact';
import { DEFAULT_BASE_URL, parseRetryAfter, resolveBaseUrl } from '../../nodes/Sonarly/transport';
import { failure, networkFailure, statusFailure } from '../../nodes/Sonarly/transport/failures';
import { listAll, type ListPage } from '../../nodes/Sonarly/transport/list';
import { backoffMs } from '../../nodes/Sonarly/transport/pacing';
import { BASE_URL_CASES } from '../support/base-url-cases';

describe('resolveBaseUrl', () => {
	it.each(BASE_URL_CASES)('$label: resolveBaseUrl', ({ baseUrl, expect: expected }) => {
		const resolved = resolveBaseUrl(baseUrl);
		if ('base' in expected) {
			expect(resolved).toEqual({ ok: true, value: expected.base });
		} else {
			expect(resolved.ok).toBe(false);
			if (!resolved.ok) {
				expect(resolved.failure.kind).toBe('input');
				expect(resolved.failure.message).toMatch(expected.refused);
				expect(`${resolved.failure.message} ${resolved.failure.description}`).not.toContain(
					'pa55word',
				);
			}
		}
	});

	it('resolveBaseUrl treats a non-text value like an empty field', () => {
		for (const value of [null, 42, {}, []]) {
			expect(resolveBaseUrl(value)).toEqual({ ok: true, value: DEFAULT_BASE_URL });
		}
	});
});

describe('parseRetryAfter', () => {
	const now = Date.parse('2026-12-01T12:00:00.000Z');

	it.each([
		['120', 120],
		[' 7 ', 7],
		['0', 0],
		['Tue, 01 Dec 2026 12:00:30 GMT', 30],
		['Tue, 01 Dec 2026 11:59:00 GMT', 0],
		['9'.repeat(400), 365 * 86_400],
	])('reads %p as %p seconds', (header, seconds) => {
		expect(parseRetryAfter(header, now)).toBe(seconds);
	});

	it.each([null, '', '  ', 'soon', '-5', '1.5'])('ignores %p', (header) => {
		expect(parseRetryAfter(header, now)).toBeNull();
	});
});

describe('backoffMs', () => {
	it('doubles from 1 s up to 30 s, each wait drawn between half and the whole step', () => {
		expect([0, 1, 2, 5, 10].map((attempt) => backoffMs(attempt, 1000, 30_000, () => 1))).toEqual([
			1000, 2000, 4000, 30_000, 30_000,
		]);
		expect([0, 1, 2].map((attempt) => backoffMs(attempt, 1000, 30_000, () => 0))).toEqual([500, 1000, 2000]);
	});
});

describe('checkId', () => {
	it.each([
		['  abc ', 'abc'],
		[12345, '12345'],
		[0, '0'],
		['a/b?c#d', 'a/b?c#d'],
		['café-Ω', 'café-Ω'],
	])('accepts %p as %p', (raw, id) => {
		expect(checkId(raw, 'Campaign', 0)).toEqual({ ok: true, value: id });
	});

	it.each([
		['', /is empty/],
		['   ', /is empty/],
		['..', /cannot be "\.\."/],
		[' . ', /cannot be "\."/],
		['a\u0000b', /control characters/],
		['a\r\nX-Evil: 1', /control characters/],
		['ab\ud800', /broken character/],
		[1e21, /whole number that JavaScript can hold exactly/],
		[-1.5, /whole number that JavaScript can hold exactly/],
		[2 ** 53 + 2, /whole number that JavaScript can hold exactly/],
		[Number.NaN, /whole number/],
		[null, /must be text, but the value is null/],
		[{ id: 'x' }, /must be text, but the value is an object/],
		[['x'], /must be text, but the value is a list/],
		[true, /must be text, but the value is a boolean/],
	])('refuses %p, naming the parameter and the item', (raw, message) => {
		const outcome = checkId(raw, 'Campaign', 4);
		expect(outcome.ok).toBe(false);
		expect(!outcome.ok && outcome.failure.message).toMatch(/^Campaign \(item 4\) /);
		expect(!outcome.ok && outcome.failure.message).toMatch(message);
	});
});

describe('unexpectedFailure', () => {
	it("keeps n8n's own words for n8n's errors", () => {
		const error = new ExpressionError("Referenced node doesn't exist", { description: 'Check the node name' });
		expect(unexpectedFailure(error)).toMatchObject({ message: "Referenced node doesn't exist", description: 'Check the node name' });
	});

	it('calls anything else a bug of the node, not of the workflow', () => {
		const outcome = unexpectedFailure(new TypeError('plan.ref is undefined'));
		expect(outcome.message).toBe('The Sonarly node failed unexpectedly: plan.ref is undefined');
		expect(outcome.description).toMatch(/^This is a bug in the node, not in your workflow/);
	});
});

describe('the failure catalogue', () => {
	const stop = {
		action: 'stop the campaign',
		permission: 'campaigns:execute',
		target: 'account group or campaign',
		safety: 'write' as const,
		noun: 'stop',
		conflict: { message: 'not active', description: 'nothing was changed.' },
	};
	const read = { action: 'get the campaign', permission: 'campaigns:read', target: 'campaign', safety: 'read' as const };

	it.each([
		// A 2xx whose envelope says success: false: for a write nobody knows what happened.
		[200, true],
		[303, true],
		[400, false],
		[404, false],
		[409, false],
		[429, false],
		[500, true],
		[502, true],
		[503, true],
	])('HTTP %i to a stop: may have acted = %p (never for a read)', (status, acted) => {
		expect(statusFailure(status, null, stop, null).mayHaveActed).toBe(acted);
		expect(statusFailure(status, null, read, null).mayHaveActed).toBe(false);
	});

	it('a network failure may have acted unless the request provably never left', () => {
		const withCode = (code: string) => Object.assign(new Error('x'), { code });
		expect(networkFailure(withCode('ECONNRESET'), stop, 'https://x', 5).mayHaveActed).toBe(true);
		expect(networkFailure(withCode('ECONNABORTED'), stop, 'https://x', 5).mayHaveActed).toBe(true);
		expect(networkFailure(withCode('ECONNREFUSED'), stop, 'https://x', 5).mayHaveActed).toBe(false);
		expect(networkFailure(withCode('ECONNRESET'), read, 'https://x', 5).mayHaveActed).toBe(false);
	});
});

describe('the redaction helper', () => {
	const key = ['sk', 'live', 'Zq8vN2mK4pR7tX1w'].join('_');

	it('masks every occurrence, in strings, nested values and object keys, and leaves the rest alone', () => {
		const value = {
			a: `x ${key} y ${key}`,
			list: [key, 1, true, null],
			[key]: { deep: `Bearer ${key}` },
			n: 3,
		};
		expect(redactValue(value, key)).toEqual({
			a: `x ${REDACTED} y ${REDACTED}`,
			list: [REDACTED, 1, true, null],
			[REDACTED]: { deep: `Bearer ${REDACTED}` },
			n: 3,
		});
		expect(value.a).toContain(key);
	});

	it('masks the trimmed and the URL-encoded forms of a key', () => {
		const spaced = ` ${key}+/=\n`;
		const text = `a ${spaced.trim()} b ${encodeURIComponent(spaced.trim())} c`;
		expect(redactValue(text, spaced)).toBe(`a ${REDACTED} b ${REDACTED} c`);
	});

	it('cuts nesting deeper than MAX_DEPTH, whether or not there is a key', () => {
		let deep: unknown = 'bottom';
		for (let level = 0; level < MAX_DEPTH + 10; level++) deep = [deep];
		const cut = redactValue(deep, undefined);
		let depth = 0;
		let cursor: unknown = cut;
		while (Array.isArray(cursor)) {
			cursor = cursor[0];
			depth++;
		}
		expect(depth).toBe(MAX_DEPTH);
		expect(cursor).toBe(TOO_DEEP);
		expect(() => JSON.stringify(cut)).not.toThrow();
	});

	it('does nothing with a missing, non-text or very short key', () => {
		for (const secret of [undefined, null, 42, '', 'abc']) {
			expect(redactValue({ a: 'abc 42' }, secret)).toEqual({ a: 'abc 42' });
		}
	});

	it('masks every field of a failure and the data of a success', () => {
		const masked = redactFailure(
			failure({
				message: `m ${key}`,
				description: `d ${key}`,
				code: key,
				apiMessage: `a ${key}`,
				details: { k: key },
				traceId: key,
				httpCode: 400,
			}),
			key,
		);
		expect(JSON.stringify(masked)).not.toContain(key);
		expect(masked.httpCode).toBe(400);
		expect(masked.message).toBe(`m ${REDACTED}`);
		const answer = { data: { name: key, other: { kept: 'x' } }, traceId: 't' };
		const masked2 = redactValue(answer, key);
		expect(masked2).toEqual({ data: { name: REDACTED, other: { kept: 'x' } }, traceId: 't' });
		// What had nothing to mask is shared, not copied (a clean page costs a scan).
		expect(masked2.data.other).toBe(answer.data.other);
		const clean = { items: [{ id: 'a' }, { id: 'b' }] };
		expect(redactValue(clean, key)).toBe(clean);
	});
});

describe('listAll', () => {
	const page = (items: IDataObject[], nextCursor: string | null): ListPage => ({ items, nextCursor });

	it('gives up with a readable failure when Sonarly never stops sending new cursors', async () => {
		const cursors: Array<string | undefined> = [];
		const result = await listAll(
			async (cursor) => {
				cursors.push(cursor);
				return { ok: true, value: page([{ id: cursors.length }], `c${cursors.length}`) };
			},
			{ maxPages: 3 },
		);

		expect(cursors).toEqual([undefined, 'c1', 'c2']);
		expect(result.ok).toBe(false);
		expect(!result.ok && result.failure.message).toBe(
			'Sonarly kept sending more pages after 3 pages, so the node stopped reading',
		);
	});

	it('passes a failed page through untouched', async () => {
		const failed = { ok: false as const, failure: failure({ message: 'x', description: 'y', httpCode: 500 }) };
		const result = await listAll(async (cursor) =>
			cursor === undefined ? { ok: true, value: page([{ id: 1 }], 'c1') } : failed,
		);

		expect(result).toBe(failed);
	});
});

const readLimit = (context: IExecuteFunctions, itemIndex: number) => {
	const read = readParams({ limit: limitParam }, context, itemIndex);
	return read.ok ? { ok: true as const, value: read.value.limit } : read;
};

describe('the Limit parameter', () => {
	/** A context holding only the given parameters: like n8n, it answers the fallback for the rest. */
	const contextWith = (parameters: IDataObject) =>
		({
			getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) =>
				name in parameters ? parameters[name] : fallback,
		}) as unknown as IExecuteFunctions;

	it.each([
		[{ returnAll: true }, null],
		[{ returnAll: true, limit: 3 }, null],
		[{ returnAll: false }, 50],
		[{}, 50],
		[{ returnAll: false, limit: 7 }, 7],
		[{ returnAll: false, limit: ' 12 ' }, 12],
	])('reads %j as %p', (parameters, expected) => {
		expect(readLimit(contextWith(parameters), 0)).toEqual({ ok: true, value: expected });
	});

	it.each([0, -1, 2.5, Number.NaN, '', 'ten', null, [5]])('refuses Limit %p', (limit) => {
		const outcome = readLimit(contextWith({ returnAll: false, limit }), 3);
		expect(outcome.ok).toBe(false);
		expect(!outcome.ok && outcome.failure).toMatchObject({
			kind: 'input',
			message: 'Limit (item 3) must be a whole number of at least 1',
		});
	});
});

describe('the default Idempotency-Key', () => {
	it.each([
		['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
		['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
		['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
	])('SHA-256 of %j is the standard one', (text, hex) => {
		expect(sha256Hex(text)).toBe(hex);
	});

	it('canonical JSON does not depend on key order', () => {
		expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}');
	});
});

describe('the failure table', () => {
	it('resends with the same key only keyed writes, and only after a failure that may have acted', () => {
		for (const [reason, rule] of Object.entries(FAILURE_TABLE)) {
			const key = reason as keyof typeof FAILURE_TABLE;
			expect(resendWithSameKey(key, 'keyedWrite')).toBe(rule.mayHaveActed && key !== 'redirect' && key !== 'cancelled');
			expect(resendWithSameKey(key, 'write')).toBe(false);
			expect(resendWithSameKey(key, 'read')).toBe(false);
		}
	});
});

describe('describeItems', () => {
	it('names runs of items and counts the rest after ten', () => {
		expect(describeItems([3])).toBe('Item 3');
		expect(describeItems([1, 3, 6, 7, 8, 9])).toBe('Items 1, 3 and 6 to 9');
		const every = Array.from({ length: 10_000 }, (_, index) => index * 2);
		const text = describeItems(every);
		expect(text).toBe('Items 0, 2, 4, 6, 8, 10, 12, 14, 16, 18 and 9990 more');
	});
});
