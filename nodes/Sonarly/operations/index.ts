import type { OperationSpec } from '../engine/operation';
import * as accountGroup from './accountGroup';
import * as audience from './audience';
import * as authoring from './authoring';
import * as campaign from './campaign';
import * as message from './message';
import * as prospect from './prospect';
import * as prospectingJob from './prospectingJob';
import * as signals from './signals';

export interface ResourceSpec {
	name: string;
	value: string;
	default?: boolean;
	defaultOperation?: string;
}

/** The resources in the Resource list, alphabetically. */
export const RESOURCES: ResourceSpec[] = [
	{ name: 'Account Group', value: 'accountGroup' },
	{ name: 'Audience', value: 'audience', defaultOperation: 'getAll' },
	{ name: 'Audience Folder', value: 'audienceFolder', defaultOperation: 'getAll' },
	{ name: 'Campaign', value: 'campaign', default: true, defaultOperation: 'stop' },
	{ name: 'Content Slot', value: 'contentSlot', defaultOperation: 'getAll' },
	{ name: 'Message', value: 'message', defaultOperation: 'getAll' },
	{ name: 'Prospect', value: 'prospect', defaultOperation: 'getAll' },
	{ name: 'Prospecting Job', value: 'prospectingJob', defaultOperation: 'start' },
	{ name: 'Sales Navigator', value: 'salesNavigator', defaultOperation: 'getSavedSearches' },
	{ name: 'Signal Scan', value: 'signalScan', defaultOperation: 'start' },
	{ name: 'Signal Specification', value: 'signalSpecification', defaultOperation: 'getAll' },
	{ name: 'Value Proposition', value: 'valueProposition', defaultOperation: 'getAll' },
];

/** Every operation of the node: Sonarly's 44 public endpoints. */
export const OPERATIONS: OperationSpec[] = [
	accountGroup.getAll,
	audience.get,
	audience.getAll,
	audience.create,
	audience.update,
	audience.remove,
	audience.moveToFolder,
	audience.removeFromFolder,
	audience.moveLeads,
	audience.foldersGetAll,
	audience.foldersCreate,
	audience.foldersUpdate,
	campaign.get,
	campaign.getAll,
	campaign.start,
	campaign.stop,
	authoring.create,
	authoring.duplicate,
	authoring.remove,
	authoring.starterTemplates,
	authoring.slotsGetAll,
	authoring.slotsUpdate,
	message.getAll,
	message.reply,
	prospect.getAll,
	prospect.findByProviderId,
	prospect.getSignals,
	prospect.savedSearches,
	prospect.leadLists,
	prospectingJob.start,
	prospectingJob.get,
	prospectingJob.getAll,
	prospectingJob.cancel,
	signals.scanStart,
	signals.scanGet,
	signals.scanGetAll,
	signals.scanCancel,
	signals.specGetAll,
	signals.specUpdate,
	signals.specDelete,
	signals.valueGet,
	signals.valueGetAll,
	signals.valueUpdate,
	signals.valueDelete,
];
