/**
 * Waiting for a started job (Prospecting Job → Start with Wait for Completion): completed,
 * failed, the deadline and a passing read failure. Run once (n8n 2.x): this is the node's own
 * timing and HTTP, the same on both lines; what differs between them, cancellation, is pinned
 * on both in keyed-write.test.ts.
 */
import { runSonarly } from '../harness/engine';
import { ACCOUNT_GROUP_ID, byId } from '../support/fixtures';
import { fakeSonarly, ok, refused, useNock, type Reply, type SentRequest } from '../support/sonarly';

useNock();

const JOB = { jobId: 'job-1', status: 'queued', createdAt: '2026-12-06T10:00:00.000Z' };
const reads = (sent: SentRequest[]) => sent.filter((request) => request.method === 'GET');

async function start(answer: (request: SentRequest) => Reply, options: { parameters: Record<string, unknown> }) {
	const sent = fakeSonarly(answer);
	const result = await runSonarly({ items: [{ lead: 'ada' }], parameters: options.parameters, onError: 'continueErrorOutput' });
	return { sent, result };
}

describe('Prospecting Job → Start: Wait for Completion', () => {
	const waiting = (extra: Record<string, unknown> = {}) => ({
		resource: 'prospectingJob',
		operation: 'start',
		accountGroupId: byId(ACCOUNT_GROUP_ID),
		jsonBody: '{"searchUrl": "https://www.linkedin.com/search/results/people/?keywords=cto"}',
		options: { waitForCompletion: true, ...extra },
	});

	it('outputs the finished job within one interval of its completion', async () => {
		const began = Date.now();
		const { sent, result } = await start(
			(request) =>
				request.method === 'POST'
					? { status: 202, body: ok(JOB) }
					: { status: 200, body: ok({ ...JOB, status: 'completed', stages: { import: { status: 'completed', progress: 1 } } }, 'trace-read') },
			{ parameters: waiting() },
		);

		expect(reads(sent).map((request) => request.path)).toEqual([`/v1/accounts/${ACCOUNT_GROUP_ID}/prospecting/job-1`]);
		expect(result.success[0].json).toMatchObject({ jobId: 'job-1', status: 'completed', traceId: 'trace-read', replayed: false });
		expect(Date.now() - began).toBeLessThan(15_000);
	}, 30_000);

	it('a job that ends failed goes to the error output with the job\'s own code and message', async () => {
		const { result } = await start(
			(request) =>
				request.method === 'POST'
					? { status: 202, body: ok(JOB) }
					: { status: 200, body: ok({ ...JOB, status: 'failed', error: { code: 'LINKEDIN_DISCONNECTED', message: 'Reconnect LinkedIn' } }) },
			{ parameters: waiting() },
		);

		expect(result.success).toEqual([]);
		expect(result.errors[0].json.error).toMatchObject({ code: 'LINKEDIN_DISCONNECTED', apiMessage: 'Reconnect LinkedIn' });
		expect(result.errors[0].json.message).toMatch(/^The prospecting job job-1 ended failed in Sonarly/);
	}, 30_000);

	it('at Wait Timeout: the job as last read, with timedOut, on the success output', async () => {
		const { sent, result } = await start(
			(request) => (request.method === 'POST' ? { status: 202, body: ok(JOB) } : { status: 200, body: ok({ ...JOB, status: 'running' }) }),
			{ parameters: waiting({ waitTimeout: 1 }) },
		);

		expect(reads(sent)).toEqual([]);
		expect(result.success[0].json).toMatchObject({ jobId: 'job-1', status: 'queued', timedOut: true });
	}, 30_000);

	it('a passing read failure (500) is tried again at the next interval', async () => {
		let readsSoFar = 0;
		const { result } = await start(
			(request) => {
				if (request.method === 'POST') return { status: 202, body: ok(JOB) };
				return ++readsSoFar === 1
					? { status: 500, body: refused('INTERNAL_ERROR', 'busy') }
					: { status: 200, body: ok({ ...JOB, status: 'completed' }) };
			},
			{ parameters: waiting({ waitTimeout: 30 }) },
		);

		expect(readsSoFar).toBe(2);
		expect(result.success[0].json).toMatchObject({ status: 'completed' });
	}, 40_000);

});
