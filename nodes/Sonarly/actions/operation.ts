import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { CampaignRef, OperationResult, Outcome } from '../helpers/types';
import type { SonarlyClient } from '../transport';

/**
 * One operation, in two phases the router keeps apart: `plan` reads and checks one item's
 * parameters and sends nothing, so every item is checked before the first request; `run`
 * does the work for one planned item. Neither throws for a failed item: failures are data.
 */
export interface Operation<Plan = unknown> {
	plan(context: IExecuteFunctions, itemIndex: number): Outcome<Plan>;
	run(client: SonarlyClient, plan: Plan): Promise<OperationResult>;
	/** Set for operations that change a campaign (Stop, Start). */
	change?: ChangeRules<Plan>;
}

/** What the router needs to know about an operation that changes a campaign. */
export interface ChangeRules<Plan> {
	/** The change as a verb and in the past tense, for messages: "stop", "stopped". */
	verb: string;
	done: string;
	/** The campaign a plan changes: items naming the same one share one request. */
	target(plan: Plan): CampaignRef;
	/** Whether a success item says this run changed the campaign. */
	acted(json: IDataObject): boolean;
	/** The success item for a later item that named the same campaign as item `firstItem`. */
	duplicate(json: IDataObject, firstItem: number): IDataObject;
}

/** Lets the router hold operations with different plans in one table. */
export function defineOperation<Plan>(operation: Operation<Plan>): Operation {
	return operation as unknown as Operation;
}
