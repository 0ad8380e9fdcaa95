import type { OperationSpec } from '../engine/operation';
import * as accountGroup from './accountGroup';
import * as audience from './audience';
import * as authoring from './authoring';
import * as campaign from './campaign';
import * as message from './message';
import * as prospect from './prospect';
import * as jobs from './jobs';
import * as templates from './templates';

export interface ResourceSpec {
	label: string;
	resource: string;
	/** The resource a new node starts on. */
	default?: boolean;
	/** The operation a resource starts on (default: its first). */
	startsOn?: string;
}

/** The resources in the Resource list, alphabetically. */
export const RESOURCES: ResourceSpec[] = [
	{ label: 'Account Group', resource: 'accountGroup' },
	{ label: 'Audience', resource: 'audience', startsOn: 'getAll' },
	{ label: 'Audience Folder', resource: 'audienceFolder', startsOn: 'getAll' },
	{ label: 'Campaign', resource: 'campaign', default: true, startsOn: 'stop' },
	{ label: 'Content Slot', resource: 'contentSlot', startsOn: 'getAll' },
	{ label: 'Message', resource: 'message', startsOn: 'getAll' },
	{ label: 'Prospect', resource: 'prospect', startsOn: 'getAll' },
	{ label: 'Prospecting Job', resource: 'prospectingJob', startsOn: 'start' },
	{ label: 'Sales Navigator', resource: 'salesNavigator', startsOn: 'getSavedSearches' },
	{ label: 'Signal Scan', resource: 'signalScan', startsOn: 'start' },
	{ label: 'Signal Specification', resource: 'signalSpecification', startsOn: 'getAll' },
	{ label: 'Value Proposition', resource: 'valueProposition', startsOn: 'getAll' },
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
	jobs.prospectingStart,
	jobs.prospectingGet,
	jobs.prospectingGetAll,
	jobs.prospectingCancel,
	jobs.scanStart,
	jobs.scanGet,
	jobs.scanGetAll,
	jobs.scanCancel,
	templates.specGetAll,
	templates.specUpdate,
	templates.specDelete,
	templates.valueGet,
	templates.valueGetAll,
	templates.valueUpdate,
	templates.valueDelete,
];
