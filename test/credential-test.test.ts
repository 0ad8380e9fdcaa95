/**
 * The credential's Test button as n8n runs it (RoutingNode sends `test.request` with the
 * credential through httpRequestWithAuthentication; `test.rules` word the result), on n8n-core
 * 2.x and 1.x. What the user sees: where the key went, and the message.
 * The same checks against a real n8n: test/e2e/credential-test.test.mjs.
 */
import { NodeApiError, type INode, type JsonObject } from 'n8n-workflow';

import { SonarlyApi } from '../credentials/SonarlyApi.credentials';
import { TEST_API_KEY } from './harness/engine';
import { runCredentialTest } from './harness/workflow-engine';
import { fakeSonarly, unmatched, useNock } from './support/sonarly';

const credential = new SonarlyApi();
const PROXY = 'https://proxy.example.com';
const ELSEWHERE = 'https://elsewhere.example.net';
const ACCOUNTS = { success: true, data: { items: [{ id: 'ag_1', name: 'Acme' }] }, error: null };

useNock();

/**
 * n8n 1.x's errors drop a cause that is an Error (ExecutionBaseError declares a `cause` class
 * field, which resets it after construction), so its credential tester never sees the status
 * or code of a failed Test: no `responseCode` rule applies and the user sees the error's own
 * message. n8n 2.x keeps the cause. The key is protected the same way on both.
 */
const testerSeesStatus =
	new NodeApiError(
		{ name: 'Temp-Node' } as INode,
		Object.assign(new Error('failed'), { response: { status: 302 } }) as unknown as JsonObject,
	).cause !== undefined;

async function testCredential(baseUrl: string) {
	return await runCredentialTest(credential, { apiKey: TEST_API_KEY, baseUrl });
}

describe('credential Test button: redirects', () => {
	it.each([301, 302, 303, 307, 308])(
		'a Base URL that answers %i: the key never reaches the other host, and the message says what to set',
		async (status) => {
			const atProxy = fakeSonarly(
				() => ({ status, headers: { Location: `${ELSEWHERE}/v1/accounts` } }),
				PROXY,
			);
			const elsewhere = fakeSonarly(() => ({ status: 200, body: ACCOUNTS }), ELSEWHERE);

			const result = await testCredential(PROXY);

			expect(atProxy.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/accounts']);
			expect(atProxy[0].authorization).toBe(`Bearer ${TEST_API_KEY}`);
			// Not followed at all: nothing, with or without the key, went to the other host.
			expect(elsewhere).toEqual([]);
			expect(unmatched).toEqual([]);
			expect(result).toMatchObject({
				status: 'Error',
				message: testerSeesStatus
					? `The Base URL redirects (HTTP ${status}): set it to the API itself, https://api.sonarly.io, or your proxy's address.`
					: `Request failed with status code ${status}`,
			});
			expect(result.message).not.toContain(TEST_API_KEY);
		},
	);

	it('a redirect to the same host is not followed either (the node does not follow it)', async () => {
		const log = fakeSonarly(
			(request) =>
				request.path === '/v1/accounts'
					? { status: 302, headers: { Location: `${PROXY}/api/v1/accounts` } }
					: { status: 200, body: ACCOUNTS },
			PROXY,
		);
		const result = await testCredential(PROXY);
		expect(log.map((r) => r.path)).toEqual(['/v1/accounts']);
		expect(result.message).toMatch(testerSeesStatus ? /^The Base URL redirects \(HTTP 302\)/ : /status code 302$/);
	});
});

describe('credential Test button: how long it waits', () => {
	it('gives n8n\'s HTTP client a 15 s timeout and no redirects (n8n\'s own default is 300 s)', async () => {
		fakeSonarly(() => ({ status: 200, body: ACCOUNTS }), PROXY);
		const result = await testCredential(PROXY);
		expect(result.status).toBe('OK');
		expect(result.sent).toHaveLength(1);
		expect(result.sent[0]).toMatchObject({
			baseURL: PROXY,
			url: '/v1/accounts',
			method: 'GET',
			timeout: 15_000,
			disableFollowRedirect: true,
		});
	});

	it('an answer slower than the timeout ends the Test with n8n\'s timeout message', async () => {
		// Shortened through the same option the credential sets, so that this runs in a second;
		// the real 15 s wait against a server that never answers is in the e2e test.
		const quick = Object.create(credential) as SonarlyApi;
		quick.authenticate = async (credentials, options) => ({
			...(await credential.authenticate(credentials, options)),
			timeout: 300,
		});
		fakeSonarly(() => ({ status: 200, body: ACCOUNTS, delayMs: 2_000 }), PROXY);
		const result = await runCredentialTest(quick, { apiKey: TEST_API_KEY, baseUrl: PROXY });
		expect(result).toMatchObject({
			status: 'Error',
			// No rule can word a failure without an answer: 2.x shows the code, 1.x its own text.
			message: testerSeesStatus ? 'ECONNABORTED' : 'The connection was aborted, perhaps the server is offline',
		});
	});
});

describe('credential Test button: answers the node would refuse', () => {
	it('passes for Sonarly\'s envelope', async () => {
		fakeSonarly(() => ({ status: 200, body: ACCOUNTS }), PROXY);
		expect(await testCredential(PROXY)).toMatchObject({ status: 'OK' });
	});

	it.each([
		['an HTML page', '<!doctype html><html><body>Welcome</body></html>'],
		['JSON without the envelope', { accounts: [] }],
		['an envelope that says it failed', { success: false, data: null, error: null }],
		['an envelope without data', { success: true }],
		['an empty body', ''],
	])('fails for a 200 with %s, saying the Base URL is not the Sonarly API', async (_name, body) => {
		fakeSonarly(() => ({ status: 200, body }), PROXY);
		const result = await testCredential(PROXY);
		expect(result).toMatchObject({
			status: 'Error',
			message: expect.stringMatching(/^The Base URL answered, but not like the Sonarly API/),
		});
	});

	it('still words a refused key with its own rule (on n8n 2.x)', async () => {
		fakeSonarly(
			() => ({ status: 401, body: { success: false, data: null, error: { code: 'UNAUTHORIZED', message: 'Invalid API key' } } }),
			PROXY,
		);
		expect((await testCredential(PROXY)).message).toMatch(
			testerSeesStatus ? /^Sonarly did not accept this API key\./ : /^Authorization failed - please check your credentials$/,
		);
	});
});
