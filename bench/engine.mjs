// A minimal plain-JS twin of test/harness/engine.ts for the benchmark: runs the BUILT node
// (dist/) in n8n-core 2.x's real WorkflowExecute, with the built credential, n8n-core's real
// request helpers (httpRequestWithAuthentication → n8n's axios) and a credentials helper that
// applies the credential's generic `authenticate` block the way n8n does.
//
// Workflow: Source (emits the given items) → Sonarly (campaign: stop, ids from expressions).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(REPO_ROOT, 'package.json'));

const { ExecutionLifecycleHooks, WorkflowExecute } = require('n8n-core');
const { Workflow } = require('n8n-workflow');
const { Sonarly } = require(path.join(REPO_ROOT, 'dist', 'nodes', 'Sonarly', 'Sonarly.node.js'));
const { SonarlyApi } = require(
	path.join(REPO_ROOT, 'dist', 'credentials', 'SonarlyApi.credentials.js'),
);

export const N8N_CORE_VERSION = require('n8n-core/package.json').version;
export const N8N_WORKFLOW_VERSION = require('n8n-workflow/package.json').version;

export const SONARLY_NODE_NAME = 'Sonarly';

/**
 * The Source node's items per run, by execution id (execute() runs with n8n's context as
 * `this`), so that runs started together (the burst) each get their own.
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
const nodeTypesProvider = {
	getByName: (type) => nodeTypes[type],
	getByNameAndVersion: (type) => nodeTypes[type],
	getKnownTypes: () => ({}),
};

const credentialType = new SonarlyApi();

/** The credential's generic `authenticate` block applied as n8n does: `{{$credentials.x}}`. */
function applyGenericAuth(credentials, requestOptions) {
	const headers = { ...(requestOptions.headers ?? {}) };
	const template = credentialType.authenticate.properties.headers ?? {};
	for (const [name, value] of Object.entries(template)) {
		headers[name] = String(value)
			.replace(/^=/, '')
			.replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_, key) => String(credentials[key]));
	}
	return { ...requestOptions, headers };
}

function additionalData(credentials) {
	const decrypted = { ...credentials };
	const credentialsHelper = {
		getParentTypes: () => [],
		isCredentialUsableByNode: () => true,
		authenticate: async (data, _type, options) => applyGenericAuth(data, options),
		preAuthentication: async () => undefined,
		runPreAuthentication: async () => undefined,
		getCredentials: async () => ({}),
		getDecrypted: async () => ({ ...decrypted }),
		updateCredentials: async () => undefined,
		updateCredentialsOauthTokenData: async () => undefined,
		getCredentialsProperties: () => credentialType.properties,
	};
	return {
		credentialsHelper,
		executeWorkflow: async () => ({ data: [], executionId: '' }),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://localhost:5678/restApiUrl',
		instanceBaseUrl: 'http://localhost:5678/',
		formBaseUrl: 'http://localhost:5678/formBaseUrl',
		formWaitingBaseUrl: 'http://localhost:5678/formWaitingBaseUrl',
		formTestBaseUrl: 'http://localhost:5678/formTestBaseUrl',
		webhookBaseUrl: 'http://localhost:5678/webhookBaseUrl',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhookWaitingBaseUrl',
		webhookTestBaseUrl: 'http://localhost:5678/webhookTestBaseUrl',
		mcpBaseUrl: 'http://localhost:5678/mcpBaseUrl',
		mcpTestBaseUrl: 'http://localhost:5678/mcpTestBaseUrl',
		variables: {},
		userId: 'bench-user',
		logAiEvent: () => undefined,
		setExecutionStatus: () => undefined,
	};
}

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
	const nodes = [sourceNode, sonarly];
	const workflow = new Workflow({
		id: 'wf-bench',
		name: 'Sonarly bench',
		nodes,
		connections: { Source: { main: [[{ node: SONARLY_NODE_NAME, type: 'main', index: 0 }]] } },
		active: false,
		nodeTypes: nodeTypesProvider,
		settings: { executionOrder: 'v1' },
	});
	const data = additionalData(credentials);
	const executionId = `bench-${++executionCounter}`;
	data.hooks = new ExecutionLifecycleHooks('manual', executionId, {
		id: 'wf-bench',
		name: 'Sonarly bench',
		nodes,
		connections: {},
		active: false,
		settings: {},
		createdAt: new Date(),
		updatedAt: new Date(),
	});
	data.executionId = executionId;
	pendingItems.set(executionId, items);
	const execute = new WorkflowExecute(data, 'manual');
	// n8n 2.x takes an options object.
	const run = await execute.run({ workflow, startNode: sourceNode });
	const taskData = run.data.resultData.runData[SONARLY_NODE_NAME]?.[0];
	const outputs = taskData?.data?.main ?? [];
	return {
		run,
		success: outputs[0] ?? [],
		errors: outputs[1] ?? [],
		error: run.data.resultData.error ?? taskData?.error,
	};
}
