import type { IDataObject } from 'n8n-workflow';

import { accountGroupId, ignoreFinished, jobStatusFilter, limit } from '../engine/common';
import { defineOperation, type OperationSpec, type WaitSpec } from '../engine/operation';
import { idListParam, jsonObjectParam, locator, type Param } from '../engine/params';
import { KINDS, TRACE_ID, withFields, type Shape } from '../helpers/schema';
import type { Wording } from '../transport/failures';
import { route } from '../transport/routes';
import { given, groupLocator } from './common';

/**
 * Sonarly's two asynchronous jobs, prospecting jobs and signal scans: the same Start (keyed,
 * Wait for Completion), Get, Get Many and Cancel, in their own words.
 */
interface JobKind {
	resource: 'prospectingJob' | 'signalScan';
	/** "prospecting job", "signal scan". */
	noun: string;
	label: 'Job' | 'Scan';
	idField: 'jobId' | 'scanId';
	/** The route of the collection under the account group. */
	segments: string[];
	read: string;
	write: string;
	schema: Shape;
}

const PROSPECTING: JobKind = {
	resource: 'prospectingJob',
	noun: 'prospecting job',
	label: 'Job',
	idField: 'jobId',
	segments: ['prospecting'],
	read: 'prospecting:read',
	write: 'prospecting:write',
	schema: KINDS.prospectingJob,
};

const SCAN: JobKind = {
	resource: 'signalScan',
	noun: 'signal scan',
	label: 'Scan',
	idField: 'scanId',
	segments: ['signals', 'scans'],
	read: 'signals:read',
	write: 'signals:write',
	schema: KINDS.signalScan,
};

type JobParams = { accountGroupId: string; id: string };

const title = (kind: JobKind) => (kind.noun === 'prospecting job' ? 'Prospecting Job' : 'Signal Scan');
const jobPath = (kind: JobKind, group: string, id: string) => route(group, ...kind.segments, { id });
const readWording = (kind: JobKind): Wording => ({ action: `read the ${kind.noun}`, permission: kind.read, target: `account group or ${kind.noun}` });
const jobId = (kind: JobKind) =>
	locator({ name: kind.idField, label: kind.label, description: `The ${kind.idField} that ${title(kind)} → Start returned (or ${title(kind)} → Get Many lists)` });
const group = (kind: JobKind) => accountGroupId(`The account group of the ${kind.noun}`);

/** Reads the job again after its start, until it ends (engine/wait.ts). */
const waitFor = (kind: JobKind): WaitSpec<{ accountGroupId: string }> => ({
	read: (p, started) => {
		const id = started[kind.idField];
		return typeof id === 'string' && id !== '' ? { method: 'GET', path: jobPath(kind, p.accountGroupId, id) } : null;
	},
	wording: readWording(kind),
	noun: kind.noun,
});

const startedSchema = (kind: JobKind) =>
	withFields(kind.schema, { ...TRACE_ID, idempotencyKey: 'string', replayed: 'boolean', timedOut: 'boolean', duplicateOfItem: 'integer' }, [
		'timedOut',
		'duplicateOfItem',
	]);

function jobStart<P extends { accountGroupId: string }>(
	kind: JobKind,
	spec: Pick<OperationSpec<P>, 'description' | 'action' | 'params' | 'request'> & { wording: Partial<Wording> },
): OperationSpec {
	return defineOperation<P>({
		resource: kind.resource,
		operation: 'start',
		name: 'Start',
		safety: 'keyedWrite',
		...spec,
		wording: {
			action: `start the ${kind.noun}`,
			permission: kind.write,
			target: 'account group',
			check: `the ${kind.noun}s (${title(kind)} → Get Many, or in Sonarly)`,
			...spec.wording,
		},
		wait: waitFor(kind),
		schema: startedSchema(kind),
		summary: { done: `started a ${kind.noun} for` },
	});
}

function jobGet(kind: JobKind): OperationSpec {
	return defineOperation<JobParams>({
		resource: kind.resource,
		operation: 'get',
		name: 'Get',
		description: `Get one ${kind.noun}: its status${kind === PROSPECTING ? ', stages and progress' : ''}, and its error if it failed`,
		action: `Get a ${kind.noun}`,
		safety: 'read',
		params: { accountGroupId: group(kind), id: jobId(kind) },
		wording: readWording(kind),
		request: (p) => ({ method: 'GET', path: jobPath(kind, p.accountGroupId, p.id) }),
		schema: withFields(kind.schema, TRACE_ID),
	});
}

function jobGetAll(kind: JobKind): OperationSpec {
	return defineOperation<{ accountGroupId: string; limit: number | null; status: string | null }>({
		resource: kind.resource,
		operation: 'getAll',
		name: 'Get Many',
		description: `List the ${kind.noun}s of an account group, optionally only those with a given status`,
		action: `List ${kind.noun}s`,
		safety: 'read',
		params: { accountGroupId: group(kind), limit, status: jobStatusFilter },
		wording: { action: `list the ${kind.noun}s`, permission: kind.read, target: 'account group' },
		request: (p) => ({ method: 'GET', path: route(p.accountGroupId, ...kind.segments), qs: given({ status: p.status }) }),
		list: { idField: kind.idField, limit: (p) => p.limit },
		schema: kind.schema,
	});
}

function jobCancel(kind: JobKind): OperationSpec {
	return defineOperation<JobParams & { ignoreFinished: boolean }>({
		resource: kind.resource,
		operation: 'cancel',
		name: 'Cancel',
		description: `Cancel a queued or running ${kind.noun}. One that already ended cannot be cancelled.`,
		action: `Cancel a ${kind.noun}`,
		safety: 'write',
		params: { accountGroupId: group(kind), id: jobId(kind), ignoreFinished: ignoreFinished(kind.label === 'Job' ? 'job' : 'scan') },
		wording: {
			action: `cancel the ${kind.noun}`,
			permission: kind.write,
			target: `account group or ${kind.noun}`,
			noun: 'cancellation',
			check: `the ${kind.noun} with ${title(kind)} → Get`,
		},
		request: (p) => ({ method: 'POST', path: `${jobPath(kind, p.accountGroupId, p.id)}/cancel` }),
		output: (data) => ({ ...data, cancelled: true }),
		// Sonarly answers 422 for one that already ended: with the option, read it and say so.
		conflict: {
			status: 422,
			ignore: (p) => p.ignoreFinished,
			read: (p) => ({ method: 'GET', path: jobPath(kind, p.accountGroupId, p.id) }),
			wording: readWording(kind),
			describe: (job) => ({ ...job, cancelled: false }),
		},
		schema: withFields(kind.schema, { ...TRACE_ID, cancelled: 'boolean', duplicateOfItem: 'integer' }, ['duplicateOfItem']),
		summary: { done: 'cancelled', target: (p) => `${kind.label.toLowerCase()} ${p.id}` },
		acted: (json) => json.cancelled === true,
	});
}

/**
 * Sonarly documents the sources and their fields in notes only: the body schema (the field
 * that picks the source, the URL list, the target audience) is not published. So the body is
 * the user's JSON, sent as it is, and Sonarly's own 400/422 message says what is missing.
 */
const JSON_BODY_HINT =
	'Sonarly documents: linkedin_search needs searchUrl; sales_navigator needs savedSearchId or leadListId; post_commenters needs postUrl; url_upload needs 1 to 1000 LinkedIn profile URLs; optional maxResults (capped by plan) and searchEmails (2 credits per prospect instead of 1). It does not publish the names of the source field, the URL list field or the target audience field: copy them from Sonarly.';

const jsonBody: Param<IDataObject> = jsonObjectParam({
	name: 'jsonBody',
	label: 'JSON Body',
	description: 'The job to start, as Sonarly expects it: a JSON object',
	hint: JSON_BODY_HINT,
	default: '{\n  "searchUrl": ""\n}',
});

export const prospectingStart = jobStart<{ accountGroupId: string; jsonBody: IDataObject }>(PROSPECTING, {
	description:
		'Start a prospecting job that imports LinkedIn profiles into Sonarly. It costs credits; sent with an Idempotency-Key, so running the same input again returns the same job instead of a second import.',
	action: 'Start a prospecting job once',
	params: { accountGroupId: accountGroupId('The account group to import into'), jsonBody },
	wording: { noun: 'import', credits: 'Each imported prospect costs 1 credit, or 2 with searchEmails; nothing was imported.' },
	request: (p) => ({ method: 'POST', path: route(p.accountGroupId, 'prospecting'), body: p.jsonBody }),
});

export const scanStart = jobStart<{ accountGroupId: string; signalSpecificationId: string; audienceId: string; prospectIds: string[] | null }>(SCAN, {
	description:
		'Scan an audience for buying signals with a signal specification. Sent with an Idempotency-Key, so running the same input again returns the same scan instead of a second one.',
	action: 'Start a signal scan once',
	params: {
		accountGroupId: group(SCAN),
		signalSpecificationId: groupLocator('signalSpecificationId', 'Signal Specification', 'What to look for, from Signal Specification → Get Many'),
		audienceId: groupLocator('audienceId', 'Audience', 'The audience to scan. Its ID comes from Audience → Get Many.', 'searchAudiences'),
		prospectIds: idListParam({ name: 'prospectIds', label: 'Prospect IDs', placement: 'additionalFields', description: 'Only these prospects of the audience: IDs separated by commas, or a list' }),
	},
	wording: { noun: 'scan', target: 'account group, audience or signal specification' },
	request: (p) => ({
		method: 'POST',
		path: route(p.accountGroupId, 'signals', 'scans'),
		body: given({ signalSpecificationId: p.signalSpecificationId, audienceId: p.audienceId, prospectIds: p.prospectIds }),
	}),
});

export const prospectingGet = jobGet(PROSPECTING);
export const prospectingGetAll = jobGetAll(PROSPECTING);
export const prospectingCancel = jobCancel(PROSPECTING);
export const scanGet = jobGet(SCAN);
export const scanGetAll = jobGetAll(SCAN);
export const scanCancel = jobCancel(SCAN);
