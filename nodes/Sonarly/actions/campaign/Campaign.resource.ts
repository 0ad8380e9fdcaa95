import type { INodeProperties } from 'n8n-workflow';

import * as stop from './stop.operation';

export const operations = { stop };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['campaign'] } },
		options: [
			{
				name: 'Stop',
				value: 'stop',
				description: 'Stop an active campaign',
				action: 'Stop campaign',
			},
		],
		default: 'stop',
	},
	...stop.description,
];
