import type { IDataObject } from 'n8n-workflow';

import { accountGroupId, ignoreFinished, jobStatusFilter, limit } from '../engine/common';
import { defineOperation } from '../engine/operation';
import { jsonObjectParam, locator } from '../engine/params';
import { KINDS, TRACE_ID, withFields } from '../helpers/schema';
import type { Wording } from '../transport/failures';
import { route } from '../transport/routes';
import { given } from './common';

const READ_JOB: Wording = {
	action: 'read the prospecting job',
	permission: 'prospecting:read',
	target: 'account group or prospecting job',
};

const jobPath = (group: string, jobId: string) => route(group, 'prospecting', { id: jobId });

/**
 * Sonarly documents the sources and their fields in notes only: the body schema (the field
 * that picks the source, the URL list, the target audience) is not published. So the body is
 * the user's JSON, sent as it is, and Sonarly's own 400/422 message says what is missing.
 */
const JSON_BODY_HINT =
	'Sonarly documents: linkedin_search needs searchUrl; sales_navigator needs savedSearchId or leadListId; post_commenters needs postUrl; url_upload needs 1 to 1000 LinkedIn profile URLs; optional maxResults (capped by plan) and searchEmails (2 credits per prospect instead of 1). It does not publish the names of the source field, the URL list field or the target audience field: copy them from Sonarly.';

export const start = defineOperation<{ accountGroupId: string; jsonBody: IDataObject }>({
	resource: 'prospectingJob',
	operation: 'start',
	name: 'Start',
	description:
		'Start a prospecting job that imports LinkedIn profiles into Sonarly. It costs credits; sent with an Idempotency-Key, so running the same input again returns the same job instead of a second import.',
	action: 'Start a prospecting job once',
	safety: 'keyedWrite',
	params: {
		accountGroupId: accountGroupId('The account group to import into'),
		jsonBody: jsonObjectParam({
			name: 'jsonBody',
			label: 'JSON Body',
			description: 'The job to start, as Sonarly expects it: a JSON object',
			hint: JSON_BODY_HINT,
			default: '{\n  "searchUrl": ""\n}',
		}),
	},
	wording: {
		action: 'start the prospecting job',
		permission: 'prospecting:write',
		target: 'account group',
		noun: 'import',
		check: 'the account group\'s jobs (Prospecting Job → Get Many, or in Sonarly)',
		credits: 'Each imported prospect costs 1 credit, or 2 with searchEmails; nothing was imported.',
	},
	request: (p) => ({ method: 'POST', path: route(p.accountGroupId, 'prospecting'), body: p.jsonBody }),
	wait: {
		read: (p, started) => (typeof started.jobId === 'string' && started.jobId !== '' ? { method: 'GET', path: jobPath(p.accountGroupId, started.jobId) } : null),
		wording: READ_JOB,
		noun: 'prospecting job',
	},
	schema: withFields(
		KINDS.prospectingJob,
		{ ...TRACE_ID, idempotencyKey: 'string', replayed: 'boolean', timedOut: 'boolean', duplicateOfItem: 'integer' },
		['timedOut', 'duplicateOfItem'],
	),
	summary: { done: 'started a prospecting job for' },
});

export const get = defineOperation<{ accountGroupId: string; jobId: string }>({
	resource: 'prospectingJob',
	operation: 'get',
	name: 'Get',
	description: 'Get one prospecting job: its status, stages and progress, and its error if it failed',
	action: 'Get a prospecting job',
	safety: 'read',
	params: {
		accountGroupId: accountGroupId('The account group that owns the job'),
		jobId: locator({ name: 'jobId', label: 'Job', description: 'The jobId that Prospecting Job → Start returned (or Prospecting Job → Get Many lists)' }),
	},
	wording: READ_JOB,
	request: (p) => ({ method: 'GET', path: jobPath(p.accountGroupId, p.jobId) }),
	schema: withFields(KINDS.prospectingJob, TRACE_ID),
});

export const getAll = defineOperation<{ accountGroupId: string; limit: number | null; status: string | null }>({
	resource: 'prospectingJob',
	operation: 'getAll',
	name: 'Get Many',
	description: 'List the prospecting jobs of an account group, optionally only those with a given status',
	action: 'List prospecting jobs',
	safety: 'read',
	params: {
		accountGroupId: accountGroupId('The account group whose jobs to list'),
		limit,
		status: jobStatusFilter,
	},
	wording: { action: 'list the prospecting jobs', permission: 'prospecting:read', target: 'account group' },
	request: (p) => ({ method: 'GET', path: route(p.accountGroupId, 'prospecting'), qs: given({ status: p.status }) }),
	list: { idField: 'jobId', limit: (p) => p.limit },
	schema: KINDS.prospectingJob,
});

export const cancel = defineOperation<{ accountGroupId: string; jobId: string; ignoreFinished: boolean }>({
	resource: 'prospectingJob',
	operation: 'cancel',
	name: 'Cancel',
	description: 'Cancel a queued or running prospecting job. A job that already ended cannot be cancelled.',
	action: 'Cancel a prospecting job',
	safety: 'write',
	params: {
		accountGroupId: accountGroupId('The account group that owns the job'),
		jobId: locator({ name: 'jobId', label: 'Job', description: 'The jobId that Prospecting Job → Start returned (or Prospecting Job → Get Many lists)' }),
		ignoreFinished: ignoreFinished('job'),
	},
	wording: { action: 'cancel the prospecting job', permission: 'prospecting:write', target: 'account group or prospecting job', noun: 'cancellation', check: 'the job with Prospecting Job → Get' },
	request: (p) => ({ method: 'POST', path: `${jobPath(p.accountGroupId, p.jobId)}/cancel` }),
	output: (data) => ({ ...data, cancelled: true }),
	conflict: {
		status: 422,
		ignore: (p) => p.ignoreFinished,
		read: (p) => ({ method: 'GET', path: jobPath(p.accountGroupId, p.jobId) }),
		wording: READ_JOB,
		describe: (job) => ({ ...job, cancelled: false }),
	},
	schema: withFields(KINDS.prospectingJob, { ...TRACE_ID, cancelled: 'boolean', duplicateOfItem: 'integer' }, ['duplicateOfItem']),
	summary: { done: 'cancelled', target: (p) => `job ${p.jobId}` },
	acted: (json) => json.cancelled === true,
});
