import type { IDataObject } from 'n8n-workflow';

import type { Backlog, FeedState } from './feed';
import { MAX_STATE_BYTES } from './limits';

/**
 * What the trigger keeps between polls, in the node's static data (n8n saves it with the
 * workflow when a poll emits items, and once after the activation poll). Small and versioned:
 *
 * - `v`: the format version (this file reads version 1 only; anything else starts afresh).
 * - `key`: the account group, event and filters it was recorded for; any change starts afresh.
 * - list events: `known`, `complete`, `backlog` (see feed.ts); job and scan events also
 *   `pending` (ids seen unfinished); the campaign event `statuses` and `campaigns` (id → index
 *   into `statuses`).
 */
export const STATE_VERSION = 1;

export interface ListState extends FeedState {
	/** Jobs or scans seen queued or running and not emitted yet (job and scan events only). */
	pending: string[];
}

export interface CampaignState {
	/** Every status seen, once: `campaigns` points into it. */
	statuses: string[];
	/** Campaign id → index of its status in `statuses`, as of the last poll. */
	campaigns: Record<string, number>;
}

export type TriggerState =
	| { kind: 'list'; list: ListState }
	| { kind: 'campaigns'; campaigns: CampaignState };

/** The stored state, when it was recorded for this key in this version; else null (start afresh). */
export function readState(data: IDataObject, key: string): TriggerState | null {
	if (data.v !== STATE_VERSION || data.key !== key) return null;
	if (isStringArray(data.known)) {
		return {
			kind: 'list',
			list: {
				known: data.known,
				complete: data.complete === true,
				backlog: readBacklog(data.backlog),
				pending: isStringArray(data.pending) ? data.pending : [],
			},
		};
	}
	if (isStringArray(data.statuses) && isIndexMap(data.campaigns, data.statuses.length)) {
		return { kind: 'campaigns', campaigns: { statuses: data.statuses, campaigns: data.campaigns } };
	}
	return null;
}

/**
 * Replaces the node's static data with `state`, in place (n8n watches that object). Only
 * called once a poll has fully succeeded: a failed poll leaves the previous state untouched.
 */
export function writeState(data: IDataObject, key: string, state: TriggerState): void {
	const next = fit(serialise(key, state));
	for (const name of Object.keys(data)) {
		if (!(name in next)) delete data[name];
	}
	Object.assign(data, next);
}

/** The JSON size of what writeState stores, in bytes (UTF-8). */
export function stateBytes(data: IDataObject): number {
	return new TextEncoder().encode(JSON.stringify(data)).length;
}

function serialise(key: string, state: TriggerState): IDataObject {
	if (state.kind === 'campaigns') {
		return {
			v: STATE_VERSION,
			key,
			statuses: state.campaigns.statuses,
			campaigns: state.campaigns.campaigns,
		};
	}
	const { known, complete, backlog, pending } = state.list;
	return {
		v: STATE_VERSION,
		key,
		known,
		complete,
		backlog: backlog === null ? null : { ...backlog },
		pending,
	};
}

/**
 * Keeps the stored JSON under MAX_STATE_BYTES whatever the ids look like (Sonarly's id format
 * is not documented): drops the oldest remembered ids first. Campaign maps are capped by count
 * when they are built.
 */
function fit(data: IDataObject): IDataObject {
	let size = stateBytes(data);
	if (size <= MAX_STATE_BYTES || !isStringArray(data.known)) return data;
	let known = data.known;
	let pending = isStringArray(data.pending) ? data.pending : [];
	while (size > MAX_STATE_BYTES && (known.length > 0 || pending.length > 0)) {
		if (known.length > 0) known = known.slice(0, Math.floor(known.length * 0.9));
		else pending = pending.slice(0, Math.floor(pending.length * 0.9));
		data = { ...data, known, pending, complete: false };
		size = stateBytes(data);
	}
	return data;
}

function readBacklog(value: unknown): Backlog | null {
	if (typeof value !== 'object' || value === null) return null;
	const { cursor, stop, emitted } = value as IDataObject;
	if (typeof cursor !== 'string' || !isStringArray(stop)) return null;
	return { cursor, stop, emitted: typeof emitted === 'number' ? emitted : 0 };
}

function isStringArray(value: unknown): value is string[] {
	return Array.isArray(value) && value.every((entry) => typeof entry === 'string');
}

function isIndexMap(value: unknown, size: number): value is Record<string, number> {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
	return Object.values(value).every(
		(index) => Number.isInteger(index) && index >= 0 && index < size,
	);
}
