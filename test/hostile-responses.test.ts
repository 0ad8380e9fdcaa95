/**
 * Hostile responses: whatever Sonarly, a proxy or the network answers to a stop, every input
 * item ends up as exactly one defined output item (a success, or a clear failure on the error
 * output), the run never crashes, and the API key never shows up in any output item, error
 * message, description or serialised error. n8n's HTTP layer attaches the request (headers
 * included) to its errors, so every failure kind is also run with the default "stop the
 * workflow" setting and the thrown error is inspected whole.
 */
import nock from 'nock';
import { WorkflowExecute } from 'n8n-core';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { resetPacing } from '../nodes/Sonarly/transport/pacing';
import { BASE_URL, TEST_API_KEY, runSonarly, type OnError, type RunResult } from './harness/engine';
import { campaign } from './support/fixtures';
import { useNock } from './support/sonarly';

const GROUP = '64a1f0000000000000000001';
/** The Timeout option of the case that must time out; every other case gets ten seconds. */
const TIMEOUT_MS = 300;
const GENEROUS_TIMEOUT_MS = 20_000;

jest.setTimeout(120_000);

useNock();

const ok = (id: string, extra: IDataObject = {}) => ({
	success: true,
	data: { campaign: campaign(id), instancesStopped: 3 },
	error: null,
	traceId: `trace-${id}`,
	...extra,
});
const failed = (code: string, message: string, details: unknown = null, traceId = 'trace-err') => ({
	success: false,
	data: null,
	error: { code, message, details },
	traceId,
});
const html = (text: string) =>
	`<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><pre>${text}</pre></body></html>`;

/** What a case's item must become. `maybeSent` failures must say the stop may have happened. */
type Expected = 'success' | 'failure';

interface ResponseCase {
	label: string;
	expect: Expected;
	/** Sets up the mocked answer for this case's route. */
	mock: (interceptor: nock.Interceptor, id: string) => nock.Scope;
	/** A pattern the failure message must match (it is always checked to be non-empty). */
	message?: RegExp;
	/** The body itself has a `headers` field (Sonarly echoing the request). */
	bodyHasHeaders?: true;
	/**
	 * A 429: the node holds every later request of the execution until Sonarly's wait is
	 * over, so these run one per execution instead of in the shared batch.
	 */
	rateLimited?: true;
	/** Provably never reached Sonarly: the node may send it again (a few times at most). */
	neverSent?: true;
	/** Options → Timeout for this case's item. */
	timeoutMs?: number;
}

const reply =
	(status: number, body?: nock.Body, headers?: Record<string, string>) =>
	(interceptor: nock.Interceptor) =>
		interceptor.reply(status, body, headers);
const json = { 'Content-Type': 'application/json' };
const htmlType = { 'Content-Type': 'text/html; charset=utf-8' };

const STATUS_MESSAGES: Record<number, RegExp> = {
	400: /^Sonarly rejected the request to stop the campaign as invalid/,
	401: /^Sonarly did not accept the API key/,
	403: /^The API key is not allowed to stop the campaign/,
	404: /^The account group or campaign was not found/,
	409: /^The campaign is not active/,
	429: /^Sonarly's rate limit (was reached|did not clear)/,
	500: /^Sonarly failed \(HTTP 500\).*may or may not have happened/,
	502: /^Sonarly failed \(HTTP 502\).*may or may not have happened/,
	503: /^Sonarly failed \(HTTP 503\).*may or may not have happened/,
};
const STATUSES = Object.keys(STATUS_MESSAGES).map(Number);
const rateLimitedIf = (status: number): Partial<ResponseCase> =>
	status === 429 ? { rateLimited: true } : {};

/**
 * An enormous body: thousands of times the longest text a failure shows. (5 MB bodies proved
 * nothing more and raised this file's peak memory from 478 MB to 707 MB.)
 */
const ONE_MB = 1024 * 1024;

/**
 * A socket-level error as Node raises it. (nock 14 crashes inside its interceptor on a plain
 * object passed to replyWithError, so it gets a real Error.)
 */
function netError(code: string, message: string, extra: IDataObject = {}): Error {
	return Object.assign(new Error(message), { code }, extra);
}

const CASES: ResponseCase[] = [
	// Every documented status, with the documented envelope and with bodies that are not JSON.
	...STATUSES.map(
		(status): ResponseCase => ({
			label: `HTTP ${status}, documented envelope`,
			...rateLimitedIf(status),
			expect: 'failure',
			message: STATUS_MESSAGES[status],
			mock: reply(status, failed('SOME_CODE', `status ${status}`), json),
		}),
	),
	...STATUSES.map(
		(status): ResponseCase => ({
			label: `HTTP ${status}, HTML page`,
			...rateLimitedIf(status),
			expect: 'failure',
			message: STATUS_MESSAGES[status],
			mock: reply(status, html('upstream went away'), htmlType),
		}),
	),
	...STATUSES.map(
		(status): ResponseCase => ({
			label: `HTTP ${status}, empty body`,
			...rateLimitedIf(status),
			expect: 'failure',
			message: STATUS_MESSAGES[status],
			mock: reply(status, ''),
		}),
	),
	...STATUSES.map(
		(status): ResponseCase => ({
			label: `HTTP ${status}, invalid JSON`,
			...rateLimitedIf(status),
			expect: 'failure',
			message: STATUS_MESSAGES[status],
			mock: reply(status, '{"success": false, "error": {"code": "X", ', json),
		}),
	),

	// 2xx that are not the documented success envelope.
	{
		label: '200 with success: false',
		expect: 'failure',
		mock: reply(200, failed('CONFLICT', 'not active'), json),
	},
	{
		label: '200 with no data',
		expect: 'failure',
		mock: reply(200, { success: true, error: null, traceId: 't' }, json),
	},
	{
		label: '200 with data: null',
		expect: 'failure',
		mock: reply(200, { success: true, data: null, error: null, traceId: 't' }, json),
	},
	{
		label: '200 with data as a list',
		expect: 'failure',
		mock: reply(200, { success: true, data: [campaign('x')], traceId: 't' }, json),
	},
	{
		label: '200 with data as text',
		expect: 'failure',
		mock: reply(200, { success: true, data: 'stopped', traceId: 't' }, json),
	},
	{
		label: '200 with success missing',
		expect: 'failure',
		mock: reply(200, { data: { campaign: campaign('x') }, traceId: 't' }, json),
	},
	{
		label: '200 with success as a string',
		expect: 'failure',
		mock: reply(200, { success: 'true', data: { campaign: campaign('x') } }, json),
	},
	{
		label: '200 with an HTML page',
		expect: 'failure',
		mock: reply(200, html('Welcome to nginx'), htmlType),
	},
	{
		label: '200 with invalid JSON',
		expect: 'failure',
		mock: reply(200, '{"success": true, "data": {', json),
	},
	{ label: '200 with JSON that is a list', expect: 'failure', mock: reply(200, '[1, 2, 3]', json) },
	{
		label: '200 with JSON that is a string',
		expect: 'failure',
		mock: reply(200, '"stopped"', json),
	},
	{ label: '200 with JSON null', expect: 'failure', mock: reply(200, 'null', json) },
	{ label: '200 with an empty body', expect: 'failure', mock: reply(200, '') },
	{ label: '204 No Content', expect: 'failure', mock: reply(204) },
	{
		label: '200 with a JSON body labelled text/plain',
		expect: 'success',
		mock: (i, id) => i.reply(200, JSON.stringify(ok(id)), { 'Content-Type': 'text/plain' }),
	},

	// Envelopes with extra or missing fields.
	{
		label: 'envelope with extra fields everywhere',
		expect: 'success',
		mock: (i, id) =>
			i.reply(
				200,
				{
					...ok(id),
					meta: { page: 1 },
					warnings: ['x'],
					data: {
						campaign: { ...campaign(id), futureField: { a: 1 } },
						instancesStopped: 3,
						alsoNew: true,
					},
				},
				json,
			),
	},
	{
		label: 'envelope without traceId',
		expect: 'success',
		mock: (i, id) =>
			i.reply(
				200,
				{ success: true, data: { campaign: campaign(id), instancesStopped: 1 }, error: null },
				json,
			),
	},
	{
		label: 'envelope without error',
		expect: 'success',
		mock: (i, id) =>
			i.reply(
				200,
				{ success: true, data: { campaign: campaign(id), instancesStopped: 1 }, traceId: 't' },
				json,
			),
	},
	{
		label: 'envelope with a non-string traceId',
		expect: 'success',
		mock: (i, id) => i.reply(200, { ...ok(id), traceId: { nested: true } }, json),
	},
	{
		label: 'data without campaign or instancesStopped',
		expect: 'success',
		mock: reply(200, { success: true, data: {}, error: null, traceId: 't' }, json),
	},
	{
		label: '400 with error.details as a string',
		expect: 'failure',
		message: STATUS_MESSAGES[400],
		mock: reply(400, failed('VALIDATION_ERROR', 'bad id', 'campaignId: not an ObjectId'), json),
	},
	{
		label: '400 with error.details as an object',
		expect: 'failure',
		message: STATUS_MESSAGES[400],
		mock: reply(
			400,
			failed('VALIDATION_ERROR', 'bad id', { field: 'campaignId', rules: ['objectId'] }),
			json,
		),
	},
	{
		label: '400 with error.details null',
		expect: 'failure',
		message: STATUS_MESSAGES[400],
		mock: reply(400, failed('VALIDATION_ERROR', 'bad id', null), json),
	},
	{
		label: '400 with error.details a list',
		expect: 'failure',
		message: STATUS_MESSAGES[400],
		mock: reply(400, failed('VALIDATION_ERROR', 'bad id', [{ path: 'id' }]), json),
	},
	{
		label: '400 with error as a string',
		expect: 'failure',
		message: STATUS_MESSAGES[400],
		mock: reply(400, { success: false, data: null, error: 'bad request', traceId: 't' }, json),
	},
	{
		label: '400 with error: null',
		expect: 'failure',
		message: STATUS_MESSAGES[400],
		mock: reply(400, { success: false, data: null, error: null }, json),
	},
	{
		label: '409 with non-string code and message',
		expect: 'failure',
		message: STATUS_MESSAGES[409],
		mock: reply(
			409,
			{ success: false, error: { code: 42, message: { text: 'no' }, details: 7 } },
			json,
		),
	},
	{
		label: '400 with deeply nested details',
		expect: 'failure',
		message: STATUS_MESSAGES[400],
		mock: reply(
			400,
			`{"success":false,"data":null,"error":{"code":"X","message":"deep","details":${'['.repeat(5000)}${']'.repeat(5000)}},"traceId":"t"}`,
			json,
		),
	},

	// Enormous bodies.
	{
		label: '200 with a 1 MB success body',
		expect: 'success',
		mock: (i, id) =>
			i.reply(
				200,
				{
					...ok(id),
					data: {
						campaign: { ...campaign(id), description: 'd'.repeat(ONE_MB) },
						instancesStopped: 1,
					},
				},
				json,
			),
	},
	{
		label: '502 with a 1 MB HTML page',
		expect: 'failure',
		message: STATUS_MESSAGES[502],
		mock: reply(502, html('x'.repeat(ONE_MB)), htmlType),
	},
	{
		label: '400 with 1 MB of error.details',
		expect: 'failure',
		message: STATUS_MESSAGES[400],
		mock: reply(400, failed('VALIDATION_ERROR', 'too much', 'z'.repeat(ONE_MB)), json),
	},
	{
		label: '400 with a 1 MB error.message',
		expect: 'failure',
		message: STATUS_MESSAGES[400],
		mock: reply(400, failed('VALIDATION_ERROR', 'word '.repeat(ONE_MB / 5)), json),
	},
	{
		label: '409 with a 1 MB traceId',
		expect: 'failure',
		message: STATUS_MESSAGES[409],
		mock: reply(409, failed('CONFLICT', 'no', null, 't'.repeat(1024 * 1024)), json),
	},
	{
		label: '400 with the key right at the quoting limit',
		expect: 'failure',
		message: STATUS_MESSAGES[400],
		mock: reply(400, failed('X', `${'w '.repeat(247)}${TEST_API_KEY} and more`), json),
	},

	// Bodies that echo the API key back.
	{
		label: '401 echoing the key in error.message',
		expect: 'failure',
		message: STATUS_MESSAGES[401],
		mock: reply(401, failed('UNAUTHORIZED', `API key ${TEST_API_KEY} is revoked`), json),
	},
	{
		label: '400 echoing the key in error.message',
		expect: 'failure',
		message: STATUS_MESSAGES[400],
		mock: reply(
			400,
			failed('VALIDATION_ERROR', `Invalid header Authorization: Bearer ${TEST_API_KEY}`),
			json,
		),
	},
	{
		label: '403 echoing the key in error.details (string)',
		expect: 'failure',
		message: STATUS_MESSAGES[403],
		mock: reply(
			403,
			failed('FORBIDDEN', 'missing permission', `key=${TEST_API_KEY}; scopes=campaigns:read`),
			json,
		),
	},
	{
		label: '404 echoing the key in error.details (object)',
		expect: 'failure',
		message: STATUS_MESSAGES[404],
		bodyHasHeaders: true,
		mock: reply(
			404,
			failed('NOT_FOUND', 'no such campaign', {
				request: { headers: { authorization: `Bearer ${TEST_API_KEY}` } },
				keys: [TEST_API_KEY],
				[TEST_API_KEY]: 'as a key',
			}),
			json,
		),
	},
	{
		label: '409 echoing the key in error.code and traceId',
		expect: 'failure',
		message: STATUS_MESSAGES[409],
		mock: reply(
			409,
			failed(`CONFLICT_${TEST_API_KEY}`, 'not active', null, `trace-${TEST_API_KEY}`),
			json,
		),
	},
	{
		label: '500 echoing the key everywhere',
		expect: 'failure',
		message: STATUS_MESSAGES[500],
		mock: reply(500, failed(TEST_API_KEY, TEST_API_KEY, TEST_API_KEY, TEST_API_KEY), json),
	},
	{
		label: '502 HTML page echoing the request headers',
		expect: 'failure',
		message: STATUS_MESSAGES[502],
		mock: reply(
			502,
			html(`POST /v1/... HTTP/1.1\nAuthorization: Bearer ${TEST_API_KEY}\nHost: api.sonarly.io`),
			htmlType,
		),
	},
	{
		label: '200 success:false echoing the key',
		expect: 'failure',
		mock: reply(200, failed('X', `bad key ${TEST_API_KEY}`, { key: TEST_API_KEY }), json),
	},
	{
		label: '200 success echoing the key in the campaign',
		expect: 'success',
		mock: (i, id) =>
			i.reply(
				200,
				ok(id, {
					data: {
						campaign: { ...campaign(id), name: `Owner key ${TEST_API_KEY}` },
						instancesStopped: 1,
					},
				}),
				json,
			),
	},
	{
		label: '400 echoing the URL-encoded key',
		expect: 'failure',
		message: STATUS_MESSAGES[400],
		mock: reply(400, failed('X', `bad key ${encodeURIComponent(TEST_API_KEY)}`), json),
	},

	// Retry-After junk on 429.
	...[
		'soon',
		'-5',
		'1.5',
		'1e3',
		'99999999999999999999999',
		'9'.repeat(400),
		'Sat, 01 Jan 9999 00:00:00 GMT',
		'Tue, 99 Foo 2026 25:61:61 GMT',
		'',
		'   ',
		'10, 20',
		'x'.repeat(10_000),
		'Thu, 01 Jan 1970 00:00:00 GMT',
		'0',
	].map(
		(retryAfter): ResponseCase => ({
			label: `429 with Retry-After ${JSON.stringify(retryAfter.slice(0, 30))}`,
			rateLimited: true,
			expect: 'failure',
			message: STATUS_MESSAGES[429],
			mock: reply(429, failed('RATE_LIMITED', 'slow down'), { ...json, 'Retry-After': retryAfter }),
		}),
	),

	// Redirects without a location.
	...[301, 302, 303, 307, 308].map(
		(status): ResponseCase => ({
			label: `${status} without Location`,
			expect: 'failure',
			mock: reply(status, ''),
		}),
	),

	// No HTTP answer at all.
	{
		label: 'connection refused',
		neverSent: true,
		expect: 'failure',
		message: /^Could not connect to Sonarly/,
		mock: (i) =>
			i.replyWithError(
				netError('ECONNREFUSED', `connect ECONNREFUSED (Authorization: Bearer ${TEST_API_KEY})`),
			),
	},
	{
		label: 'host not found',
		neverSent: true,
		expect: 'failure',
		message: /^Could not connect to Sonarly/,
		mock: (i) => i.replyWithError(netError('ENOTFOUND', 'getaddrinfo ENOTFOUND api.sonarly.io')),
	},
	{
		label: 'connection reset',
		expect: 'failure',
		message: /may or may not have happened/,
		mock: (i) => i.replyWithError(netError('ECONNRESET', 'socket hang up')),
	},
	{
		label: 'socket hang up without a code',
		expect: 'failure',
		message: /may or may not have happened/,
		mock: (i) => i.replyWithError('socket hang up'),
	},
	{
		label: 'error carrying the request headers',
		expect: 'failure',
		message: /may or may not have happened/,
		mock: (i) =>
			i.replyWithError(
				netError('EPIPE', 'write EPIPE', {
					config: { headers: { Authorization: `Bearer ${TEST_API_KEY}` } },
				}),
			),
	},
	{
		label: 'timeout',
		timeoutMs: TIMEOUT_MS,
		expect: 'failure',
		message: new RegExp(
			`^Sonarly did not answer within ${TIMEOUT_MS} ms: the stop may or may not have happened`,
		),
		mock: (i, id) => i.delay(TIMEOUT_MS * 4).reply(200, ok(id), json),
	},
	{
		label: 'ETIMEDOUT from the socket',
		expect: 'failure',
		message: /^Sonarly did not answer within/,
		mock: (i) => i.replyWithError(netError('ETIMEDOUT', 'connect ETIMEDOUT')),
	},
	{
		label: 'request cancelled under the node',
		expect: 'failure',
		message: /cancelled.*may or may not have happened/,
		mock: (i) => i.replyWithError(netError('ERR_CANCELED', 'canceled', { name: 'CanceledError' })),
	},
];

const caseId = (index: number) => `case-${index}`;
const stopPath = (id: string) => `/v1/accounts/${GROUP}/campaigns/${id}/stop`;

/** Mounts every case on its own route; returns how often each route was called. */
function mountCases(cases: ResponseCase[], offset = 0): number[] {
	const calls = cases.map(() => 0);
	cases.forEach((c, index) => {
		const id = caseId(offset + index);
		const interceptor = nock(BASE_URL).post(stopPath(id));
		// A request that never reached Sonarly may be sent again: it fails the same way each time.
		if (c.neverSent) interceptor.times(10);
		const scope = c.mock(interceptor, id);
		scope.on('request', () => calls[index]++);
	});
	return calls;
}

interface RunCasesOptions {
	onError?: OnError;
	offset?: number;
	/** Options → Max Rate Limit Wait; 0 makes a 429 final at once. */
	maxRateLimitWait?: number;
}

async function runCases(cases: ResponseCase[], options: RunCasesOptions = {}): Promise<RunResult> {
	const { onError, offset = 0, maxRateLimitWait = 0 } = options;
	const calls = mountCases(cases, offset);
	const result = await runSonarly({
		items: cases.map((c, index) => ({
			row: offset + index,
			label: c.label,
			campaignId: caseId(offset + index),
			timeout: c.timeoutMs ?? GENEROUS_TIMEOUT_MS,
		})),
		parameters: {
			accountGroupId: GROUP,
			campaignId: { __rl: true, mode: 'id', value: '={{ $json.campaignId }}' },
			options: { timeout: '={{ $json.timeout }}', maxRateLimitWait },
		},
		onError,
	});
	// Every case's route was called, and only a request that never got through more than once.
	cases.forEach((c, index) => {
		const expected = c.neverSent
			? calls[index] >= 1 && calls[index] <= 10
				? calls[index]
				: 'between 1 and 10'
			: 1;
		expect({ label: c.label, calls: calls[index] }).toEqual({ label: c.label, calls: expected });
	});
	return result;
}

// ---------------------------------------------------------------------------------------
// Leak detection: every string reachable from a value, own non-enumerable properties
// (message, stack, cause) and getters included, cycles cut.

function collectStrings(root: unknown, limit = 200_000): string[] {
	const strings: string[] = [];
	const seen = new Set<object>();
	const stack: unknown[] = [root];
	while (stack.length > 0 && strings.length < limit) {
		const value = stack.pop();
		if (typeof value === 'string') {
			strings.push(value);
			continue;
		}
		if (typeof value !== 'object' || value === null || seen.has(value)) continue;
		seen.add(value);
		for (const key of Object.getOwnPropertyNames(value)) {
			strings.push(key);
			let child: unknown;
			try {
				child = (value as Record<string, unknown>)[key];
			} catch {
				continue;
			}
			stack.push(child);
		}
	}
	return strings;
}

/** Enough of the key to tell a fragment of it from ordinary text. */
const KEY_FRAGMENT = TEST_API_KEY.slice(0, 6);

/** A bearer token that was not masked. */
const UNMASKED_BEARER = /bearer\s+(?!\[redacted\])[^\s"'<]/i;

/** The key, or an Authorization header's value, anywhere in what the run left behind. */
function leaks(value: unknown): string[] {
	return collectStrings(value)
		.filter((text) => text.includes(KEY_FRAGMENT) || UNMASKED_BEARER.test(text))
		.map((text) => (text.length > 200 ? `${text.slice(0, 200)}…` : text));
}

function expectNoLeak(result: RunResult) {
	expect(leaks(result.success)).toEqual([]);
	expect(leaks(result.errors)).toEqual([]);
	expect(leaks(result.error)).toEqual([]);
	expect(leaks(result.run.data.resultData)).toEqual([]);
	const serialised = JSON.stringify(result.run.data.resultData);
	expect(serialised.includes(KEY_FRAGMENT)).toBe(false);
	expect(UNMASKED_BEARER.test(serialised)).toBe(false);
}

const rowOf = (item: INodeExecutionData) => (item.pairedItem as { item: number }).item;

/** Longest message and description a failure may show (Sonarly's own text is quoted, clipped). */
const MAX_MESSAGE = 300;
const MAX_DESCRIPTION = 2000;

function checkFailureText(label: string, message: unknown, description: unknown, pattern?: RegExp) {
	const text = `${String(message)} | ${String(description)}`;
	expect({ label, length: String(message).length <= MAX_MESSAGE }).toEqual({ label, length: true });
	expect({ label, length: String(description).length <= MAX_DESCRIPTION }).toEqual({
		label,
		length: true,
	});
	expect({ label, ok: typeof message === 'string' && message.length > 0 }).toEqual({
		label,
		ok: true,
	});
	expect({ label, ok: typeof description === 'string' && description.length > 0 }).toEqual({
		label,
		ok: true,
	});
	expect({
		label,
		// No placeholder or machine value a person cannot read (1e+23 seconds, Infinity, NaN).
		text: /undefined|\[object Object\]|NaN|Infinity|null seconds|\de[+-]\d/.test(text)
			? text
			: 'clean',
	}).toEqual({
		label,
		text: 'clean',
	});
	if (pattern)
		expect({ label, message }).toEqual({ label, message: expect.stringMatching(pattern) });
}

const BATCH = CASES.filter((c) => !c.rateLimited);
const RATE_LIMITED = CASES.filter((c) => c.rateLimited);

function checkOneItemEach(cases: ResponseCase[], result: RunResult, offset = 0) {
	expect(result.error).toBeUndefined();
	expect(result.success.length + result.errors.length).toBe(cases.length);
	const rows = [...result.success, ...result.errors].map(rowOf).sort((a, b) => a - b);
	expect(rows).toEqual(cases.map((_, index) => index));

	for (const item of result.success) {
		const { label, expect: expected } = cases[rowOf(item)];
		expect({ label, output: 'success' }).toEqual({ label, output: expected });
	}
	for (const item of result.errors) {
		const { label, expect: expected, message } = cases[rowOf(item)];
		expect({ label, output: 'failure' }).toEqual({ label, output: expected });
		expect(item.json.row).toBe(offset + rowOf(item));
		expect(item.json.label).toBe(label);
		const error = item.json.error as IDataObject;
		checkFailureText(label, error.message, error.description, message);
		expect(String(item.json.message).startsWith(String(error.message))).toBe(true);
	}
	expectNoLeak(result);
}

describe('hostile responses to a stop', () => {
	it(`${BATCH.length} kinds of answer in one run, "continue (using error output)": one defined item each, no key`, async () => {
		checkOneItemEach(BATCH, await runCases(BATCH, { onError: 'continueErrorOutput' }));
	});

	it(`${RATE_LIMITED.length} kinds of 429, one run each, "continue (using error output)": a defined failure, no key`, async () => {
		for (const [index, c] of RATE_LIMITED.entries()) {
			// Each run stands alone: pacing is shared per account in a process, and the previous
			// run's 429 would otherwise hold this one back (that sharing is pacing.test.ts's subject).
			resetPacing();
			checkOneItemEach(
				[c],
				await runCases([c], { onError: 'continueErrorOutput', offset: 1000 + index }),
				1000 + index,
			);
		}
	});

	it('429 with junk Retry-After, allowed to wait 1 s: resent once it may be, or a defined failure, quickly', async () => {
		const junk = RATE_LIMITED.filter((c) => c.label.startsWith('429 with Retry-After'));
		const started = Date.now();
		// All at once, each with its own API key: pacing is shared per account, and one case's
		// 429 would otherwise hold the others back (that sharing is pacing.test.ts's subject).
		const results = await Promise.all(
			junk.map(async (c, index) => {
				const id = caseId(2000 + index);
				let calls = 0;
				const scope = c.mock(nock(BASE_URL).post(stopPath(id)), id);
				scope.post(stopPath(id)).optionally().reply(200, ok(id));
				scope.on('request', () => calls++);
				const result = await runSonarly({
					items: [{ label: c.label, campaignId: id }],
					parameters: {
						accountGroupId: GROUP,
						campaignId: { __rl: true, mode: 'id', value: '={{ $json.campaignId }}' },
						options: { timeout: GENEROUS_TIMEOUT_MS, maxRateLimitWait: 1 },
					},
					onError: 'continueErrorOutput',
					credentials: { apiKey: `${TEST_API_KEY}${index}` },
				});
				return { label: c.label, calls, result };
			}),
		);
		// They wait side by side, each at most 1 s; the rest is margin for a busy machine.
		expect(Date.now() - started).toBeLessThan(1000 + 15_000);
		for (const { label, calls, result } of results) {
			expect({ label, calls: calls >= 1 && calls <= 2 }).toEqual({ label, calls: true });
			expect({ label, items: result.success.length + result.errors.length }).toEqual({
				label,
				items: 1,
			});
			for (const item of result.errors) {
				const error = item.json.error as IDataObject;
				checkFailureText(label, error.message, error.description, STATUS_MESSAGES[429]);
			}
			expectNoLeak(result);
		}
	});

	it('the same kinds with "continue (regular output)": one item each, in order, no key', async () => {
		const result = await runCases(BATCH, { onError: 'continueRegularOutput' });

		expect(result.error).toBeUndefined();
		expect(result.errors).toEqual([]);
		expect(result.success.map(rowOf)).toEqual(BATCH.map((_, index) => index));
		for (const item of result.success) {
			const { label, expect: expected } = BATCH[rowOf(item)];
			const failedItem = item.json.error !== undefined && item.json.campaign === undefined;
			expect({ label, output: failedItem ? 'failure' : 'success' }).toEqual({
				label,
				output: expected,
			});
		}
		expectNoLeak(result);
	});

	/** One run per case: the error that stops the workflow, serialised and walked whole. */
	it.each(CASES.map((c, index) => [c.label, index] as const))(
		'%s, stopping the workflow: a clear error, no key in it',
		async (_label, index) => {
			const c = CASES[index];
			const result = await runCases([c], { offset: index });

			expectNoLeak(result);
			if (c.expect === 'success') {
				expect(result.error).toBeUndefined();
				expect(result.success).toHaveLength(1);
				return;
			}
			expect(result.success).toEqual([]);
			const error = result.error as (Error & { description?: unknown }) | undefined;
			expect(error).toBeDefined();
			checkFailureText(c.label, error?.message, error?.description, c.message);
			const serialised = JSON.stringify(result.run.data.resultData.error);
			expect(serialised.includes(TEST_API_KEY)).toBe(false);
			expect(UNMASKED_BEARER.test(serialised)).toBe(false);
			// n8n's HTTP errors carry the request's headers: none of that may be in the error.
			if (!c.bodyHasHeaders) expect(/"headers"\s*:/i.test(serialised)).toBe(false);
		},
	);
});

describe('details survive, minus the key', () => {
	it('passes error.code, error.message, error.details and traceId through untouched when they hold no key', async () => {
		nock(BASE_URL)
			.post(stopPath('a'))
			.reply(400, failed('VALIDATION_ERROR', 'bad id', { field: 'campaignId' }, 'trace-a'))
			.post(stopPath('b'))
			.reply(403, failed('FORBIDDEN', 'nope', 'needs campaigns:execute', 'trace-b'));
		const result = await runSonarly({
			items: [{ campaignId: 'a' }, { campaignId: 'b' }],
			parameters: {
				accountGroupId: GROUP,
				campaignId: { __rl: true, mode: 'id', value: '={{ $json.campaignId }}' },
			},
			onError: 'continueErrorOutput',
		});
		expect(result.errors.map((item) => item.json.error)).toEqual([
			expect.objectContaining({
				httpCode: 400,
				code: 'VALIDATION_ERROR',
				apiMessage: 'bad id',
				details: { field: 'campaignId' },
				traceId: 'trace-a',
			}),
			expect.objectContaining({
				httpCode: 403,
				code: 'FORBIDDEN',
				apiMessage: 'nope',
				details: 'needs campaigns:execute',
				traceId: 'trace-b',
			}),
		]);
	});

	it('keeps what Sonarly said around an echoed key, with the key itself masked', async () => {
		nock(BASE_URL)
			.post(stopPath('a'))
			.reply(
				401,
				failed('UNAUTHORIZED', `API key ${TEST_API_KEY} is revoked`, {
					key: TEST_API_KEY,
					hint: 'rotate it',
				}),
			);
		const result = await runSonarly({
			items: [{ campaignId: 'a' }],
			parameters: {
				accountGroupId: GROUP,
				campaignId: { __rl: true, mode: 'id', value: '={{ $json.campaignId }}' },
			},
			onError: 'continueErrorOutput',
		});
		const error = result.errors[0]?.json.error as IDataObject;
		expect(error.apiMessage).toMatch(/^API key \S+ is revoked$/);
		expect(error.apiMessage).not.toContain(TEST_API_KEY);
		expect(error.details).toEqual({ key: expect.any(String), hint: 'rotate it' });
		expect(JSON.stringify(error)).not.toContain(TEST_API_KEY);
	});

	it('masks any key the credential holds, not just the test one', async () => {
		const otherKey = ['sk', 'live', 'Zq8vN2mK4pR7tX1w'].join('_');
		nock(BASE_URL)
			.post(stopPath('a'))
			.reply(400, failed('X', `bad ${otherKey}`, otherKey, otherKey));
		const result = await runSonarly({
			items: [{ campaignId: 'a' }],
			parameters: {
				accountGroupId: GROUP,
				campaignId: { __rl: true, mode: 'id', value: '={{ $json.campaignId }}' },
			},
			onError: 'continueErrorOutput',
			credentials: { apiKey: otherKey },
		});
		expect(result.errors).toHaveLength(1);
		expect(JSON.stringify(result.run.data.resultData)).not.toContain(otherKey);
	});
});

describe('redirects', () => {
	it('never carries the stop or the key to another host, and sends the stop at most once', async () => {
		const elsewhere: string[] = [];
		const record = function (this: nock.ReplyFnContext): nock.ReplyFnResult {
			elsewhere.push(
				`${this.req.method} ${this.req.path} auth=${String(this.req.headers.authorization)}`,
			);
			return [200, ok('x')];
		};
		const evil = nock('https://evil.example.com')
			.persist()
			.post(() => true)
			.reply(record)
			.get(() => true)
			.reply(record);
		const stops: string[] = [];
		const home = nock(BASE_URL)
			.persist()
			.post(/.*/)
			.reply(function () {
				stops.push(this.req.path);
				const id = this.req.path.split('/')[5];
				if (id === 'to-evil') return [307, '', { Location: 'https://evil.example.com/steal' }];
				if (id === 'to-evil-302') return [302, '', { Location: 'https://evil.example.com/steal' }];
				if (id === 'to-other-route') return [308, '', { Location: stopPath('someone-else') }];
				return [200, ok(id)];
			});
		const result = await runSonarly({
			items: [
				{ campaignId: 'to-evil' },
				{ campaignId: 'to-evil-302' },
				{ campaignId: 'to-other-route' },
			],
			parameters: {
				accountGroupId: GROUP,
				campaignId: { __rl: true, mode: 'id', value: '={{ $json.campaignId }}' },
			},
			onError: 'continueErrorOutput',
		});
		evil.persist(false);
		home.persist(false);

		// Redirects are never followed: nothing at all reaches the other host.
		expect(elsewhere).toEqual([]);
		expect(stops).toEqual([
			stopPath('to-evil'),
			stopPath('to-evil-302'),
			stopPath('to-other-route'),
		]);
		expect(result.success.length + result.errors.length).toBe(3);
		expectNoLeak(result);
	});
});

describe('cancelling the execution', () => {
	/**
	 * The harness awaits WorkflowExecute.run; wrapping it (same arity, so the harness still
	 * picks the right call signature for the n8n line) hands us the cancelable promise.
	 */
	it('turns the in-flight stop into a defined "may have happened" outcome, with no key anywhere', async () => {
		const prototype = WorkflowExecute.prototype as unknown as {
			run: (...args: unknown[]) => unknown;
		};
		const original = prototype.run;
		let running: { cancel: () => void } | undefined;
		const wrapped = function (this: unknown, ...args: unknown[]) {
			const promise = original.apply(this, args) as { cancel: () => void };
			running = promise;
			return promise;
		};
		Object.defineProperty(wrapped, 'length', { value: original.length });
		prototype.run = wrapped;

		let arrived = 0;
		const scope = nock(BASE_URL)
			.post(stopPath('slow'))
			.delay(10_000)
			.reply(200, ok('slow'))
			.post(stopPath('after'))
			.optionally()
			.reply(200, ok('after'));
		scope.on('request', () => {
			arrived++;
			running?.cancel();
		});
		try {
			const started = Date.now();
			const result = await runSonarly({
				items: [{ campaignId: 'slow' }, { campaignId: 'after' }],
				parameters: {
					accountGroupId: GROUP,
					campaignId: { __rl: true, mode: 'id', value: '={{ $json.campaignId }}' },
					// One at a time, so that the second item is still waiting when the cancel comes.
					options: { timeout: 30_000, concurrency: 1 },
				},
				onError: 'continueErrorOutput',
			});
			expect(arrived).toBe(1);
			// The answer would take 10 s: finishing well before proves the request was cut.
			expect(Date.now() - started).toBeLessThan(8_000);
			expectNoLeak(result);
			const all = [...result.success, ...result.errors];
			for (const item of all) expect(leaks(item)).toEqual([]);
			// Both items are kept, on the error output: the cut stop as "may have happened",
			// the one never sent as not sent.
			expect(result.success).toEqual([]);
			expect(result.errors.map(rowOf)).toEqual([0, 1]);
			for (const item of all) {
				expect(item.json.campaign).toBeUndefined();
				const message = String(item.json.message);
				if (rowOf(item) === 0) expect(message).toMatch(/cancelled.*may or may not have happened/);
				if (rowOf(item) === 1) expect(message).toMatch(/cancelled before this item was sent/);
			}
		} finally {
			prototype.run = original;
			// Drops nock's timer for the 10 s answer that nobody waits for any more.
			nock.abortPendingRequests();
		}
	});
});
