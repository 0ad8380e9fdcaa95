import type { IDataObject } from 'n8n-workflow';

import { locator } from '../engine/params';

/** The body fields that were given (an optional field left unset is not sent). */
export function given(fields: IDataObject): IDataObject {
	return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null && value !== undefined));
}

/** An update needs at least one field: refused before sending otherwise. */
export function atLeastOne(fields: IDataObject, what: string): [string, string] | null {
	return Object.keys(given(fields)).length > 0
		? null
		: [`Update Fields is empty: nothing to change in the ${what}`, 'Add at least one field under Update Fields.'];
}

/** An ID of the chosen account group, From List (searchable) or By ID. */
export function groupLocator(name: string, label: string, description: string, searchListMethod?: string) {
	return locator({
		name,
		label,
		description,
		searchListMethod,
		// The editor clears it when another account group is picked From List (see campaignId).
		dependsOn: searchListMethod ? ['accountGroupId.cachedResultName'] : undefined,
		hint: searchListMethod ? `If you change the Account Group, pick the ${label} again.` : undefined,
	});
}

/** What a delete outputs: Sonarly's answer, `deleted: true` and the ID it deleted. */
export const deleted = (id: string) => (data: IDataObject) => ({ ...data, deleted: true, id });
