import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { unexpectedFailure } from '../helpers/errors';
import { checkId } from '../helpers/ids';
import type { SonarlyFailure } from '../helpers/types';
import { inputFailure } from '../transport/failures';

/** Where a parameter shows in the form: on its own, or inside one of the usual collections. */
export type Placement = 'top' | 'options' | 'filters' | 'additionalFields' | 'updateFields';

/**
 * One parameter of an operation: how it shows in the form and how one item's value is read
 * and checked. `read` never throws and never stops at the first problem: it records a failure
 * on the reader and returns a placeholder, so that every bad parameter of an item is named.
 */
export interface Param<T> {
	/** The properties it adds to the form (without displayOptions). */
	properties: INodeProperties[];
	placement: Placement;
	read(reader: ItemReader): T;
}

/** Reads the parameters of one item and collects what is wrong with them. */
export class ItemReader {
	readonly failures: SonarlyFailure[] = [];

	constructor(
		readonly context: IExecuteFunctions,
		readonly itemIndex: number,
	) {}

	/** The label of a parameter with the item, as every message names it: "Campaign (item 3)". */
	where(label: string): string {
		return `${label} (item ${this.itemIndex})`;
	}

	/**
	 * The raw value of a parameter, or `undefined` after recording why it could not be read
	 * (an expression n8n cannot evaluate keeps n8n's words, and the description names the
	 * parameter and the item).
	 */
	value(name: string, label: string, fallback: unknown, extractValue = false): unknown {
		try {
			return this.context.getNodeParameter(name, this.itemIndex, fallback, extractValue ? { extractValue } : undefined);
		} catch (error) {
			const failure = unexpectedFailure(error);
			const fix = failure.description || 'Fix the expression in that parameter, or set a fixed value.';
			this.failures.push({ ...failure, description: `In ${this.where(label)}: ${fix}` });
			return undefined;
		}
	}

	/** Records a refusal; returns null, the placeholder of an optional value. */
	refuse(message: string, description: string): null {
		this.failures.push(inputFailure(message, description));
		return null;
	}

	/** One failure for the item: the only one as it is, or every one listed. */
	failure(): SonarlyFailure | null {
		const [first, ...others] = this.failures;
		if (!first) return null;
		if (others.length === 0) return first;
		const kind = this.failures.some((failure) => failure.kind === 'unexpected') ? 'unexpected' : 'input';
		return {
			...first,
			kind,
			message: `${first.message} (and ${others.length} more ${others.length === 1 ? 'problem' : 'problems'} in this item, listed below)`,
			description: this.failures
				.map((failure, index) => `${index + 1}. ${failure.message}. ${failure.description}`.trim())
				.join(' '),
		};
	}
}

/** Reads every parameter of one item: the values, or the item's failure (nothing is sent). */
export function readParams<P>(
	params: ParamSpecs<P>,
	context: IExecuteFunctions,
	itemIndex: number,
): { ok: true; value: P } | { ok: false; failure: SonarlyFailure } {
	const reader = new ItemReader(context, itemIndex);
	const value = {} as P;
	for (const key of Object.keys(params) as Array<keyof P>) value[key] = params[key].read(reader);
	const failure = reader.failure();
	return failure ? { ok: false, failure } : { ok: true, value };
}

export type ParamSpecs<P> = { [K in keyof P]: Param<P[K]> };

/** The name n8n reads a parameter by: `timeout`, or `options.timeout` inside a collection. */
function pathOf(placement: Placement, name: string): string {
	return placement === 'top' ? name : `${placement}.${name}`;
}

// ---------------------------------------------------------------------------------------------
// Parameter kinds

const ID_HINT = 'The ID as Sonarly shows it, usually 24 letters and digits';

export interface LocatorOptions {
	name: string;
	label: string;
	description: string;
	/** The list search for "From List"; only "By ID" without it. */
	searchListMethod?: string;
	/** Parameters whose change clears this one in the editor. */
	dependsOn?: string[];
	hint?: string;
	placeholder?: string;
	required?: boolean;
}

/** An id as a resource locator (From List and By ID), checked to name one path segment. */
export function locator(options: LocatorOptions): Param<string> {
	const { name, label, searchListMethod } = options;
	const property: INodeProperties = {
		displayName: label,
		name,
		type: 'resourceLocator',
		default: { mode: searchListMethod ? 'list' : 'id', value: '' },
		required: options.required ?? true,
		...(options.dependsOn ? { typeOptions: { loadOptionsDependsOn: options.dependsOn } } : {}),
		description: options.description,
		...(options.hint ? { hint: options.hint } : {}),
		modes: [
			...(searchListMethod
				? [{ displayName: 'From List', name: 'list', type: 'list' as const, typeOptions: { searchListMethod, searchable: true } }]
				: []),
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string' as const,
				placeholder: options.placeholder ?? 'e.g. 507f1f77bcf86cd799439011',
				hint: ID_HINT,
			},
		],
	};
	return {
		properties: [property],
		placement: 'top',
		read(reader) {
			const raw = reader.value(name, label, '', true);
			if (raw === undefined && reader.failures.length > 0) return '';
			const id = checkId(raw, label, reader.itemIndex);
			if (id.ok) return id.value;
			reader.failures.push(id.failure);
			return '';
		},
	};
}

export interface NumberOptions {
	name: string;
	label: string;
	placement: Placement;
	default: number;
	min: number;
	max: number;
	wholeNumber?: boolean;
	description: string;
	/** How to fix a value that breaks the rule. */
	fix: string;
	unit?: string;
	/** The value used when the parameter is not shown or not set (default: `default`). */
	fallback?: number;
	displayName?: string;
	typeOptions?: INodeProperties['typeOptions'];
	/** Read once for the whole execution: messages do not name an item. */
	perExecution?: boolean;
}

/**
 * A number, refused when it breaks its rule: n8n does not enforce `minValue`/`maxValue` at
 * run time, and an expression can give any type.
 */
export function numberParam(options: NumberOptions): Param<number> {
	const { name, label, min, max } = options;
	const path = pathOf(options.placement, name);
	const initial = options.default;
	return {
		properties: [
			{
				displayName: options.displayName ?? label,
				name,
				type: 'number',
				typeOptions: options.typeOptions ?? { minValue: min },
				default: initial,
				description: options.description,
			},
		],
		placement: options.placement,
		read(reader) {
			const fallback = options.fallback ?? options.default;
			const raw = reader.value(path, label, fallback);
			if (raw === undefined) return fallback;
			const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
			const fits =
				typeof value === 'number' &&
				Number.isFinite(value) &&
				value >= min &&
				value <= max &&
				(!options.wholeNumber || Number.isInteger(value));
			if (fits) return value;
			const kind = options.wholeNumber ? 'a whole number' : 'a number';
			const unit = options.unit ? ` of ${options.unit}` : '';
			const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
			const where = options.perExecution ? label : reader.where(label);
			reader.refuse(`${where} must be ${kind}${unit} ${range}`, options.fix);
			return fallback;
		},
	};
}

export interface BooleanOptions {
	name: string;
	label: string;
	placement: Placement;
	description: string;
	displayName?: string;
}

/**
 * A yes/no switch, off by default (n8n's rule for boolean parameters). An expression may hand it the text "true" or "false" (from a Set node or
 * a form): read as the boolean it says; any other value is refused, naming the option.
 */
export function booleanParam(options: BooleanOptions): Param<boolean> {
	const { name, label } = options;
	const path = pathOf(options.placement, name);
	return {
		properties: [{ displayName: options.displayName ?? label, name, type: 'boolean', default: false, description: options.description }],
		placement: options.placement,
		read(reader) {
			const raw = reader.value(path, label, false);
			if (raw === undefined || raw === null || raw === '') return false;
			if (typeof raw === 'boolean') return raw;
			const text = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
			if (text === 'true') return true;
			if (text === 'false') return false;
			reader.refuse(
				`${reader.where(label)} must be true or false`,
				`Turn the option on or off, or make its expression give true or false (it gave ${describe(raw)}).`,
			);
			return false;
		},
	};
}

export interface TextOptions {
	name: string;
	label: string;
	placement: Placement;
	description: string;
	placeholder?: string;
	/** Refused before sending when empty after expressions (the default for top-level text). */
	required?: boolean;
	/** Trim spaces around the value (ids, names, statuses); free text keeps them. */
	trim?: boolean;
	rows?: number;
	hint?: string;
	maxLength?: number;
	displayName?: string;
	displayOptions?: INodeProperties['displayOptions'];
}

/** Text; `null` when an optional one is not set. */
export function textParam(options: TextOptions & { required: true }): Param<string>;
export function textParam(options: TextOptions): Param<string | null>;
export function textParam(options: TextOptions): Param<string | null> {
	const { name, label } = options;
	const path = pathOf(options.placement, name);
	const required = options.required ?? false;
	return {
		properties: [
			{
				displayName: options.displayName ?? label,
				name,
				type: 'string',
				default: '',
				required: required && options.placement === 'top',
				description: options.description,
				...(options.placeholder ? { placeholder: options.placeholder } : {}),
				...(options.rows ? { typeOptions: { rows: options.rows } } : {}),
				...(options.hint ? { hint: options.hint } : {}),
				...(options.displayOptions ? { displayOptions: options.displayOptions } : {}),
			},
		],
		placement: options.placement,
		read(reader) {
			const raw = reader.value(path, label, '');
			if (raw === undefined && reader.failures.length > 0) return null;
			if (raw !== undefined && raw !== null && typeof raw !== 'string' && typeof raw !== 'number') {
				return reader.refuse(
					`${reader.where(label)} must be text`,
					`Set ${label} to text, not to ${describe(raw)}: point the expression at the field that holds it.`,
				);
			}
			const text = raw === undefined || raw === null ? '' : String(raw);
			const value = options.trim === false ? text : text.trim();
			if (value.trim() === '') {
				if (!required) return null;
				return reader.refuse(
					`${reader.where(label)} is empty`,
					`Enter ${label}. If it comes from an expression, check that the field it reads exists on this item.`,
				);
			}
			if (options.maxLength !== undefined && value.length > options.maxLength) {
				return reader.refuse(
					`${reader.where(label)} is longer than ${options.maxLength} characters`,
					`Shorten ${label}.`,
				);
			}
			return value;
		},
	};
}

/**
 * A JSON object: JSON text, or an object from an expression. Anything else (a list, a number,
 * text that is not JSON) is refused before sending.
 */
export function jsonObjectParam(options: { name: string; label: string; description: string; hint?: string; default?: string }): Param<IDataObject> {
	const { name, label } = options;
	const initial = options.default ?? '{}';
	return {
		properties: [
			{
				displayName: label,
				name,
				type: 'json',
				default: initial,
				required: true,
				description: options.description,
				...(options.hint ? { hint: options.hint } : {}),
			},
		],
		placement: 'top',
		read(reader) {
			const raw = reader.value(name, label, '{}');
			if (raw === undefined && reader.failures.length > 0) return {};
			let value: unknown = raw;
			if (typeof raw === 'string') {
				try {
					value = JSON.parse(raw);
				} catch {
					reader.refuse(
						`${reader.where(label)} is not valid JSON`,
						'Write a JSON object such as {"searchUrl": "https://www.linkedin.com/search/results/people/?keywords=cto"}, or use an expression that gives an object.',
					);
					return {};
				}
			}
			if (typeof value !== 'object' || value === null || Array.isArray(value)) {
				reader.refuse(`${reader.where(label)} must be a JSON object`, `It is ${describe(value)}: wrap the fields in { }.`);
				return {};
			}
			return value as IDataObject;
		},
	};
}

function describe(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'string') return `the text "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

export interface ChoiceOptions<T extends string> {
	name: string;
	label: string;
	placement: Placement;
	choices: ReadonlyArray<{ name: string; value: T; description?: string }>;
	description: string;
	displayOptions?: INodeProperties['displayOptions'];
}

/** One of fixed values (an n8n options list); an expression giving anything else is refused. */
export function choiceParam<T extends string>(options: ChoiceOptions<T>): Param<T> {
	const { name, label, choices } = options;
	const path = pathOf(options.placement, name);
	const first = choices[0].value;
	const initial: string = first;
	return {
		properties: [
			{
				displayName: label,
				name,
				type: 'options',
				options: choices.map((choice) => ({ ...choice })),
				default: initial,
				description: options.description,
				...(options.displayOptions ? { displayOptions: options.displayOptions } : {}),
			},
		],
		placement: options.placement,
		read(reader) {
			const raw = reader.value(path, label, first);
			const text = typeof raw === 'string' ? raw.trim() : raw;
			const found = choices.find((choice) => choice.value === text);
			if (found) return found.value;
			if (raw !== undefined) {
				reader.refuse(
					`${reader.where(label)} must be one of: ${choices.map((choice) => choice.value).join(', ')}`,
					`Choose it in the list, or make the expression give one of those values (it gave ${describe(raw)}).`,
				);
			}
			return first;
		},
	};
}

export interface ListOptions {
	name: string;
	label: string;
	placement: Placement;
	description: string;
	/** Refused before sending when the list is empty. */
	required?: boolean;
	placeholder?: string;
}

/**
 * A list of IDs: an array (from an expression), or text with the IDs separated by commas.
 * Items are trimmed, empty ones dropped, and each is checked like any ID.
 */
export function idListParam(options: ListOptions): Param<string[] | null> {
	const { name, label } = options;
	const path = pathOf(options.placement, name);
	return {
		properties: [
			{
				displayName: label,
				name,
				type: 'string',
				default: '',
				required: options.required === true && options.placement === 'top',
				placeholder: options.placeholder ?? 'e.g. 507f1f77bcf86cd799439011, 507f1f77bcf86cd799439012',
				description: options.description,
			},
		],
		placement: options.placement,
		read(reader) {
			const raw = reader.value(path, label, '');
			if (raw === undefined && reader.failures.length > 0) return null;
			const parts = Array.isArray(raw) ? raw : typeof raw === 'string' || typeof raw === 'number' ? String(raw).split(',') : null;
			if (parts === null) {
				return reader.refuse(`${reader.where(label)} must be a list of IDs`, `Give the IDs separated by commas, or an expression that gives a list (it gave ${describe(raw)}).`);
			}
			const ids: string[] = [];
			for (const part of parts) {
				if (typeof part === 'string' && part.trim() === '') continue;
				const id = checkId(part, label, reader.itemIndex);
				if (!id.ok) {
					reader.failures.push(id.failure);
					return null;
				}
				ids.push(id.value);
			}
			if (ids.length === 0) {
				if (!options.required) return null;
				return reader.refuse(`${reader.where(label)} is empty`, `Give at least one ID, separated by commas, or an expression that gives a list.`);
			}
			return ids;
		},
	};
}

/** Free texts, one per line of n8n's multiple-values field (never split on commas). */
export function textListParam(options: ListOptions): Param<string[] | null> {
	const { name, label } = options;
	const path = pathOf(options.placement, name);
	return {
		properties: [
			{
				displayName: label,
				name,
				type: 'string',
				typeOptions: { multipleValues: true },
				default: [],
				description: options.description,
			},
		],
		placement: options.placement,
		read(reader) {
			const raw = reader.value(path, label, []);
			if (raw === undefined || raw === null) return null;
			const list = Array.isArray(raw) ? raw : [raw];
			if (!list.every((entry) => typeof entry === 'string' || typeof entry === 'number')) {
				return reader.refuse(`${reader.where(label)} must be a list of texts`, `Each entry must be text (one of them is ${describe(list.find((entry) => typeof entry !== 'string'))}).`);
			}
			const texts = list.map(String).filter((text) => text.trim() !== '');
			return texts.length > 0 ? texts : null;
		},
	};
}

/** A whole number that may be left unset (`null`). */
export function optionalIntegerParam(options: { name: string; label: string; placement: Placement; description: string; min: number; max: number }): Param<number | null> {
	const { name, label, min, max } = options;
	const path = pathOf(options.placement, name);
	return {
		properties: [{ displayName: label, name, type: 'number', typeOptions: { minValue: min, maxValue: max }, default: 0, description: options.description }],
		placement: options.placement,
		read(reader) {
			const raw = reader.value(path, label, null);
			if (raw === undefined || raw === null || raw === '') return null;
			const value = typeof raw === 'string' ? Number(raw.trim()) : raw;
			if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
			return reader.refuse(`${reader.where(label)} must be a whole number from ${min} to ${max}`, `Set ${label} to a whole number, or remove it.`);
		},
	};
}

/** A yes/no field of an update: `null` when the user did not add it to the collection. */
export function optionalBooleanParam(options: { name: string; label: string; placement: Placement; description: string }): Param<boolean | null> {
	const flag = booleanParam(options);
	const path = pathOf(options.placement, options.name);
	return {
		...flag,
		read(reader) {
			const raw = reader.value(path, options.label, null);
			return raw === null || raw === undefined ? null : flag.read(reader);
		},
	};
}
