import type { IDataObject } from 'n8n-workflow';

import { accountGroupId, limit } from '../engine/common';
import { defineOperation } from '../engine/operation';
import { choiceParam, idListParam, textParam } from '../engine/params';
import { DELETED, KINDS, TRACE_ID, withFields } from '../helpers/schema';
import type { Wording } from '../transport/failures';
import { route } from '../transport/routes';
import { atLeastOne, deleted, given, groupLocator } from './common';

const audienceId = groupLocator('audienceId', 'Audience', 'The audience. The list shows the ready audiences of the account group chosen above. Its ID comes from Audience → Get Many.', 'searchAudiences');
const folderId = groupLocator('folderId', 'Folder', 'The audience folder. Its ID comes from Audience Folder → Get Many.', 'searchFolders');
const group = accountGroupId('The account group of the audience');

interface AudienceParams {
	accountGroupId: string;
	audienceId: string;
}

const audiencePath = (p: AudienceParams, ...rest: string[]) => route(p.accountGroupId, 'audiences', { id: p.audienceId }, ...rest);
const CHECK = 'the audience in Sonarly (or with Audience → Get)';
const write = (action: string, noun: string): Wording => ({ action, permission: 'audiences:write', target: 'account group or audience', noun, check: CHECK });
const AUDIENCE_TYPES = [
	{ name: 'On Demand', value: 'on_demand' as const },
	{ name: 'Monitoring', value: 'monitoring' as const },
];
const NOT_LISTED = 'Audiences still being filled by a prospecting job are left out until the job finishes.';

export const get = defineOperation<AudienceParams>({
	resource: 'audience',
	operation: 'get',
	name: 'Get',
	description: 'Get one audience: its name, type, folder and prospect count',
	action: 'Get an audience',
	safety: 'read',
	params: { accountGroupId: group, audienceId },
	wording: { action: 'get the audience', permission: 'audiences:read', target: 'account group or audience' },
	request: (p) => ({ method: 'GET', path: audiencePath(p) }),
	schema: withFields(KINDS.audience, TRACE_ID),
	simplify: 'audience',
});

export const getAll = defineOperation<{ accountGroupId: string; limit: number | null }>({
	resource: 'audience',
	operation: 'getAll',
	name: 'Get Many',
	description: `List the audiences of an account group. ${NOT_LISTED}`,
	action: 'Find an audience ID',
	safety: 'read',
	params: { accountGroupId: group, limit },
	wording: { action: 'list the audiences', permission: 'audiences:read', target: 'account group' },
	request: (p) => ({ method: 'GET', path: route(p.accountGroupId, 'audiences') }),
	list: { limit: (p) => p.limit },
	schema: KINDS.audience,
	simplify: 'audience',
});

export const create = defineOperation<{ accountGroupId: string; name: string; type: string; description: string | null }>({
	resource: 'audience',
	operation: 'create',
	name: 'Create',
	description: 'Create an empty audience (an imported list) to fill with a prospecting job',
	action: 'Create an audience',
	safety: 'write',
	params: {
		accountGroupId: group,
		name: textParam({ name: 'name', label: 'Name', placement: 'top', required: true, description: 'The name of the new audience' }),
		type: choiceParam({ name: 'type', label: 'Type', placement: 'top', choices: AUDIENCE_TYPES, description: "The audience type, as Sonarly names it (its reference does not say what each means)" }),
		description: textParam({ name: 'description', label: 'Description', placement: 'additionalFields', trim: false, description: 'A description of the audience' }),
	},
	wording: write('create the audience', 'creation'),
	request: (p) => ({ method: 'POST', path: route(p.accountGroupId, 'audiences'), body: given({ name: p.name, type: p.type, description: p.description }) }),
	schema: withFields(KINDS.audience, { ...TRACE_ID, duplicateOfItem: 'integer' }, ['duplicateOfItem']),
	summary: { done: 'created an audience for' },
	retryOnFail: { doing: 'create audiences', risk: ', creating a second audience' },
});

export const update = defineOperation<AudienceParams & { name: string | null; description: string | null }>({
	resource: 'audience',
	operation: 'update',
	name: 'Update',
	description: 'Rename an audience or change its description',
	action: 'Update an audience',
	safety: 'write',
	params: {
		accountGroupId: group,
		audienceId,
		name: textParam({ name: 'name', label: 'Name', placement: 'updateFields', description: 'The new name' }),
		description: textParam({ name: 'description', label: 'Description', placement: 'updateFields', trim: false, description: 'The new description' }),
	},
	wording: write('update the audience', 'update'),
	validate: (p) => atLeastOne({ name: p.name, description: p.description }, 'audience'),
	request: (p) => ({ method: 'PATCH', path: audiencePath(p), body: given({ name: p.name, description: p.description }) }),
	schema: withFields(KINDS.audience, { ...TRACE_ID, duplicateOfItem: 'integer' }, ['duplicateOfItem']),
	summary: { done: 'updated', target: (p) => `audience ${p.audienceId}` },
});

export const remove = defineOperation<AudienceParams>({
	resource: 'audience',
	operation: 'delete',
	name: 'Delete',
	description: 'Delete an audience. This cannot be undone from n8n.',
	action: 'Delete audience with no undo',
	safety: 'write',
	params: { accountGroupId: group, audienceId },
	wording: write('delete the audience', 'delete'),
	request: (p) => ({ method: 'DELETE', path: audiencePath(p) }),
	output: (data, p) => deleted(p.audienceId)(data),
	schema: withFields(DELETED, { duplicateOfItem: 'integer' }, ['duplicateOfItem']),
	summary: { done: 'deleted', target: (p) => `audience ${p.audienceId}` },
	retryOnFail: { doing: 'delete audiences' },
});

export const moveToFolder = defineOperation<AudienceParams & { folderId: string }>({
	resource: 'audience',
	operation: 'moveToFolder',
	name: 'Move to Folder',
	description: "Move an audience into a folder. The folder's type must suit the audience's type.",
	action: 'Move an audience to a folder',
	safety: 'write',
	params: { accountGroupId: group, audienceId, folderId },
	wording: write('move the audience into the folder', 'move'),
	request: (p) => ({ method: 'POST', path: audiencePath(p, 'move-to-folder'), body: { folderId: p.folderId } }),
	schema: withFields(KINDS.audience, { ...TRACE_ID, duplicateOfItem: 'integer' }, ['duplicateOfItem']),
	summary: { done: 'moved', target: (p) => `audience ${p.audienceId}` },
});

export const removeFromFolder = defineOperation<AudienceParams>({
	resource: 'audience',
	operation: 'removeFromFolder',
	name: 'Remove from Folder',
	description: 'Take an audience out of its folder (it stays in the account group)',
	action: 'Take audience out of folder',
	safety: 'write',
	params: { accountGroupId: group, audienceId },
	wording: write('remove the audience from its folder', 'move'),
	request: (p) => ({ method: 'POST', path: audiencePath(p, 'remove-from-folder') }),
	schema: withFields(KINDS.audience, { ...TRACE_ID, duplicateOfItem: 'integer' }, ['duplicateOfItem']),
	summary: { done: 'moved', target: (p) => `audience ${p.audienceId}` },
});

export const moveLeads = defineOperation<AudienceParams & { targetAudienceId: string; leadIds: string[] | null }>({
	resource: 'audience',
	operation: 'moveLeads',
	name: 'Move Leads',
	description: 'Move leads from this audience to another audience of the same account group. Neither may be being filled by a prospecting job.',
	action: 'Move leads between audiences',
	safety: 'write',
	params: {
		accountGroupId: group,
		audienceId,
		targetAudienceId: groupLocator('targetAudienceId', 'Target Audience', 'The audience that receives the leads. Its ID comes from Audience → Get Many.', 'searchAudiences'),
		leadIds: idListParam({ name: 'leadIds', label: 'Lead IDs', placement: 'top', required: true, description: 'The leads to move: IDs separated by commas, or an expression that gives a list' }),
	},
	wording: write('move the leads', 'move'),
	validate: (p, itemIndex) =>
		p.audienceId === p.targetAudienceId
			? [`Target Audience (item ${itemIndex}) is the same audience as Audience`, 'Choose another audience to move the leads to: Sonarly moves leads only between two different audiences.']
			: null,
	request: (p) => ({ method: 'POST', path: audiencePath(p, 'move-leads'), body: { targetAudienceId: p.targetAudienceId, leadIds: p.leadIds } }),
	schema: {
		fields: { sourceAudience: KINDS.audience, targetAudience: KINDS.audience, movedCount: 'integer', ...TRACE_ID, duplicateOfItem: 'integer' },
		optional: ['duplicateOfItem'],
	},
	summary: { done: 'moved leads for' },
});

// Audience folders ------------------------------------------------------------------------

const FOLDER_WORDS = (action: string, noun: string): Wording => ({
	action,
	permission: 'audiences:write',
	target: 'account group or folder',
	noun,
	check: 'the folders in Sonarly (or with Audience Folder → Get Many)',
});

export const foldersGetAll = defineOperation<{ accountGroupId: string }>({
	resource: 'audienceFolder',
	operation: 'getAll',
	name: 'Get Many',
	description: `List the audience folders with the audiences in each, and one more item for the audiences in no folder. ${NOT_LISTED}`,
	action: 'List audience folders',
	safety: 'read',
	params: { accountGroupId: accountGroupId('The account group whose folders to list') },
	wording: { action: 'read the audience folders', permission: 'audiences:read', target: 'account group' },
	request: (p) => ({ method: 'GET', path: route(p.accountGroupId, 'audiences', 'navigation') }),
	output: (data) => {
		const list = (value: unknown) => (Array.isArray(value) ? (value as IDataObject[]) : []);
		return [
			...list(data.folders).map((folder) => ({ ...folder, audiences: list(folder.audiences), ungrouped: false })),
			{ id: null, name: 'Audiences in no folder', ungrouped: true, audiences: list(data.ungroupedAudiences) },
		];
	},
	schema: {
		fields: { ...KINDS.audienceFolder.fields, id: ['string', 'null'], audiences: 'array', ungrouped: 'boolean' },
		optional: KINDS.audienceFolder.optional,
	},
});

export const foldersCreate = defineOperation<{ accountGroupId: string; name: string; audienceType: string }>({
	resource: 'audienceFolder',
	operation: 'create',
	name: 'Create',
	description: 'Create an audience folder for one type of audience',
	action: 'Create an audience folder',
	safety: 'write',
	params: {
		accountGroupId: accountGroupId('The account group of the folder'),
		name: textParam({ name: 'name', label: 'Name', placement: 'top', required: true, description: 'The name of the new folder' }),
		audienceType: choiceParam({ name: 'audienceType', label: 'Audience Type', placement: 'top', choices: AUDIENCE_TYPES, description: 'Which type of audience the folder holds' }),
	},
	wording: FOLDER_WORDS('create the folder', 'creation'),
	request: (p) => ({ method: 'POST', path: route(p.accountGroupId, 'audiences', 'folders'), body: { name: p.name, audienceType: p.audienceType } }),
	schema: withFields(KINDS.audienceFolder, { ...TRACE_ID, duplicateOfItem: 'integer' }, ['duplicateOfItem']),
	summary: { done: 'created a folder for' },
	retryOnFail: { doing: 'create folders', risk: ', creating a second folder' },
});

export const foldersUpdate = defineOperation<{ accountGroupId: string; folderId: string; name: string }>({
	resource: 'audienceFolder',
	operation: 'update',
	name: 'Rename',
	description: "Rename an audience folder. Sonarly's reference does not show this route's method; the node sends PATCH.",
	action: 'Rename an audience folder',
	safety: 'write',
	params: {
		accountGroupId: accountGroupId('The account group of the folder'),
		folderId,
		name: textParam({ name: 'name', label: 'Name', placement: 'top', required: true, description: 'The new name of the folder' }),
	},
	wording: { ...FOLDER_WORDS('rename the folder', 'rename'), methodInferred: 'PATCH' },
	request: (p) => ({ method: 'PATCH', path: route(p.accountGroupId, 'audiences', 'folders', { id: p.folderId }), body: { name: p.name } }),
	schema: withFields(KINDS.audienceFolder, { ...TRACE_ID, duplicateOfItem: 'integer' }, ['duplicateOfItem']),
	summary: { done: 'renamed', target: (p) => `folder ${p.folderId}` },
});
