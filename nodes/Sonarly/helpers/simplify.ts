import type {
	IDataObject,
	IDisplayOptions,
	IExecuteFunctions,
	INodeProperties,
} from 'n8n-workflow';

import { inputFailure } from '../transport/failures';
import { KINDS } from './schema';
import type { Outcome } from './types';

/**
 * The "Output" choice of the read operations: every field Sonarly sends (Raw, the default, so
 * existing workflows see what they always saw), a short item an AI agent can read at a glance
 * (Simplified), or the fields the user picks (Selected Fields). `id` is always returned, and a
 * `traceId` the item carries is kept, since Sonarly support asks for it.
 */
export type OutputMode = 'raw' | 'simplified' | 'selected';

export interface OutputChoice {
	mode: OutputMode;
	/** The fields to keep (for 'simplified' and 'selected'); `id` first. */
	fields: string[];
}

export type OutputKind = 'campaign' | 'accountGroup' | 'audience' | 'prospect' | 'message';

/** Every field Sonarly documents for each kind of item, in Sonarly's order (helpers/schema.ts). */
export const FIELDS: Record<OutputKind, readonly string[]> = {
	campaign: Object.keys(KINDS.campaign.fields),
	accountGroup: Object.keys(KINDS.accountGroup.fields),
	audience: Object.keys(KINDS.audience.fields),
	prospect: Object.keys(KINDS.prospect.fields),
	message: Object.keys(KINDS.message.fields),
};

/** What Simplified keeps: enough to recognise the item and decide what to do with it. */
export const SIMPLIFIED_FIELDS: Record<OutputKind, readonly string[]> = {
	campaign: ['id', 'name', 'status', 'selectedLeadCount', 'startedAt'],
	accountGroup: ['id', 'name'],
	audience: ['id', 'name', 'prospectCount', 'folderId'],
	prospect: ['id', 'name', 'headline', 'linkedinUrl'],
	message: ['id', 'conversationId', 'participantProviderId'],
};

const NOUN: Record<OutputKind, { one: string; many: string }> = {
	campaign: { one: 'campaign', many: 'campaigns' },
	accountGroup: { one: 'account group', many: 'account groups' },
	audience: { one: 'audience', many: 'audiences' },
	prospect: { one: 'prospect', many: 'prospects' },
	message: { one: 'message', many: 'messages' },
};

/** Title Case for the field list ("selectedLeadCount" → "Selected Lead Count"). */
function label(field: string): string {
	if (field === 'id') return 'ID';
	const words = field.replace(/([A-Z])/g, ' $1');
	return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The Output and Fields parameters, shown for `displayOptions`. */
export function outputProperties(
	displayOptions: IDisplayOptions,
	kind: OutputKind,
): INodeProperties[] {
	const noun = NOUN[kind];
	const simplified = SIMPLIFIED_FIELDS[kind].join(', ');
	const show = displayOptions.show ?? {};
	return [
		{
			displayName: 'Output',
			name: 'output',
			type: 'options',
			default: 'raw',
			displayOptions,
			description: `Which fields of each ${noun.one} to return. The ID is always returned.`,
			options: [
				{
					name: 'Raw',
					value: 'raw',
					description: `Every field Sonarly sends for the ${noun.one}`,
				},
				{
					name: 'Simplified',
					value: 'simplified',
					description: `Only ${simplified}: best when an AI agent reads many ${noun.many}`,
				},
				{
					name: 'Selected Fields',
					value: 'selected',
					description: 'Only the fields you choose, plus the ID',
				},
			],
		},
		{
			displayName: 'Fields',
			name: 'fields',
			type: 'multiOptions',
			default: [],
			description: `The fields of each ${noun.one} to return. The ID is always returned.`,
			displayOptions: { ...displayOptions, show: { ...show, output: ['selected'] } },
			options: FIELDS[kind]
				.filter((field) => field !== 'id')
				.map((field) => ({ name: label(field), value: field })),
		},
	];
}

/** Reads and checks the Output choice of one item. Nothing is sent; a bad value fails the item. */
export function readOutput(
	context: IExecuteFunctions,
	itemIndex: number,
	kind: OutputKind,
): Outcome<OutputChoice> {
	const mode: unknown = context.getNodeParameter('output', itemIndex, 'raw');
	if (mode === 'raw') return { ok: true, value: { mode, fields: [...FIELDS[kind]] } };
	if (mode === 'simplified')
		return { ok: true, value: { mode, fields: [...SIMPLIFIED_FIELDS[kind]] } };
	if (mode !== 'selected') {
		return {
			ok: false,
			failure: inputFailure(
				`Output (item ${itemIndex}) must be Raw, Simplified or Selected Fields`,
				'Open the node and choose one of the three in Output.',
			),
		};
	}
	const raw: unknown = context.getNodeParameter('fields', itemIndex, []);
	const picked = typeof raw === 'string' ? raw.split(',') : raw;
	if (!Array.isArray(picked) || !picked.every((field) => typeof field === 'string')) {
		return {
			ok: false,
			failure: inputFailure(
				`Fields (item ${itemIndex}) must be a list of field names`,
				`Choose the fields in the list, or give their names separated by commas, e.g. name,status.`,
			),
		};
	}
	const names = picked.map((field) => field.trim()).filter((field) => field !== '');
	const unknown = names.filter((field) => !FIELDS[kind].includes(field));
	if (unknown.length > 0) {
		return {
			ok: false,
			failure: inputFailure(
				`Fields (item ${itemIndex}) has ${unknown.length === 1 ? 'a field' : 'fields'} Sonarly does not send: ${unknown.join(', ')}`,
				`Choose from: ${FIELDS[kind].join(', ')}.`,
			),
		};
	}
	const fields = ['id', ...FIELDS[kind].filter((field) => field !== 'id' && names.includes(field))];
	return { ok: true, value: { mode, fields } };
}

/**
 * One output item shaped by the choice. Raw returns the item untouched (fields Sonarly adds
 * later included). Otherwise the chosen fields in Sonarly's order, those the item has, then its
 * `traceId` if it has one. `id` is always there, even when Sonarly sent none (then null).
 */
export function shapeItem(json: IDataObject, choice: OutputChoice): IDataObject {
	if (choice.mode === 'raw') return json;
	const shaped: IDataObject = { id: json.id ?? null };
	for (const field of choice.fields) {
		if (field !== 'id' && field in json) shaped[field] = json[field];
	}
	if ('traceId' in json) shaped.traceId = json.traceId;
	return shaped;
}
