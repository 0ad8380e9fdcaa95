import { accountGroupId, campaignId } from '../engine/common';
import { defineOperation } from '../engine/operation';
import { idListParam, textParam } from '../engine/params';
import { DELETED, KINDS, TRACE_ID, withFields } from '../helpers/schema';
import type { Wording } from '../transport/failures';
import { route } from '../transport/routes';
import { deleted, given, groupLocator } from './common';

const group = accountGroupId();
const audienceId = groupLocator('audienceId', 'Audience', 'The audience the draft campaign reaches. Its ID comes from Audience → Get Many.', 'searchAudiences');
const leadIds = idListParam({
	name: 'leadIds',
	label: 'Lead IDs',
	placement: 'additionalFields',
	description: 'Only these leads of the audience: IDs separated by commas, or an expression that gives a list',
});
const CAMPAIGN_DRAFT = withFields(KINDS.campaign, { ...TRACE_ID, duplicateOfItem: 'integer' }, ['duplicateOfItem']);
const NEXT_STEP = 'It makes a draft: check its content slots (Content Slot → Get Many), then start it with Campaign → Start.';
const write = (action: string, noun: string, permission = 'campaigns:write'): Wording => ({
	action,
	permission,
	target: 'account group, campaign or audience',
	noun,
	check: 'the campaigns in Sonarly (or with Campaign → Get Many)',
});

export const create = defineOperation<{ accountGroupId: string; starterTemplateId: string; name: string; audienceId: string; leadIds: string[] | null }>({
	resource: 'campaign',
	operation: 'create',
	name: 'Create',
	description: `Create a draft campaign from one of Sonarly's starter templates. ${NEXT_STEP}`,
	action: 'Create a draft campaign',
	safety: 'write',
	params: {
		accountGroupId: group,
		starterTemplateId: groupLocator('starterTemplateId', 'Starter Template', "The template from Sonarly's catalogue (Campaign → Get Starter Templates); the list marks those not available to the account", 'searchStarterTemplates'),
		name: textParam({ name: 'name', label: 'Name', placement: 'top', required: true, description: 'The name of the new campaign' }),
		audienceId,
		leadIds,
	},
	wording: write('create the campaign', 'creation'),
	request: (p) => ({
		method: 'POST',
		path: route(p.accountGroupId, 'campaigns'),
		body: given({ starterTemplateId: p.starterTemplateId, name: p.name, audienceId: p.audienceId, leadIds: p.leadIds }),
	}),
	schema: CAMPAIGN_DRAFT,
	summary: { done: 'created a campaign for' },
	retryOnFail: { doing: 'create campaigns', risk: ', creating a second draft' },
});

export const duplicate = defineOperation<{ accountGroupId: string; campaignId: string; audienceId: string; name: string | null; leadIds: string[] | null }>({
	resource: 'campaign',
	operation: 'duplicate',
	name: 'Duplicate',
	description: `Copy a campaign into a draft for another audience. Sonarly requires the campaign and audience in this account group, every lead in the audience, and no active workflow conflict. ${NEXT_STEP}`,
	action: 'Duplicate a campaign',
	safety: 'write',
	params: {
		accountGroupId: group,
		campaignId,
		audienceId,
		name: textParam({ name: 'name', label: 'Name', placement: 'additionalFields', description: 'The name of the copy (Sonarly chooses one if empty)' }),
		leadIds,
	},
	wording: write('duplicate the campaign', 'duplication'),
	request: (p) => ({
		method: 'POST',
		path: route(p.accountGroupId, 'campaigns', { id: p.campaignId }, 'duplicate'),
		body: given({ audienceId: p.audienceId, name: p.name, leadIds: p.leadIds }),
	}),
	schema: CAMPAIGN_DRAFT,
	summary: { done: 'duplicated', target: (p) => `campaign ${p.campaignId}` },
	retryOnFail: { doing: 'duplicate campaigns', risk: ', creating a second draft' },
});

export const remove = defineOperation<{ accountGroupId: string; campaignId: string }>({
	resource: 'campaign',
	operation: 'delete',
	name: 'Delete',
	description: 'Delete a campaign that is in a deletable state. This cannot be undone from n8n; the API key needs campaigns:delete.',
	action: 'Delete campaign with no undo',
	safety: 'write',
	params: { accountGroupId: group, campaignId },
	wording: {
		...write('delete the campaign', 'delete', 'campaigns:delete'),
		conflict: {
			message: 'Sonarly cannot delete the campaign in its current state',
			description: 'It is not in a deletable state (an active campaign, for example); nothing was changed. Stop it first, or check it with Campaign → Get.',
		},
	},
	request: (p) => ({ method: 'DELETE', path: route(p.accountGroupId, 'campaigns', { id: p.campaignId }) }),
	output: (data, p) => deleted(p.campaignId)(data),
	schema: withFields(DELETED, { duplicateOfItem: 'integer' }, ['duplicateOfItem']),
	summary: { done: 'deleted', target: (p) => `campaign ${p.campaignId}` },
	retryOnFail: { doing: 'delete campaigns' },
});

export const starterTemplates = defineOperation<{ accountGroupId: string }>({
	resource: 'campaign',
	operation: 'getStarterTemplates',
	name: 'Get Starter Templates',
	description: 'List the starter templates a campaign can be created from, and whether each is available to the account',
	action: 'List starter templates',
	safety: 'read',
	params: { accountGroupId: accountGroupId('The account group to list the templates for') },
	wording: { action: 'list the starter templates', permission: 'campaigns:read', target: 'account group' },
	request: (p) => ({ method: 'GET', path: route(p.accountGroupId, 'campaigns', 'starter-templates') }),
	list: { limit: () => null },
	schema: KINDS.starterTemplate,
});

// Content slots -----------------------------------------------------------------------------

export const slotsGetAll = defineOperation<{ accountGroupId: string; campaignId: string }>({
	resource: 'contentSlot',
	operation: 'getAll',
	name: 'Get Many',
	description: 'List the editable content slots of a campaign (channel, label, position and linked template)',
	action: 'List campaign content slots',
	safety: 'read',
	params: { accountGroupId: group, campaignId },
	wording: { action: 'list the content slots', permission: 'campaigns:read', target: 'account group or campaign' },
	request: (p) => ({ method: 'GET', path: route(p.accountGroupId, 'campaigns', { id: p.campaignId }, 'content-slots') }),
	list: { limit: () => null },
	schema: KINDS.contentSlot,
});

export const slotsUpdate = defineOperation<{ accountGroupId: string; campaignId: string; slotId: string; templateId: string }>({
	resource: 'contentSlot',
	operation: 'update',
	name: 'Update',
	description: "Link another template to a content slot. Sonarly documents no list of templates: copy the template ID from Sonarly; an unknown one is refused with Sonarly's own words.",
	action: 'Relink a content slot',
	safety: 'write',
	params: {
		accountGroupId: group,
		campaignId,
		slotId: groupLocator('slotId', 'Content Slot', 'The slot, from Content Slot → Get Many'),
		templateId: textParam({ name: 'templateId', label: 'Template ID', placement: 'top', required: true, description: 'The template to link to the slot, as Sonarly shows its ID' }),
	},
	wording: { ...write('update the content slot', 'update'), target: 'account group, campaign or content slot', check: 'the slot with Content Slot → Get Many' },
	request: (p) => ({
		method: 'PATCH',
		path: route(p.accountGroupId, 'campaigns', { id: p.campaignId }, 'content-slots', { id: p.slotId }),
		body: { templateId: p.templateId },
	}),
	schema: withFields(KINDS.contentSlot, { ...TRACE_ID, duplicateOfItem: 'integer' }, ['duplicateOfItem']),
	summary: { done: 'updated', target: (p) => `slot ${p.slotId}` },
});
