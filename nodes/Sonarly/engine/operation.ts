import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import type { Shape } from '../helpers/schema';
import type { OutputKind } from '../helpers/simplify';
import type { Safety } from '../transport/classify';
import type { Wording } from '../transport/failures';
import type { ParamSpecs } from './params';

/** The request an item sends: every id in `path` already encoded as one segment. */
export interface RequestSpec {
	method: IHttpRequestMethods;
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
}

/** The parameters every operation reads besides its own. */
export interface CommonParams {
	timeoutMs: number;
	maxRateLimitWaitSeconds: number;
}

/** A list that Sonarly pages with `nextCursor` (or sends whole): one output item per entry. */
export interface ListSpec<P> {
	/** The field that identifies an entry (entries without it are dropped). */
	idField?: string;
	/** At most this many entries (null: all). */
	limit(params: P): number | null;
	/** Only entries it accepts are kept (and counted towards the limit). */
	keep?(params: P, entry: IDataObject): boolean;
}

/**
 * A 409 that the user asked to ignore (Ignore Not Active Campaigns and the like): the item
 * goes to the success output, describing the target as it is now.
 */
export interface ConflictSpec<P> {
	/** The status that is ignored (default 409). */
	status?: number;
	ignore(params: P): boolean;
	/** Read the target as it is now. */
	read(params: P): RequestSpec;
	wording: Wording;
	/** The success item for the target as read. */
	describe(data: IDataObject, params: P): IDataObject;
}

/**
 * Waiting for an asynchronous job that the operation started (with the Wait for Completion
 * option, which the engine adds with Wait Timeout).
 */
export interface WaitSpec<P> {
	/** The request that reads the job again, from the parameters and the answer to the start. */
	read(params: P, started: IDataObject): RequestSpec | null;
	wording: Wording;
	/** What the job is called in messages: "prospecting job". */
	noun: string;
}

/**
 * One operation, as data. The engine reads its parameters for every item before anything is
 * sent, sends `request`, and shapes the answer with `output`; its safety class alone decides
 * what may be resent, deduplicated, retried and reported.
 */
export interface OperationSpec<P = IDataObject> {
	resource: string;
	operation: string;
	/** The operation's name in the list ("Stop"), its description and the AI tool's action text. */
	name: string;
	description: string;
	action: string;
	safety: Safety;
	params: ParamSpecs<P>;
	/** Words for the messages of this operation's request. */
	wording: Wording;
	request(params: P): RequestSpec;
	/** What one success item holds: the editor's output schema is built from it. */
	schema: Shape;
	/** Paged list reads. */
	list?: ListSpec<P>;
	/** The success item(s) for Sonarly's `data` (default: `data` as it is; a list: one item each). */
	output?(data: IDataObject, params: P): IDataObject | IDataObject[];
	/**
	 * A rule across parameters, checked before anything is sent: the refusal (what is wrong,
	 * how to fix it) or null.
	 */
	validate?(params: P, itemIndex: number): [message: string, description: string] | null;
	conflict?: ConflictSpec<P>;
	wait?: WaitSpec<P>;
	/**
	 * Writes: what the run summary says the run did, "stopped", and the target it names
	 * ("campaign 123"), for items that succeeded or may have.
	 */
	summary?: { done: string; target?(params: P): string };
	/** Writes: the success item of a later item that sends the identical request. */
	duplicate?(json: IDataObject, firstItem: number): IDataObject;
	/** Whether a success item says this run acted (default: yes). */
	acted?(json: IDataObject): boolean;
	/** Whether the node-wide Concurrency option is shown. */
	concurrency?: boolean;
	/** Offers Raw / Simplified / Selected Fields for items of this kind. */
	simplify?: OutputKind;
	/**
	 * Writes: how the Retry On Fail refusal names the operation ("stop campaigns"; default:
	 * its action) and what a repeat could do (" on a live campaign").
	 */
	retryOnFail?: { doing: string; risk?: string };
	/** A notice shown first in the form. */
	notice?: string;
}

/** Lets the registry hold operations with different parameter types in one list. */
export function defineOperation<P>(spec: OperationSpec<P>): OperationSpec {
	return spec as unknown as OperationSpec;
}
