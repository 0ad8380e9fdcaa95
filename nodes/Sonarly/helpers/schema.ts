/**
 * The one source of what each kind of Sonarly object holds: the Simplified and Selected Fields
 * choices (helpers/simplify.ts) and the output schemas n8n's editor shows before a run
 * (nodes/Sonarly/__schema__, written by scripts/write-schemas.mjs and checked in CI) come from here.
 */
export type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'null';
export type Field = FieldType | readonly FieldType[] | Shape;

/** The fields of an object: `optional` ones may be missing, the rest are always there. */
export interface Shape {
	fields: Readonly<Record<string, Field>>;
	optional?: readonly string[];
}

export interface JsonSchema {
	type: string | string[];
	properties?: Record<string, JsonSchema>;
	required?: string[];
}

const NULLABLE_TEXT = ['string', 'null'] as const;

export const KINDS = {
	campaign: {
		fields: {
			id: 'string',
			name: 'string',
			description: 'string',
			status: 'string',
			selectedLeadCount: 'integer',
			includeConversationHistory: 'boolean',
			autoCancelOnMessageReceived: 'boolean',
			outreachLanguage: 'string',
			createdAt: 'string',
			updatedAt: 'string',
			startedAt: NULLABLE_TEXT,
			rateLimitedUntil: NULLABLE_TEXT,
		},
	},
	accountGroup: { fields: { id: 'string', name: 'string', createdAt: 'string' } },
	prospectingJob: {
		fields: {
			jobId: 'string',
			type: 'string',
			status: 'string',
			createdAt: 'string',
			updatedAt: 'string',
			stages: 'object',
			error: ['object', 'null'],
		},
		optional: ['type', 'updatedAt', 'stages', 'error'],
	},
	audience: {
		fields: { id: 'string', name: 'string', type: 'string', description: NULLABLE_TEXT, folderId: NULLABLE_TEXT, prospectCount: 'integer', createdAt: 'string' },
		optional: ['type', 'description', 'folderId', 'prospectCount', 'createdAt'],
	},
	audienceFolder: {
		fields: { id: 'string', name: 'string', audienceType: 'string', isPinned: 'boolean', position: 'integer', createdAt: 'string', updatedAt: 'string' },
		optional: ['audienceType', 'isPinned', 'position', 'createdAt', 'updatedAt'],
	},
	prospect: {
		fields: {
			id: 'string',
			firstName: NULLABLE_TEXT,
			lastName: NULLABLE_TEXT,
			name: NULLABLE_TEXT,
			headline: NULLABLE_TEXT,
			about: NULLABLE_TEXT,
			photoUrl: NULLABLE_TEXT,
			linkedinUrl: NULLABLE_TEXT,
			publicIdentifier: NULLABLE_TEXT,
			company: ['object', 'null'],
		},
		optional: ['firstName', 'lastName', 'name', 'headline', 'about', 'photoUrl', 'linkedinUrl', 'publicIdentifier', 'company'],
	},
	salesNavigatorList: { fields: { id: 'string', name: 'string' } },
	starterTemplate: { fields: { id: 'string', name: 'string', description: NULLABLE_TEXT, available: 'boolean' }, optional: ['description'] },
	contentSlot: {
		fields: { id: 'string', channel: 'string', label: NULLABLE_TEXT, position: 'integer', channelPosition: 'integer', templateId: NULLABLE_TEXT },
		optional: ['channel', 'label', 'position', 'channelPosition', 'templateId'],
	},
	signalScan: {
		fields: { scanId: 'string', type: 'string', status: 'string', createdAt: 'string', updatedAt: 'string', error: ['object', 'null'] },
		optional: ['type', 'createdAt', 'updatedAt', 'error'],
	},
	signalSpecification: {
		fields: { id: 'string', name: 'string', description: NULLABLE_TEXT, sources: 'array', useValueProposition: 'boolean', valuePropositionIds: 'array' },
		optional: ['description', 'sources', 'useValueProposition', 'valuePropositionIds'],
	},
	valueProposition: {
		fields: { id: 'string', name: 'string', description: NULLABLE_TEXT, values: 'array', challenges: 'array', createdAt: 'string' },
		optional: ['description', 'values', 'challenges', 'createdAt'],
	},
	message: { fields: { id: 'string', participantProviderId: NULLABLE_TEXT, conversationId: NULLABLE_TEXT }, optional: ['participantProviderId', 'conversationId'] },
} satisfies Record<string, Shape>;

/** What a delete outputs. */
export const DELETED: Shape = { fields: { deleted: 'boolean', id: 'string', traceId: NULLABLE_TEXT } };

export type Kind = keyof typeof KINDS;

/** A shape with more fields: what an operation adds to Sonarly's object. */
export function withFields(shape: Shape, fields: Record<string, Field>, optional: readonly string[] = []): Shape {
	return { fields: { ...shape.fields, ...fields }, optional: [...(shape.optional ?? []), ...optional] };
}

/** The `traceId` Sonarly's envelope carries (missing in some of its examples). */
export const TRACE_ID = { traceId: NULLABLE_TEXT };

export function jsonSchema(field: Field): JsonSchema {
	if (typeof field === 'string') return { type: field };
	if (isList(field)) return { type: [...field] };
	const properties: Record<string, JsonSchema> = {};
	for (const [name, inner] of Object.entries(field.fields)) properties[name] = jsonSchema(inner);
	const optional = new Set(field.optional ?? []);
	return { type: 'object', properties, required: Object.keys(field.fields).filter((name) => !optional.has(name)) };
}

function isList(field: Field): field is readonly FieldType[] {
	return Array.isArray(field);
}
