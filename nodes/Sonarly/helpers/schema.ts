/**
 * The one source of what each kind of Sonarly object holds: the Simplified and Selected Fields
 * choices (helpers/simplify.ts) and the output schemas n8n's editor shows before a run
 * (written into dist/…/__schema__ at build by scripts/write-schemas.mjs) both come from here.
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
} satisfies Record<string, Shape>;

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
