/**
 * One contract per operation, driven by the registry: the request line, headers and body an
 * item sends, and the item it outputs for Sonarly's answer. An operation added without a
 * contract here fails the first test. Run once (on n8n 2.x): the request and the output do
 * not differ between the engine lines; the safety-class suites (stop, keyed-write,
 * hostile-responses, fail-safe, rate-limit) run on both.
 */
import type { IDataObject } from 'n8n-workflow';

import { OPERATIONS } from '../../nodes/Sonarly/operations';
import { TEST_API_KEY, runSonarly } from '../harness/engine';
import { ACCOUNT_GROUP_ID as AG, byId, campaign } from '../support/fixtures';
import { fakeSonarly, ok, useNock } from '../support/sonarly';

useNock();

interface Contract {
	parameters: IDataObject;
	/** What Sonarly answers (status 200 unless given). */
	answer: { status?: number; data: unknown };
	/** The request line, e.g. "POST /v1/accounts/…/stop". */
	line: string;
	body?: unknown;
	/** Whether an Idempotency-Key goes with it. */
	keyed?: boolean;
	output: IDataObject[];
}

const C = 'c-1';
const JOB = { jobId: 'job-1', status: 'queued', createdAt: '2026-12-06T10:00:00.000Z' };

const CONTRACTS: Record<string, Contract> = {
	'accountGroup.getAll': {
		parameters: { returnAll: true },
		answer: { data: { items: [{ id: AG, name: 'Acme', createdAt: '2026-01-01T00:00:00.000Z' }] } },
		line: 'GET /v1/accounts',
		output: [{ id: AG, name: 'Acme', createdAt: '2026-01-01T00:00:00.000Z' }],
	},
	'campaign.get': {
		parameters: { accountGroupId: byId(AG), campaignId: byId(C), output: 'simplified' },
		answer: { data: campaign(C, 'active') },
		line: `GET /v1/accounts/${AG}/campaigns/${C}`,
		output: [{ id: C, name: 'Q4 enterprise outreach', status: 'active', selectedLeadCount: 25, startedAt: '2026-10-02T09:00:00.000Z', traceId: 'trace-ok' }],
	},
	'campaign.getAll': {
		parameters: { accountGroupId: byId(AG), limit: 1 },
		answer: { data: { items: [campaign('c-1'), campaign('c-2')] } },
		line: `GET /v1/accounts/${AG}/campaigns`,
		output: [campaign('c-1')],
	},
	'campaign.start': {
		parameters: { accountGroupId: byId(AG), campaignId: byId(C) },
		answer: { data: { campaign: campaign(C, 'active'), triggered: true, instancesCreated: 25 } },
		line: `POST /v1/accounts/${AG}/campaigns/${C}/start`,
		body: '',
		output: [{ campaign: campaign(C, 'active'), triggered: true, instancesCreated: 25, started: true, traceId: 'trace-ok' }],
	},
	'campaign.stop': {
		parameters: { accountGroupId: byId(AG), campaignId: byId(C) },
		answer: { data: { campaign: campaign(C), instancesStopped: 3 } },
		line: `POST /v1/accounts/${AG}/campaigns/${C}/stop`,
		body: '',
		output: [{ campaign: campaign(C), instancesStopped: 3, stopped: true, traceId: 'trace-ok' }],
	},
	'prospectingJob.get': {
		parameters: { accountGroupId: byId(AG), jobId: byId('job-1') },
		answer: { data: { ...JOB, status: 'running' } },
		line: `GET /v1/accounts/${AG}/prospecting/job-1`,
		output: [{ ...JOB, status: 'running', traceId: 'trace-ok' }],
	},
	'prospectingJob.start': {
		parameters: { accountGroupId: byId(AG), jsonBody: '{"postUrl": "https://www.linkedin.com/posts/1"}', options: { idempotencyKey: 'deal-7' } },
		answer: { status: 202, data: JOB },
		line: `POST /v1/accounts/${AG}/prospecting`,
		body: { postUrl: 'https://www.linkedin.com/posts/1' },
		keyed: true,
		output: [{ ...JOB, traceId: 'trace-ok', idempotencyKey: 'deal-7', replayed: false }],
	},
};

describe('the contract of every operation', () => {
	it('every operation of the node has a contract here, and every contract an operation', () => {
		expect(Object.keys(CONTRACTS).sort()).toEqual(OPERATIONS.map((spec) => `${spec.resource}.${spec.operation}`).sort());
	});

	it.each(Object.entries(CONTRACTS))('%s', async (key, contract) => {
		const [resource, operation] = key.split('.');
		const sent = fakeSonarly(() => ({ status: contract.answer.status ?? 200, body: ok(contract.answer.data) }));

		const result = await runSonarly({ items: [{}], parameters: { resource, operation, ...contract.parameters } });

		expect(result.error).toBeUndefined();
		expect(sent.map((request) => `${request.method} ${request.path}`)).toEqual([contract.line]);
		expect(sent[0].authorization).toBe(`Bearer ${TEST_API_KEY}`);
		if (contract.body !== undefined) expect(sent[0].body).toEqual(contract.body);
		expect(sent[0].idempotencyKey !== undefined).toBe(contract.keyed === true);
		expect(result.success.map((item) => item.json)).toEqual(contract.output);
	});
});
