import type {
	ICredentialDataDecryptedObject,
	IHttpRequestOptions,
	ICredentialType,
	IConnections,
	INode,
	INodeExecutionData,
	INodeType,
	IRun,
	IWorkflowExecuteAdditionalData,
	Workflow,
} from 'n8n-workflow';

export interface RunSpec {
	nodeTypes: Record<string, INodeType>;
	credentialType: ICredentialType;
	credentials: ICredentialDataDecryptedObject;
	unreadableCredentials?: boolean;
	nodes: INode[];
	connections: IConnections;
	startNodeName: string;
	executionId?: string;
}

export function startRun(spec: RunSpec): Promise<IRun> & { cancel: () => void };

export function outputsOf(
	run: IRun,
	nodeName: string,
): { success: INodeExecutionData[]; errors: INodeExecutionData[]; error: unknown };

export function additionalData(
	credentialType: ICredentialType,
	credentials: ICredentialDataDecryptedObject,
	options?: { unreadable?: boolean },
): IWorkflowExecuteAdditionalData;

export function workflowOf(nodeTypes: Record<string, INodeType>, nodes: INode[], connections: IConnections): Workflow;

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
	/** The request options that reached n8n's HTTP client, after `authenticate`. */
	sent: IHttpRequestOptions[];
}

export function runCredentialTest(
	credentialType: ICredentialType,
	credentials: ICredentialDataDecryptedObject,
): Promise<CredentialTestResult>;
