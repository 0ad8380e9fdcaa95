import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { execute } from './engine/execute';
import { nodeProperties } from './engine/registry';
import { searchAccountGroups, searchCampaigns } from './methods/listSearch';

export class Sonarly implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sonarly',
		name: 'sonarly',
		icon: { light: 'file:../../icons/sonarly.svg', dark: 'file:../../icons/sonarly.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Run Sonarly outreach from n8n: stop and start campaigns, import prospects, read account groups',
		defaults: { name: 'Sonarly' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'sonarlyApi', required: true }],
		properties: nodeProperties(),
	};

	methods = {
		listSearch: { searchAccountGroups, searchCampaigns },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await execute.call(this);
	}
}
