// The credential's Test button in a real n8n (POST /rest/credentials/test, as the editor sends
// it) against Base URLs that misbehave, each a small server on 127.0.0.1:
// - one that answers 301/302/303/307/308 pointing at a SECOND local server: the second server
//   must receive nothing (n8n would otherwise send the Authorization header along), and the
//   result says the Base URL redirects;
// - one that accepts the connection and never answers: the Test ends after the credential's
//   15 s timeout (n8n's own default is 300 s);
// - one that answers 200 with an HTML page: the Test fails, as the node would.
// The credential's `authenticate` is a function (it sets the Test's timeout); the last checks
// show that n8n still treats it as before: an HTTP Request node with the credential sends the
// Bearer key, and the node still gets n8n's "Custom API Call" entry.
// Engine-level twin: test/credential-test.test.ts.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';

import * as h from './n8n.mjs';

const OWNER = {
	email: 'e2e@example.com',
	firstName: 'Sonarly',
	lastName: 'E2E',
	password: 'Sonarly-e2e-1',
};
const API_KEY = 'sk_test_full_access';
const REDIRECTS = [301, 302, 303, 307, 308];
const ACCOUNTS = JSON.stringify({ success: true, data: { items: [] }, error: null, traceId: 't' });
/** The credential's Test timeout (credentials/SonarlyApi.credentials.ts). */
const TEST_TIMEOUT_MS = 15_000;

/**
 * What each n8n line shows. n8n 1.x's errors drop an Error cause, so its credential tester
 * never sees the HTTP status of a failed Test: no responseCode rule applies there, and it shows
 * the error's own message (the key is kept from the second server all the same).
 */
const SHOWS = {
	[h.N8N_V2]: {
		redirect: (status) =>
			`The Base URL redirects (HTTP ${status}): set it to the API itself, https://api.sonarly.io, or your proxy's address.`,
		timeout: 'ECONNABORTED',
	},
	[h.N8N_V1]: {
		redirect: (status) => `Request failed with status code ${status}`,
		timeout: 'The connection was aborted, perhaps the server is offline',
	},
};

/** An HTTP Request node that calls `url` with the Sonarly credential (predefined type). */
function httpRequestWorkflow(url) {
	return h.workflow({
		id: 'sonarlyCredHttp01',
		name: 'e2e credential in HTTP Request',
		nodes: [
			h.manualTrigger('Start', [0, 0]),
			{
				id: 'b4d1a7c2-0000-4000-8000-000000000001',
				name: 'HTTP Request',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [220, 0],
				parameters: {
					url,
					authentication: 'predefinedCredentialType',
					nodeCredentialType: h.CREDENTIAL_TYPE,
					options: {},
				},
				credentials: { [h.CREDENTIAL_TYPE]: { id: h.CREDENTIAL_ID, name: h.CREDENTIAL_NAME } },
			},
		],
	});
}

/** A server on 127.0.0.1 that logs every request and answers with `handle` (or never). */
async function localServer(handle) {
	const requests = [];
	const sockets = new Set();
	const server = http.createServer((req, res) => {
		requests.push({ method: req.method, path: req.url, authorization: req.headers.authorization });
		handle?.(req, res);
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${server.address().port}`;
	return {
		url,
		requests,
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}

for (const version of h.testedVersions()) {
	describe(`n8n ${version}: credential Test button against a misbehaving Base URL`, () => {
		let second;
		let redirecting;
		let hanging;
		let session;
		let server;
		let rest;
		let httpRequestRun;
		let httpRequestHits;

		before(async () => {
			await h.ensureBuilt();
			second = await localServer((_req, res) => {
				res.writeHead(200, { 'content-type': 'application/json' }).end(ACCOUNTS);
			});
			// /r<status>/v1/accounts answers <status> pointing at the second server;
			// /html/v1/accounts answers an HTML page.
			redirecting = await localServer((req, res) => {
				const redirect = /^\/r(\d{3})\//.exec(req.url ?? '');
				if (redirect) {
					res.writeHead(Number(redirect[1]), { location: `${second.url}/v1/accounts` }).end();
				} else {
					res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><p>Welcome</p>');
				}
			});
			hanging = await localServer(null);
			session = await h.openSession({ version });
			await session.importCredentials(h.sonarlyCredential({ apiKey: API_KEY, baseUrl: second.url }));
			await session.importWorkflows(httpRequestWorkflow(`${second.url}/v1/accounts?via=http-request`));
			httpRequestRun = await session.execute('sonarlyCredHttp01');
			httpRequestHits = second.requests.splice(0);
			server = await h.startN8nServer(session);
			rest = await h.ownerLogin(server, OWNER);
		});

		after(async () => {
			await server?.stop();
			await session?.close();
			await Promise.all([second, redirecting, hanging].map((s) => s?.close()));
		});

		async function testCredential(baseUrl) {
			const started = Date.now();
			const response = await rest('POST', '/credentials/test', {
				credentials: {
					id: h.CREDENTIAL_ID,
					name: h.CREDENTIAL_NAME,
					type: h.CREDENTIAL_TYPE,
					data: { apiKey: API_KEY, baseUrl },
				},
			});
			assert.equal(response.status, 200, response.text);
			return { ...response.json.data, ms: Date.now() - started };
		}

		it('passes against the second server itself (it answers like Sonarly)', async () => {
			const result = await testCredential(second.url);
			assert.equal(result.status, 'OK', result.message);
			assert.deepEqual(second.requests, [
				{ method: 'GET', path: '/v1/accounts', authorization: `Bearer ${API_KEY}` },
			]);
			second.requests.length = 0;
		});

		for (const status of REDIRECTS) {
			it(`a Base URL answering ${status}: nothing reaches the second server, and the result says so`, async () => {
				const result = await testCredential(`${redirecting.url}/r${status}`);
				assert.deepEqual(
					redirecting.requests.filter((r) => r.path === `/r${status}/v1/accounts`),
					[{ method: 'GET', path: `/r${status}/v1/accounts`, authorization: `Bearer ${API_KEY}` }],
				);
				// Not one request, with or without the key.
				assert.deepEqual(second.requests, []);
				assert.equal(result.status, 'Error');
				assert.equal(result.message, SHOWS[version].redirect(status));
				assert.ok(!result.message.includes(API_KEY));
			});
		}

		it('a Base URL that never answers: the Test ends after the 15 s timeout, not n8n\'s 300 s', async () => {
			const result = await testCredential(hanging.url);
			process.stderr.write(`[e2e] n8n ${version}: hanging Base URL: ${JSON.stringify(result)}\n`);
			assert.equal(result.status, 'Error');
			assert.equal(result.message, SHOWS[version].timeout);
			assert.deepEqual(hanging.requests.map((r) => r.path), ['/v1/accounts']);
			assert.ok(result.ms >= TEST_TIMEOUT_MS - 1000, `ended after ${result.ms} ms, before the timeout`);
			assert.ok(result.ms < TEST_TIMEOUT_MS + 15_000, `ended after ${result.ms} ms`);
		});

		it('an HTTP Request node with the credential still sends the Bearer key', () => {
			assert.equal(httpRequestRun.exitCode, 0, httpRequestRun.stdout.slice(-2000));
			assert.deepEqual(httpRequestHits, [
				{ method: 'GET', path: '/v1/accounts?via=http-request', authorization: `Bearer ${API_KEY}` },
			]);
			assert.deepEqual(h.outputItems(httpRequestRun.runData, 'HTTP Request'), [JSON.parse(ACCOUNTS)]);
		});

		it('the node still offers n8n\'s "Custom API Call"', async () => {
			const response = await fetch(`${server.url}/types/nodes.json`, {
				headers: { cookie: rest.cookie, 'browser-id': 'sonarly-e2e' },
				signal: AbortSignal.timeout(30_000),
			});
			assert.equal(response.status, 200);
			const types = await response.json();
			const sonarly = types.find((t) => t.name === h.NODE_TYPE);
			const resource = sonarly.properties.find((p) => p.name === 'resource');
			assert.ok(resource.options.some((o) => o.value === '__CUSTOM_API_CALL__'), JSON.stringify(resource.options));
		});

		it('a Base URL answering 200 with an HTML page fails, as the node would', async () => {
			const result = await testCredential(`${redirecting.url}/html`);
			assert.equal(result.status, 'Error');
			assert.match(result.message, /^The Base URL answered, but not like the Sonarly API/);
		});
	});
}
