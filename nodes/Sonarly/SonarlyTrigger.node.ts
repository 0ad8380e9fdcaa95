import {
	NodeConnectionTypes,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { searchAccountGroups } from './methods/listSearch';
import { triggerProperties } from './trigger/description';
import { pollSonarly } from './trigger/poll';

export class SonarlyTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sonarly Trigger',
		name: 'sonarlyTrigger',
		icon: { light: 'file:../../icons/sonarly.svg', dark: 'file:../../icons/sonarly.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["event"] }}',
		description:
			'Starts the workflow on a new Sonarly message, a campaign status change, a finished prospecting job or signal scan, or a ready audience',
		defaults: { name: 'Sonarly Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'sonarlyApi', required: true }],
		properties: triggerProperties,
	};

	methods = {
		listSearch: { searchAccountGroups },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollSonarly.call(this);
	}
}
