/**
 * Hostile input: whatever an expression hands the node as an account group or campaign ID,
 * and whatever is typed into the credential's Base URL, the node either refuses the item
 * (with an error naming the parameter and the item, sending nothing) or sends exactly one
 * POST to /v1/accounts/<seg>/campaigns/<seg>/stop whose segments decode back to the trimmed
 * input. It can never be steered to another route.
 *
 * About "the path on the wire": n8n's HTTP client (axios) builds the request line from
 * `new URL(url).pathname`, which resolves `.`/`..` segments (also `%2e` forms) before
 * sending; nock's interceptor parses the request line with the same WHATWG URL rules.
 * That normalisation is idempotent, so the path nock records is the path that was sent.
 * A dot segment anywhere would have removed a segment, which the exact six-segment match
 * below detects.
 */
import fc from 'fast-check';
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { BASE_URL, runSonarly, type RunResult } from './harness/engine';
import { BASE_URL_CASES } from './support/base-url-cases';

const STOP_ROUTE = /^\/v1\/accounts\/([^/?#]+)\/campaigns\/([^/?#]+)\/stop$/;

interface Sent {
	method: string;
	url: string;
	path: string;
}

/** Every request that reaches nock, matched or not, in order. */
let sent: Sent[] = [];
const recordUnmatched = (request: { method?: string; href?: string; path?: string }) => {
	sent.push({
		method: String(request.method),
		url: String(request.href),
		path: String(request.path),
	});
};

jest.setTimeout(120_000);

beforeAll(() => {
	nock.disableNetConnect();
	nock.emitter.on('no match', recordUnmatched);
});
beforeEach(() => {
	sent = [];
});
afterEach(() => nock.cleanAll());
afterAll(() => {
	nock.emitter.removeListener('no match', recordUnmatched);
	nock.enableNetConnect();
});

function byId(value: unknown): IDataObject {
	return { __rl: true, mode: 'id', value } as IDataObject;
}

function safeDecode(segment: string): string | null {
	try {
		return decodeURIComponent(segment);
	} catch {
		return null;
	}
}

/**
 * Answers every POST to `origin` like Sonarly would, echoing the decoded IDs and the request's
 * sequence number, so each output item can be tied to the one request made for it.
 */
function sonarlyEcho(origin: string, pathPrefix = '') {
	nock(origin)
		.persist()
		.post(() => true)
		.reply(function () {
			const path = this.req.path;
			const seq = sent.length;
			sent.push({ method: this.req.method, url: `${origin}${path}`, path });
			const route = STOP_ROUTE.exec(path.slice(pathPrefix.length));
			return [
				200,
				{
					success: true,
					data: {
						campaign: {
							id: route ? safeDecode(route[2]) : null,
							accountGroupId: route ? safeDecode(route[1]) : null,
							status: 'stopped',
						},
						instancesStopped: 1,
					},
					error: null,
					traceId: `trace-${seq}`,
				},
			];
		});
}

/** What a value looks like after the harness's JSON round trip (NaN → null, undefined → absent). */
function arrived(value: unknown): unknown {
	const json = JSON.stringify({ value });
	return (JSON.parse(json) as { value?: unknown }).value;
}

type Verdict = 'sent' | 'refused';

/**
 * What must happen to one ID value: sent when it can only ever name one path segment (and
 * is the ID the user meant), refused otherwise. Sonarly documents no ID format, so nothing
 * else is refused.
 */
function verdictFor(value: unknown): Verdict {
	if (typeof value === 'number') return Number.isSafeInteger(value) ? 'sent' : 'refused';
	if (typeof value !== 'string') return 'refused';
	const id = value.trim();
	if (id === '' || id === '.' || id === '..') return 'refused';
	// Control characters (NUL, line breaks, DEL, C1) and half of a surrogate pair.
	if ([...id].some((char) => char.charCodeAt(0) < 0x20 || (char.charCodeAt(0) >= 0x7f && char.charCodeAt(0) <= 0x9f)))
		return 'refused';
	if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(id)) return 'refused';
	return 'sent';
}

function expectedSegment(value: unknown): string {
	return typeof value === 'number' ? String(value) : String(value).trim();
}

interface IdCase {
	accountGroupId: unknown;
	campaignId: unknown;
}

async function runIdCases(cases: IdCase[]): Promise<RunResult> {
	sonarlyEcho(BASE_URL);
	return await runSonarly({
		items: cases.map((c, index) => ({
			index,
			ag: c.accountGroupId,
			cid: c.campaignId,
			keep: `input-${index}`,
		})),
		parameters: {
			accountGroupId: byId('={{ $json.ag }}'),
			campaignId: byId('={{ $json.cid }}'),
			// Bounds a lost request (e.g. one over the mock layer's 16 KB limit) to 20 s.
			options: { timeout: 20_000 },
		},
		onError: 'continueErrorOutput',
	});
}

/**
 * The property itself: one output item per input item, each either refused with a clear
 * error and nothing sent for it, or tied to exactly one request on the stop route whose
 * segments decode to the trimmed input. Returns the per-item outcomes for extra checks.
 */
function checkIdOutcomes(cases: IdCase[], result: RunResult): Array<'sent' | 'refused'> {
	expect(result.error).toBeUndefined();
	const outcomes: Array<'sent' | 'refused' | undefined> = cases.map(() => undefined);
	const place = (index: unknown, outcome: 'sent' | 'refused') => {
		expect(typeof index).toBe('number');
		expect(outcomes[index as number]).toBeUndefined();
		outcomes[index as number] = outcome;
	};

	for (const item of result.errors) {
		const index = (item.pairedItem as { item: number }).item;
		place(index, 'refused');
		const message = String(item.json.message);
		// Names the parameter and the item up front, and keeps the input's fields.
		expect(message).toMatch(new RegExp(`^(Account Group|Campaign) \\(item ${index}\\) `));
		expect(message).not.toMatch(/undefined|\[object Object\]|URI malformed/);
		expect((item.json.error as IDataObject).httpCode).toBeNull();
		expect(item.json.index).toBe(index);
		expect(item.json.keep).toBe(`input-${index}`);
		const { accountGroupId, campaignId } = cases[index];
		const blamed = message.startsWith('Campaign') ? 'Campaign' : 'Account Group';
		if (verdictFor(arrived(accountGroupId)) === 'refused') expect(blamed).toBe('Account Group');
		if (verdictFor(arrived(accountGroupId)) === 'sent') expect(blamed).toBe('Campaign');
		if (blamed === 'Campaign') expect(verdictFor(arrived(campaignId))).not.toBe('sent');
	}

	// Each success carries the sequence number of the request that produced it (items may be
	// sent several at a time, so request order need not be item order).
	// A later item naming the same campaign shares the first one's request.
	const firsts = result.success.filter((item) => item.json.duplicateOfItem === undefined);
	expect(sent).toHaveLength(firsts.length);
	for (const item of result.success.filter((success) => success.json.duplicateOfItem !== undefined)) {
		const index = (item.pairedItem as { item: number }).item;
		place(index, 'sent');
		const first = cases[item.json.duplicateOfItem as number];
		expect([expectedSegment(arrived(cases[index].accountGroupId)), expectedSegment(arrived(cases[index].campaignId))]).toEqual([
			expectedSegment(arrived(first.accountGroupId)),
			expectedSegment(arrived(first.campaignId)),
		]);
	}
	const usedRequests = new Set<number>();
	for (const item of firsts) {
		const index = (item.pairedItem as { item: number }).item;
		place(index, 'sent');
		const seq = Number(String(item.json.traceId).replace(/^trace-/, ''));
		expect(usedRequests.has(seq)).toBe(false);
		usedRequests.add(seq);
		const request = sent[seq];
		expect(request.method).toBe('POST');
		expect(request.url.startsWith(`${BASE_URL}/v1/accounts/`)).toBe(true);
		const route = STOP_ROUTE.exec(request.path);
		expect(route).not.toBeNull();
		const { accountGroupId, campaignId } = cases[index];
		expect(safeDecode(route![1])).toBe(expectedSegment(arrived(accountGroupId)));
		expect(safeDecode(route![2])).toBe(expectedSegment(arrived(campaignId)));
	}

	outcomes.forEach((outcome, index) => {
		expect(outcome).toBeDefined();
		const ag = verdictFor(arrived(cases[index].accountGroupId));
		const campaign = verdictFor(arrived(cases[index].campaignId));
		if (ag === 'refused' || campaign === 'refused')
			expect({ index, outcome }).toEqual({ index, outcome: 'refused' });
		if (ag === 'sent' && campaign === 'sent')
			expect({ index, outcome }).toEqual({ index, outcome: 'sent' });
	});
	return outcomes as Array<'sent' | 'refused'>;
}

const GOOD_GROUP = '64a1f0000000000000000001';
const GOOD_CAMPAIGN = '507f1f77bcf86cd799439011';

/** The named hostile values, with what must happen where the answer is not a matter of policy. */
const NAMED_VALUES: Array<{ label: string; value: unknown; expect: Verdict }> = [
	{ label: 'a 24-hex id', value: GOOD_CAMPAIGN, expect: 'sent' },
	{ label: '..', value: '..', expect: 'refused' },
	{ label: '.', value: '.', expect: 'refused' },
	{ label: ' .. (padded)', value: '  ..\t', expect: 'refused' },
	{ label: '...', value: '...', expect: 'sent' },
	{ label: '%2e%2e', value: '%2e%2e', expect: 'sent' },
	{ label: '%2E%2e', value: '%2E%2e', expect: 'sent' },
	{ label: '%2e', value: '%2e', expect: 'sent' },
	{ label: '.%2e', value: '.%2e', expect: 'sent' },
	{ label: '%252e%252e', value: '%252e%252e', expect: 'sent' },
	{ label: '/', value: '/', expect: 'sent' },
	{ label: '../../admin', value: '../../admin', expect: 'sent' },
	{ label: 'a/../b', value: 'a/../b', expect: 'sent' },
	{ label: '\\', value: '\\', expect: 'sent' },
	{ label: '..\\..', value: '..\\..', expect: 'sent' },
	{ label: '?', value: '?', expect: 'sent' },
	{ label: 'x?dryRun=false', value: 'x?dryRun=false', expect: 'sent' },
	{ label: '#', value: '#', expect: 'sent' },
	{ label: 'x#frag', value: 'x#frag', expect: 'sent' },
	{ label: '%', value: '%', expect: 'sent' },
	{ label: '%zz', value: '%zz', expect: 'sent' },
	{ label: '%00', value: '%00', expect: 'sent' },
	{ label: '%2F', value: '%2F', expect: 'sent' },
	{ label: 'inner spaces', value: 'acme sales eu', expect: 'sent' },
	{ label: 'spaces only', value: '   ', expect: 'refused' },
	{ label: 'empty', value: '', expect: 'refused' },
	{ label: 'unicode', value: 'café-Ω-中文', expect: 'sent' },
	{ label: 'emoji', value: '😀👩‍👩‍👧', expect: 'sent' },
	{ label: 'fullwidth dots', value: '．．', expect: 'sent' },
	{ label: 'NUL', value: 'a\u0000b', expect: 'refused' },
	{ label: 'newline inside', value: 'a\nb', expect: 'refused' },
	{ label: 'CRLF header injection', value: 'a\r\nX-Evil: 1', expect: 'refused' },
	{ label: 'DEL', value: 'a\u007fb', expect: 'refused' },
	{ label: 'C1 NEL', value: 'a\u0085b', expect: 'refused' },
	{ label: 'zero-width space', value: '\u200b', expect: 'sent' },
	{ label: 'BOM around ..', value: '\ufeff..\ufeff', expect: 'refused' },
	{ label: 'lone high surrogate', value: 'ab\ud800', expect: 'refused' },
	{ label: 'lone low surrogate', value: '\udc00', expect: 'refused' },
	{ label: 'expression-looking text', value: '={{ $json.x }}', expect: 'sent' },
	// Long values: the encoded request line must stay under 16 KB, the HTTP parser limit of the
	// mock layer (a longer one never reaches nock and the request just times out; a real server
	// answers 414). Hence 10 KB of ASCII, and a little less of what encodes to 3-12 bytes a character.
	{ label: '10 KB of x', value: 'x'.repeat(10 * 1024), expect: 'sent' },
	{ label: '10 KB of dots', value: '.'.repeat(10 * 1024), expect: 'sent' },
	{ label: '6 KB of ../ (10 KB encoded)', value: '../'.repeat(2048), expect: 'sent' },
	{ label: '4 KB of emoji (12 KB encoded)', value: '😀'.repeat(1000), expect: 'sent' },
	{ label: '10 KB of spaces then ..', value: `${' '.repeat(10 * 1024)}..`, expect: 'refused' },
	{ label: 'integer', value: 12345, expect: 'sent' },
	{ label: 'zero', value: 0, expect: 'sent' },
	{ label: 'negative float', value: -1.5, expect: 'refused' },
	{ label: 'huge number', value: 1e21, expect: 'refused' },
	{ label: 'true', value: true, expect: 'refused' },
	{ label: 'false', value: false, expect: 'refused' },
	{ label: 'null', value: null, expect: 'refused' },
	{ label: 'missing field', value: undefined, expect: 'refused' },
	{ label: 'object', value: { id: GOOD_CAMPAIGN }, expect: 'refused' },
	{ label: 'empty object', value: {}, expect: 'refused' },
	{ label: 'array of one id', value: [GOOD_CAMPAIGN], expect: 'refused' },
	{ label: 'empty array', value: [], expect: 'refused' },
];

describe('IDs from expressions: refused or sent to exactly the stop route', () => {
	it.each([
		[
			'Account Group',
			(value: unknown): IdCase => ({ accountGroupId: value, campaignId: GOOD_CAMPAIGN }),
		],
		['Campaign', (value: unknown): IdCase => ({ accountGroupId: GOOD_GROUP, campaignId: value })],
	])('every named hostile value as the %s', async (parameter, makeCase) => {
		const cases = NAMED_VALUES.map(({ value }) => makeCase(value));
		const result = await runIdCases(cases);
		const outcomes = checkIdOutcomes(cases, result);

		NAMED_VALUES.forEach(({ label, expect: verdict }, index) => {
			expect({ label, outcome: outcomes[index] }).toEqual({ label, outcome: verdict });
		});
		for (const item of result.errors)
			expect(String(item.json.message).startsWith(parameter)).toBe(true);
		// Not vacuous: most of these must go through and some must be refused.
		expect(outcomes.filter((outcome) => outcome === 'sent').length).toBeGreaterThan(10);
		expect(outcomes.filter((outcome) => outcome === 'refused').length).toBeGreaterThan(10);
	});

	it('says what is wrong: type, emptiness, dot segments', async () => {
		const cases: IdCase[] = [
			{ accountGroupId: { id: 'x' }, campaignId: GOOD_CAMPAIGN },
			{ accountGroupId: GOOD_GROUP, campaignId: ['x'] },
			{ accountGroupId: GOOD_GROUP, campaignId: true },
			{ accountGroupId: null, campaignId: GOOD_CAMPAIGN },
			{ accountGroupId: GOOD_GROUP, campaignId: '  ' },
			{ accountGroupId: '..', campaignId: GOOD_CAMPAIGN },
		];
		const result = await runIdCases(cases);
		checkIdOutcomes(cases, result);
		const messages = result.errors.map((item) => String(item.json.message));
		expect(messages).toEqual([
			expect.stringMatching(/^Account Group \(item 0\) must be text, but the value is an object/),
			expect.stringMatching(/^Campaign \(item 1\) must be text, but the value is a list/),
			expect.stringMatching(/^Campaign \(item 2\) must be text, but the value is a boolean/),
			expect.stringMatching(/^Account Group \(item 3\) must be text, but the value is null/),
			expect.stringMatching(/^Campaign \(item 4\) is empty/),
			expect.stringMatching(/^Account Group \(item 5\) cannot be "\.\."/),
		]);
		expect(sent).toEqual([]);
	});

	it('stops the workflow on a refused ID without sending anything when errors are not continued', async () => {
		sonarlyEcho(BASE_URL);
		const result = await runSonarly({
			items: [{ cid: '..' }],
			parameters: { accountGroupId: byId(GOOD_GROUP), campaignId: byId('={{ $json.cid }}') },
		});
		expect(result.error?.message).toMatch(/^Campaign \(item 0\) cannot be "\.\."/);
		expect(result.success).toEqual([]);
		expect(sent).toEqual([]);
	});

	/** Pieces that are known to confuse URL handling, joined into IDs. */
	const fragment = fc.constantFrom(
		'.',
		'..',
		'%2e',
		'%2E',
		'%2e%2e',
		'%2E%2e',
		'/',
		'\\',
		'?',
		'#',
		'%',
		'%%',
		'%zz',
		'%00',
		'%2f',
		'%5C',
		' ',
		'\t',
		'\n',
		'\r',
		'\u0000',
		'\u001f',
		'\u007f',
		'\u0085',
		'\u00a0',
		'\u2028',
		'\u200b',
		'\ufeff',
		'\u3000',
		'é',
		'ß',
		'中',
		'😀',
		'👩‍👩‍👧',
		'\ud800',
		'\udfff',
		'．',
		'。',
		'a',
		'Z',
		'0',
		'-',
		'_',
		'~',
		'+',
		'&',
		'=',
		';',
		':',
		'@',
		'$',
		',',
		'"',
		"'",
		'<',
		'>',
		'{{',
		'}}',
		'|',
		'^',
		'`',
		'[',
		']',
		'=',
	);
	const whitespace = fc.constantFrom(
		'',
		' ',
		'\t',
		'\n',
		'\u00a0',
		'\u2028',
		'\ufeff',
		'\u3000',
		'  \r\n ',
	);
	const idString = fc.oneof(
		{ arbitrary: fc.string({ unit: fragment, maxLength: 8 }), weight: 6 },
		{ arbitrary: fc.string({ unit: 'binary', maxLength: 16 }), weight: 3 },
		{ arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }), weight: 2 },
		{ arbitrary: fc.stringMatching(/^[0-9a-f]{24}$/), weight: 3 },
		{
			arbitrary: fc
				.tuple(whitespace, fc.constantFrom('.', '..', '...', '%2e%2e', './', '/..'), whitespace)
				.map((parts) => parts.join('')),
			weight: 2,
		},
		// Long values, kept under 7 KB once encoded so that two of them fit the mock layer's
		// 16 KB request-line limit (see the named cases).
		{
			arbitrary: fc
				.string({ unit: fragment, minLength: 400, maxLength: 1500 })
				.filter((value) => 3 * new TextEncoder().encode(value).length <= 7000),
			weight: 1,
		},
	);
	const otherType = fc.oneof(
		fc.integer(),
		fc.double(),
		fc.boolean(),
		fc.constant(null),
		fc.constant(undefined),
		fc.dictionary(
			fc.string({ maxLength: 4 }).filter((key) => key !== '__rl'),
			fc.string(),
			{ maxKeys: 3 },
		),
		fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 3 }),
	);
	const idValue = fc.oneof({ arbitrary: idString, weight: 5 }, { arbitrary: otherType, weight: 1 });

	it('holds for arbitrary values (property, many items per workflow run)', async () => {
		let runs = 0;
		await fc.assert(
			fc.asyncProperty(
				fc.array(fc.record({ accountGroupId: idValue, campaignId: idValue }), {
					minLength: 1,
					maxLength: 40,
				}),
				async (cases) => {
					nock.cleanAll();
					sent = [];
					runs++;
					checkIdOutcomes(cases, await runIdCases(cases));
				},
			),
			{ numRuns: 25 },
		);
		expect(runs).toBeGreaterThanOrEqual(25);
	});
});

// ---------------------------------------------------------------------------------------

const STOP_SUFFIX = `/v1/accounts/${GOOD_GROUP}/campaigns/${GOOD_CAMPAIGN}/stop`;

describe('the credential Base URL', () => {
	it.each(BASE_URL_CASES)(
		'$label: requests go exactly where they should, or nothing is sent',
		async ({ baseUrl, expect: expected }) => {
			for (const origin of [
				'https://api.sonarly.io',
				'https://proxy.example.com',
				'http://localhost:8080',
			]) {
				sonarlyEcho(origin);
			}
			const result = await runSonarly({
				items: [{ n: 1 }, { n: 2 }],
				parameters: { accountGroupId: byId(GOOD_GROUP), campaignId: byId(GOOD_CAMPAIGN) },
				onError: 'continueErrorOutput',
				credentials: { baseUrl: baseUrl as string },
			});
			expect(result.error).toBeUndefined();
			if ('base' in expected) {
				// Both items name the same campaign: one stop is sent for both.
				expect(sent.map((request) => `${request.method} ${request.url}`)).toEqual([
					`POST ${expected.base}${STOP_SUFFIX}`,
				]);
				expect(result.success.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
				expect(result.errors).toEqual([]);
			} else {
				expect(sent).toEqual([]);
				expect(result.success).toEqual([]);
				expect(result.errors.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
				for (const item of result.errors) {
					const message = String(item.json.message);
					expect(message).toMatch(/^The Base URL in the Sonarly API credential /);
					expect(message).toMatch(expected.refused);
					expect(message).not.toContain('pa55word');
					expect(item.json.n).toBeDefined();
				}
			}
		},
	);
});
