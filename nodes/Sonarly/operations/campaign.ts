import type { IDataObject } from 'n8n-workflow';

import { accountGroupId, campaignId, ignoreConflict, limit } from '../engine/common';
import { KINDS, TRACE_ID, withFields, type Field } from '../helpers/schema';
import { defineOperation, type OperationSpec } from '../engine/operation';
import { textParam } from '../engine/params';
import type { Wording } from '../transport/failures';
import { route } from '../transport/routes';

interface CampaignParams {
	accountGroupId: string;
	campaignId: string;
}

const CHECK = "the campaign's status in Sonarly (or with Campaign → Get)";

const campaignPath = (p: CampaignParams, ...rest: string[]) => route(p.accountGroupId, 'campaigns', { id: p.campaignId }, ...rest);

const READ_CAMPAIGN: Wording = { action: 'get the campaign', permission: 'campaigns:read', target: 'account group or campaign' };

export const get = defineOperation<CampaignParams>({
	resource: 'campaign',
	operation: 'get',
	name: 'Get',
	description:
		'Get one campaign and its current status, by account group ID and campaign ID. Use it to check a campaign after a stop or start failed, before trying again.',
	action: 'Get a campaign status by ID',
	safety: 'read',
	params: { accountGroupId: accountGroupId(), campaignId },
	wording: READ_CAMPAIGN,
	request: (p) => ({ method: 'GET', path: campaignPath(p) }),
	schema: withFields(KINDS.campaign, TRACE_ID),
	simplify: 'campaign',
});

export const getAll = defineOperation<{ accountGroupId: string; limit: number | null; status: string | null }>({
	resource: 'campaign',
	operation: 'getAll',
	name: 'Get Many',
	description:
		"List the campaigns of an account group (ID, name, status), optionally only those with a given status. Use it to find a campaign's ID from its name.",
	action: 'Find a campaign ID by name',
	safety: 'read',
	params: {
		accountGroupId: accountGroupId('The account group whose campaigns to list'),
		limit,
		status: textParam({
			name: 'status',
			label: 'Status',
			placement: 'filters',
			placeholder: 'e.g. active',
			description:
				'Only campaigns whose status is exactly this text (case-sensitive; spaces around it are ignored). Sonarly publishes no list of statuses: check one campaign with Get to see the values your account uses.',
		}),
	},
	wording: { action: 'list the campaigns', permission: 'campaigns:read', target: 'account group' },
	request: (p) => ({ method: 'GET', path: route(p.accountGroupId, 'campaigns') }),
	list: { limit: (p) => p.limit, keep: (p, campaign) => p.status === null || campaign.status === p.status },
	schema: KINDS.campaign,
	simplify: 'campaign',
});

/**
 * Stop and Start: one POST that changes a campaign and is not idempotent, with an option that
 * turns Sonarly's 409 into a success item describing the campaign as it is.
 */
interface Change {
	verb: 'stop' | 'start';
	done: 'stopped' | 'started';
	conflict: NonNullable<Wording['conflict']>;
	ignore: { name: string; displayName: string; description: string };
	/** The output fields of an item for which this run changed nothing, e.g. instancesStopped: 0. */
	unchanged: IDataObject;
	/** Sonarly's answer besides the campaign. */
	answer: Record<string, Field>;
	name: string;
	description: string;
	action: string;
}

function campaignChange(change: Change): OperationSpec {
	const { verb, done, unchanged } = change;
	return defineOperation<CampaignParams & { ignoreConflict: boolean }>({
		resource: 'campaign',
		operation: verb,
		name: change.name,
		description: change.description,
		action: change.action,
		safety: 'write',
		notice: `Leave Settings → Retry On Fail off: a repeated ${verb} could act twice, so this node will not run with it on. It already waits out Sonarly's rate limits by itself.`,
		params: {
			accountGroupId: accountGroupId(),
			campaignId,
			ignoreConflict: ignoreConflict(change.ignore.name, change.ignore.displayName, change.ignore.description),
		},
		wording: {
			action: `${verb} the campaign`,
			permission: 'campaigns:execute',
			target: 'account group or campaign',
			noun: verb,
			check: CHECK,
			conflict: change.conflict,
		},
		request: (p) => ({ method: 'POST', path: campaignPath(p, verb) }),
		output: (data) => ({ ...data, [done]: true }),
		schema: {
			fields: { campaign: KINDS.campaign, ...change.answer, [done]: 'boolean', ...TRACE_ID, duplicateOfItem: 'integer' },
			optional: ['duplicateOfItem'],
		},
		conflict: {
			ignore: (p) => p.ignoreConflict,
			read: (p) => ({ method: 'GET', path: campaignPath(p) }),
			wording: { action: `read the campaign that Sonarly would not ${verb}`, permission: 'campaigns:read', target: 'account group or campaign' },
			describe: (campaign) => ({ campaign, ...unchanged }),
		},
		summary: { done, target: (p) => `campaign ${p.campaignId}` },
		duplicate: (json, firstItem) => ({ ...json, ...unchanged, duplicateOfItem: firstItem }),
		acted: (json) => json[done] === true,
		concurrency: true,
		retryOnFail: { doing: `${verb} campaigns`, risk: ' on a live campaign' },
	});
}

export const stop = campaignChange({
	verb: 'stop',
	done: 'stopped',
	name: 'Stop',
	description:
		'Stop an active campaign now: its running sequences end. This cannot be undone from n8n. Stop a campaign once and never retry it on your own; after an unclear failure, check the campaign with Get first.',
	action: 'Stop a campaign with no undo',
	conflict: {
		message: 'The campaign is not active, so Sonarly could not stop the campaign',
		description: 'It may be a draft or already stopped; nothing was changed. Check its status in Sonarly before running again.',
	},
	ignore: {
		name: 'ignoreNotActive',
		displayName: 'Ignore Not Active Campaigns',
		description:
			'Whether a campaign that is already stopped or not active goes to the success output with stopped set to false, instead of failing. Makes a trigger that fires twice harmless.',
	},
	unchanged: { instancesStopped: 0, stopped: false },
	answer: { instancesStopped: 'integer' },
});

export const start = campaignChange({
	verb: 'start',
	done: 'started',
	name: 'Start',
	description:
		'Start a draft or stopped campaign so that it sends its outreach now. The messages it sends cannot be undone from n8n. Start a campaign once and never retry it on your own; after an unclear failure, check the campaign with Get first.',
	action: 'Start a campaign with no undo',
	conflict: {
		message: 'The campaign cannot be started in its current state',
		description:
			'It may already be active; nothing was changed. Check its status with Campaign → Get or in Sonarly before running again.',
	},
	ignore: {
		name: 'ignoreAlreadyActive',
		displayName: 'Ignore Already Active Campaigns',
		description:
			'Whether a campaign that cannot be started, for example because it is already active, goes to the success output with started set to false, instead of failing. Makes a trigger that fires twice harmless.',
	},
	unchanged: { triggered: false, instancesCreated: 0, started: false },
	answer: { triggered: 'boolean', instancesCreated: 'integer' },
});
