/**
 * Sonarly's rules that the new operations explain or enforce, beyond their contracts
 * (contract.test.ts): what is refused before sending, the documented error codes in plain
 * words, Cancel's Ignore Finished, Return All across pages, and the reply's guards. Run once:
 * nothing here differs between the engine lines.
 */
import type { IDataObject } from 'n8n-workflow';

import { runSonarly } from '../harness/engine';
import { ACCOUNT_GROUP_ID as AG, byId } from '../support/fixtures';
import { fakeSonarly, ok, refused, useNock, type Reply, type SentRequest } from '../support/sonarly';

useNock();

const ag = { accountGroupId: byId(AG) };

async function run(resource: string, operation: string, parameters: IDataObject, answer: (request: SentRequest) => Reply, items: IDataObject[] = [{}]) {
	const sent = fakeSonarly(answer);
	const result = await runSonarly({ items, parameters: { resource, operation, ...ag, ...parameters }, onError: 'continueErrorOutput' });
	return { sent, result, message: String(result.errors[0]?.json.message ?? '') };
}

const never = (): Reply => ({ status: 500, body: refused('UNEXPECTED', 'should not be sent') });

describe('refused before sending', () => {
	it('Audience → Update with no field to change', async () => {
		const { sent, message } = await run('audience', 'update', { audienceId: byId('aud-1'), updateFields: {} }, never);
		expect(sent).toEqual([]);
		expect(message).toMatch(/^Update Fields is empty: nothing to change in the audience/);
	});

	it('Audience → Move Leads to the same audience, or with no lead', async () => {
		const same = await run('audience', 'moveLeads', { audienceId: byId('aud-1'), targetAudienceId: byId(' aud-1 '), leadIds: 'l-1' }, never);
		const none = await run('audience', 'moveLeads', { audienceId: byId('aud-1'), targetAudienceId: byId('aud-2'), leadIds: ' , ' }, never);
		expect([...same.sent, ...none.sent]).toEqual([]);
		expect(same.message).toMatch(/^Target Audience \(item 0\) is the same audience as Audience/);
		expect(none.message).toMatch(/^Lead IDs \(item 0\) is empty/);
	});

	it('Message → Reply by InMail whose subject expression gives empty text', async () => {
		const { sent, message } = await run(
			'message',
			'reply',
			{ prospectId: byId('p-1'), message: 'Hello', channel: 'inmail', subject: '={{ $json.subject }}' },
			never,
			[{ subject: '   ' }],
		);
		expect(sent).toEqual([]);
		expect(message).toMatch(/^Subject \(item 0\) is empty\. An InMail needs a subject/);
	});

	it('Message → Reply with an expression that gives no message', async () => {
		const { sent, message } = await run('message', 'reply', { prospectId: byId('p-1'), message: '={{ $json.text }}', channel: 'direct_message' }, never, [{}]);
		expect(sent).toEqual([]);
		expect(message).toMatch(/^Message \(item 0\) is empty/);
	});

	it('Lead IDs that would change the route are refused like any ID', async () => {
		const { sent, message } = await run('campaign', 'create', { starterTemplateId: byId('connect'), name: 'x', audienceId: byId('aud-1'), additionalFields: { leadIds: 'l-1, ..' } }, never);
		expect(sent).toEqual([]);
		expect(message).toMatch(/^Lead IDs \(item 0\) cannot be "\.\."/);
	});
});

describe("Sonarly's documented codes, in plain words", () => {
	it('AUDIENCE_NOT_READY: wait for the prospecting job', async () => {
		const { message, result } = await run('prospect', 'getAll', { audienceId: byId('aud-1') }, () => ({
			status: 409,
			body: refused('AUDIENCE_NOT_READY', 'Audience is still being populated by an active prospecting job'),
		}));
		expect(message).toMatch(/^The audience is still being filled by a prospecting job\. .*Wait for the job to finish/);
		expect(result.errors[0].json.error).toMatchObject({ httpCode: 409, code: 'AUDIENCE_NOT_READY' });
	});

	it('402 INSUFFICIENT_CREDITS on a prospecting job: credits ran out, what an import costs, nothing imported', async () => {
		const { message } = await run('prospectingJob', 'start', { jsonBody: '{"searchUrl":"https://www.linkedin.com/search/results/people/"}' }, () => ({
			status: 402,
			body: refused('INSUFFICIENT_CREDITS', 'Not enough credits'),
		}));
		expect(message).toMatch(/^Sonarly refused to start the prospecting job: the account does not have enough credits\. Nothing was done\. Each imported prospect costs 1 credit, or 2 with searchEmails/);
	});

	it('IDEMPOTENCY_CONFLICT on a reply: the key was used for a different reply, and what to do', async () => {
		const { sent, message } = await run('message', 'reply', { prospectId: byId('p-1'), message: 'Hi', channel: 'direct_message', options: { idempotencyKey: `={{ 'conv-1-' + '2026-12-06' }}` } }, () => ({
			status: 409,
			body: refused('IDEMPOTENCY_CONFLICT', 'Key reused with a different body'),
		}));
		expect(sent).toHaveLength(1);
		expect(message).toMatch(/^Sonarly refused to queue the reply: this Idempotency Key was already used for a different request\. .*give it its own key in Options → Idempotency Key/);
	});

	it('a 405 on an inferred method says the method may be wrong', async () => {
		const { message } = await run('audienceFolder', 'update', { folderId: byId('f-1'), name: 'New' }, () => ({ status: 405, body: '' }));
		expect(message).toMatch(/the node sends PATCH: if the IDs are right, the method may be wrong/);
	});

	it('Campaign → Delete refused in its state (409) says so, and is not resent', async () => {
		const { sent, message } = await run('campaign', 'delete', { campaignId: byId('c-1') }, () => ({ status: 409, body: refused('CONFLICT', 'Campaign is not in a deletable state') }));
		expect(sent).toHaveLength(1);
		expect(message).toMatch(/^Sonarly cannot delete the campaign in its current state/);
	});
});

describe('Cancel', () => {
	const ended = (request: SentRequest): Reply =>
		request.method === 'POST'
			? { status: 422, body: refused('VALIDATION_ERROR', 'Job is not in a cancellable status') }
			: { status: 200, body: ok({ jobId: 'job-1', status: 'completed' }, 'trace-read') };

	it('a job that already ended: the error output by default, Sonarly\'s words quoted', async () => {
		const { result } = await run('prospectingJob', 'cancel', { jobId: byId('job-1') }, ended);
		expect(result.success).toEqual([]);
		expect(result.errors[0].json.message).toMatch(/Sonarly said: "Job is not in a cancellable status"/);
	});

	it('with Ignore Finished Jobs: the job as it is, cancelled: false, on the success output', async () => {
		const { sent, result } = await run('prospectingJob', 'cancel', { jobId: byId('job-1'), options: { ignoreFinished: true } }, ended);
		expect(sent.map((request) => request.method)).toEqual(['POST', 'GET']);
		expect(result.success.map((item) => item.json)).toEqual([{ jobId: 'job-1', status: 'completed', cancelled: false, traceId: 'trace-read' }]);
	});

	it('the same for a signal scan', async () => {
		const { result } = await run('signalScan', 'cancel', { scanId: byId('scan-1'), options: { ignoreFinished: true } }, (request) =>
			request.method === 'POST'
				? { status: 422, body: refused('VALIDATION_ERROR', 'Scan is not in a cancellable status') }
				: { status: 200, body: ok({ scanId: 'scan-1', status: 'failed' }) },
		);
		expect(result.success[0].json).toMatchObject({ scanId: 'scan-1', status: 'failed', cancelled: false });
	});
});

describe('paging and replays', () => {
	it('Prospect → Get Many with Return All reads three pages in order', async () => {
		const pages: Record<string, IDataObject> = {
			'': { items: [{ id: 'p-1' }, { id: 'p-2' }], nextCursor: 'c2', hasMore: true },
			c2: { items: [{ id: 'p-3' }], nextCursor: 'c3', hasMore: true },
			c3: { items: [{ id: 'p-4' }], nextCursor: null, hasMore: false },
		};
		const { sent, result } = await run('prospect', 'getAll', { audienceId: byId('aud-1'), returnAll: true }, (request) => ({
			status: 200,
			body: ok(pages[request.query.get('cursor') ?? '']),
		}));
		expect(sent.map((request) => request.query.get('cursor'))).toEqual([null, 'c2', 'c3']);
		expect(result.success.map((item) => item.json.id)).toEqual(['p-1', 'p-2', 'p-3', 'p-4']);
	});

	it('Message → Reply answered 200 is a replay: queued, replayed, the same key', async () => {
		const { sent, result } = await run('message', 'reply', { prospectId: byId('p-1'), message: 'Hi', channel: 'direct_message' }, () => ({
			status: 200,
			body: ok({ id: 'r-1', status: 'scheduled' }),
		}));
		expect(result.success[0].json).toMatchObject({ id: 'r-1', queued: true, replayed: true, idempotencyKey: sent[0].idempotencyKey });
		expect(sent[0].body).toEqual({ prospectId: 'p-1', message: 'Hi', channel: 'direct_message' });
	});
});
