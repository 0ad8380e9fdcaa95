/**
 * The credential's Test button and the node must agree on which Base URLs they accept and where
 * they send the request. The node uses resolveBaseUrl (WHATWG URL); the credential test can
 * only use an n8n expression (no `URL` there), evaluated here by n8n's own expression engine
 * (n8n-workflow 2.x, and 1.x through the jest project mapping).
 */
import fc from 'fast-check';
import { Workflow, type INode, type INodeTypes } from 'n8n-workflow';

import { SonarlyApi } from '../credentials/SonarlyApi.credentials';
import { resolveBaseUrl } from '../nodes/Sonarly/transport';
import { BASE_URL_CASES } from './support/base-url-cases';

const credential = new SonarlyApi();

const node: INode = {
	id: 'credential-test',
	name: 'Temp-Node',
	type: 'test.noop',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const nodeTypes = {
	getByName: () => ({ description: { properties: [] } }),
	getByNameAndVersion: () => ({ description: { properties: [] } }),
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;
const workflow = new Workflow({
	id: 'wf',
	nodes: [node],
	connections: {},
	active: false,
	nodeTypes,
});

/** What the Test button's request goes to: base URL + /v1/accounts, as n8n's HTTP client joins them. */
function credentialTestUrl(baseUrl: unknown): string | null {
	const expression = credential.test.request.baseURL;
	const resolved = workflow.expression.getSimpleParameterValue(node, expression, 'internal', {
		$credentials: { apiKey: 'sk_test_not_used', baseUrl },
	} as never);
	expect(typeof resolved).toBe('string');
	try {
		return new URL(`${String(resolved)}${credential.test.request.url}`).href;
	} catch {
		// No HTTP client sends a request to an invalid URL: the test fails before sending.
		return null;
	}
}

/** Where the node sends GET /v1/accounts for the same credential, or null when it refuses. */
function nodeUrl(baseUrl: unknown): string | null {
	const outcome = resolveBaseUrl(baseUrl);
	return outcome.ok ? new URL(`${outcome.value}/v1/accounts`).href : null;
}

describe('credential Test button: Base URL', () => {
	it('is a short expression (one pattern, no repeated sub-expressions)', () => {
		const expression = String(credential.test.request.baseURL);
		expect(expression.length).toBeLessThan(300);
		expect(expression.match(/\$credentials\.baseUrl/g)).toHaveLength(1);
	});

	it.each([
		['the default when empty', '', 'https://api.sonarly.io/v1/accounts'],
		['the default when blank', '   ', 'https://api.sonarly.io/v1/accounts'],
		['the default when missing', undefined, 'https://api.sonarly.io/v1/accounts'],
		['the default itself', 'https://api.sonarly.io', 'https://api.sonarly.io/v1/accounts'],
		['a trailing slash', 'https://api.sonarly.io/', 'https://api.sonarly.io/v1/accounts'],
		['several trailing slashes', 'https://api.sonarly.io///', 'https://api.sonarly.io/v1/accounts'],
		['a typed /v1', 'https://api.sonarly.io/v1', 'https://api.sonarly.io/v1/accounts'],
		['a typed /v1/', 'https://api.sonarly.io/v1/', 'https://api.sonarly.io/v1/accounts'],
		['a typed /V1 in capitals', 'https://api.sonarly.io/V1', 'https://api.sonarly.io/v1/accounts'],
		['spaces around it', '  https://api.sonarly.io/  ', 'https://api.sonarly.io/v1/accounts'],
		['capitals in scheme and host', 'HTTPS://API.Sonarly.IO', 'https://api.sonarly.io/v1/accounts'],
		[
			'a local http test server with a port',
			'http://127.0.0.1:8787',
			'http://127.0.0.1:8787/v1/accounts',
		],
		['an IPv6 loopback', 'http://[::1]:8787/', 'http://[::1]:8787/v1/accounts'],
		[
			'a proxy path',
			'https://proxy.example.com/sonarly',
			'https://proxy.example.com/sonarly/v1/accounts',
		],
		[
			'a proxy path ending in /v1/',
			'https://proxy.example.com/sonarly/v1/',
			'https://proxy.example.com/sonarly/v1/accounts',
		],
		[
			'only the last /v1 is dropped',
			'https://proxy.example.com/v1/v1',
			'https://proxy.example.com/v1/v1/accounts',
		],
		[
			'backslashes, as WHATWG URL reads them',
			'http://127.0.0.1:8787\\v1\\',
			'http://127.0.0.1:8787/v1/accounts',
		],
		// A host that happens to be called "v1" is a host, not the /v1 suffix.
		['a host named v1', 'https://v1', 'https://v1/v1/accounts'],
		['a host named v1, trailing slash', 'http://V1/', 'http://v1/v1/accounts'],
		['a host named v1 with a port and /v1', 'http://v1:8080/v1', 'http://v1:8080/v1/accounts'],
		['a doubled slash before /v1', 'https://proxy.example.com//v1', 'https://proxy.example.com//v1/accounts'],
	])('accepts %s, like the node', (_name, input, expected) => {
		expect(nodeUrl(input)).toBe(expected);
		expect(credentialTestUrl(input)).toBe(expected);
	});

	it.each([
		['another scheme', 'ftp://api.sonarly.io'],
		['a javascript: URL', 'javascript:alert(1)'],
		['a file URL', 'file:///etc/passwd'],
		['no scheme', 'api.sonarly.io'],
		['a relative path', '/v1'],
		['a user name', 'https://user@api.sonarly.io'],
		['a user name and password', 'https://user:secret@api.sonarly.io'],
		['a query', 'https://api.sonarly.io/?debug=1'],
		['a fragment', 'https://api.sonarly.io/#x'],
		['a space in the host', 'https://api sonarly.io'],
		['only a scheme', 'https://'],
		['a port out of range', 'https://api.sonarly.io:99999'],
	])('refuses %s, like the node, without sending anything', (_name, input) => {
		expect(nodeUrl(input)).toBeNull();
		expect(credentialTestUrl(input)).toBeNull();
	});

	// The few inputs where WHATWG URL is more lenient than the pattern. The credential test is
	// stricter there (it fails, nothing is sent); nobody types these on purpose.
	it.each([
		['an empty user name', 'https://@api.sonarly.io', 'https://api.sonarly.io/v1/accounts'],
		['an empty query', 'https://api.sonarly.io?', 'https://api.sonarly.io/v1/accounts'],
		['an empty fragment', 'https://api.sonarly.io#', 'https://api.sonarly.io/v1/accounts'],
		[
			'missing slashes after the scheme',
			'https:api.sonarly.io',
			'https://api.sonarly.io/v1/accounts',
		],
		// WHATWG URL resolves dot segments (also written %2e) before the node drops a trailing
		// /v1; a pattern cannot, and would send the Test to /v1/v1/accounts.
		['a "." segment after /v1', 'https://proxy.example.com/v1/.', 'https://proxy.example.com/v1/accounts'],
		['a "./" after /v1', 'https://proxy.example.com/v1/./', 'https://proxy.example.com/v1/accounts'],
		['a "%2E" segment after /v1', 'https://proxy.example.com/v1/%2E', 'https://proxy.example.com/v1/accounts'],
		[
			'a ".." segment that climbs back to /v1',
			'https://proxy.example.com/v1/x/..',
			'https://proxy.example.com/v1/accounts',
		],
		// WHATWG URL drops tabs and line breaks anywhere in a URL.
		['a tab inside the path', 'https://proxy.example.com/v1\t/', 'https://proxy.example.com/v1/accounts'],
	])('is stricter than the node only for %s', (_name, input, nodeAccepts) => {
		expect(nodeUrl(input)).toBe(nodeAccepts);
		expect(credentialTestUrl(input)).toBeNull();
	});
});

describe('credential Test button: any Base URL', () => {
	// Pieces people (and fuzzers) put into a Base URL; joined in any order.
	const piece = fc.constantFrom(
		'https://', 'http://', 'HTTPS://', 'https:', 'https:\\\\', 'api.sonarly.io', 'x.io', 'v1', 'V1',
		':8080', ':', '@', 'user:pw@', '/', '//', '\\', '/v1', '.', '..', '%2e', '%2E', '?', '#', ' ',
		'\t', '\n', '[::1]', 'a', '%20', '%', ';', '\u00a0', '\u3002', '-', '~',
	);

	it('never sends the Test anywhere the node would not send its requests', () => {
		fc.assert(
			fc.property(fc.array(piece, { minLength: 1, maxLength: 8 }), (parts) => {
				const input = parts.join('');
				const testGoesTo = credentialTestUrl(input);
				// Nowhere (the Test fails without sending), or exactly where the node goes.
				return testGoesTo === null || testGoesTo === nodeUrl(input);
			}),
			{ numRuns: 3000 },
		);
	});
});

describe('credential Test button: the Base URLs the node tests with', () => {
	it.each(BASE_URL_CASES)('$label: the Test button goes where the node goes, or nowhere', ({ baseUrl, expect: expected }) => {
		expect(credentialTestUrl(baseUrl)).toBe(nodeUrl(baseUrl));
		expect(nodeUrl(baseUrl)).toBe('base' in expected ? new URL(`${expected.base}/v1/accounts`).href : null);
	});
});

describe('credential Test button: failure messages', () => {
	const rules = (credential.test.rules ?? []) as Array<{
		type: string;
		properties: { value: number; message: string };
	}>;
	const messageFor = (status: number) =>
		rules.find((rule) => rule.type === 'responseCode' && rule.properties.value === status)
			?.properties.message;

	it('words a refused key (401) with what to fix', () => {
		expect(messageFor(401)).toMatch(/did not accept this API key/);
		expect(messageFor(401)).toMatch(/paste it into API Key/);
	});

	it.each([403, 404, 429, 500, 502, 503, 504])('words HTTP %i with what to do', (status) => {
		const message = messageFor(status);
		expect(message).toBeDefined();
		expect(message).toMatch(/\.$/);
		expect(message).not.toMatch(/unauthorized|forbidden|ERR_/i);
	});

	it('points the 404 at the Base URL', () => {
		expect(messageFor(404)).toMatch(/Base URL/);
	});

	it('links the documentation without an anchor (n8n appends a query string)', () => {
		expect(credential.documentationUrl).toMatch(/^https:\/\//);
		expect(credential.documentationUrl).not.toContain('#');
	});
});
