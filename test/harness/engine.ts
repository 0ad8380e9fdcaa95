/**
 * Runs workflows through n8n's real execution engine (n8n-core's WorkflowExecute, by way of
 * the shared ./workflow-engine.js), with the Sonarly node and its credential from source. The
 * jest config runs every engine test twice: against n8n 2.x and, by module mapping, 1.x.
 */
import { LoadOptionsContext } from 'n8n-core';
import {
	sleep,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type IRun,
} from 'n8n-workflow';

import { SonarlyApi } from '../../credentials/SonarlyApi.credentials';
import { Sonarly } from '../../nodes/Sonarly/Sonarly.node';
import { additionalData, outputsOf, startRun, workflowOf } from './workflow-engine';

export const TEST_API_KEY = 'sk_test_dummy_4f9a1c2e8b7d6a5f3e2d1c0b';
export const BASE_URL = 'https://api.sonarly.io';
export const SONARLY_NODE_NAME = 'Sonarly';

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
	// The engine runs the tool variant with the same code; n8n names its description
	// `sonarlyTool`, which shows the parameters meant for tools only (`@tool`).
	'n8n-nodes-sonarly.sonarlyTool': toolVariant(new Sonarly()),
};

function toolVariant(node: Sonarly): Sonarly {
	node.description = { ...node.description, name: `${node.description.name}Tool` };
	return node;
}

const credentialType = new SonarlyApi();

export interface CredentialData {
	apiKey?: string;
	baseUrl?: string;
	/** Make reading the credential fail, as n8n does when it cannot decrypt or find it. */
	unreadable?: boolean;
}

function decrypted({ apiKey = TEST_API_KEY, baseUrl = BASE_URL }: CredentialData): ICredentialDataDecryptedObject {
	return { apiKey, baseUrl };
}

export type OnError = 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';

export interface RunOptions {
	/** The items the Sonarly node receives (JSON round-tripped, as from a real node). */
	items: Array<Record<string, unknown>>;
	/** The Sonarly node's parameters (resource and operation default to campaign / stop). */
	parameters: Record<string, unknown>;
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
		parameters: { resource: 'campaign', operation: 'stop', ...options.parameters } as INodeParameters,
		credentials: { sonarlyApi: { id: 'cred-1', name: 'Sonarly account' } },
		...(options.onError ? { onError: options.onError } : {}),
		...(options.retryOnFail ? { retryOnFail: true, ...options.retryOnFail } : {}),
	};
	const credentials = options.credentials ?? {};
	const running = startRun({
		nodeTypes,
		credentialType,
		credentials: decrypted(credentials),
		unreadableCredentials: credentials.unreadable,
		nodes: [source, sonarly],
		connections: { Source: { main: [[{ node: SONARLY_NODE_NAME, type: 'main', index: 0 }]] } },
		startNodeName: 'Source',
	});
	if (options.cancelAfterMs !== undefined) {
		void sleep(options.cancelAfterMs).then(() => running.cancel());
	}
	const run = await running;
	const { success, errors } = outputsOf(run, SONARLY_NODE_NAME);
	return { run, success, errors, error: run.data.resultData.error as RunResult['error'] };
}

/**
 * A real n8n load-options context for the Sonarly node, as the editor uses for list
 * searches: `parameters` are the node's current parameters in the editor.
 */
export function loadOptionsContext(parameters: INodeParameters, credentials: CredentialData = {}): ILoadOptionsFunctions {
	const node: INode = {
		id: 'sonarly',
		name: SONARLY_NODE_NAME,
		type: 'n8n-nodes-sonarly.sonarly',
		typeVersion: 1,
		position: [0, 0],
		parameters: { resource: 'campaign', operation: 'stop', ...parameters },
		credentials: { sonarlyApi: { id: 'cred-1', name: 'Sonarly account' } },
	};
	const workflow = workflowOf(nodeTypes, [node], {});
	const data = additionalData(credentialType, decrypted(credentials), { unreadable: credentials.unreadable });
	data.currentNodeParameters = node.parameters;
	return new LoadOptionsContext(workflow, node, data, 'parameters.campaignId');
}
