import type { INodeProperties } from 'n8n-workflow';

import * as getAll from './getAll.operation';

export const operations = { getAll: getAll.operation };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['accountGroup'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				description:
					'List the account groups the API key can access, with the IDs every other Sonarly operation needs',
				action: 'Find an account group ID',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
];
