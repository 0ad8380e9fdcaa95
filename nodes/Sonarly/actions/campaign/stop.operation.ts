import type { INodeProperties } from 'n8n-workflow';

import { changeDescription, changeOperation, type CampaignChange } from './change';

const showFor = { show: { resource: ['campaign'], operation: ['stop'] } };

const STOP: CampaignChange = {
	verb: 'stop',
	done: 'stopped',
	purpose: {
		action: 'stop the campaign',
		permission: 'campaigns:execute',
		target: 'account group or campaign',
		change: {
			noun: 'stop',
			conflict: {
				message: 'The campaign is not active, so Sonarly could not stop the campaign',
				description:
					'It may be a draft or already stopped; nothing was changed. Check its status in Sonarly before running again.',
			},
		},
	},
	ignoreConflict: {
		name: 'ignoreNotActive',
		displayName: 'Ignore Not Active Campaigns',
		description:
			'Whether a campaign that is already stopped or not active goes to the success output with stopped set to false, instead of failing. Makes a trigger that fires twice harmless.',
	},
	unchanged: { instancesStopped: 0, stopped: false },
};

export const description: INodeProperties[] = changeDescription(STOP, showFor);

export const operation = changeOperation(STOP);
