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
					'Get one campaign and its current status, by account group ID and campaign ID. Use it to check a campaign before running a stop again.',
				action: 'Get a campaign status by ID to check after an error',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description:
					'List the campaigns of an account group (ID, name, status), optionally only those with a given status',
				action: 'Find a campaign ID by listing an account group',
			},
			{
				name: 'Start',
				value: 'start',
				description:
					'Start a draft or stopped campaign so that it sends its outreach now. Messages it sends cannot be undone from n8n; after an unclear failure, check the campaign with Get before trying again.',
				action: 'Start a campaign once with no undo and no retry',
			},
			{
				name: 'Stop',
				value: 'stop',
				description:
					'Stop an active campaign now. This cannot be undone from n8n; after an unclear failure, check the campaign with Get before trying again.',
				action: 'Stop a live campaign once with no undo and no retry',
			},
		],
		default: 'stop',
	},
	...get.description,
	...getAll.description,
	...start.description,
	...stop.description,
];
