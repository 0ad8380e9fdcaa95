/**
 * The keyed-write class, through its first operation (Prospecting Job → Start): the request
 * that goes out, the Idempotency-Key and when the same key is sent again, Sonarly's replay,
 * and waiting for the job (completed, failed, deadline, cancelled), on both engine lines.
 */
import { TEST_API_KEY, runSonarly, type OnError } from './harness/engine';
import { ACCOUNT_GROUP_ID, byId, expectNoApiKey } from './support/fixtures';
import { fakeSonarly, ok, refused, useNock, type Reply, type SentRequest } from './support/sonarly';

useNock();

const BODY = { source: 'url_upload', profileUrls: ['https://www.linkedin.com/in/ada'] };
const JOB = { jobId: 'job-1', status: 'queued', createdAt: '2026-12-06T10:00:00.000Z' };

function startParameters(extra: Record<string, unknown> = {}, body: unknown = JSON.stringify(BODY)) {
	return {
		resource: 'prospectingJob',
		operation: 'start',
		accountGroupId: byId(ACCOUNT_GROUP_ID),
		jsonBody: body,
		...extra,
	};
}

const starts = (sent: SentRequest[]) => sent.filter((request) => request.method === 'POST');

async function start(answer: (request: SentRequest) => Reply, options: { parameters?: Record<string, unknown>; items?: Array<Record<string, unknown>>; onError?: OnError; retryOnFail?: { maxTries: number; waitBetweenTries: number }; cancelAfterMs?: number } = {}) {
	const sent = fakeSonarly(answer);
	const result = await runSonarly({
		items: options.items ?? [{ lead: 'ada' }],
		parameters: options.parameters ?? startParameters(),
		onError: options.onError ?? 'continueErrorOutput',
		retryOnFail: options.retryOnFail,
		cancelAfterMs: options.cancelAfterMs,
	});
	return { sent, result };
}

describe('Prospecting Job → Start: the request that goes out', () => {
	it('POSTs the JSON body to the prospecting route with the Bearer key and an Idempotency-Key', async () => {
		const { sent, result } = await start(() => ({ status: 202, body: ok(JOB, 'trace-start') }));

		expect(starts(sent)).toHaveLength(1);
		const [request] = starts(sent);
		expect(request.path).toBe(`/v1/accounts/${ACCOUNT_GROUP_ID}/prospecting`);
		expect(request.authorization).toBe(`Bearer ${TEST_API_KEY}`);
		expect(request.body).toEqual(BODY);
		expect(request.idempotencyKey).toMatch(/^n8n-[0-9a-f]{48}$/);
		expect(result.success.map((item) => item.json)).toEqual([
			{ ...JOB, traceId: 'trace-start', idempotencyKey: request.idempotencyKey, replayed: false },
		]);
		expect(result.errors).toEqual([]);
		expectNoApiKey(result);
	});

	it('gives the same key to the same input in two executions, and another key to another body', async () => {
		let calls = 0;
		// Sonarly answers a key it has seen with 200, its replay of the first request.
		const sent = fakeSonarly(() => ({ status: ++calls === 1 ? 202 : 200, body: ok(JOB) }));
		const run = async (body: string) =>
			await runSonarly({ items: [{ lead: 'ada' }], parameters: startParameters({}, body), onError: 'continueErrorOutput' });
		await run(JSON.stringify(BODY));
		const second = await run(JSON.stringify(BODY));
		await run(JSON.stringify({ ...BODY, maxResults: 10 }));

		const [first, again, other] = starts(sent).map((request) => request.idempotencyKey);
		expect(again).toBe(first);
		expect(other).not.toBe(first);
		expect(second.success[0].json).toMatchObject({ jobId: 'job-1', replayed: true, idempotencyKey: first });
	});

	it('sends Options → Idempotency Key exactly as given, per item', async () => {
		const { sent } = await start(() => ({ status: 202, body: ok(JOB) }), {
			items: [{ dealId: 'D-1' }, { dealId: 'D-2' }],
			parameters: startParameters({ options: { idempotencyKey: '={{ "deal-" + $json.dealId }}' } }),
		});

		expect(starts(sent).map((request) => request.idempotencyKey)).toEqual(['deal-D-1', 'deal-D-2']);
	});

	it('sends an identical start once per execution; the later item says which item it repeats', async () => {
		const { sent, result } = await start(() => ({ status: 202, body: ok(JOB) }), { items: [{}, {}] });

		expect(starts(sent)).toHaveLength(1);
		expect(result.success[1].json).toMatchObject({ jobId: 'job-1', duplicateOfItem: 0 });
	});

	it.each([
		['text that is not JSON', '{"searchUrl": '],
		['a list', '[1, 2]'],
		['a number from an expression', '={{ 42 }}'],
	])('refuses a JSON Body that is %s before sending, naming the parameter and the item', async (_label, body) => {
		const { sent, result } = await start(() => ({ status: 202, body: ok(JOB) }), { parameters: startParameters({}, body) });

		expect(sent).toEqual([]);
		expect(String(result.errors[0].json.message)).toMatch(/^JSON Body \(item 0\) (is not valid JSON|must be a JSON object)/);
	});

	it('takes an object from an expression as the body', async () => {
		const { sent } = await start(() => ({ status: 202, body: ok(JOB) }), {
			items: [{ job: BODY }],
			parameters: startParameters({}, '={{ $json.job }}'),
		});

		expect(starts(sent)[0].body).toEqual(BODY);
	});
});

describe('Prospecting Job → Start: a failure that may have acted is resent only with the same key', () => {
	it('a 500 then a 202: sent twice with the same key, one job', async () => {
		let calls = 0;
		const { sent, result } = await start(() =>
			++calls === 1 ? { status: 500, body: refused('INTERNAL_ERROR', 'boom') } : { status: 202, body: ok(JOB) },
		);

		const keys = starts(sent).map((request) => request.idempotencyKey);
		expect(keys).toHaveLength(2);
		expect(keys[1]).toBe(keys[0]);
		expect(result.success[0].json).toMatchObject({ jobId: 'job-1', replayed: false });
	});

	it('timeouts: sent three times in all with the same key, then "may or may not", safe to run again', async () => {
		const { sent, result } = await start(() => ({ status: 202, body: ok(JOB), delayMs: 400 }), {
			parameters: startParameters({ options: { timeout: 100 } }),
		});

		const keys = starts(sent).map((request) => request.idempotencyKey);
		expect(keys).toHaveLength(3);
		expect(new Set(keys).size).toBe(1);
		const error = result.errors[0].json.error as Record<string, unknown>;
		expect(error.message).toBe('Sonarly did not answer within 100 ms: the import may or may not have happened');
		expect(error.description).toMatch(/Running this node again with the same input is safe: it sends the same Idempotency-Key/);
	}, 30_000);

	it('a 400 is not resent, and Sonarly\'s own words reach the user', async () => {
		const { sent, result } = await start(() => ({
			status: 400,
			body: refused('VALIDATION_ERROR', 'searchUrl is required for linkedin_search'),
		}));

		expect(starts(sent)).toHaveLength(1);
		expect(result.errors[0].json.message).toMatch(/Sonarly said: "searchUrl is required for linkedin_search"/);
	});

	it('runs under Settings → Retry On Fail (a write would refuse), with the same key on every try', async () => {
		const { sent, result } = await start(() => ({ status: 400, body: refused('VALIDATION_ERROR', 'bad') }), {
			onError: 'continueRegularOutput',
			retryOnFail: { maxTries: 2, waitBetweenTries: 1 },
		});

		const keys = starts(sent).map((request) => request.idempotencyKey);
		expect(keys).toHaveLength(2);
		expect(keys[1]).toBe(keys[0]);
		expect(result.success[0].json.message).toMatch(/rejected the request to start the prospecting job/);
	});
});

describe('Prospecting Job → Start: Wait for Completion', () => {
	const waiting = (extra: Record<string, unknown> = {}) =>
		startParameters({ options: { waitForCompletion: true, ...extra } });

	it('ends when the execution is cancelled, saying the job goes on in Sonarly', async () => {
		const began = Date.now();
		const { result } = await start(
			(request) => (request.method === 'POST' ? { status: 202, body: ok(JOB) } : { status: 200, body: ok({ ...JOB, status: 'running' }) }),
			{ parameters: waiting(), cancelAfterMs: 1500 },
		);

		expect(Date.now() - began).toBeLessThan(5000);
		const text = JSON.stringify([result.errors, result.error?.message ?? '', result.run.status]);
		expect(text).toMatch(/cancel/i);
	}, 30_000);
});
