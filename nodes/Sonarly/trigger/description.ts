import type { INodeProperties } from 'n8n-workflow';

/** The trigger's parameters. Their names and option values are a contract (saved in workflows). */
export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Account Group',
		name: 'accountGroupId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The account group to watch',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchAccountGroups', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 64a1f0000000000000000001',
				hint: 'The ID as Sonarly shows it, usually 24 letters and digits',
			},
		],
	},
	{
		displayName: 'Event',
		name: 'event',
		type: 'options',
		noDataExpression: true,
		required: true,
		default: 'newMessage',
		options: [
			{
				name: 'Audience Ready',
				value: 'audienceReady',
				description:
					'An audience appears in the list of ready audiences (created, or filled by a prospecting job)',
			},
			{
				name: 'Campaign Status Changed',
				value: 'campaignStatusChanged',
				description: 'A campaign has another status than at the last check, or is new',
			},
			{
				name: 'New Message',
				value: 'newMessage',
				description: 'A message appears in the message history: received, or sent from Sonarly',
			},
			{
				name: 'Prospecting Job Finished',
				value: 'prospectingJobFinished',
				description: 'A prospecting job is completed, failed or cancelled',
			},
			{
				name: 'Signal Scan Finished',
				value: 'signalScanFinished',
				description: 'A signal scan is completed, failed or cancelled',
			},
		],
	},
	{
		displayName:
			'New Message also starts for messages sent from Sonarly, replies queued by a workflow included. Before replying automatically, check who wrote the message, so a workflow never answers its own reply.',
		name: 'newMessageNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { event: ['newMessage'] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: { event: ['newMessage'] } },
		options: [
			{
				displayName: 'Conversation ID',
				name: 'conversationId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 64a1f00000000000000003a1',
				description: 'Only messages of this conversation',
			},
		],
	},
	{
		displayName:
			'The first check after you activate the workflow only notes where things stand: earlier events do not start it. Changing the account group, event or filters starts afresh the same way. Use Fetch Test Event to see an example event.',
		name: 'firstPollNotice',
		type: 'notice',
		default: '',
	},
];
