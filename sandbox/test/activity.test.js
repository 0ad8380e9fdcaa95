'use strict';

// Tests of the sandbox's messages, prospecting jobs, signal scans and audiences routes, and of
// the control routes that drive them: `node --test sandbox/test/*.test.js`.
// Every test starts its own sandbox on port 0 and closes it.

const { test } = require('node:test');
const assert = require('node:assert/strict');

const { ids, FULL, READ, AG, base, sandbox, call, data, refused, walk } = require('./helpers');

// --- messages -----------------------------------------------------------------------

test('messages: newest first, keyset paging, conversationId filter', async (t) => {
	const sb = await sandbox(t, { faults: { pageSize: 2 } });
	const first = data(await call(sb, 'GET', `${base}/messages`));
	assert.deepEqual(
		first.items.map((m) => m.id),
		[ids.message3, ids.message2],
	);
	assert.equal(first.hasMore, true);
	// The cursor is base64url JSON of the last item's createdAt, like Sonarly's example.
	assert.equal(
		JSON.parse(Buffer.from(first.nextCursor, 'base64url').toString()).createdAt,
		first.items[1].createdAt,
	);
	assert.deepEqual(Object.keys(first.items[0]).sort(), [
		'conversationId',
		'createdAt',
		'direction',
		'id',
		'participantProviderId',
		'text',
	]);

	// New messages arriving between two pages do not shift the next page.
	sb.addMessages({ count: 3 });
	const second = data(
		await call(sb, 'GET', `${base}/messages?cursor=${encodeURIComponent(first.nextCursor)}`),
	);
	assert.deepEqual(
		second.items.map((m) => m.id),
		[ids.message1],
	);
	assert.equal(second.hasMore, false);

	const all = await walk(sb, `${base}/messages`);
	assert.equal(all.items.length, 6);
	assert.deepEqual(all.pages, [2, 2, 2]);
	const times = all.items.map((m) => m.createdAt);
	assert.deepEqual([...times].sort().reverse(), times);

	const conv = data(
		await call(sb, 'GET', `${base}/messages?conversationId=${ids.conversationA}&limit=10`),
	);
	assert.deepEqual(
		conv.items.map((m) => m.id),
		[ids.message2, ids.message1],
	);
	assert.equal(conv.hasMore, false);
	refused(await call(sb, 'GET', `${base}/messages?cursor=garbage`), 400, 'VALIDATION_ERROR');
	refused(await call(sb, 'GET', `${base}/messages?limit=0`), 400, 'VALIDATION_ERROR');
	refused(await call(sb, 'GET', `/v1/accounts/${ids.missingGroup}/messages`), 404, 'NOT_FOUND');
	const forbidden = refused(
		await call(sb, 'GET', `${base}/messages`, { key: READ }),
		403,
		'FORBIDDEN',
	);
	assert.match(forbidden.message, /messages:read/);
	assert.equal(sb.requests.at(-1).route, 'listMessages');
});

test('messages: a message added with an older createdAt lands in its place (late sync)', async (t) => {
	const sb = await sandbox(t);
	const [late] = sb.addMessages({
		messages: [{ createdAt: '2025-07-02T12:00:00.000Z', text: 'late' }],
	});
	const list = data(await call(sb, 'GET', `${base}/messages`));
	assert.deepEqual(
		list.items.map((m) => m.id),
		[ids.message3, late.id, ids.message2, ids.message1],
	);
});

test('reply: 202 new, 200 replay of the same key and body, 409 IDEMPOTENCY_CONFLICT', async (t) => {
	const sb = await sandbox(t);
	const body = {
		prospectId: 'p1',
		message: 'Thanks, talk soon',
		conversationId: ids.conversationA,
	};
	const queued = data(
		await call(sb, 'POST', `${base}/messages/responses`, { body, idempotencyKey: 'k-1' }),
		202,
	);
	assert.equal(queued.status, 'queued');
	assert.equal(queued.channel, 'direct_message');
	assert.equal(queued.conversationId, ids.conversationA);

	// Same key, same body (keys in another order): the original answer, nothing queued again.
	const replay = data(
		await call(sb, 'POST', `${base}/messages/responses`, {
			body: { conversationId: ids.conversationA, message: 'Thanks, talk soon', prospectId: 'p1' },
			idempotencyKey: 'k-1',
		}),
		200,
	);
	assert.deepEqual(replay, queued);
	const conflict = refused(
		await call(sb, 'POST', `${base}/messages/responses`, {
			body: { ...body, message: 'Something else' },
			idempotencyKey: 'k-1',
		}),
		409,
		'IDEMPOTENCY_CONFLICT',
	);
	assert.match(conflict.message, /different request body/);

	// The queued reply is in the message list once, as an outbound message.
	const list = data(await call(sb, 'GET', `${base}/messages?conversationId=${ids.conversationA}`));
	const replies = list.items.filter((m) => m.scheduledResponseId === queued.id);
	assert.equal(replies.length, 1);
	assert.equal(replies[0].direction, 'outbound');
	assert.equal(replies[0].text, 'Thanks, talk soon');
	assert.equal(list.items[0].id, replies[0].id);

	// Without a key every request queues a reply.
	data(await call(sb, 'POST', `${base}/messages/responses`, { body }), 202);
	data(await call(sb, 'POST', `${base}/messages/responses`, { body }), 202);
	assert.equal(
		sb.state().accountGroups[0].messages.filter((m) => m.direction === 'outbound').length,
		4,
	);
});

test('reply: validation, inmail subject, permission', async (t) => {
	const sb = await sandbox(t);
	const post = (body, init = {}) =>
		call(sb, 'POST', `${base}/messages/responses`, { body, ...init });
	refused(await post('{not json'), 400, 'VALIDATION_ERROR');
	refused(await post([1]), 400, 'VALIDATION_ERROR');
	refused(await post({ message: 'hi' }), 400, 'VALIDATION_ERROR');
	refused(await post({ prospectId: 'p1', message: '  ' }), 400, 'VALIDATION_ERROR');
	refused(await post({ prospectId: 'p1', message: 'hi', channel: 'sms' }), 400, 'VALIDATION_ERROR');
	const noSubject = refused(
		await post({ prospectId: 'p1', message: 'hi', channel: 'inmail' }),
		422,
		'VALIDATION_ERROR',
	);
	assert.match(noSubject.details, /subject/);
	const inmail = data(
		await post({ prospectId: 'p1', message: 'hi', channel: 'inmail', subject: 'Hello' }),
		202,
	);
	assert.equal(inmail.subject, 'Hello');
	refused(
		await post({ prospectId: 'p1', message: 'hi' }, { idempotencyKey: ' ' }),
		400,
		'VALIDATION_ERROR',
	);
	const forbidden = refused(
		await post({ prospectId: 'p1', message: 'hi' }, { key: READ }),
		403,
		'FORBIDDEN',
	);
	assert.match(forbidden.message, /messages:write/);
});

// --- prospecting jobs and signal scans --------------------------------------------

test('prospecting: keyed start, list with status filter, get, advance, cancel', async (t) => {
	const sb = await sandbox(t, { faults: { pageSize: 1 } });
	const body = {
		source: 'linkedin_search',
		searchUrl: 'https://www.linkedin.com/search/x',
		audienceName: 'New list',
	};
	const started = data(
		await call(sb, 'POST', `${base}/prospecting`, { body, idempotencyKey: 'job-1' }),
		202,
	);
	assert.equal(started.status, 'queued');
	assert.deepEqual(Object.keys(started).sort(), ['createdAt', 'jobId', 'status']);
	const replay = data(
		await call(sb, 'POST', `${base}/prospecting`, { body, idempotencyKey: 'job-1' }),
		200,
	);
	assert.equal(replay.jobId, started.jobId);
	refused(
		await call(sb, 'POST', `${base}/prospecting`, {
			body: { ...body, maxResults: 5 },
			idempotencyKey: 'job-1',
		}),
		409,
		'IDEMPOTENCY_CONFLICT',
	);

	// The audience it fills is left out of the list and answers 409 AUDIENCE_NOT_READY.
	const group = () => sb.state().accountGroups[0];
	const filled = group().audiences.find((a) => a.name === 'New list');
	assert.equal(filled.filling, true);
	refused(await call(sb, 'GET', `${base}/audiences/${filled.id}`), 409, 'AUDIENCE_NOT_READY');
	assert.ok(!(await walk(sb, `${base}/audiences`)).items.some((a) => a.id === filled.id));

	const all = await walk(sb, `${base}/prospecting`);
	assert.deepEqual(
		all.items.map((j) => [j.jobId, j.status]),
		[
			[started.jobId, 'queued'],
			[ids.runningJob, 'running'],
			[ids.completedJob, 'completed'],
		],
	);
	assert.deepEqual(Object.keys(all.items[0]).sort(), [
		'createdAt',
		'jobId',
		'status',
		'type',
		'updatedAt',
	]);
	const running = await walk(sb, `${base}/prospecting?status=running`);
	assert.deepEqual(
		running.items.map((j) => j.jobId),
		[ids.runningJob],
	);

	const details = data(await call(sb, 'GET', `${base}/prospecting/${started.jobId}`));
	assert.equal(details.status, 'queued');
	assert.deepEqual(Object.keys(details.stages).sort(), ['enrichment', 'import']);
	assert.equal(details.error, null);
	refused(await call(sb, 'GET', `${base}/prospecting/${ids.missingCampaign}`), 404, 'NOT_FOUND');

	// The clock: one step (queued → running), one more (running → completed).
	assert.deepEqual(
		sb.advanceJobs({ id: started.jobId }).map((j) => j.status),
		['running'],
	);
	assert.deepEqual(
		sb.advanceJobs({ id: started.jobId }).map((j) => j.status),
		['completed'],
	);
	assert.ok((await walk(sb, `${base}/audiences`)).items.some((a) => a.id === filled.id));
	data(await call(sb, 'GET', `${base}/audiences/${filled.id}`));
	const replayDone = data(
		await call(sb, 'POST', `${base}/prospecting`, { body, idempotencyKey: 'job-1' }),
		200,
	);
	assert.equal(replayDone.status, 'completed');

	// Cancel: a running job is cancelled; a finished one is a 422 VALIDATION_ERROR.
	const cancelled = data(await call(sb, 'POST', `${base}/prospecting/${ids.runningJob}/cancel`));
	assert.deepEqual(cancelled, { jobId: ids.runningJob, status: 'cancelled' });
	assert.equal(
		sb.state().accountGroups[0].audiences.find((a) => a.id === ids.fillingAudience).filling,
		false,
	);
	const again = refused(
		await call(sb, 'POST', `${base}/prospecting/${ids.runningJob}/cancel`),
		422,
		'VALIDATION_ERROR',
	);
	assert.deepEqual(again.details, { currentStatus: 'cancelled' });
	refused(
		await call(sb, 'POST', `${base}/prospecting/${ids.completedJob}/cancel`),
		422,
		'VALIDATION_ERROR',
	);

	// A failed job carries its own error.
	const [failed] = [sb.addJob({ status: 'running' })];
	sb.advanceJobs({ id: failed.jobId, to: 'failed' });
	const failedDetails = data(await call(sb, 'GET', `${base}/prospecting/${failed.jobId}`));
	assert.equal(failedDetails.status, 'failed');
	assert.equal(typeof failedDetails.error.message, 'string');

	refused(await call(sb, 'POST', `${base}/prospecting`, { body: '[]' }), 400, 'VALIDATION_ERROR');
	refused(await call(sb, 'GET', `${base}/prospecting`, { key: READ }), 403, 'FORBIDDEN');
});

test('signal scans: validation, keyed start, AUDIENCE_NOT_READY, list, get, cancel', async (t) => {
	const sb = await sandbox(t);
	const post = (body, init = {}) => call(sb, 'POST', `${base}/signals/scans`, { body, ...init });
	refused(await post({ audienceId: ids.audience1 }), 400, 'VALIDATION_ERROR');
	refused(await post({ signalSpecificationId: ids.signalSpecification }), 400, 'VALIDATION_ERROR');
	refused(
		await post({
			signalSpecificationId: ids.signalSpecification,
			audienceId: ids.audience1,
			prospectIds: 'x',
		}),
		400,
		'VALIDATION_ERROR',
	);
	refused(
		await post({ signalSpecificationId: ids.signalSpecification, audienceId: ids.fillingAudience }),
		409,
		'AUDIENCE_NOT_READY',
	);
	refused(
		await post({ signalSpecificationId: ids.signalSpecification, audienceId: ids.missingCampaign }),
		404,
		'NOT_FOUND',
	);
	const body = { signalSpecificationId: ids.signalSpecification, audienceId: ids.audience1 };
	const started = data(await post(body, { idempotencyKey: 'scan-1' }), 202);
	assert.deepEqual(Object.keys(started).sort(), ['createdAt', 'scanId', 'status']);
	assert.equal(data(await post(body, { idempotencyKey: 'scan-1' }), 200).scanId, started.scanId);
	refused(
		await post({ ...body, prospectIds: [ids.prospect1] }, { idempotencyKey: 'scan-1' }),
		409,
		'IDEMPOTENCY_CONFLICT',
	);

	const list = data(await call(sb, 'GET', `${base}/signals/scans`));
	assert.deepEqual(
		list.items.map((s) => [s.scanId, s.status]),
		[
			[started.scanId, 'queued'],
			[ids.completedScan, 'completed'],
		],
	);
	assert.deepEqual(
		data(await call(sb, 'GET', `${base}/signals/scans?status=completed`)).items.map(
			(s) => s.scanId,
		),
		[ids.completedScan],
	);
	const one = data(await call(sb, 'GET', `${base}/signals/scans/${started.scanId}`));
	assert.equal(one.status, 'queued');
	assert.equal(one.error, null);
	assert.equal('stages' in one, false);
	assert.deepEqual(data(await call(sb, 'POST', `${base}/signals/scans/${started.scanId}/cancel`)), {
		scanId: started.scanId,
		status: 'cancelled',
	});
	refused(
		await call(sb, 'POST', `${base}/signals/scans/${ids.completedScan}/cancel`),
		422,
		'VALIDATION_ERROR',
	);
	const forbidden = refused(
		await call(sb, 'GET', `${base}/signals/scans`, { key: READ }),
		403,
		'FORBIDDEN',
	);
	assert.match(forbidden.message, /signals:read/);
	assert.equal(sb.requests.at(-2).resourceId, ids.completedScan);
});

test('jobStepMs moves jobs and scans on by themselves', async (t) => {
	const sb = await sandbox(t);
	const job = sb.addJob({});
	const scan = sb.addJob({ kind: 'signalScan', outcome: 'failed' });
	sb.setFaults({ jobStepMs: 40 });
	await new Promise((resolve) => setTimeout(resolve, 100));
	const status = async (route) => data(await call(sb, 'GET', route)).status;
	assert.equal(await status(`${base}/prospecting/${job.jobId}`), 'completed');
	assert.equal(await status(`${base}/signals/scans/${scan.scanId}`), 'failed');
});

// --- audiences ----------------------------------------------------------------------

test('audiences: ready only, newest first, paged; a filled audience appears when ready', async (t) => {
	const sb = await sandbox(t, { faults: { pageSize: 1 } });
	const listed = await walk(sb, `${base}/audiences`);
	assert.deepEqual(
		listed.items.map((a) => a.id),
		[ids.audience2, ids.audience1],
	);
	assert.equal('filling' in listed.items[0], false);
	assert.deepEqual(Object.keys(listed.items[0]).sort(), [
		'createdAt',
		'description',
		'folderId',
		'id',
		'name',
		'prospectCount',
		'type',
	]);
	const one = data(await call(sb, 'GET', `${base}/audiences/${ids.audience1}`));
	assert.equal(one.name, 'Enterprise VPs of Sales');
	refused(
		await call(sb, 'GET', `${base}/audiences/${ids.fillingAudience}`),
		409,
		'AUDIENCE_NOT_READY',
	);
	refused(await call(sb, 'GET', `${base}/audiences/${ids.missingCampaign}`), 404, 'NOT_FOUND');

	// The running job finishes: the audience it filled appears, in its createdAt place.
	sb.advanceJobs({ id: ids.runningJob });
	assert.deepEqual(
		(await walk(sb, `${base}/audiences`)).items.map((a) => a.id),
		[ids.fillingAudience, ids.audience2, ids.audience1],
	);
	const added = sb.addAudience({
		name: 'Later',
		ready: false,
		createdAt: '2025-01-01T00:00:00.000Z',
	});
	assert.ok(!(await walk(sb, `${base}/audiences`)).items.some((a) => a.id === added.id));
	sb.setAudienceReady({ audienceId: added.id });
	assert.equal((await walk(sb, `${base}/audiences`)).items.at(-1).id, added.id);
	refused(await call(sb, 'GET', `${base}/audiences`, { key: READ }), 403, 'FORBIDDEN');
});

// --- control routes and faults -------------------------------------------------------

test('control routes add messages, set a campaign status, add audiences and jobs, advance', async (t) => {
	const sb = await sandbox(t);
	const control = async (route, body) => {
		const r = await call(sb, 'POST', `/__sandbox/${route}`, { key: null, body });
		return r;
	};
	const added = data(
		await control('messages', { messages: [{ text: 'Hello', conversationId: 'c1' }], count: 2 }),
	);
	assert.equal(added.items.length, 3);
	assert.equal(added.items[0].text, 'Hello');
	const newest = data(await call(sb, 'GET', `${base}/messages`)).items;
	assert.deepEqual(
		newest.slice(0, 3).map((m) => m.id),
		added.items.map((m) => m.id).reverse(),
	);

	const flipped = data(
		await control('campaign-status', { campaignId: ids.activeCampaign, status: 'paused' }),
	);
	assert.equal(flipped.status, 'paused');
	assert.equal(sb.campaign(AG, ids.activeCampaign).status, 'paused');
	assert.ok(Date.parse(flipped.updatedAt) > Date.parse('2025-06-03T10:00:00.000Z'));

	const audience = data(await control('audiences', { name: 'Control list', ready: false }));
	data(await control('audiences/ready', { audienceId: audience.id }));
	assert.ok(
		data(await call(sb, 'GET', `${base}/audiences`)).items.some((a) => a.id === audience.id),
	);

	const job = data(await control('jobs', { kind: 'signalScan', status: 'running' }));
	const moved = data(
		await control('jobs/advance', { kind: 'signalScan', id: job.scanId, to: 'completed' }),
	);
	assert.deepEqual(
		moved.items.map((j) => [j.scanId, j.status]),
		[[job.scanId, 'completed']],
	);

	refused(
		await control('campaign-status', { campaignId: 'nope', status: 'x' }),
		400,
		'VALIDATION_ERROR',
	);
	refused(await control('messages', { count: -1 }), 400, 'VALIDATION_ERROR');
	refused(await control('jobs', { kind: 'other' }), 400, 'VALIDATION_ERROR');
	refused(await control('jobs/advance', { id: 'nope' }), 400, 'VALIDATION_ERROR');
	refused(await control('messages', '[1]'), 400, 'VALIDATION_ERROR');
	// Control routes are never logged.
	assert.ok(sb.requests.every((e) => !e.path.startsWith('/__sandbox')));

	sb.reset();
	assert.equal(sb.state().accountGroups[0].messages.length, 3);
	assert.equal(sb.campaign(AG, ids.activeCampaign).status, 'active');
});

test('faults can target a route name or a job id', async (t) => {
	const sb = await sandbox(t, {
		faults: { forceStatus: { listMessages: { status: 500, times: 1 } } },
	});
	refused(await call(sb, 'GET', `${base}/messages`), 500, 'INTERNAL_ERROR');
	data(await call(sb, 'GET', `${base}/messages`));
	// Other routes were never affected.
	sb.setFaults({ forceStatus: { listMessages: 503 } });
	data(await call(sb, 'GET', `${base}/audiences`));
	sb.setFaults({ forceStatus: null, html502: ids.completedJob });
	assert.equal(
		(
			await fetch(`${sb.url}${base}/prospecting/${ids.completedJob}`, {
				headers: { authorization: `Bearer ${FULL}` },
			})
		).status,
		502,
	);
	data(await call(sb, 'GET', `${base}/prospecting/${ids.runningJob}`));
	assert.equal(sb.requests.at(-2).fault, 'html502');
});

test('an API body over 1 MB is a 413', async (t) => {
	const sb = await sandbox(t);
	const r = await call(sb, 'POST', `${base}/messages/responses`, {
		body: JSON.stringify({ prospectId: 'p1', message: 'x'.repeat(1024 * 1024 + 10) }),
	});
	refused(r, 413, 'PAYLOAD_TOO_LARGE');
});
