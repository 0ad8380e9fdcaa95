'use strict';
// The one engine harness: n8n-core's real WorkflowExecute, with a credentials helper that
// applies the Sonarly credential's `authenticate` the way n8n's does (a function is called, a
// generic block is filled in). The jest tests use it through test/harness/engine.ts (the node
// from source, on both engine lines by module mapping); the benchmarks through
// bench/engine.mjs (the built node from dist/).
const { ExecuteContext, ExecutionLifecycleHooks, RoutingNode, WorkflowExecute } = require('n8n-core');
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

/** What n8n's CredentialsHelper.authenticate does with the credential type's `authenticate`. */
async function authenticate(credentialType, credentials, requestOptions) {
	if (typeof credentialType.authenticate === 'function') {
		return await credentialType.authenticate(credentials, requestOptions);
	}
	return applyGenericAuth(credentialType, credentials, requestOptions);
}

/** What n8n hands the engine; `unreadable` makes reading the credential fail. */
function additionalData(credentialType, credentials, { unreadable = false } = {}) {
	const credentialsHelper = {
		getParentTypes: () => [],
		isCredentialUsableByNode: () => true,
		authenticate: async (data, _type, options) => await authenticate(credentialType, data, options),
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

/**
 * The credential's Test button, as n8n's credentials tester runs a declarative `test`: the
 * `test.request` becomes the routing of a temporary node, n8n-core's RoutingNode sends it
 * with the credential (through httpRequestWithAuthentication), and `test.rules` word the
 * outcome: a `responseCode` rule for an HTTP status that failed the request, a
 * `responseSuccessBody` rule for a 2xx answer whose body has `key` equal to `value`; any other
 * failure shows its error code, or its message. Resolves with { status, message } and the
 * request options that reached n8n's HTTP client after `authenticate`.
 */
async function runCredentialTest(credentialType, credentials) {
	const typeName = 'test.credentialTest';
	const node = {
		id: 'temp',
		name: 'Temp-Node',
		type: typeName,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [credentialType.name]: { id: 'cred-1', name: 'Sonarly account' } },
	};
	const nodeType = {
		description: {
			displayName: 'Temp',
			name: typeName,
			group: ['transform'],
			version: 1,
			description: '',
			defaults: { name: 'Temp' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: credentialType.name, required: true }],
			properties: [
				{ displayName: 'Temp', name: 'temp', type: 'string', default: '', routing: { request: credentialType.test.request } },
			],
		},
	};
	const sent = [];
	const data = additionalData(credentialType, credentials);
	const helper = data.credentialsHelper;
	data.credentialsHelper = {
		...helper,
		authenticate: async (...args) => {
			const options = await helper.authenticate(...args);
			sent.push(options);
			return options;
		},
	};
	const workflow = workflowOf({ [typeName]: nodeType }, [node], {});
	const context = new ExecuteContext(
		workflow,
		node,
		data,
		'internal',
		{ resultData: { runData: {} } },
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	const routing = new RoutingNode(context, nodeType, {
		id: 'cred-1',
		name: 'Sonarly account',
		type: credentialType.name,
		data: credentials,
	});
	const rules = credentialType.test.rules ?? [];
	let response;
	try {
		response = await routing.runNode();
	} catch (error) {
		const answer = error.cause?.response;
		if (answer) {
			const rule = rules.find((r) => r.type === 'responseCode' && r.properties.value === answer.status);
			if (rule) return { status: 'Error', message: rule.properties.message, sent };
			if (answer.status < 200 || answer.status > 299) {
				return { status: 'Error', message: answer.statusText || `Received HTTP status code: ${answer.status}`, sent };
			}
		} else if (error.cause?.code) {
			return { status: 'Error', message: error.cause.code, sent };
		}
		return { status: 'Error', message: String(error.message), sent };
	}
	const body = response?.[0]?.[0]?.json;
	for (const rule of rules) {
		if (rule.type !== 'responseSuccessBody') continue;
		const value = body !== null && body !== undefined ? body[rule.properties.key] : undefined;
		if (value === rule.properties.value) return { status: 'Error', message: rule.properties.message, sent };
	}
	return { status: 'OK', message: 'Connection successful!', sent };
}

module.exports = { additionalData, outputsOf, runCredentialTest, startRun, workflowOf };
