'use strict';
// The one engine harness: n8n-core's real WorkflowExecute, with a credentials helper that
// applies the Sonarly credential's generic `authenticate` block the way n8n does. The jest
// tests use it through test/harness/engine.ts (the node from source, on both engine lines by
// module mapping); the benchmarks through bench/engine.mjs (the built node from dist/).
const { ExecutionLifecycleHooks, WorkflowExecute } = require('n8n-core');
const { Workflow } = require('n8n-workflow');

/** `{{$credentials.x}}` in the credential's header templates, filled in. */
function applyGenericAuth(credentialType, credentials, requestOptions) {
	const headers = { ...(requestOptions.headers ?? {}) };
	const template = credentialType.authenticate.properties.headers ?? {};
	for (const [name, value] of Object.entries(template)) {
		headers[name] = String(value)
			.replace(/^=/, '')
			.replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_, key) => String(credentials[key]));
	}
	return { ...requestOptions, headers };
}

/** What n8n hands the engine; `unreadable` makes reading the credential fail. */
function additionalData(credentialType, credentials, { unreadable = false } = {}) {
	const credentialsHelper = {
		getParentTypes: () => [],
		isCredentialUsableByNode: () => true,
		authenticate: async (data, _type, options) => applyGenericAuth(credentialType, data, options),
		preAuthentication: async () => undefined,
		runPreAuthentication: async () => undefined,
		getCredentials: async () => ({}),
		getDecrypted: async () => {
			if (unreadable) throw new Error('Credentials could not be decrypted');
			return { ...credentials };
		},
		updateCredentials: async () => undefined,
		updateCredentialsOauthTokenData: async () => undefined,
		getCredentialsProperties: () => credentialType.properties,
	};
	const base = 'http://localhost:5678';
	return {
		credentialsHelper,
		executeWorkflow: async () => ({ data: [], executionId: '' }),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/restApiUrl`,
		instanceBaseUrl: `${base}/`,
		formBaseUrl: `${base}/formBaseUrl`,
		formWaitingBaseUrl: `${base}/formWaitingBaseUrl`,
		formTestBaseUrl: `${base}/formTestBaseUrl`,
		webhookBaseUrl: `${base}/webhookBaseUrl`,
		webhookWaitingBaseUrl: `${base}/webhookWaitingBaseUrl`,
		webhookTestBaseUrl: `${base}/webhookTestBaseUrl`,
		mcpBaseUrl: `${base}/mcpBaseUrl`,
		mcpTestBaseUrl: `${base}/mcpTestBaseUrl`,
		variables: {},
		userId: 'test-user',
		logAiEvent: () => undefined,
		setExecutionStatus: () => undefined,
	};
}

function nodeTypesProvider(nodeTypes) {
	return {
		getByName: (type) => nodeTypes[type],
		getByNameAndVersion: (type) => nodeTypes[type],
		getKnownTypes: () => ({}),
	};
}

function workflowOf(nodeTypes, nodes, connections) {
	return new Workflow({
		id: 'wf-1',
		name: 'Sonarly test',
		nodes,
		connections,
		active: false,
		nodeTypes: nodeTypesProvider(nodeTypes),
		settings: { executionOrder: 'v1' },
	});
}

/**
 * Starts one run of `nodes` from the node named `startNodeName`. Resolves with n8n's IRun;
 * the promise has `cancel()`, as n8n's Stop button uses.
 */
function startRun({
	nodeTypes,
	credentialType,
	credentials,
	unreadableCredentials = false,
	nodes,
	connections,
	startNodeName,
	executionId = 'execution-1',
}) {
	const workflow = workflowOf(nodeTypes, nodes, connections);
	const data = additionalData(credentialType, credentials, { unreadable: unreadableCredentials });
	data.executionId = executionId;
	data.hooks = new ExecutionLifecycleHooks('manual', executionId, {
		id: 'wf-1',
		name: 'Sonarly test',
		nodes,
		connections: {},
		active: false,
		settings: {},
		createdAt: new Date(),
		updatedAt: new Date(),
	});
	const execute = new WorkflowExecute(data, 'manual');
	const startNode = nodes.find((node) => node.name === startNodeName);
	// n8n 2.x takes an options object, 1.x positional arguments.
	return execute.run.length > 1 ? execute.run(workflow, startNode) : execute.run({ workflow, startNode });
}

/** A node's outputs in a finished run: success (output 0), errors (output 1), the run's error. */
function outputsOf(run, nodeName) {
	const taskData = run.data.resultData.runData[nodeName]?.[0];
	const outputs = taskData?.data?.main ?? [];
	return {
		success: outputs[0] ?? [],
		errors: outputs[1] ?? [],
		error: run.data.resultData.error ?? taskData?.error,
	};
}

module.exports = { additionalData, outputsOf, startRun, workflowOf };
