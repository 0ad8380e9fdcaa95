'use strict';

// Tests of the Sonarly sandbox: `node --test sandbox/test/`.
// Every test starts its own sandbox on port 0 and closes it.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { startSandbox, DEFAULT_KEYS, SEED } = require('../server');

const ids = SEED.ids;
const FULL = 'sk_test_full_access';
const READ = 'sk_test_read_only';
const NONE = 'sk_test_no_permissions';
const SERVER = path.join(__dirname, '..', 'server.js');
const CAMPAIGN_FIELDS = [
	'autoCancelOnMessageReceived',
	'createdAt',
	'description',
	'id',
	'includeConversationHistory',
	'name',
	'outreachLanguage',
	'rateLimitedUntil',
	'selectedLeadCount',
	'startedAt',
	'status',
	'updatedAt',
];

/**
 * @param {import('node:test').TestContext} t
 * @param {import('../server').SandboxOptions} [options]
 */
async function sandbox(t, options) {
	const sb = await startSandbox(options);
	t.after(() => sb.close());
	return sb;
}

/**
 * @param {import('../server').Sandbox} sb
 * @param {string} method
 * @param {string} route
 * @param {{ key?: string | null, headers?: Record<string, string>, signal?: AbortSignal, body?: string }} [init]
 */
async function call(sb, method, route, init = {}) {
	const key = init.key === undefined ? FULL : init.key;
	const headers = { ...(key ? { authorization: `Bearer ${key}` } : {}), ...init.headers };
	const res = await fetch(sb.url + route, {
		method,
		headers,
		signal: init.signal,
		body: init.body,
	});
	const text = await res.text();
	let body = null;
	try {
		body = JSON.parse(text);
	} catch {
		body = null;
	}
	return { status: res.status, headers: res.headers, text, body };
}

const campaignPath = (ag, id, suffix = '') => `/v1/accounts/${ag}/campaigns/${id}${suffix}`;
const stopPath = (ag, id) => campaignPath(ag, id, '/stop');

/**
 * @param {Awaited<ReturnType<typeof call>>} r
 * @param {number} status
 * @param {string} code
 */
function assertError(r, status, code) {
	assert.equal(r.status, status, r.text);
	assert.equal(r.headers.get('content-type'), 'application/json');
	assert.equal(r.body.success, false);
	assert.equal(r.body.data, null);
	assert.equal(r.body.error.code, code);
	assert.equal(typeof r.body.error.message, 'string');
	assert.ok('details' in r.body.error);
	assert.match(r.body.traceId, /^[0-9a-f]{24}$/);
}

/** @param {Awaited<ReturnType<typeof call>>} r */
function assertSuccess(r) {
	assert.equal(r.status, 200, r.text);
	assert.equal(r.headers.get('content-type'), 'application/json');
	assert.equal(r.body.success, true);
	assert.equal(r.body.error, null);
	assert.match(r.body.traceId, /^[0-9a-f]{24}$/);
	return r.body.data;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// --- seed and exports ---------------------------------------------------------

test('exports DEFAULT_KEYS and a frozen SEED with readable ids', () => {
	assert.deepEqual(DEFAULT_KEYS[FULL].permissions, [
		'campaigns:read',
		'campaigns:execute',
		'messages:read',
		'messages:write',
		'prospecting:read',
		'prospecting:write',
		'signals:read',
		'signals:write',
		'audiences:read',
	]);
	assert.deepEqual(DEFAULT_KEYS[READ].permissions, ['campaigns:read']);
	assert.deepEqual(DEFAULT_KEYS[NONE].permissions, []);
	assert.equal(ids.acmeGroup, '64a1f0000000000000000001');
	assert.equal(ids.globexGroup, '64a1f0000000000000000002');
	assert.ok(Object.isFrozen(SEED.accountGroups[0].campaigns[0]));
	const acme = SEED.accountGroups.find((g) => g.id === ids.acmeGroup);
	const statusOf = (id) => acme.campaigns.find((c) => c.id === id)?.status;
	assert.equal(statusOf(ids.activeCampaign), 'active');
	assert.equal(statusOf(ids.activeCampaign2), 'active');
	assert.equal(statusOf(ids.activeCampaign3), 'active');
	assert.equal(statusOf(ids.draftCampaign), 'draft');
	assert.equal(statusOf(ids.stoppedCampaign), 'stopped');
	const activeCounts = acme.campaigns
		.filter((c) => c.status === 'active')
		.map((c) => c.selectedLeadCount);
	assert.equal(new Set(activeCounts).size, 3);
	for (const group of SEED.accountGroups) {
		assert.match(group.id, /^[0-9a-f]{24}$/);
		for (const c of group.campaigns) assert.deepEqual(Object.keys(c).sort(), CAMPAIGN_FIELDS);
	}
});

// --- envelope and happy paths ---------------------------------------------------

test('GET /v1/accounts answers the envelope with a fresh traceId each time', async (t) => {
	const sb = await sandbox(t);
	assert.match(sb.url, /^http:\/\/127\.0\.0\.1:\d+$/);
	assert.equal(sb.url, `http://127.0.0.1:${sb.port}`);
	const first = await call(sb, 'GET', '/v1/accounts', { key: NONE });
	const data = assertSuccess(first);
	assert.deepEqual(data, {
		items: [
			{ id: ids.acmeGroup, name: 'Acme Sales', createdAt: '2025-01-15T09:00:00.000Z' },
			{ id: ids.globexGroup, name: 'Globex Outreach', createdAt: '2025-02-03T11:20:00.000Z' },
		],
	});
	const second = await call(sb, 'GET', '/v1/accounts');
	assertSuccess(second);
	assert.notEqual(first.body.traceId, second.body.traceId);
});

test('lists and reads campaigns with every documented field', async (t) => {
	const sb = await sandbox(t);
	const list = assertSuccess(
		await call(sb, 'GET', `/v1/accounts/${ids.acmeGroup}/campaigns`, { key: READ }),
	);
	assert.deepEqual(Object.keys(list), ['items']);
	const seeded = SEED.accountGroups[0].campaigns;
	assert.deepEqual(list.items, seeded);
	const one = assertSuccess(
		await call(sb, 'GET', campaignPath(ids.acmeGroup, ids.activeCampaign2), { key: READ }),
	);
	assert.deepEqual(Object.keys(one).sort(), CAMPAIGN_FIELDS);
	assert.equal(one.selectedLeadCount, 140);
	assert.equal(one.status, 'active');
	const globex = assertSuccess(await call(sb, 'GET', `/v1/accounts/${ids.globexGroup}/campaigns`));
	assert.deepEqual(
		globex.items.map((c) => c.id),
		[ids.globexActiveCampaign, ids.globexCompletedCampaign],
	);
});

test('stop: 200 with the stopped campaign, then 409 on the second stop', async (t) => {
	const sb = await sandbox(t);
	const before = Date.now();
	const first = await call(sb, 'POST', stopPath(ids.acmeGroup, ids.activeCampaign));
	const data = assertSuccess(first);
	assert.equal(data.instancesStopped, 25);
	assert.equal(data.campaign.id, ids.activeCampaign);
	assert.equal(data.campaign.status, 'stopped');
	assert.ok(Date.parse(data.campaign.updatedAt) >= before - 1000, data.campaign.updatedAt);
	assert.equal(sb.campaign(ids.acmeGroup, ids.activeCampaign).status, 'stopped');

	const second = await call(sb, 'POST', stopPath(ids.acmeGroup, ids.activeCampaign));
	assertError(second, 409, 'CAMPAIGN_NOT_ACTIVE');
	assert.deepEqual(second.body.error.details, { currentStatus: 'stopped' });

	const stops = sb.stopRequests(ids.activeCampaign);
	assert.deepEqual(
		stops.map((e) => e.status),
		[200, 409],
	);
	assert.equal(sb.stopRequests(ids.activeCampaign2).length, 0);
	assert.equal(sb.stopRequests().length, 2);
	// The other campaigns are untouched.
	assert.equal(sb.campaign(ids.acmeGroup, ids.activeCampaign3).status, 'active');
});

test('stop reports the per-campaign instance count when seeded', async (t) => {
	const sb = await sandbox(t);
	const data = assertSuccess(await call(sb, 'POST', stopPath(ids.acmeGroup, ids.activeCampaign2)));
	assert.equal(data.instancesStopped, 137);
	assert.equal(data.campaign.selectedLeadCount, 140);
});

test('stop of a draft, a stopped or a completed campaign is a 409 and changes nothing', async (t) => {
	const sb = await sandbox(t);
	for (const [ag, id, status] of [
		[ids.acmeGroup, ids.draftCampaign, 'draft'],
		[ids.acmeGroup, ids.stoppedCampaign, 'stopped'],
		[ids.globexGroup, ids.globexCompletedCampaign, 'completed'],
	]) {
		const r = await call(sb, 'POST', stopPath(ag, id));
		assertError(r, 409, 'CAMPAIGN_NOT_ACTIVE');
		assert.match(r.body.error.message, new RegExp(status));
		assert.equal(sb.campaign(ag, id).status, status);
	}
});

test('start (demo helper) restarts a stopped campaign', async (t) => {
	const sb = await sandbox(t);
	const data = assertSuccess(
		await call(sb, 'POST', campaignPath(ids.acmeGroup, ids.stoppedCampaign, '/start')),
	);
	assert.equal(data.campaign.status, 'active');
	assert.equal(data.triggered, true);
	assert.equal(data.instancesCreated, 80);
	assertError(
		await call(sb, 'POST', campaignPath(ids.acmeGroup, ids.activeCampaign, '/start')),
		409,
		'CAMPAIGN_NOT_STARTABLE',
	);
});

// --- error paths and their order ------------------------------------------------

test('401 for a missing, non-Bearer or unknown key; the raw key is never logged', async (t) => {
	const sb = await sandbox(t);
	assertError(await call(sb, 'GET', '/v1/accounts', { key: null }), 401, 'UNAUTHORIZED');
	assertError(
		await call(sb, 'GET', '/v1/accounts', {
			key: null,
			headers: { authorization: `Basic ${FULL}` },
		}),
		401,
		'UNAUTHORIZED',
	);
	assertError(
		await call(sb, 'GET', '/v1/accounts', { key: 'sk_live_not_a_real_key' }),
		401,
		'UNAUTHORIZED',
	);
	assertSuccess(
		await call(sb, 'GET', '/v1/accounts', {
			key: null,
			headers: { authorization: `bearer ${FULL}` },
		}),
	);
	assert.deepEqual(
		sb.requests.map((e) => [e.authorized, e.key, e.status]),
		[
			[false, null, 401],
			[true, null, 401],
			[true, null, 401],
			[true, 'full_access', 200],
		],
	);
	const logged =
		JSON.stringify(sb.requests) +
		JSON.stringify((await call(sb, 'GET', '/__sandbox/requests')).body);
	assert.ok(!logged.includes('sk_'), logged);
});

test('403 names the missing permission', async (t) => {
	const sb = await sandbox(t);
	const stop = await call(sb, 'POST', stopPath(ids.acmeGroup, ids.activeCampaign), { key: READ });
	assertError(stop, 403, 'FORBIDDEN');
	assert.match(stop.body.error.message, /campaigns:execute/);
	assert.equal(sb.campaign(ids.acmeGroup, ids.activeCampaign).status, 'active');
	const list = await call(sb, 'GET', `/v1/accounts/${ids.acmeGroup}/campaigns`, { key: NONE });
	assertError(list, 403, 'FORBIDDEN');
	assert.match(list.body.error.message, /campaigns:read/);
	assertSuccess(await call(sb, 'GET', '/v1/accounts', { key: NONE }));
});

test('404 for unknown account groups, campaigns and routes; 405 for a wrong method', async (t) => {
	const sb = await sandbox(t);
	assertError(
		await call(sb, 'GET', `/v1/accounts/${ids.missingGroup}/campaigns`),
		404,
		'NOT_FOUND',
	);
	assertError(
		await call(sb, 'POST', stopPath(ids.missingGroup, ids.activeCampaign)),
		404,
		'NOT_FOUND',
	);
	assertError(
		await call(sb, 'POST', stopPath(ids.acmeGroup, ids.missingCampaign)),
		404,
		'NOT_FOUND',
	);
	// A campaign of another account group is not found in this one.
	assertError(
		await call(sb, 'GET', campaignPath(ids.acmeGroup, ids.globexActiveCampaign)),
		404,
		'NOT_FOUND',
	);
	assertError(await call(sb, 'GET', '/v2/accounts'), 404, 'NOT_FOUND');
	assertError(
		await call(sb, 'POST', campaignPath(ids.acmeGroup, ids.activeCampaign, '/pause')),
		404,
		'NOT_FOUND',
	);
	const wrong = await call(sb, 'GET', stopPath(ids.acmeGroup, ids.activeCampaign));
	assertError(wrong, 405, 'METHOD_NOT_ALLOWED');
	assert.equal(wrong.headers.get('allow'), 'POST');
	assertError(await call(sb, 'DELETE', '/v1/accounts'), 405, 'METHOD_NOT_ALLOWED');
	assert.equal(sb.campaign(ids.acmeGroup, ids.activeCampaign).status, 'active');
});

test('400 VALIDATION_ERROR for malformed ids, after decoding the path once', async (t) => {
	const sb = await sandbox(t);
	const bad = ['abc%2Fdef', 'a'.repeat(65), 'bad.id', '%E0%A4%A', '%2541bc', 'caf%C3%A9', '%20'];
	for (const id of bad) {
		const r = await call(sb, 'POST', stopPath(ids.acmeGroup, id));
		assertError(r, 400, 'VALIDATION_ERROR');
		assert.match(String(r.body.error.details), /campaignId/);
	}
	const badGroup = await call(sb, 'GET', `/v1/accounts/x.y/campaigns`);
	assertError(badGroup, 400, 'VALIDATION_ERROR');
	assert.match(String(badGroup.body.error.details), /accountGroupId/);
	// Empty id segment (trailing slash) is malformed too.
	assertError(
		await call(sb, 'GET', `/v1/accounts/${ids.acmeGroup}/campaigns/`),
		400,
		'VALIDATION_ERROR',
	);
	// %41 decodes to "A": a well-formed id that does not exist.
	assertError(await call(sb, 'GET', campaignPath(ids.acmeGroup, '%41bc')), 404, 'NOT_FOUND');
	// Percent-encoded hex of a real id decodes to it.
	const encoded = ids.activeCampaign.replace(/^6/, '%36');
	assert.equal(
		assertSuccess(await call(sb, 'GET', campaignPath(ids.acmeGroup, encoded))).id,
		ids.activeCampaign,
	);
	assert.equal(sb.requests.at(-1).path, campaignPath(ids.acmeGroup, encoded));
	assert.equal(sb.requests.at(-1).campaignId, ids.activeCampaign);
});

test('checks run in order: 401, route, 400, 403, 404, 409', async (t) => {
	const sb = await sandbox(t);
	assertError(
		await call(sb, 'POST', stopPath(ids.acmeGroup, 'bad.id'), { key: null }),
		401,
		'UNAUTHORIZED',
	);
	assertError(await call(sb, 'GET', '/nowhere', { key: null }), 401, 'UNAUTHORIZED');
	assertError(await call(sb, 'GET', '/nowhere', { key: NONE }), 404, 'NOT_FOUND');
	assertError(
		await call(sb, 'POST', stopPath(ids.acmeGroup, 'bad.id'), { key: READ }),
		400,
		'VALIDATION_ERROR',
	);
	assertError(
		await call(sb, 'POST', stopPath(ids.acmeGroup, ids.missingCampaign), { key: READ }),
		403,
		'FORBIDDEN',
	);
	assertError(
		await call(sb, 'POST', stopPath(ids.acmeGroup, ids.missingCampaign)),
		404,
		'NOT_FOUND',
	);
	assertError(
		await call(sb, 'POST', stopPath(ids.acmeGroup, ids.draftCampaign)),
		409,
		'CAMPAIGN_NOT_ACTIVE',
	);
});

// --- fault knobs -------------------------------------------------------------------

test('latencyMs delays every API answer (start option and fault)', async (t) => {
	const sb = await sandbox(t, { latencyMs: 120 });
	let started = Date.now();
	assertSuccess(await call(sb, 'GET', '/v1/accounts'));
	assert.ok(Date.now() - started >= 110, `took ${Date.now() - started}ms`);
	assert.ok(sb.requests[0].durationMs >= 110);
	sb.setFaults({ latencyMs: 0 });
	started = Date.now();
	assertSuccess(await call(sb, 'GET', '/v1/accounts'));
	assert.ok(Date.now() - started < 100, `took ${Date.now() - started}ms`);
	// Control routes are never delayed.
	sb.setFaults({ latencyMs: 500 });
	started = Date.now();
	assert.equal((await call(sb, 'GET', '/__sandbox/state')).status, 200);
	assert.ok(Date.now() - started < 300);
});

test('rateLimit with Retry-After in seconds; a 429 changes nothing; the window reopens', async (t) => {
	const sb = await sandbox(t, { faults: { rateLimit: { perSecond: 2, retryAfter: 'seconds' } } });
	assertSuccess(await call(sb, 'GET', '/v1/accounts'));
	assertSuccess(await call(sb, 'GET', '/v1/accounts'));
	const limited = await call(sb, 'POST', stopPath(ids.acmeGroup, ids.activeCampaign));
	assertError(limited, 429, 'RATE_LIMITED');
	const seconds = limited.headers.get('retry-after');
	assert.match(seconds, /^\d+$/);
	assert.ok(Number(seconds) >= 1);
	assert.equal(sb.campaign(ids.acmeGroup, ids.activeCampaign).status, 'active');
	assert.equal(sb.stopRequests(ids.activeCampaign)[0].fault, 'rateLimit');
	await sleep(1050);
	assertSuccess(await call(sb, 'POST', stopPath(ids.acmeGroup, ids.activeCampaign)));
	assert.deepEqual(
		sb.stopRequests().map((e) => e.status),
		[429, 200],
	);
});

test('rateLimit with Retry-After as an HTTP date', async (t) => {
	const sb = await sandbox(t);
	sb.setFaults({ rateLimit: { perSecond: 1, retryAfter: 'date' } });
	assertSuccess(await call(sb, 'GET', '/v1/accounts'));
	const limited = await call(sb, 'GET', '/v1/accounts');
	assertError(limited, 429, 'RATE_LIMITED');
	const header = limited.headers.get('retry-after');
	assert.match(header, /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
	const delta = Date.parse(header) - Date.now();
	assert.ok(delta > 0 && delta <= 2100, `delta ${delta}`);
});

test('rateLimit without Retry-After', async (t) => {
	const sb = await sandbox(t, { faults: { rateLimit: { perSecond: 1, retryAfter: 'none' } } });
	assertSuccess(await call(sb, 'GET', '/v1/accounts'));
	const limited = await call(sb, 'GET', '/v1/accounts');
	assertError(limited, 429, 'RATE_LIMITED');
	assert.equal(limited.headers.get('retry-after'), null);
	// Control routes are outside the limit.
	assert.equal((await call(sb, 'GET', '/__sandbox/requests')).status, 200);
});

test('forceStatus answers a campaign with a status and matching envelope, without acting', async (t) => {
	const sb = await sandbox(t, { faults: { forceStatus: { [ids.activeCampaign]: 500 } } });
	for (let i = 0; i < 2; i++) {
		assertError(
			await call(sb, 'POST', stopPath(ids.acmeGroup, ids.activeCampaign)),
			500,
			'INTERNAL_ERROR',
		);
	}
	assertError(
		await call(sb, 'GET', campaignPath(ids.acmeGroup, ids.activeCampaign)),
		500,
		'INTERNAL_ERROR',
	);
	assert.equal(sb.campaign(ids.acmeGroup, ids.activeCampaign).status, 'active');
	// Other campaigns behave normally.
	assertSuccess(await call(sb, 'POST', stopPath(ids.acmeGroup, ids.activeCampaign3)));
	sb.setFaults({ forceStatus: { [ids.activeCampaign]: 502 } });
	assertError(
		await call(sb, 'POST', stopPath(ids.acmeGroup, ids.activeCampaign)),
		502,
		'UPSTREAM_ERROR',
	);
	sb.setFaults({ forceStatus: { '*': 503 } });
	assertError(await call(sb, 'GET', '/v1/accounts'), 503, 'SERVICE_UNAVAILABLE');
});

test('forceStatus with times: 429 once, then the real answer', async (t) => {
	const sb = await sandbox(t);
	sb.setFaults({ forceStatus: { [ids.activeCampaign]: { status: 429, times: 1 } } });
	const first = await call(sb, 'POST', stopPath(ids.acmeGroup, ids.activeCampaign));
	assertError(first, 429, 'RATE_LIMITED');
	assert.equal(first.headers.get('retry-after'), '1');
	assert.equal(sb.campaign(ids.acmeGroup, ids.activeCampaign).status, 'active');
	assertSuccess(await call(sb, 'POST', stopPath(ids.acmeGroup, ids.activeCampaign)));
	assert.deepEqual(
		sb.stopRequests(ids.activeCampaign).map((e) => [e.status, e.fault]),
		[
			[429, 'forceStatus'],
			[200, null],
		],
	);
	sb.setFaults({
		forceStatus: { [ids.activeCampaign2]: { status: 429, times: 2, retryAfter: 'none' } },
	});
	const noHeader = await call(sb, 'GET', campaignPath(ids.acmeGroup, ids.activeCampaign2));
	assertError(noHeader, 429, 'RATE_LIMITED');
	assert.equal(noHeader.headers.get('retry-after'), null);
	assertError(
		await call(sb, 'GET', campaignPath(ids.acmeGroup, ids.activeCampaign2)),
		429,
		'RATE_LIMITED',
	);
	assertSuccess(await call(sb, 'GET', campaignPath(ids.acmeGroup, ids.activeCampaign2)));
});

test('html502 answers an HTML 502 without acting', async (t) => {
	const sb = await sandbox(t, { faults: { html502: ids.activeCampaign } });
	const r = await call(sb, 'POST', stopPath(ids.acmeGroup, ids.activeCampaign));
	assert.equal(r.status, 502);
	assert.equal(r.headers.get('content-type'), 'text/html');
	assert.equal(r.text, '<html><body><h1>502 Bad Gateway</h1></body></html>');
	assert.equal(sb.campaign(ids.acmeGroup, ids.activeCampaign).status, 'active');
	assertSuccess(await call(sb, 'GET', '/v1/accounts'));
	sb.setFaults({ html502: true });
	assert.equal((await call(sb, 'GET', '/v1/accounts')).status, 502);
	assert.equal(sb.requests.at(-1).fault, 'html502');
});

test('emptyBody500 answers 500 with an empty body without acting', async (t) => {
	const sb = await sandbox(t);
	sb.setFaults({ emptyBody500: [ids.activeCampaign, ids.activeCampaign2] });
	for (const id of [ids.activeCampaign, ids.activeCampaign2]) {
		const r = await call(sb, 'POST', stopPath(ids.acmeGroup, id));
		assert.equal(r.status, 500);
		assert.equal(r.text, '');
		assert.equal(r.headers.get('content-type'), null);
		assert.equal(sb.campaign(ids.acmeGroup, id).status, 'active');
	}
	assertSuccess(await call(sb, 'POST', stopPath(ids.acmeGroup, ids.activeCampaign3)));
});

test(
	'hang never answers; the client times out; close() still ends promptly',
	{ timeout: 5000 },
	async (t) => {
		const sb = await sandbox(t, { faults: { hang: ids.activeCampaign } });
		await assert.rejects(
			call(sb, 'POST', stopPath(ids.acmeGroup, ids.activeCampaign), {
				signal: AbortSignal.timeout(150),
			}),
			(error) => error.name === 'TimeoutError' || error.name === 'AbortError',
		);
		assert.equal(sb.campaign(ids.acmeGroup, ids.activeCampaign).status, 'active');
		assert.deepEqual(
			sb.stopRequests().map((e) => [e.status, e.fault, e.durationMs]),
			[[null, 'hang', null]],
		);
		// A second hung request whose client does not give up: close() must destroy it.
		const pending = new Promise((resolve) => {
			const req = http.request(sb.url + stopPath(ids.acmeGroup, ids.activeCampaign), {
				method: 'POST',
				headers: { authorization: `Bearer ${FULL}` },
			});
			req.on('response', () => resolve('answered'));
			req.on('error', () => resolve('socket closed'));
			req.end();
		});
		await sleep(50);
		const started = Date.now();
		await sb.close();
		assert.ok(Date.now() - started < 500, `close took ${Date.now() - started}ms`);
		assert.equal(await pending, 'socket closed');
	},
);

test('drop destroys the socket without acting', { timeout: 5000 }, async (t) => {
	const sb = await sandbox(t, { faults: { drop: ids.activeCampaign } });
	await assert.rejects(call(sb, 'POST', stopPath(ids.acmeGroup, ids.activeCampaign)), TypeError);
	assert.equal(sb.campaign(ids.acmeGroup, ids.activeCampaign).status, 'active');
	assert.deepEqual(
		sb.stopRequests().map((e) => [e.status, e.fault]),
		[[null, 'drop']],
	);
	sb.clearFaults();
	assertSuccess(await call(sb, 'POST', stopPath(ids.acmeGroup, ids.activeCampaign)));
});

test('dropAfterAct stops the campaign, then destroys the socket', { timeout: 5000 }, async (t) => {
	const sb = await sandbox(t);
	sb.setFaults({ dropAfterAct: ids.activeCampaign });
	await assert.rejects(call(sb, 'POST', stopPath(ids.acmeGroup, ids.activeCampaign)), TypeError);
	const after = sb.campaign(ids.acmeGroup, ids.activeCampaign);
	assert.equal(after.status, 'stopped');
	assert.notEqual(after.updatedAt, SEED.accountGroups[0].campaigns[0].updatedAt);
	sb.clearFaults();
	// The caller that checks the state first sees it stopped; a blind retry gets a 409.
	assert.equal(
		assertSuccess(await call(sb, 'GET', campaignPath(ids.acmeGroup, ids.activeCampaign))).status,
		'stopped',
	);
	assertError(
		await call(sb, 'POST', stopPath(ids.acmeGroup, ids.activeCampaign)),
		409,
		'CAMPAIGN_NOT_ACTIVE',
	);
	assert.deepEqual(
		sb.stopRequests().map((e) => [e.status, e.fault]),
		[
			[null, 'dropAfterAct'],
			[409, null],
		],
	);
});

test('setFaults rejects unknown knobs and bad values', async (t) => {
	const sb = await sandbox(t);
	assert.throws(() => sb.setFaults({ html503: true }), /unknown sandbox fault/);
	assert.throws(() => sb.setFaults({ forceStatus: { x: 200 } }), /400 to 599/);
	assert.throws(() => sb.setFaults({ rateLimit: { perSecond: 0 } }), /perSecond/);
	assert.throws(
		() => sb.setFaults({ rateLimit: { perSecond: 1, retryAfter: 'soon' } }),
		/retryAfter/,
	);
	assert.throws(() => sb.setFaults({ hang: 42 }), /hang/);
	await assert.rejects(
		startSandbox({ faults: { nope: 1 } }).then((other) => other.close()),
		/unknown sandbox fault/,
	);
	sb.setFaults({ html502: true, hang: ids.activeCampaign });
	sb.setFaults({ html502: null });
	assert.deepEqual(sb.state().faults, { hang: ids.activeCampaign });
});

// --- paging knobs -----------------------------------------------------------------

test('accountsPageSize pages GET /v1/accounts with nextCursor and hasMore', async (t) => {
	const sb = await sandbox(t);
	assert.equal('nextCursor' in assertSuccess(await call(sb, 'GET', '/v1/accounts')), false);
	sb.setFaults({ accountsPageSize: 1 });
	const first = assertSuccess(await call(sb, 'GET', '/v1/accounts'));
	assert.deepEqual(
		first.items.map((g) => g.id),
		[ids.acmeGroup],
	);
	assert.equal(first.hasMore, true);
	assert.equal(typeof first.nextCursor, 'string');
	const second = assertSuccess(
		await call(sb, 'GET', `/v1/accounts?cursor=${encodeURIComponent(first.nextCursor)}`),
	);
	assert.deepEqual(
		second.items.map((g) => g.id),
		[ids.globexGroup],
	);
	assert.equal(second.hasMore, false);
	assert.equal(second.nextCursor, null);
	assertError(await call(sb, 'GET', '/v1/accounts?cursor=garbage'), 400, 'VALIDATION_ERROR');
	assert.equal(sb.requests[2].path, `/v1/accounts?cursor=${encodeURIComponent(first.nextCursor)}`);
});

test('campaignsPageSize pages the campaign list', async (t) => {
	const sb = await sandbox(t, { faults: { campaignsPageSize: 2 } });
	const seen = [];
	const pages = [];
	let cursor = null;
	do {
		const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
		const data = assertSuccess(
			await call(sb, 'GET', `/v1/accounts/${ids.acmeGroup}/campaigns${query}`),
		);
		seen.push(...data.items.map((c) => c.id));
		pages.push([data.items.length, data.hasMore]);
		cursor = data.nextCursor;
	} while (cursor);
	assert.deepEqual(pages, [
		[2, true],
		[2, true],
		[1, false],
	]);
	assert.deepEqual(
		seen,
		SEED.accountGroups[0].campaigns.map((c) => c.id),
	);
});

// --- control routes, reset, options ---------------------------------------------------

test('control routes: requests log, state, faults, reset; never logged, never faulted', async (t) => {
	const sb = await sandbox(t);
	assertSuccess(await call(sb, 'POST', stopPath(ids.acmeGroup, ids.activeCampaign)));
	const log = await call(sb, 'GET', '/__sandbox/requests', { key: null });
	assert.equal(log.status, 200);
	assert.deepEqual(
		log.body.data.items.map((e) => [e.method, e.path, e.status, e.key, e.route]),
		[['POST', stopPath(ids.acmeGroup, ids.activeCampaign), 200, 'full_access', 'stopCampaign']],
	);

	const state = (await call(sb, 'GET', '/__sandbox/state', { key: null })).body.data;
	const acme = state.accountGroups.find((g) => g.id === ids.acmeGroup);
	assert.equal(acme.campaigns.find((c) => c.id === ids.activeCampaign).status, 'stopped');

	const set = await call(sb, 'POST', '/__sandbox/faults', {
		key: null,
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({
			hang: true,
			forceStatus: { [ids.activeCampaign2]: { status: 429, times: 1 } },
		}),
	});
	assert.equal(set.status, 200);
	assert.deepEqual(set.body.data.faults, {
		hang: true,
		forceStatus: { [ids.activeCampaign2]: { status: 429, times: 1, retryAfter: null } },
	});
	const merged = await call(sb, 'POST', '/__sandbox/faults', {
		key: null,
		body: JSON.stringify({ html502: 'x' }),
	});
	assert.deepEqual(Object.keys(merged.body.data.faults).sort(), ['forceStatus', 'hang', 'html502']);
	const invalid = await call(sb, 'POST', '/__sandbox/faults', {
		key: null,
		body: '{"nope": true}',
	});
	assertError(invalid, 400, 'VALIDATION_ERROR');
	assertError(
		await call(sb, 'POST', '/__sandbox/faults', { key: null, body: '{not json' }),
		400,
		'VALIDATION_ERROR',
	);
	// hang: true is set, yet control routes still answer.
	assert.equal((await call(sb, 'GET', '/__sandbox/faults', { key: null })).status, 200);
	assert.equal((await call(sb, 'DELETE', '/__sandbox/faults', { key: null })).status, 200);
	assert.deepEqual(sb.state().faults, {});

	assert.equal(
		(await call(sb, 'DELETE', '/__sandbox/requests', { key: null })).body.data.cleared,
		1,
	);
	assert.equal(sb.requests.length, 0);

	assertSuccess(await call(sb, 'GET', '/v1/accounts'));
	assert.equal((await call(sb, 'POST', '/__sandbox/reset', { key: null })).status, 200);
	assert.equal(sb.campaign(ids.acmeGroup, ids.activeCampaign).status, 'active');
	assert.equal(sb.requests.length, 0);

	assertError(await call(sb, 'GET', '/__sandbox/nope', { key: null }), 404, 'NOT_FOUND');
	assertError(await call(sb, 'GET', '/__sandbox/reset', { key: null }), 405, 'METHOD_NOT_ALLOWED');
});

test('reset() restores the seed, empties the same log array and clears faults', async (t) => {
	const sb = await sandbox(t, { faults: { html502: ids.activeCampaign3 } });
	const log = sb.requests;
	assertSuccess(await call(sb, 'POST', stopPath(ids.acmeGroup, ids.activeCampaign)));
	assert.equal(log.length, 1);
	sb.reset();
	assert.equal(sb.requests, log);
	assert.equal(log.length, 0);
	assert.deepEqual(
		sb.campaign(ids.acmeGroup, ids.activeCampaign),
		SEED.accountGroups[0].campaigns[0],
	);
	assertSuccess(await call(sb, 'POST', stopPath(ids.acmeGroup, ids.activeCampaign3)));
	// campaign() returns a copy.
	sb.campaign(ids.acmeGroup, ids.activeCampaign).status = 'mutated';
	assert.equal(sb.campaign(ids.acmeGroup, ids.activeCampaign).status, 'active');
	assert.equal(sb.campaign(ids.acmeGroup, ids.missingCampaign), null);
});

test('custom keys and seed; labels in the log, never the keys', async (t) => {
	const seed = {
		accountGroups: [
			{ id: 'ag_1', name: 'Solo', createdAt: '2025-01-01T00:00:00.000Z', campaigns: [] },
		],
	};
	const sb = await sandbox(t, {
		keys: {
			'my-secret-key': { permissions: ['campaigns:read'] },
			other: { label: 'ops', permissions: [] },
		},
		seed,
	});
	seed.accountGroups[0].name = 'mutated after start';
	const data = assertSuccess(await call(sb, 'GET', '/v1/accounts', { key: 'my-secret-key' }));
	assert.deepEqual(data.items, [
		{ id: 'ag_1', name: 'Solo', createdAt: '2025-01-01T00:00:00.000Z' },
	]);
	assertSuccess(await call(sb, 'GET', '/v1/accounts/ag_1/campaigns', { key: 'my-secret-key' }));
	assertError(await call(sb, 'GET', '/v1/accounts', { key: FULL }), 401, 'UNAUTHORIZED');
	assertSuccess(await call(sb, 'GET', '/v1/accounts', { key: 'other' }));
	assert.match(sb.requests[0].key, /^key_[0-9a-f]{8}$/);
	assert.equal(sb.requests[3].key, 'ops');
	assert.ok(!JSON.stringify(sb.requests).includes('my-secret-key'));
});

test('refuses non-loopback hosts; answers loopback Host headers only', async (t) => {
	for (const host of ['0.0.0.0', '::', '192.168.1.10', 'example.com']) {
		await assert.rejects(
			startSandbox({ host }).then((sb) => sb.close()),
			/loopback/,
			host,
		);
	}
	const sb = await sandbox(t, { host: 'localhost' });
	assert.match(sb.url, /^http:\/\/127\.0\.0\.1:\d+$/);
	const status = await new Promise((resolve, reject) => {
		const req = http.request(`${sb.url}/v1/accounts`, {
			headers: { host: 'evil.example', authorization: `Bearer ${FULL}` },
		});
		req.on('response', (res) => {
			res.resume();
			resolve(res.statusCode);
		});
		req.on('error', reject);
		req.end();
	});
	assert.equal(status, 421);
	assert.equal(sb.requests.length, 0);
});

// --- CLI ----------------------------------------------------------------------------

/**
 * @param {string[]} args
 * @returns {Promise<{ child: import('node:child_process').ChildProcess, firstLine: string, exited: Promise<number | null> }>}
 */
function spawnCli(args) {
	const child = spawn(process.execPath, [SERVER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
	const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
	// A CLI that never prints would run forever: kill it so the test fails instead.
	const killer = setTimeout(() => child.kill('SIGKILL'), 4000);
	const firstLine = new Promise((resolve, reject) => {
		let out = '';
		let err = '';
		child.stdout.on('data', (chunk) => {
			out += chunk;
			if (out.includes('\n')) {
				clearTimeout(killer);
				resolve(out.slice(0, out.indexOf('\n')));
			}
		});
		child.stderr.on('data', (chunk) => (err += chunk));
		child.on('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
	});
	return firstLine.then((line) => ({ child, firstLine: line, exited }));
}

test('CLI starts, prints its URL, serves, and exits on SIGTERM', { timeout: 5000 }, async () => {
	const { child, firstLine, exited } = await spawnCli([
		'--port',
		'0',
		'--rate-limit',
		'1',
		'--retry-after',
		'date',
	]);
	try {
		const match = /^Sonarly sandbox listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(firstLine);
		assert.ok(match, firstLine);
		const headers = { authorization: `Bearer ${FULL}` };
		assert.equal((await fetch(`${match[1]}/v1/accounts`, { headers })).status, 200);
		const limited = await fetch(`${match[1]}/v1/accounts`, { headers });
		assert.equal(limited.status, 429);
		assert.ok(!Number.isNaN(Date.parse(limited.headers.get('retry-after'))));
	} finally {
		child.kill('SIGTERM');
	}
	assert.equal(await exited, 0);
});

test('CLI rejects bad arguments and non-loopback hosts', { timeout: 5000 }, async () => {
	const run = (args) =>
		new Promise((resolve) => {
			const child = spawn(process.execPath, [SERVER, ...args], {
				stdio: ['ignore', 'ignore', 'pipe'],
			});
			// A CLI that wrongly starts would run forever: kill it so the assertion can fail.
			const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
			let err = '';
			child.stderr.on('data', (chunk) => (err += chunk));
			child.on('exit', (code) => {
				clearTimeout(killer);
				resolve({ code, err });
			});
		});
	const badPort = await run(['--port', 'abc']);
	assert.equal(badPort.code, 2);
	assert.match(badPort.err, /--port/);
	const badRetry = await run(['--rate-limit', '3', '--retry-after', 'later']);
	assert.equal(badRetry.code, 2);
	const publicHost = await run(['--host', '0.0.0.0', '--port', '0']);
	assert.equal(publicHost.code, 1);
	assert.match(publicHost.err, /loopback/);
});

test('requiring the module does not start a server', () => {
	const { execFileSync } = require('node:child_process');
	const out = execFileSync(
		process.execPath,
		['-e', `require(${JSON.stringify(SERVER)}); console.log('loaded')`],
		{
			timeout: 5000,
		},
	).toString();
	assert.equal(out.trim(), 'loaded');
});
