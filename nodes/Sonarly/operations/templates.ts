import { accountGroupId, limit } from '../engine/common';
import { defineOperation } from '../engine/operation';
import { idListParam, optionalBooleanParam, textListParam, textParam } from '../engine/params';
import { DELETED, KINDS, TRACE_ID, withFields } from '../helpers/schema';
import type { Wording } from '../transport/failures';
import { route } from '../transport/routes';
import { atLeastOne, deleted, given, groupLocator } from './common';

const group = accountGroupId('The account group of the signals');
// Signal specifications and value propositions ("templates") --------------------------------

const TEMPLATES_CHECK = 'it in Sonarly (or with its Get Many)';
const templateWrite = (action: string, noun: string, target: string): Wording => ({
	action,
	permission: 'templates:write',
	target: `account group or ${target}`,
	noun,
	check: TEMPLATES_CHECK,
});
const specificationId = groupLocator('specificationId', 'Signal Specification', 'The signal specification, from Signal Specification → Get Many');
const valuePropositionId = groupLocator('valuePropositionId', 'Value Proposition', 'The value proposition. Its ID comes from Value Proposition → Get Many.', 'searchValuePropositions');
const specPath = (p: { accountGroupId: string; specificationId: string }) => route(p.accountGroupId, 'signal-specifications', { id: p.specificationId });
const valuePath = (p: { accountGroupId: string; valuePropositionId: string }) => route(p.accountGroupId, 'value-propositions', { id: p.valuePropositionId });
const REVISIT = ' Template changes apply at once: read campaigns or content slots again if they depend on it.';

export const specGetAll = defineOperation<{ accountGroupId: string; limit: number | null }>({
	resource: 'signalSpecification',
	operation: 'getAll',
	name: 'Get Many',
	description: 'List the signal specifications: what a signal scan looks for',
	action: 'List signal specifications',
	safety: 'read',
	params: { accountGroupId: group, limit },
	wording: { action: 'list the signal specifications', permission: 'templates:read', target: 'account group' },
	request: (p) => ({ method: 'GET', path: route(p.accountGroupId, 'signal-specifications') }),
	list: { limit: (p) => p.limit },
	schema: KINDS.signalSpecification,
});

type SpecUpdate = { accountGroupId: string; specificationId: string; name: string | null; description: string | null; useValueProposition: boolean | null; valuePropositionIds: string[] | null };

export const specUpdate = defineOperation<SpecUpdate>({
	resource: 'signalSpecification',
	operation: 'update',
	name: 'Update',
	description: `Change a signal specification's name, description or value propositions.${REVISIT}`,
	action: 'Update a signal specification',
	safety: 'write',
	params: {
		accountGroupId: group,
		specificationId,
		name: textParam({ name: 'name', label: 'Name', placement: 'updateFields', description: 'The new name' }),
		description: textParam({ name: 'description', label: 'Description', placement: 'updateFields', trim: false, description: 'The new description' }),
		useValueProposition: optionalBooleanParam({ name: 'useValueProposition', label: 'Use Value Proposition', placement: 'updateFields', description: 'Whether the specification uses value propositions' }),
		valuePropositionIds: idListParam({ name: 'valuePropositionIds', label: 'Value Proposition IDs', placement: 'updateFields', description: 'The value propositions to use: IDs separated by commas (from Value Proposition → Get Many), or a list' }),
	},
	wording: templateWrite('update the signal specification', 'update', 'signal specification'),
	validate: (p) => atLeastOne({ name: p.name, description: p.description, useValueProposition: p.useValueProposition, valuePropositionIds: p.valuePropositionIds }, 'signal specification'),
	request: (p) => ({
		method: 'PATCH',
		path: specPath(p),
		body: given({ name: p.name, description: p.description, useValueProposition: p.useValueProposition, valuePropositionIds: p.valuePropositionIds }),
	}),
	schema: withFields(KINDS.signalSpecification, { ...TRACE_ID, duplicateOfItem: 'integer' }, ['duplicateOfItem']),
	summary: { done: 'updated', target: (p) => `signal specification ${p.specificationId}` },
});

export const specDelete = defineOperation<{ accountGroupId: string; specificationId: string }>({
	resource: 'signalSpecification',
	operation: 'delete',
	name: 'Delete',
	description: 'Delete a signal specification. This cannot be undone from n8n.',
	action: 'Delete specification no undo',
	safety: 'write',
	params: { accountGroupId: group, specificationId },
	wording: templateWrite('delete the signal specification', 'delete', 'signal specification'),
	request: (p) => ({ method: 'DELETE', path: specPath(p) }),
	output: (data, p) => deleted(p.specificationId)(data),
	schema: withFields(DELETED, { duplicateOfItem: 'integer' }, ['duplicateOfItem']),
	summary: { done: 'deleted', target: (p) => `signal specification ${p.specificationId}` },
	retryOnFail: { doing: 'delete signal specifications' },
});

export const valueGet = defineOperation<{ accountGroupId: string; valuePropositionId: string }>({
	resource: 'valueProposition',
	operation: 'get',
	name: 'Get',
	description: 'Get one value proposition: its values and the challenges it answers',
	action: 'Get a value proposition',
	safety: 'read',
	params: { accountGroupId: group, valuePropositionId },
	wording: { action: 'get the value proposition', permission: 'templates:read', target: 'account group or value proposition' },
	request: (p) => ({ method: 'GET', path: valuePath(p) }),
	schema: withFields(KINDS.valueProposition, TRACE_ID),
});

export const valueGetAll = defineOperation<{ accountGroupId: string; limit: number | null }>({
	resource: 'valueProposition',
	operation: 'getAll',
	name: 'Get Many',
	description: 'List the value propositions used in campaign messaging',
	action: 'List value propositions',
	safety: 'read',
	params: { accountGroupId: group, limit },
	wording: { action: 'list the value propositions', permission: 'templates:read', target: 'account group' },
	request: (p) => ({ method: 'GET', path: route(p.accountGroupId, 'value-propositions') }),
	list: { limit: (p) => p.limit },
	schema: KINDS.valueProposition,
});

type ValueUpdate = { accountGroupId: string; valuePropositionId: string; name: string | null; description: string | null; values: string[] | null; challenges: string[] | null };

export const valueUpdate = defineOperation<ValueUpdate>({
	resource: 'valueProposition',
	operation: 'update',
	name: 'Update',
	description: `Change a value proposition. Sonarly's reference does not show this route's method; the node sends PATCH.${REVISIT}`,
	action: 'Update a value proposition',
	safety: 'write',
	params: {
		accountGroupId: group,
		valuePropositionId,
		name: textParam({ name: 'name', label: 'Name', placement: 'updateFields', description: 'The new name' }),
		description: textParam({ name: 'description', label: 'Description', placement: 'updateFields', trim: false, description: 'The new description' }),
		values: textListParam({ name: 'values', label: 'Values', placement: 'updateFields', description: 'The values, one per entry (they replace the current ones)' }),
		challenges: textListParam({ name: 'challenges', label: 'Challenges', placement: 'updateFields', description: 'The challenges it answers, one per entry (they replace the current ones)' }),
	},
	wording: { ...templateWrite('update the value proposition', 'update', 'value proposition'), methodInferred: 'PATCH' },
	validate: (p) => atLeastOne({ name: p.name, description: p.description, values: p.values, challenges: p.challenges }, 'value proposition'),
	request: (p) => ({ method: 'PATCH', path: valuePath(p), body: given({ name: p.name, description: p.description, values: p.values, challenges: p.challenges }) }),
	schema: withFields(KINDS.valueProposition, { ...TRACE_ID, duplicateOfItem: 'integer' }, ['duplicateOfItem']),
	summary: { done: 'updated', target: (p) => `value proposition ${p.valuePropositionId}` },
});

export const valueDelete = defineOperation<{ accountGroupId: string; valuePropositionId: string }>({
	resource: 'valueProposition',
	operation: 'delete',
	name: 'Delete',
	description: 'Delete a value proposition. This cannot be undone from n8n.',
	action: 'Delete value prop no undo',
	safety: 'write',
	params: { accountGroupId: group, valuePropositionId },
	wording: templateWrite('delete the value proposition', 'delete', 'value proposition'),
	request: (p) => ({ method: 'DELETE', path: valuePath(p) }),
	output: (data, p) => deleted(p.valuePropositionId)(data),
	schema: withFields(DELETED, { duplicateOfItem: 'integer' }, ['duplicateOfItem']),
	summary: { done: 'deleted', target: (p) => `value proposition ${p.valuePropositionId}` },
	retryOnFail: { doing: 'delete value propositions' },
});
