/**
 * The node and credential descriptions: the public names other workflows depend on, the
 * rules n8n's editor relies on, and one snapshot of every form a user sees.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { CREDENTIAL_TEST_TIMEOUT_MS, SonarlyApi } from '../../credentials/SonarlyApi.credentials';
import { Sonarly } from '../../nodes/Sonarly/Sonarly.node';
import packageJson from '../../package.json';
import codex from '../../nodes/Sonarly/Sonarly.node.json';

const node = new Sonarly();
const { properties } = node.description;

const operationsOf = (resource: string) =>
	properties.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource)) as INodeProperties;

const shownFor = (resource: string, operation: string) =>
	properties.filter(
		(p) => p.displayOptions?.show?.resource?.includes(resource) && p.displayOptions?.show?.operation?.includes(operation),
	);

const OPERATIONS = [
	['accountGroup', 'getAll'],
	['campaign', 'get'],
	['campaign', 'getAll'],
	['campaign', 'start'],
	['campaign', 'stop'],
	['prospectingJob', 'get'],
	['prospectingJob', 'start'],
] as const;

describe('the node description', () => {
	it('keeps the public names that saved workflows depend on', () => {
		expect(node.description).toMatchObject({
			name: 'sonarly',
			displayName: 'Sonarly',
			version: 1,
			usableAsTool: expect.anything(),
			credentials: [{ name: 'sonarlyApi', required: true }],
			icon: { light: 'file:../../icons/sonarly.svg', dark: 'file:../../icons/sonarly.dark.svg' },
		});
		const resource = properties.find((p) => p.name === 'resource') as INodeProperties;
		expect((resource.options as INodePropertyOptions[]).map((o) => o.value)).toEqual([
			'accountGroup',
			'audience',
			'audienceFolder',
			'campaign',
			'contentSlot',
			'message',
			'prospect',
			'prospectingJob',
			'salesNavigator',
			'signalScan',
			'signalSpecification',
			'valueProposition',
		]);
		expect(resource.default).toBe('campaign');
		expect((operationsOf('campaign').options as INodePropertyOptions[]).map((o) => o.value)).toEqual([
			'create',
			'delete',
			'duplicate',
			'get',
			'getAll',
			'getStarterTemplates',
			'start',
			'stop',
		]);
		expect(operationsOf('campaign').default).toBe('stop');
	});

	it('gives every operation an action, and lists operations and options alphabetically', () => {
		const sorted = (names: string[]) => expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		for (const resource of (properties.find((p) => p.name === 'resource')?.options as INodePropertyOptions[]).map((o) => String(o.value))) {
			const options = operationsOf(resource).options as INodePropertyOptions[];
			sorted(options.map((o) => o.name));
			for (const option of options) expect(option.action).toEqual(expect.any(String));
		}
		for (const property of properties.filter((p) => p.type === 'collection')) {
			sorted((property.options as INodeProperties[]).map((o) => o.displayName));
		}
	});

	it('uses the same Account Group and Campaign locators for Get, Start and Stop', () => {
		const locators = (operation: string) =>
			shownFor('campaign', operation)
				.filter((p) => p.type === 'resourceLocator')
				.map((locator) => ({ ...locator, displayOptions: undefined }));
		expect(locators('get').map((p) => p.name)).toEqual(['accountGroupId', 'campaignId']);
		expect(locators('start')).toEqual(locators('get'));
		expect(locators('stop')).toEqual(locators('get'));
		for (const locator of locators('get')) {
			expect(locator.modes?.map((mode) => mode.name)).toEqual(['list', 'id']);
			const method = locator.modes?.[0].typeOptions?.searchListMethod as string;
			expect(Object.keys(node.methods.listSearch)).toContain(method);
		}
	});

	it.each([
		['accountGroup', 'getAll'],
		['campaign', 'getAll'],
	])('%s → %s shows Limit only while Return All is off (n8n then drops it)', (resource, operation) => {
		const limit = shownFor(resource, operation).find((p) => p.name === 'limit') as INodeProperties;
		expect(limit.displayOptions?.show?.returnAll).toEqual([false]);
	});

	it.each(OPERATIONS)('%s → %s shows the form in the snapshot', (resource, operation) => {
		const form = shownFor(resource, operation).map((p) => ({
			name: p.name,
			label: p.displayName,
			type: p.type,
			default: p.default,
			...(p.type === 'collection' ? { options: (p.options as INodeProperties[]).map((o) => [o.name, o.displayName, o.default]) } : {}),
		}));
		expect(form).toMatchSnapshot();
	});

	it('points the package at the built node and credential, with a codex for the node type', () => {
		expect(packageJson.n8n.nodes).toEqual([
			'dist/nodes/Sonarly/Sonarly.node.js',
			'dist/nodes/Sonarly/SonarlyTrigger.node.js',
		]);
		expect(packageJson.n8n.credentials).toEqual(['dist/credentials/SonarlyApi.credentials.js']);
		expect(packageJson.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect((packageJson as { dependencies?: unknown }).dependencies).toBeUndefined();
		expect(packageJson.keywords).toContain('n8n-community-node-package');
		expect(codex.node).toBe('n8n-nodes-sonarly.sonarly');
	});
});

describe('the credential', () => {
	const credential = new SonarlyApi();

	it('is "Sonarly API": a password API key sent as a Bearer token, a Base URL defaulting to Sonarly', () => {
		expect(credential.name).toBe('sonarlyApi');
		const [apiKey, baseUrl] = credential.properties;
		expect(apiKey).toMatchObject({ name: 'apiKey', required: true, typeOptions: { password: true } });
		expect(baseUrl).toMatchObject({ name: 'baseUrl', default: 'https://api.sonarly.io' });
		expect(credential.test.request).toMatchObject({ method: 'GET', url: '/v1/accounts' });
	});

	it('sends the key as a Bearer token, never on to another host, and leaves the node\'s own request settings alone', async () => {
		const nodeRequest = {
			method: 'POST' as const,
			url: 'https://api.sonarly.io/v1/accounts/ag_1/campaigns/c_1/stop',
			headers: { 'Idempotency-Key': 'k-1' },
			timeout: 45_000,
			disableFollowRedirect: true,
		};
		await expect(credential.authenticate({ apiKey: 'sk_test_x', baseUrl: '' }, nodeRequest)).resolves.toEqual({
			...nodeRequest,
			headers: { 'Idempotency-Key': 'k-1', Authorization: 'Bearer sk_test_x' },
			sendCredentialsOnCrossOriginRedirect: false,
		});
		// n8n's HTTP Request node ("Custom API Call") sends `uri`: only the header is added, and a
		// redirect it follows to another host does not take the key along.
		const httpNodeRequest = { uri: 'https://api.sonarly.io/v1/accounts', method: 'GET', timeout: 300_000 };
		await expect(credential.authenticate({ apiKey: 'sk_test_x' }, httpNodeRequest as never)).resolves.toEqual({
			...httpNodeRequest,
			headers: { Authorization: 'Bearer sk_test_x' },
			sendCredentialsOnCrossOriginRedirect: false,
		});
	});

	it('keeps authenticate as its own property (n8n adds "Custom API Call" from a copy of it)', () => {
		expect(typeof { ...credential }.authenticate).toBe('function');
	});

	it('bounds the Test button\'s request: 15 s, no redirects, the key never sent on to another host', async () => {
		// What n8n's credential tester hands over: its own 300 s timeout replaced ours.
		const testRequest = { baseURL: 'https://api.sonarly.io', url: '/v1/accounts', method: 'GET' as const, timeout: 300_000 };
		await expect(credential.authenticate({ apiKey: 'sk_test_x' }, testRequest)).resolves.toEqual({
			...testRequest,
			headers: { Authorization: 'Bearer sk_test_x' },
			timeout: CREDENTIAL_TEST_TIMEOUT_MS,
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
		});
		expect(CREDENTIAL_TEST_TIMEOUT_MS).toBe(15_000);
	});
});
