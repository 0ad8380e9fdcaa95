import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as start from './start.operation';
import * as stop from './stop.operation';

export const operations = {
	get: get.operation,
	getAll: getAll.operation,
	start: start.operation,
	stop: stop.operation,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['campaign'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description:
					'Get one campaign and its current status, by account group ID and campaign ID. Use it to check a campaign after a stop or start failed, before trying again.',
				action: 'Get a campaign status by ID',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description:
					"List the campaigns of an account group (ID, name, status), optionally only those with a given status. Use it to find a campaign's ID from its name.",
				action: 'Find a campaign ID by name',
			},
			{
				name: 'Start',
				value: 'start',
				description:
					'Start a draft or stopped campaign so that it sends its outreach now. The messages it sends cannot be undone from n8n. Start a campaign once and never retry it on your own; after an unclear failure, check the campaign with Get first.',
				action: 'Start a campaign with no undo',
			},
			{
				name: 'Stop',
				value: 'stop',
				description:
					'Stop an active campaign now: its running sequences end. This cannot be undone from n8n. Stop a campaign once and never retry it on your own; after an unclear failure, check the campaign with Get first.',
				action: 'Stop a campaign with no undo',
			},
		],
		default: 'stop',
	},
	...get.description,
	...getAll.description,
	...start.description,
	...stop.description,
];
