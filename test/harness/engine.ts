/**
 * Runs workflows through n8n's real execution engine (n8n-core's WorkflowExecute), with
 * the Sonarly node and its credential exactly as shipped. The jest config runs every test
 * twice: against n8n 2.x and, by module mapping, against the last 1.x line.
 */
import { ExecutionLifecycleHooks, LoadOptionsContext, WorkflowExecute } from 'n8n-core';
import {
	sleep,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { SonarlyApi } from '../../credentials/SonarlyApi.credentials';
import { Sonarly } from '../../nodes/Sonarly/Sonarly.node';

export const TEST_API_KEY = 'sk_test_dummy_4f9a1c2e8b7d6a5f3e2d1c0b';
export const BASE_URL = 'https://api.sonarly.io';

/** A test-only node that emits the items given in its `items` parameter (a JSON string). */
class SourceNode implements INodeType {
	description = {
		displayName: 'Source',
		name: 'source',
		group: ['input'],
		version: 1,
		description: 'Emits test items',
		defaults: { name: 'Source' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Items', name: 'items', type: 'string', default: '[]' }],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = JSON.parse(this.getNodeParameter('items', 0) as string) as IDataObject[];
		return [items.map((json) => ({ json }))];
	}
}

const nodeTypes: Record<string, INodeType> = {
	'test.source': new SourceNode(),
	'n8n-nodes-sonarly.sonarly': new Sonarly(),
	// The engine runs the tool variant with the same code; only the type name differs.
	'n8n-nodes-sonarly.sonarlyTool': new Sonarly(),
};

const nodeTypesProvider = {
	getByName: (type: string) => nodeTypes[type],
	getByNameAndVersion: (type: string) => nodeTypes[type],
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;

const credentialType = new SonarlyApi();

/** Applies the credential's generic `authenticate` block the way n8n does: `{{$credentials.x}}`. */
function applyGenericAuth(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): IHttpRequestOptions {
	const headers = { ...(requestOptions.headers ?? {}) } as IDataObject;
	const template = credentialType.authenticate.properties.headers ?? {};
	for (const [name, value] of Object.entries(template)) {
		headers[name] = String(value)
			.replace(/^=/, '')
			.replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_, key: string) => String(credentials[key]));
	}
	return { ...requestOptions, headers };
}

export interface CredentialData {
	apiKey?: string;
	baseUrl?: string;
	/** Make reading the credential fail, as n8n does when it cannot decrypt or find it. */
	unreadable?: boolean;
}

function additionalData(credentials: CredentialData): IWorkflowExecuteAdditionalData {
	const decrypted = { apiKey: TEST_API_KEY, baseUrl: BASE_URL, ...credentials } as ICredentialDataDecryptedObject;
	const credentialsHelper = {
		getParentTypes: () => [],
		isCredentialUsableByNode: () => true,
		authenticate: async (data: ICredentialDataDecryptedObject, _type: string, options: IHttpRequestOptions) =>
			applyGenericAuth(data, options),
		preAuthentication: async () => undefined,
		runPreAuthentication: async () => undefined,
		getCredentials: async () => ({}),
		getDecrypted: async () => {
			if (credentials.unreadable) throw new Error('Credentials could not be decrypted');
			return { ...decrypted };
		},
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
		userId: 'test-user',
		logAiEvent: () => undefined,
		setExecutionStatus: () => undefined,
	} as unknown as IWorkflowExecuteAdditionalData;
}

export type OnError = 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';

export interface RunOptions {
	/** The items the Sonarly node receives. */
	items: IDataObject[];
	/** The Sonarly node's parameters (resource and operation default to campaign / stop). */
	parameters: INodeParameters;
	onError?: OnError;
	credentials?: CredentialData;
	/** Cancel the execution (as the Stop button in n8n does) after this many ms. */
	cancelAfterMs?: number;
	/** The node's Settings → Retry On Fail (with Max Tries and Wait Between Tries in ms). */
	retryOnFail?: { maxTries: number; waitBetweenTries: number };
	/** Run the node as an AI agent's tool (its `…Tool` type variant). */
	asTool?: boolean;
}

export interface RunResult {
	run: IRun;
	/** Items on the Sonarly node's first (success) output. */
	success: INodeExecutionData[];
	/** Items on its error output (present only with continueErrorOutput). */
	errors: INodeExecutionData[];
	/** The error that stopped the execution, if any. */
	error: (Error & Record<string, unknown>) | undefined;
}

export const SONARLY_NODE_NAME = 'Sonarly';

export async function runSonarly(options: RunOptions): Promise<RunResult> {
	const source: INode = {
		id: 'source',
		name: 'Source',
		type: 'test.source',
		typeVersion: 1,
		position: [0, 0],
		parameters: { items: JSON.stringify(options.items) },
	};
	const sonarly: INode = {
		id: 'sonarly',
		name: SONARLY_NODE_NAME,
		type: options.asTool ? 'n8n-nodes-sonarly.sonarlyTool' : 'n8n-nodes-sonarly.sonarly',
		typeVersion: 1,
		position: [200, 0],
		parameters: { resource: 'campaign', operation: 'stop', ...options.parameters },
		credentials: { sonarlyApi: { id: 'cred-1', name: 'Sonarly account' } },
		...(options.onError ? { onError: options.onError } : {}),
		...(options.retryOnFail ? { retryOnFail: true, ...options.retryOnFail } : {}),
	};
	const workflow = new Workflow({
		id: 'wf-1',
		name: 'Sonarly test',
		nodes: [source, sonarly],
		connections: {
			Source: { main: [[{ node: SONARLY_NODE_NAME, type: 'main', index: 0 }]] },
		},
		active: false,
		nodeTypes: nodeTypesProvider,
		settings: { executionOrder: 'v1' },
	});
	const data = additionalData(options.credentials ?? {});
	data.hooks = new ExecutionLifecycleHooks('manual', 'execution-1', {
		id: 'wf-1',
		name: 'Sonarly test',
		nodes: [source, sonarly],
		connections: {},
		active: false,
		settings: {},
		createdAt: new Date(),
		updatedAt: new Date(),
	} as never);
	const execute = new WorkflowExecute(data, 'manual');
	const running = startRun(execute, workflow, source);
	if (options.cancelAfterMs !== undefined) {
		void sleep(options.cancelAfterMs).then(() => running.cancel());
	}
	const run = await running;
	const taskData = run.data.resultData.runData[SONARLY_NODE_NAME]?.[0];
	const outputs = taskData?.data?.main ?? [];
	return {
		run,
		success: outputs[0] ?? [],
		errors: outputs[1] ?? [],
		error: run.data.resultData.error as RunResult['error'],
	};
}

type CancellableRun = Promise<IRun> & { cancel: () => void };

/** n8n 2.x takes an options object, 1.x positional arguments. */
function startRun(execute: WorkflowExecute, workflow: Workflow, startNode: INode): CancellableRun {
	const run = execute.run as unknown as (...args: unknown[]) => CancellableRun;
	if (run.length > 1) return run.call(execute, workflow, startNode);
	return run.call(execute, { workflow, startNode });
}

/**
 * A real n8n load-options context for the Sonarly node, as the editor uses for list
 * searches: `parameters` are the node's current parameters in the editor.
 */
export function loadOptionsContext(
	parameters: INodeParameters,
	credentials: CredentialData = {},
): ILoadOptionsFunctions {
	const node: INode = {
		id: 'sonarly',
		name: SONARLY_NODE_NAME,
		type: 'n8n-nodes-sonarly.sonarly',
		typeVersion: 1,
		position: [0, 0],
		parameters: { resource: 'campaign', operation: 'stop', ...parameters },
		credentials: { sonarlyApi: { id: 'cred-1', name: 'Sonarly account' } },
	};
	const workflow = new Workflow({
		id: 'wf-1',
		name: 'Sonarly test',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: nodeTypesProvider,
	});
	const data = additionalData(credentials);
	data.currentNodeParameters = node.parameters;
	return new LoadOptionsContext(workflow, node, data, 'parameters.campaignId');
}
