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
				description: 'Get a campaign, with its current status',
				action: 'Get campaign',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the campaigns of an account group, optionally only those with a given status',
				action: 'Get many campaigns',
			},
			{
				name: 'Start',
				value: 'start',
				description: 'Start a campaign so that it sends its outreach',
				action: 'Start a campaign',
			},
			{
				name: 'Stop',
				value: 'stop',
				description: 'Stop an active campaign',
				action: 'Stop campaign',
			},
		],
		default: 'stop',
	},
	...get.description,
	...getAll.description,
	...start.description,
	...stop.description,
];
