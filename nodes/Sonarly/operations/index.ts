import type { OperationSpec } from '../engine/operation';
import * as accountGroup from './accountGroup';
import * as campaign from './campaign';
import * as prospectingJob from './prospectingJob';

export interface ResourceSpec {
	name: string;
	value: string;
	default?: boolean;
	defaultOperation?: string;
}

/** The resources in the Resource list, alphabetically. */
export const RESOURCES: ResourceSpec[] = [
	{ name: 'Account Group', value: 'accountGroup' },
	{ name: 'Campaign', value: 'campaign', default: true, defaultOperation: 'stop' },
	{ name: 'Prospecting Job', value: 'prospectingJob', defaultOperation: 'start' },
];

/** Every operation of the node. */
export const OPERATIONS: OperationSpec[] = [
	accountGroup.getAll,
	campaign.get,
	campaign.getAll,
	campaign.start,
	campaign.stop,
	prospectingJob.get,
	prospectingJob.start,
];
