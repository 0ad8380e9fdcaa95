import type { IDataObject } from 'n8n-workflow';

import type { RequestPurpose } from '../transport/failures';

/** The trigger's `event` values: a contract, saved in users' workflows. */
export type TriggerEvent =
	| 'newMessage'
	| 'campaignStatusChanged'
	| 'prospectingJobFinished'
	| 'signalScanFinished'
	| 'audienceReady';

export const TRIGGER_EVENTS: readonly TriggerEvent[] = [
	'newMessage',
	'campaignStatusChanged',
	'prospectingJobFinished',
	'signalScanFinished',
	'audienceReady',
];

/** Job and scan statuses after which nothing changes any more (Sonarly's documented ones). */
export const FINAL_STATUSES: readonly string[] = ['completed', 'failed', 'cancelled'];

/** A list the trigger watches: where it is, what it is called in messages, how items are named. */
export interface ListEvent {
	kind: 'list';
	/** Path under /v1/accounts/{accountGroupId}. */
	path: string;
	/** The field that holds an item's id. */
	idField: 'id' | 'jobId' | 'scanId';
	list: RequestPurpose;
	/** Reading one item by id (jobs and scans only): unfinished ones are followed this way. */
	one?: RequestPurpose;
	/** Set for jobs and scans: an item is an event once its status is final. */
	finishes: boolean;
	eventId: (item: IDataObject, id: string) => string;
	/** The test run's message when there is no event yet: [message, description]. */
	none: [string, string];
}

export interface CampaignEvent {
	kind: 'campaigns';
	list: RequestPurpose;
	none: [string, string];
}

const ACTIVE_WORKFLOW = 'Once the workflow is active, it starts on every new one.';

export const EVENTS: Record<TriggerEvent, ListEvent | CampaignEvent> = {
	newMessage: {
		kind: 'list',
		path: 'messages',
		idField: 'id',
		list: { action: 'list the messages', permission: 'messages:read', target: 'account group', safety: 'read' },
		finishes: false,
		eventId: (_item, id) => `message:${id}`,
		none: [
			'No message yet in this account group',
			`Sonarly has no message to show as an example (in this conversation, if you set one). Send or receive a message in Sonarly, then fetch again. ${ACTIVE_WORKFLOW}`,
		],
	},
	campaignStatusChanged: {
		kind: 'campaigns',
		list: { action: 'list the campaigns', permission: 'campaigns:read', target: 'account group', safety: 'read' },
		none: [
			'No campaign yet in this account group',
			'Create a campaign in Sonarly, then fetch again. Once the workflow is active, it starts whenever a campaign changes status.',
		],
	},
	prospectingJobFinished: {
		kind: 'list',
		path: 'prospecting',
		idField: 'jobId',
		list: {
			action: 'list the prospecting jobs',
			permission: 'prospecting:read',
			target: 'account group',
			safety: 'read',
		},
		one: {
			action: 'read a prospecting job',
			permission: 'prospecting:read',
			target: 'account group or prospecting job',
			safety: 'read',
		},
		finishes: true,
		eventId: (item, id) => `prospectingJob:${id}:${String(item.status)}`,
		none: [
			'No finished prospecting job yet in this account group',
			`Sonarly lists no completed, failed or cancelled prospecting job. Start one (Sonarly node: Prospecting Job → Start), wait for it to end, then fetch again. ${ACTIVE_WORKFLOW}`,
		],
	},
	signalScanFinished: {
		kind: 'list',
		path: 'signals/scans',
		idField: 'scanId',
		list: { action: 'list the signal scans', permission: 'signals:read', target: 'account group', safety: 'read' },
		one: {
			action: 'read a signal scan',
			permission: 'signals:read',
			target: 'account group or signal scan',
			safety: 'read',
		},
		finishes: true,
		eventId: (item, id) => `signalScan:${id}:${String(item.status)}`,
		none: [
			'No finished signal scan yet in this account group',
			`Sonarly lists no completed, failed or cancelled signal scan. Start one (Sonarly node: Signal Scan → Start), wait for it to end, then fetch again. ${ACTIVE_WORKFLOW}`,
		],
	},
	audienceReady: {
		kind: 'list',
		path: 'audiences',
		idField: 'id',
		list: { action: 'list the audiences', permission: 'audiences:read', target: 'account group', safety: 'read' },
		finishes: false,
		eventId: (_item, id) => `audience:${id}`,
		none: [
			'No ready audience yet in this account group',
			`Sonarly lists only audiences that are ready (not being filled by a prospecting job). Create one or wait for an import to finish, then fetch again. ${ACTIVE_WORKFLOW}`,
		],
	},
};

export function isFinal(item: IDataObject): boolean {
	return typeof item.status === 'string' && FINAL_STATUSES.includes(item.status);
}

/** The item's id as text, or null (no id, or not a string or whole number). */
export function idIn(item: IDataObject, field: string): string | null {
	const value = item[field];
	if (typeof value === 'string' && value !== '') return value;
	if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
	return null;
}

export function campaignEventId(campaign: IDataObject, id: string): string {
	const updatedAt =
		campaign.updatedAt === undefined || campaign.updatedAt === null
			? ''
			: String(campaign.updatedAt);
	return `campaign:${id}:${String(campaign.status)}:${updatedAt}`;
}

/**
 * Oldest first, where Sonarly's data tells. `items` come in the order they were read (the
 * lists are read newest first): sorted by `field` (a date) when every item has a readable one,
 * ties and items without one in reverse reading order.
 */
export function oldestFirst<T extends IDataObject>(items: T[], field: string): T[] {
	const times = items.map((item) =>
		typeof item[field] === 'string' ? Date.parse(item[field] as string) : NaN,
	);
	const reversed = items.map((item, index) => ({ item, index, time: times[index] })).reverse();
	if (times.some((time) => Number.isNaN(time))) return reversed.map(({ item }) => item);
	return reversed.sort((a, b) => a.time - b.time || b.index - a.index).map(({ item }) => item);
}
