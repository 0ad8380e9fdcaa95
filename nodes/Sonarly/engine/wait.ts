import type { IDataObject } from 'n8n-workflow';

import { capApiError } from '../helpers/redact';
import type { OperationResult, SonarlyFailure } from '../helpers/types';
import { rateLimitBudget, type SonarlyClient } from '../transport';
import { FAILURE_TABLE } from '../transport/classify';
import { failure } from '../transport/failures';
import { waitFor } from '../transport/pacing';
import type { RequestSpec, WaitSpec } from './operation';

/** The first wait between two reads of a job, growing by GROWTH up to LAST_INTERVAL_MS. */
export const FIRST_INTERVAL_MS = 5000;
export const LAST_INTERVAL_MS = 15_000;
const GROWTH = 1.5;

/** The statuses Sonarly documents for jobs and scans that have ended. */
const SUCCEEDED = new Set(['completed']);
const ENDED_BADLY = new Set(['failed', 'cancelled']);

export interface WaitContext {
	client: SonarlyClient;
	signal: AbortSignal | undefined;
	timeoutMs: number;
	/** How long to wait in all. */
	waitSeconds: number;
}

/**
 * Reads a job again until it ends, the deadline passes, or the execution is cancelled.
 * Completed: the job as read (success). Failed or cancelled: the error output, with the job's
 * own error code and message. Deadline: the job as last read plus `timedOut: true` (success).
 * A read that fails for a passing reason (5xx, timeout, 429) is tried again at the next
 * interval; any other failure ends the wait, saying the job was started.
 */
export async function waitForJob<P>(
	spec: WaitSpec<P>,
	params: P,
	started: IDataObject,
	{ client, signal, timeoutMs, waitSeconds }: WaitContext,
): Promise<OperationResult> {
	const read = spec.read(params, started);
	const jobId = String(started.jobId ?? started.scanId ?? started.id ?? '');
	if (!read) return { ok: true, value: [started] };
	const deadline = Date.now() + waitSeconds * 1000;
	let job = started;
	for (let interval = FIRST_INTERVAL_MS; !hasEnded(job); interval = Math.min(interval * GROWTH, LAST_INTERVAL_MS)) {
		const left = deadline - Date.now();
		if (left <= 0) return { ok: true, value: [{ ...job, timedOut: true }] };
		if (!(await waitFor(Math.min(interval, left), signal))) {
			return { ok: false, failure: cancelledWhileWaiting(spec, jobId) };
		}
		if (interval >= left) return { ok: true, value: [{ ...job, timedOut: true }] };
		const answer = await readJob(client, read, spec, timeoutMs, deadline);
		if (answer.ok) job = { ...answer.value.data, traceId: answer.value.traceId };
		else if (!passing(answer.failure)) return { ok: false, failure: readFailed(spec, jobId, answer.failure) };
	}
	if (SUCCEEDED.has(String(job.status))) return { ok: true, value: [job] };
	return { ok: false, failure: jobEndedBadly(spec, job) };
}

function hasEnded(job: IDataObject): boolean {
	const status = String(job.status);
	return SUCCEEDED.has(status) || ENDED_BADLY.has(status);
}

async function readJob<P>(client: SonarlyClient, read: RequestSpec, spec: WaitSpec<P>, timeoutMs: number, deadline: number) {
	// A rate-limit wait may use what is left of the deadline, no more.
	const budget = rateLimitBudget(Math.max(0, (deadline - Date.now()) / 1000));
	return await client.request<IDataObject>({
		...read,
		timeoutMs,
		purpose: { ...spec.wording, safety: 'read' },
		rateLimitBudget: budget,
	});
}

/** 5xx, timeouts, resets, 429: reading a job is safe to repeat at the next interval. */
function passing(readFailure: SonarlyFailure): boolean {
	return readFailure.reason === 'rateLimited' || (FAILURE_TABLE[readFailure.reason].mayHaveActed && readFailure.reason !== 'cancelled');
}

function cancelledWhileWaiting<P>(spec: WaitSpec<P>, jobId: string): SonarlyFailure {
	return failure({
		reason: 'cancelled',
		message: `The execution was cancelled while waiting for the ${spec.noun} ${jobId} to finish`,
		description: `The ${spec.noun} was started and goes on in Sonarly. Check it with its Get operation; do not start it again.`,
		code: 'ERR_CANCELED',
		mayHaveActed: true,
	});
}

function readFailed<P>(spec: WaitSpec<P>, jobId: string, readFailure: SonarlyFailure): SonarlyFailure {
	return {
		...readFailure,
		message: `The ${spec.noun} ${jobId} was started, but reading it failed: ${readFailure.message}`,
		description: `The ${spec.noun} goes on in Sonarly; do not start it again. ${readFailure.description}`,
		mayHaveActed: true,
	};
}

/** A job that ended `failed` or `cancelled`: its own error code and message reach the user. */
function jobEndedBadly<P>(spec: WaitSpec<P>, job: IDataObject): SonarlyFailure {
	const jobError = (typeof job.error === 'object' && job.error !== null ? job.error : {}) as IDataObject;
	// The job is Sonarly's text like any error: capped before it is quoted.
	const said = capApiError({
		code: typeof jobError.code === 'string' ? jobError.code : null,
		message: typeof jobError.message === 'string' ? jobError.message : null,
		details: job,
		traceId: typeof job.traceId === 'string' ? job.traceId : null,
	});
	const quoted = said.message ? ` Sonarly said: "${said.message.slice(0, 500)}".` : '';
	const id = String(job.jobId ?? job.scanId ?? job.id ?? '');
	return failure({
		reason: 'refused',
		message: `The ${spec.noun} ${id} ended ${String(job.status)} in Sonarly`,
		description: `Check its settings and start a new one if needed.${quoted}`,
		code: said.code,
		apiMessage: said.message,
		details: said.details,
		...(said.detailsTruncated ? { detailsTruncated: true } : {}),
		traceId: said.traceId,
		mayHaveActed: true,
	});
}
