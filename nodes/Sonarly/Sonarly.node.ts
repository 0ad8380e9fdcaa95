import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as accountGroup from './actions/accountGroup/AccountGroup.resource';
import * as campaign from './actions/campaign/Campaign.resource';
import { router } from './actions/router';
import { searchAccountGroups, searchCampaigns } from './methods/listSearch';

export class Sonarly implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sonarly',
		name: 'sonarly',
		icon: { light: 'file:../../icons/sonarly.svg', dark: 'file:../../icons/sonarly.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Stop Sonarly outreach campaigns, and read campaigns and account groups',
		defaults: { name: 'Sonarly' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'sonarlyApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Account Group', value: 'accountGroup' },
					{ name: 'Campaign', value: 'campaign' },
				],
				default: 'campaign',
			},
			...accountGroup.description,
			...campaign.description,
		],
	};

	methods = {
		listSearch: { searchAccountGroups, searchCampaigns },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
