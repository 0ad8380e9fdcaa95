/**
 * The node and credential descriptions: the public names other workflows depend on, the
 * rules n8n's editor relies on, and one snapshot of every form a user sees.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { SonarlyApi } from '../../credentials/SonarlyApi.credentials';
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
		expect((resource.options as INodePropertyOptions[]).map((o) => o.value)).toEqual(['accountGroup', 'campaign']);
		expect(resource.default).toBe('campaign');
		expect((operationsOf('campaign').options as INodePropertyOptions[]).map((o) => o.value)).toEqual([
			'get',
			'getAll',
			'start',
			'stop',
		]);
		expect(operationsOf('campaign').default).toBe('stop');
	});

	it('gives every operation an action, and lists operations and options alphabetically', () => {
		const sorted = (names: string[]) => expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		for (const resource of ['accountGroup', 'campaign']) {
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
		expect(credential.authenticate).toEqual({
			type: 'generic',
			properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
		});
		expect(credential.test.request).toMatchObject({ method: 'GET', url: '/v1/accounts' });
	});
});
