import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { execute } from './engine/execute';
import { nodeProperties } from './engine/registry';
import * as listSearch from './methods/listSearch';

export class Sonarly implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sonarly',
		name: 'sonarly',
		icon: { light: 'file:../../icons/sonarly.svg', dark: 'file:../../icons/sonarly.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Run Sonarly LinkedIn outreach from n8n: campaigns, audiences, prospecting, signals, templates and messages',
		defaults: { name: 'Sonarly' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'sonarlyApi', required: true }],
		properties: nodeProperties(),
	};

	methods = {
		listSearch: {
			searchAccountGroups: listSearch.searchAccountGroups,
			searchAudiences: listSearch.searchAudiences,
			searchCampaigns: listSearch.searchCampaigns,
			searchFolders: listSearch.searchFolders,
			searchLeadLists: listSearch.searchLeadLists,
			searchSavedSearches: listSearch.searchSavedSearches,
			searchStarterTemplates: listSearch.searchStarterTemplates,
			searchValuePropositions: listSearch.searchValuePropositions,
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await execute.call(this);
	}
}
