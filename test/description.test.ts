import type { INodeProperties } from 'n8n-workflow';

import { SonarlyApi } from '../credentials/SonarlyApi.credentials';
import { Sonarly } from '../nodes/Sonarly/Sonarly.node';
import packageJson from '../package.json';
import codex from '../nodes/Sonarly/Sonarly.node.json';

const node = new Sonarly();
const credential = new SonarlyApi();

function property(name: string, operation = 'stop'): INodeProperties {
	const found = node.description.properties.find(
		(candidate) =>
			candidate.name === name &&
			(candidate.displayOptions?.show?.operation === undefined ||
				candidate.displayOptions.show.operation.includes(operation)),
	);
	if (!found) throw new Error(`no property ${name}`);
	return found;
}

describe('the node description', () => {
	it('has the fixed public names', () => {
		expect(node.description).toMatchObject({
			name: 'sonarly',
			displayName: 'Sonarly',
			version: 1,
			usableAsTool: true,
			credentials: [{ name: 'sonarlyApi', required: true }],
			icon: { light: 'file:../../icons/sonarly.svg', dark: 'file:../../icons/sonarly.dark.svg' },
		});
		expect(node.description.subtitle).toContain('$parameter["operation"]');
	});

	it('offers Campaign → Stop with the action "Stop campaign"', () => {
		const resource = property('resource');
		expect(resource.options).toEqual(expect.arrayContaining([{ name: 'Campaign', value: 'campaign' }]));
		const operation = node.description.properties.find(
			(candidate) => candidate.name === 'operation' && candidate.displayOptions?.show?.resource?.includes('campaign'),
		);
		expect(operation?.options).toEqual(
			expect.arrayContaining([expect.objectContaining({ value: 'stop', action: 'Stop campaign' })]),
		);
	});

	it('takes both ids as resource locators with a searchable list and an id mode', () => {
		for (const [name, method] of [
			['accountGroupId', 'searchAccountGroups'],
			['campaignId', 'searchCampaigns'],
		]) {
			const locator = property(name);
			expect(locator.type).toBe('resourceLocator');
			expect(locator.required).toBe(true);
			expect(locator.modes?.map((mode) => mode.name)).toEqual(['list', 'id']);
			expect(locator.modes?.[0].typeOptions).toEqual({ searchListMethod: method, searchable: true });
			expect(Object.keys(node.methods.listSearch)).toContain(method);
		}
	});

	it('has the Stop options with their defaults, in alphabetical order', () => {
		const options = property('options');
		expect(options.options?.map((option) => [option.displayName, (option as INodeProperties).default])).toEqual([
			['Concurrency', 3],
			['Ignore Not Active Campaigns', false],
			['Max Rate Limit Wait (Seconds)', 60],
			['Timeout (Milliseconds)', 30000],
		]);
	});

	it('points the package at the built node and credential, with a codex for the node type', () => {
		expect(packageJson.n8n.nodes).toEqual(['dist/nodes/Sonarly/Sonarly.node.js']);
		expect(packageJson.n8n.credentials).toEqual(['dist/credentials/SonarlyApi.credentials.js']);
		expect(packageJson.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect((packageJson as { dependencies?: unknown }).dependencies).toBeUndefined();
		expect(packageJson.keywords).toContain('n8n-community-node-package');
		expect(codex.node).toBe('n8n-nodes-sonarly.sonarly');
		expect(codex.resources.primaryDocumentation[0].url).toMatch(/^https:\/\//);
	});
});

describe('the credential', () => {
	it('is "Sonarly API" with a password API key and a base URL defaulting to Sonarly', () => {
		expect(credential.name).toBe('sonarlyApi');
		expect(credential.displayName).toBe('Sonarly API');
		expect(credential.documentationUrl).toMatch(/^https:\/\//);
		const [apiKey, baseUrl] = credential.properties;
		expect(apiKey).toMatchObject({ name: 'apiKey', required: true, typeOptions: { password: true } });
		expect(baseUrl).toMatchObject({ name: 'baseUrl', default: 'https://api.sonarly.io' });
	});

	it('sends the key as a Bearer token and tests it with GET /v1/accounts', () => {
		expect(credential.authenticate).toEqual({
			type: 'generic',
			properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
		});
		expect(credential.test.request).toMatchObject({ method: 'GET', url: '/v1/accounts' });
	});
});
