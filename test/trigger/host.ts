/**
 * Runs the Sonarly Trigger's poll() through n8n's real poll context (n8n-core's PollContext,
 * on both engine lines by jest's module mapping), and stands in for what n8n does around it:
 *
 * - the node's static data lives in the workflow in memory between polls, as in a running n8n;
 * - n8n saves the workflow's static data to its database only after the activation poll and
 *   after a poll that emitted items (trigger-execution-context.factory.ts `__emit` →
 *   saveStaticData; workflow-trigger-activator.ts after activation). A poll that returns null
 *   or throws saves nothing;
 * - `restart()` is n8n starting again: the workflow comes back from the database, so whatever
 *   only lived in memory is gone.
 *
 * A manual run ("Fetch Test Event", a manual execution) goes through n8n-core's WorkflowExecute
 * with the trigger as start node, which is how n8n runs a poll in manual mode.
 */
import { PollContext } from 'n8n-core';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	Workflow,
} from 'n8n-workflow';

import { SonarlyApi } from '../../credentials/SonarlyApi.credentials';
import { SonarlyTrigger } from '../../nodes/Sonarly/SonarlyTrigger.node';
import { additionalData, outputsOf, startRun, workflowOf } from '../harness/workflow-engine';

export const TRIGGER_TYPE = 'n8n-nodes-sonarly.sonarlyTrigger';
export const TRIGGER_NAME = 'Sonarly Trigger';

const trigger = new SonarlyTrigger();
const nodeTypes: Record<string, INodeType> = { [TRIGGER_TYPE]: trigger };
const credentialType = new SonarlyApi();

export interface PollResult {
	/** The json of the items the poll emitted (empty when it returned null). */
	items: IDataObject[];
	/** What the poll threw, if it did. */
	error?: Error & { description?: string | null; httpCode?: string | null };
}

export interface HostOptions {
	parameters: INodeParameters;
	baseUrl: string;
	apiKey: string;
	/** The node's name: n8n keys its static data by it. */
	name?: string;
}

export class TriggerHost {
	/** The workflow's static data as n8n last saved it (JSON), i.e. what survives a restart. */
	saved = '{}';
	private workflow!: Workflow;
	private node: INode;
	/** Every poll's outcome, in order. */
	readonly history: PollResult[] = [];

	constructor(private readonly options: HostOptions) {
		this.node = {
			id: 'sonarly-trigger',
			name: options.name ?? TRIGGER_NAME,
			type: TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: options.parameters,
			credentials: { sonarlyApi: { id: 'cred-1', name: 'Sonarly account' } },
		};
		this.restart();
	}

	/** n8n starts again: the workflow (and its static data) comes back from the database. */
	restart(): void {
		this.workflow = workflowOf(nodeTypes, [this.node], {});
		this.workflow.staticData = JSON.parse(this.saved) as IDataObject;
	}

	/** Changes the node's parameters (the user edited and re-published the workflow). */
	setParameters(parameters: INodeParameters): void {
		this.node = { ...this.node, parameters };
		const staticData = this.workflow.staticData;
		this.workflow = workflowOf(nodeTypes, [this.node], {});
		this.workflow.staticData = staticData;
	}

	/** The node's static data in memory now. */
	nodeState(): IDataObject {
		return (this.workflow.staticData[`node:${this.node.name}`] ?? {}) as IDataObject;
	}

	/** The node's static data as saved (what a restart would see). */
	savedNodeState(): IDataObject {
		return ((JSON.parse(this.saved) as IDataObject)[`node:${this.node.name}`] ?? {}) as IDataObject;
	}

	/** The activation poll (its state is saved whatever it returns). */
	async activate(): Promise<PollResult> {
		return await this.poll({ activation: true });
	}

	/** One production poll, as n8n's scheduler runs it. */
	async poll({ activation = false } = {}): Promise<PollResult> {
		const data = additionalData(credentialType, {
			apiKey: this.options.apiKey,
			baseUrl: this.options.baseUrl,
		});
		const context = new PollContext(
			this.workflow,
			this.node,
			data,
			'trigger',
			activation ? 'activate' : 'init',
		);
		let result: PollResult;
		try {
			const output = (await trigger.poll.call(context)) as INodeExecutionData[][] | null;
			result = { items: output === null ? [] : output[0].map((item) => item.json) };
			if (output !== null || activation) this.save();
		} catch (error) {
			result = { items: [], error: error as PollResult['error'] };
			// A failed activation poll fails the activation: nothing is saved.
		}
		this.history.push(result);
		return result;
	}

	/**
	 * A manual run ("Fetch Test Event"), on this workflow (its static data included), the way
	 * n8n-core's WorkflowExecute.executePollNode runs a poll in manual mode.
	 */
	async manual(): Promise<PollResult> {
		const data = additionalData(credentialType, {
			apiKey: this.options.apiKey,
			baseUrl: this.options.baseUrl,
		});
		const context = new PollContext(this.workflow, this.node, data, 'manual', 'manual');
		try {
			const output = (await trigger.poll.call(context)) as INodeExecutionData[][] | null;
			return { items: output === null ? [] : output[0].map((item) => item.json) };
		} catch (error) {
			return { items: [], error: error as PollResult['error'] };
		}
	}

	/** A manual execution through n8n-core's WorkflowExecute, the trigger as start node. */
	async manualExecution(): Promise<PollResult> {
		const run = await startRun({
			nodeTypes,
			credentialType,
			credentials: { apiKey: this.options.apiKey, baseUrl: this.options.baseUrl },
			nodes: [this.node],
			connections: {},
			startNodeName: this.node.name,
		});
		const { success, error } = outputsOf(run, this.node.name);
		return { items: success.map((item) => item.json), error: error as PollResult['error'] };
	}

	private save(): void {
		this.saved = JSON.stringify(this.workflow.staticData);
	}
}

/** A resource locator value By ID. */
export function byId(value: string): INodeParameters {
	return { __rl: true, mode: 'id', value };
}

