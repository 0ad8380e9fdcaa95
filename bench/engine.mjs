// The benchmark's engine: runs the BUILT node (dist/) in n8n-core 2.x's real WorkflowExecute
// through the same harness as the jest tests (test/harness/workflow-engine.js), with the
// built credential and n8n-core's real request helpers (httpRequestWithAuthentication → axios).
//
// Workflow: Source (emits the given items) → Sonarly (campaign: stop, ids from expressions).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(REPO_ROOT, 'package.json'));

const { outputsOf, startRun } = require(path.join(REPO_ROOT, 'test', 'harness', 'workflow-engine.js'));
const { Sonarly } = require(path.join(REPO_ROOT, 'dist', 'nodes', 'Sonarly', 'Sonarly.node.js'));
const { SonarlyApi } = require(
	path.join(REPO_ROOT, 'dist', 'credentials', 'SonarlyApi.credentials.js'),
);

export const N8N_CORE_VERSION = require('n8n-core/package.json').version;
export const N8N_WORKFLOW_VERSION = require('n8n-workflow/package.json').version;

export const SONARLY_NODE_NAME = 'Sonarly';

/**
 * The Source node's items per run, by execution id (execute() runs with n8n's context as
 * `this`), so that runs started together each get their own.
 */
const pendingItems = new Map();

/** Emits the items of the current run (held in JS, not serialised into a parameter). */
class SourceNode {
	constructor() {
		this.description = {
			displayName: 'Source',
			name: 'source',
			group: ['input'],
			version: 1,
			description: 'Emits benchmark items',
			defaults: { name: 'Source' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [],
		};
	}

	async execute() {
		const id = this.getExecutionId();
		const items = pendingItems.get(id) ?? [];
		pendingItems.delete(id);
		return [items.map((json) => ({ json }))];
	}
}

/**
 * Diagnostic only: the least a node can do for a stop per item — the same two id parameters
 * (resource locators from expressions), then one sequential httpRequestWithAuthentication
 * through the same credential. Comparing it with the Sonarly node separates the node's own
 * per-item cost (validation, options, pool, transport, error shaping) from n8n's.
 */
class MinimalStopNode {
	constructor() {
		const locator = (name) => ({
			displayName: name,
			name,
			type: 'resourceLocator',
			default: { mode: 'id', value: '' },
			modes: [{ displayName: 'ID', name: 'id', type: 'string' }],
		});
		this.description = {
			displayName: 'Minimal stop',
			name: 'minimalStop',
			group: ['output'],
			version: 1,
			description: 'Bare stop loop (benchmark diagnostic)',
			defaults: { name: 'Minimal stop' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 'sonarlyApi', required: true }],
			properties: [locator('accountGroupId'), locator('campaignId')],
		};
	}

	async execute() {
		const items = this.getInputData();
		const { baseUrl } = await this.getCredentials('sonarlyApi');
		const output = [];
		for (let i = 0; i < items.length; i++) {
			const group = this.getNodeParameter('accountGroupId', i, '', { extractValue: true });
			const campaign = this.getNodeParameter('campaignId', i, '', { extractValue: true });
			const response = await this.helpers.httpRequestWithAuthentication.call(this, 'sonarlyApi', {
				method: 'POST',
				url: `${baseUrl}/v1/accounts/${encodeURIComponent(group)}/campaigns/${encodeURIComponent(campaign)}/stop`,
				json: true,
				timeout: 30_000,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			});
			output.push({ json: { ...response.body.data, stopped: true }, pairedItem: { item: i } });
		}
		return [output];
	}
}

const nodeTypes = {
	'bench.source': new SourceNode(),
	'n8n-nodes-sonarly.sonarly': new Sonarly(),
	'bench.minimalStop': new MinimalStopNode(),
};
const credentialType = new SonarlyApi();

const byId = (value) => ({ __rl: true, mode: 'id', value });

let executionCounter = 0;

/**
 * Runs Source → Sonarly (campaign: stop) once. `items` are the Sonarly node's input items
 * ({ accountGroupId, campaignId }); `options` the node's Options collection; `credentials`
 * { apiKey, baseUrl }; `minimal` swaps in the diagnostic MinimalStopNode. Returns
 * { run, success, errors, error }.
 */
export async function runStop({ items, options = {}, onError, credentials, minimal = false }) {
	const sourceNode = {
		id: 'source',
		name: 'Source',
		type: 'bench.source',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const sonarly = {
		id: 'sonarly',
		name: SONARLY_NODE_NAME,
		type: minimal ? 'bench.minimalStop' : 'n8n-nodes-sonarly.sonarly',
		typeVersion: 1,
		position: [200, 0],
		parameters: {
			...(minimal ? {} : { resource: 'campaign', operation: 'stop', options }),
			accountGroupId: byId('={{ $json.accountGroupId }}'),
			campaignId: byId('={{ $json.campaignId }}'),
		},
		credentials: { sonarlyApi: { id: 'cred-1', name: 'Sonarly account' } },
		...(onError ? { onError } : {}),
	};
	const executionId = `bench-${++executionCounter}`;
	pendingItems.set(executionId, items);
	const run = await startRun({
		nodeTypes,
		credentialType,
		credentials,
		nodes: [sourceNode, sonarly],
		connections: { Source: { main: [[{ node: SONARLY_NODE_NAME, type: 'main', index: 0 }]] } },
		startNodeName: 'Source',
		executionId,
	});
	return { run, ...outputsOf(run, SONARLY_NODE_NAME) };
}
