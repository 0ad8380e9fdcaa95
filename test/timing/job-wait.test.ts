/**
 * Waiting for a started job (Prospecting Job → Start with Wait for Completion): completed,
 * failed, the deadline and a passing read failure. Run once (n8n 2.x, `npm run test:timing`): this is the node's own
 * timing and HTTP, the same on both lines; what differs between them, cancellation, is pinned
 * on both in keyed-write.test.ts.
 *
 * The waits are real (5 s, then 7.5 s), so the four scenarios run side by side, each on its own
 * account group, and each test checks its own run.
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { runSonarly, type RunResult } from '../harness/engine';
import { byId } from '../support/fixtures';
import { fakeSonarly, ok, refused, type Reply, type SentRequest } from '../support/sonarly';

const JOB = { jobId: 'job-1', status: 'queued', createdAt: '2026-12-06T10:00:00.000Z' };

/** Each scenario: how Sonarly answers the job's reads (the start is always a 202). */
const SCENARIOS: Record<string, { options?: IDataObject; read: (readsSoFar: number) => Reply }> = {
	completed: {
		read: () => ({ status: 200, body: ok({ ...JOB, status: 'completed', stages: { import: { status: 'completed', progress: 1 } } }, 'trace-read') }),
	},
	failed: {
		read: () => ({ status: 200, body: ok({ ...JOB, status: 'failed', error: { code: 'LINKEDIN_DISCONNECTED', message: 'Reconnect LinkedIn' } }) }),
	},
	deadline: { options: { waitTimeout: 1 }, read: () => ({ status: 200, body: ok({ ...JOB, status: 'running' }) }) },
	passing500: {
		options: { waitTimeout: 30 },
		read: (readsSoFar) =>
			readsSoFar === 1 ? { status: 500, body: refused('INTERNAL_ERROR', 'busy') } : { status: 200, body: ok({ ...JOB, status: 'completed' }) },
	},
};

interface Outcome {
	result: RunResult;
	sent: SentRequest[];
	ms: number;
}

const outcomes: Record<string, Outcome> = {};

beforeAll(async () => {
	nock.disableNetConnect();
	const all = fakeSonarly((request) => {
		const scenario = SCENARIOS[request.accountGroupId ?? ''];
		if (request.method === 'POST') return { status: 202, body: ok(JOB) };
		return scenario.read(all.filter((r) => r.accountGroupId === request.accountGroupId && r.method === 'GET').length);
	});
	await Promise.all(
		Object.entries(SCENARIOS).map(async ([group, scenario]) => {
			const began = Date.now();
			const result = await runSonarly({
				items: [{ lead: 'ada' }],
				parameters: {
					resource: 'prospectingJob',
					operation: 'start',
					accountGroupId: byId(group),
					jsonBody: '{"searchUrl": "https://www.linkedin.com/search/results/people/?keywords=cto"}',
					options: { waitForCompletion: true, ...scenario.options },
				},
				onError: 'continueErrorOutput',
			});
			outcomes[group] = { result, ms: Date.now() - began, sent: all.filter((request) => request.accountGroupId === group) };
		}),
	);
}, 60_000);

afterAll(() => {
	nock.cleanAll();
	nock.enableNetConnect();
});

const reads = ({ sent }: Outcome) => sent.filter((request) => request.method === 'GET');

describe('Prospecting Job → Start: Wait for Completion', () => {
	it('outputs the finished job within one interval of its completion', () => {
		const outcome = outcomes.completed;
		expect(reads(outcome).map((request) => request.path)).toEqual(['/v1/accounts/completed/prospecting/job-1']);
		expect(outcome.result.success[0].json).toMatchObject({ jobId: 'job-1', status: 'completed', traceId: 'trace-read', replayed: false });
		expect(outcome.ms).toBeLessThan(15_000);
	});

	it("a job that ends failed goes to the error output with the job's own code and message", () => {
		const { result } = outcomes.failed;
		expect(result.success).toEqual([]);
		expect(result.errors[0].json.error).toMatchObject({ code: 'LINKEDIN_DISCONNECTED', apiMessage: 'Reconnect LinkedIn' });
		expect(result.errors[0].json.message).toMatch(/^The prospecting job job-1 ended failed in Sonarly/);
	});

	it('at Wait Timeout: the job as last read, with timedOut, on the success output', () => {
		const outcome = outcomes.deadline;
		expect(reads(outcome)).toEqual([]);
		expect(outcome.result.success[0].json).toMatchObject({ jobId: 'job-1', status: 'queued', timedOut: true });
	});

	it('a passing read failure (500) is tried again at the next interval', () => {
		const outcome = outcomes.passing500;
		expect(reads(outcome)).toHaveLength(2);
		expect(outcome.result.success[0].json).toMatchObject({ status: 'completed' });
	});
});
