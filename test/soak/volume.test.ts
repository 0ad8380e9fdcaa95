/**
 * Volume: 10,000 items with mixed outcomes through n8n's real engine in one node run, with
 * "On Error: Continue (using error output)". No item may be lost, duplicated, reordered or
 * paired with the wrong input.
 */
import nock from 'nock';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runSonarly } from '../harness/engine';

const ITEM_COUNT = 10_000;
/** Half the items reach Sonarly (stopped, 404, 409), half are refused before any request. */
const KINDS = ['ok', 'notFound', 'dotSegment', 'conflict', 'empty', 'notText'] as const;
type Kind = (typeof KINDS)[number];
type FailedKind = Exclude<Kind, 'ok'>;

/** Values an expression can hand over that the node must refuse before sending. */
const INVALID_IDS: Partial<Record<Kind, unknown[]>> = {
	dotSegment: ['..', '.', ' .. '],
	empty: ['', '   ', '\t'],
	notText: [null, { id: 'x' }, ['x'], true],
};

// Plain http keeps nock's TLS emulation out of a test about item bookkeeping.
const ORIGIN = 'http://sonarly.test';
const GROUP = '64a1f0000000000000000001';

function inputItem(seq: number): Record<string, unknown> {
	const kind: Kind = KINDS[seq % KINDS.length];
	const invalid = INVALID_IDS[kind];
	const campaignId = invalid
		? invalid[Math.floor(seq / KINDS.length) % invalid.length]
		: `${kind}-${seq}`;
	return { seq, kind, campaignId, note: `row ${seq}` };
}

const pairedIndex = (item: INodeExecutionData) => (item.pairedItem as { item: number }).item;

beforeAll(() => nock.disableNetConnect());
afterAll(() => {
	nock.cleanAll();
	nock.enableNetConnect();
});

it(`keeps ${ITEM_COUNT} mixed items in order, each on the right output with the right pairedItem`, async () => {
	const requested: string[] = [];
	nock(ORIGIN)
		.persist()
		.post(/.*/)
		.reply(function () {
			const campaignId = decodeURIComponent(this.req.path.split('/')[5] ?? '');
			requested.push(campaignId);
			if (campaignId.startsWith('ok-')) {
				return [
					200,
					{
						success: true,
						data: { campaign: { id: campaignId, status: 'stopped' }, instancesStopped: 3 },
						error: null,
						traceId: `t-${campaignId}`,
					},
				];
			}
			const status = campaignId.startsWith('notFound-') ? 404 : 409;
			return [
				status,
				{
					success: false,
					data: null,
					error: {
						code: status === 404 ? 'NOT_FOUND' : 'CONFLICT',
						message: `no ${campaignId}`,
						details: null,
					},
					traceId: `t-${campaignId}`,
				},
			];
		});

	const items = Array.from({ length: ITEM_COUNT }, (_, seq) => inputItem(seq));
	const result = await runSonarly({
		items,
		parameters: {
			accountGroupId: GROUP,
			campaignId: { __rl: true, mode: 'id', value: '={{ $json.campaignId }}' },
			// Many requests in flight: the most room for answers to come back out of order.
			options: { concurrency: 10 },
		},
		onError: 'continueErrorOutput',
		credentials: { baseUrl: ORIGIN },
	});

	expect(result.error).toBeUndefined();
	expect(result.success.length + result.errors.length).toBe(ITEM_COUNT);

	// Exactly one request per sendable item (several may be in flight at once, so compared as
	// sets), nothing for the invalid ones.
	const sendable = items
		.filter((item) => !INVALID_IDS[item.kind as Kind])
		.map((item) => String(item.campaignId));
	expect(requested.length).toBe(sendable.length);
	expect(new Set(requested)).toEqual(new Set(sendable));

	// Checked item by item into a list of problems (one expect per item would dominate the run time).
	const problems: string[] = [];
	const seen = new Set<number>();
	const checkOrder = (output: INodeExecutionData[], name: string) => {
		let previous = -1;
		for (const item of output) {
			const index = pairedIndex(item);
			if (!(index > previous)) problems.push(`${name}: item ${index} comes after item ${previous}`);
			if (seen.has(index)) problems.push(`${name}: item ${index} is output twice`);
			previous = index;
			seen.add(index);
		}
	};
	checkOrder(result.success, 'success output');
	checkOrder(result.errors, 'error output');

	for (const item of result.success) {
		const index = pairedIndex(item);
		const input = items[index];
		const campaign = item.json.campaign as IDataObject | undefined;
		if (
			input?.kind !== 'ok' ||
			campaign?.id !== input.campaignId ||
			item.json.traceId !== `t-${String(input.campaignId)}`
		) {
			problems.push(
				`success output, item ${index} (${String(input?.kind)}): ${JSON.stringify(item.json)}`,
			);
		}
	}

	const expectedMessage: Record<FailedKind, (seq: number) => RegExp> = {
		notFound: () => /^The account group or campaign was not found/,
		conflict: () => /^The campaign is not active/,
		dotSegment: (seq) => new RegExp(`^Campaign \\(item ${seq}\\) cannot be "\\.{1,2}"`),
		empty: (seq) => new RegExp(`^Campaign \\(item ${seq}\\) is empty`),
		notText: (seq) => new RegExp(`^Campaign \\(item ${seq}\\) must be text`),
	};
	const expectedCode: Record<FailedKind, number | null> = {
		notFound: 404,
		conflict: 409,
		dotSegment: null,
		empty: null,
		notText: null,
	};
	for (const item of result.errors) {
		const index = pairedIndex(item);
		const input = items[index];
		const kind = input?.kind as Kind | undefined;
		const ok =
			kind !== undefined &&
			kind !== 'ok' &&
			// The engine merges the input item under the error: its fields survive.
			item.json.seq === index &&
			item.json.note === `row ${index}` &&
			item.json.kind === kind &&
			expectedMessage[kind](index).test(String(item.json.message)) &&
			(item.json.error as IDataObject | undefined)?.httpCode === expectedCode[kind];
		if (!ok)
			problems.push(`error output, item ${index} (${String(kind)}): ${JSON.stringify(item.json)}`);
	}

	expect(problems.slice(0, 20)).toEqual([]);
	expect(seen.size).toBe(ITEM_COUNT);
	expect(result.success).toHaveLength(items.filter((item) => item.kind === 'ok').length);
	expect(problems).toHaveLength(0);
	// About 25 s per engine on an idle 2-core machine; the margin is for a loaded one, where a
	// timed-out run would keep sending in the background and disturb the next test file.
}, 300_000);
