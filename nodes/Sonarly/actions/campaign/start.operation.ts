import type { INodeProperties } from 'n8n-workflow';

import { changeDescription, changeOperation, type CampaignChange } from './change';

const showFor = { show: { resource: ['campaign'], operation: ['start'] } };

const START: CampaignChange = {
	verb: 'start',
	done: 'started',
	purpose: {
		action: 'start the campaign',
		permission: 'campaigns:execute',
		target: 'account group or campaign',
		change: {
			noun: 'start',
			conflict: {
				message: 'The campaign cannot be started in its current state',
				description:
					'It may already be active; nothing was changed. Check its status with Campaign → Get or in Sonarly before running again.',
			},
		},
	},
	ignoreConflict: {
		name: 'ignoreAlreadyActive',
		displayName: 'Ignore Already Active Campaigns',
		description:
			'Whether a campaign that cannot be started, for example because it is already active, goes to the success output with started set to false, instead of failing. Makes a trigger that fires twice harmless.',
	},
	unchanged: { triggered: false, instancesCreated: 0, started: false },
};

export const description: INodeProperties[] = changeDescription(START, showFor);

export const operation = changeOperation(START);
