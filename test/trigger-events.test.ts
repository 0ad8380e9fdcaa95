/**
 * The Sonarly Trigger's other events through n8n's real poll context against the Sonarly
 * sandbox: Campaign Status Changed, Prospecting Job Finished, Signal Scan Finished and
 * Audience Ready (seeding, exactly-once, failures, restarts, manual runs).
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { SEED, startSandbox, type Sandbox } from '../sandbox/server';
import { SonarlyTrigger } from '../nodes/Sonarly/SonarlyTrigger.node';
import { Sonarly } from '../nodes/Sonarly/Sonarly.node';
import { TriggerHost, byId } from './trigger/host';

const KEY = 'sk_test_full_access';
const ids = SEED.ids;
const AG = ids.acmeGroup;
const base = `/v1/accounts/${AG}`;

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => sandbox.reset());

function host(event: string, parameters: INodeParameters = {}): TriggerHost {
	return new TriggerHost({
		parameters: { accountGroupId: byId(AG), event, ...parameters },
		baseUrl: sandbox.url,
		apiKey: KEY,
	});
}

async function api(method: string, path: string, body?: unknown) {
	const response = await fetch(`${sandbox.url}${path}`, {
		method,
		headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return (await response.json()) as { data: IDataObject };
}

const eventIds = (items: IDataObject[]) => items.map((item) => item.eventId);

describe('Sonarly Trigger: Campaign Status Changed', () => {
	it('emits a campaign once per status change, with previousStatus', async () => {
		const trigger = host('campaignStatusChanged');
		expect(await trigger.activate()).toEqual({ items: [] });
		expect(await trigger.poll()).toEqual({ items: [] });

		const paused = sandbox.setCampaignStatus({ campaignId: ids.activeCampaign, status: 'paused' });
		const { items } = await trigger.poll();
		expect(items).toEqual([
			{
				...paused,
				previousStatus: 'active',
				eventId: `campaign:${ids.activeCampaign}:paused:${paused.updatedAt}`,
			},
		]);
		expect(await trigger.poll()).toEqual({ items: [] });

		// Back to active, and another campaign stopped through the API: two events in one poll.
		sandbox.setCampaignStatus({ campaignId: ids.activeCampaign, status: 'active' });
		await api('POST', `${base}/campaigns/${ids.activeCampaign2}/stop`);
		const next = await trigger.poll();
		expect(next.items.map((item) => [item.id, item.previousStatus, item.status])).toEqual(
			expect.arrayContaining([
				[ids.activeCampaign, 'paused', 'active'],
				[ids.activeCampaign2, 'active', 'stopped'],
			]),
		);
		expect(next.items).toHaveLength(2);
		expect(await trigger.poll()).toEqual({ items: [] });
	});

	it('a change and back between two polls is no change', async () => {
		const trigger = host('campaignStatusChanged');
		await trigger.activate();
		sandbox.setCampaignStatus({ campaignId: ids.activeCampaign, status: 'paused' });
		sandbox.setCampaignStatus({ campaignId: ids.activeCampaign, status: 'active' });
		expect(await trigger.poll()).toEqual({ items: [] });
	});

	it('a failed poll changes nothing; the next one emits the change; a restart goes on from the saved state', async () => {
		const trigger = host('campaignStatusChanged');
		await trigger.activate();
		sandbox.setCampaignStatus({ campaignId: ids.draftCampaign, status: 'active' });
		sandbox.setFaults({ forceStatus: { listCampaigns: { status: 503, times: 1 } } });
		const failed = await trigger.poll();
		expect(failed.error?.message).toMatch(/Sonarly failed \(HTTP 503\)/);
		expect(failed.error?.description).toMatch(/The trigger keeps its place/);
		expect(eventIds((await trigger.poll()).items)).toHaveLength(1);
		// A poll with nothing saves nothing; then a change and a restart.
		expect(await trigger.poll()).toEqual({ items: [] });
		const stopped = sandbox.setCampaignStatus({ campaignId: ids.draftCampaign, status: 'stopped' });
		trigger.restart();
		expect((await trigger.activate()).items).toEqual([
			expect.objectContaining({
				id: ids.draftCampaign,
				previousStatus: 'active',
				status: 'stopped',
				updatedAt: stopped.updatedAt,
			}),
		]);
		trigger.restart();
		expect(await trigger.activate()).toEqual({ items: [] });
	});

	it('costs one request per poll; the state keeps each status once', async () => {
		const trigger = host('campaignStatusChanged');
		await trigger.activate();
		sandbox.requests.length = 0;
		await trigger.poll();
		expect(sandbox.requests.map((entry) => entry.path)).toEqual([`${base}/campaigns`]);
		const state = trigger.nodeState();
		expect(state.statuses).toEqual(['active', 'draft', 'stopped']);
		expect(Object.keys(state.campaigns as IDataObject)).toHaveLength(5);
	});

	it('a manual run gives the most recently updated campaign, previousStatus null, state untouched', async () => {
		const trigger = host('campaignStatusChanged');
		await trigger.activate();
		const before = JSON.stringify(trigger.nodeState());
		const flipped = sandbox.setCampaignStatus({
			campaignId: ids.stoppedCampaign,
			status: 'active',
		});
		expect((await trigger.manual()).items).toEqual([
			{
				...flipped,
				previousStatus: null,
				eventId: `campaign:${ids.stoppedCampaign}:active:${flipped.updatedAt}`,
			},
		]);
		expect(JSON.stringify(trigger.nodeState())).toBe(before);
		expect((await trigger.poll()).items).toHaveLength(1);
	});
});

describe('Sonarly Trigger: Prospecting Job Finished', () => {
	it('follows the jobs running at activation and emits each when it ends, once', async () => {
		const trigger = host('prospectingJobFinished');
		expect(await trigger.activate()).toEqual({ items: [] });
		expect(trigger.nodeState().pending).toEqual([ids.runningJob]);
		expect(await trigger.poll()).toEqual({ items: [] });
		sandbox.advanceJobs({ id: ids.runningJob });
		const { items } = await trigger.poll();
		expect(items).toEqual([
			expect.objectContaining({
				jobId: ids.runningJob,
				status: 'completed',
				eventId: `prospectingJob:${ids.runningJob}:completed`,
			}),
		]);
		expect(trigger.nodeState().pending).toEqual([]);
		expect(await trigger.poll()).toEqual({ items: [] });
	});

	it('a job started and finished between two polls is emitted; so is a failed and a cancelled one', async () => {
		const trigger = host('prospectingJobFinished');
		await trigger.activate();
		const quick = sandbox.addJob({ status: 'completed' });
		const started = (await api('POST', `${base}/prospecting`, { source: 'url_upload' })).data;
		const { items } = await trigger.poll();
		expect(eventIds(items)).toEqual([`prospectingJob:${quick.jobId}:completed`]);
		expect(trigger.nodeState().pending).toEqual(
			expect.arrayContaining([ids.runningJob, started.jobId as string]),
		);

		sandbox.advanceJobs({ id: started.jobId as string, to: 'failed' });
		await api('POST', `${base}/prospecting/${ids.runningJob}/cancel`);
		const ended = await trigger.poll();
		expect(ended.items.map((item) => [item.jobId, item.status, item.eventId])).toEqual(
			expect.arrayContaining([
				[started.jobId, 'failed', `prospectingJob:${started.jobId}:failed`],
				[ids.runningJob, 'cancelled', `prospectingJob:${ids.runningJob}:cancelled`],
			]),
		);
		expect(ended.items).toHaveLength(2);
		expect(await trigger.poll()).toEqual({ items: [] });
	});

	it('a running job far down the list is read by id when it is not on the first page', async () => {
		sandbox.setFaults({ pageSize: 2 });
		const trigger = host('prospectingJobFinished');
		await trigger.activate();
		// Five newer finished jobs push the running one to page 4.
		for (let i = 0; i < 5; i++) sandbox.addJob({ status: 'completed' });
		const first = await trigger.poll();
		expect(first.items).toHaveLength(5);
		sandbox.advanceJobs({ id: ids.runningJob, to: 'failed' });
		sandbox.requests.length = 0;
		const { items } = await trigger.poll();
		expect(items).toEqual([
			expect.objectContaining({
				jobId: ids.runningJob,
				status: 'failed',
				error: expect.objectContaining({ code: 'SANDBOX_JOB_FAILED' }),
				eventId: `prospectingJob:${ids.runningJob}:failed`,
			}),
		]);
		expect(sandbox.requests.map((entry) => entry.path)).toEqual([
			`${base}/prospecting`,
			`${base}/prospecting/${ids.runningJob}`,
		]);
		expect(await trigger.poll()).toEqual({ items: [] });
	});

	it('a job that ends while n8n is down is emitted after the restart, once', async () => {
		const trigger = host('prospectingJobFinished');
		await trigger.activate();
		const job = sandbox.addJob({ status: 'running' });
		expect(await trigger.poll()).toEqual({ items: [] });
		sandbox.advanceJobs({ id: job.jobId, to: 'completed' });
		trigger.restart();
		expect(eventIds((await trigger.activate()).items)).toEqual([
			`prospectingJob:${job.jobId}:completed`,
		]);
		trigger.restart();
		expect(await trigger.activate()).toEqual({ items: [] });
	});

	it('a manual run gives the newest finished job, or says there is none', async () => {
		const trigger = host('prospectingJobFinished');
		expect((await trigger.manual()).items).toEqual([
			expect.objectContaining({
				jobId: ids.completedJob,
				eventId: `prospectingJob:${ids.completedJob}:completed`,
			}),
		]);
		expect(trigger.nodeState()).toEqual({});
		const globex = new TriggerHost({
			parameters: { accountGroupId: byId(ids.globexGroup), event: 'prospectingJobFinished' },
			baseUrl: sandbox.url,
			apiKey: KEY,
		});
		const { error } = await globex.manual();
		expect(error?.message).toBe('No finished prospecting job yet in this account group');
	});

	it('a key without prospecting:read is told which permission it needs', async () => {
		const trigger = new TriggerHost({
			parameters: { accountGroupId: byId(AG), event: 'prospectingJobFinished' },
			baseUrl: sandbox.url,
			apiKey: 'sk_test_read_only',
		});
		const { error } = await trigger.activate();
		expect(error?.message).toBe('The API key is not allowed to list the prospecting jobs');
		expect(error?.description).toMatch(/prospecting:read/);
	});
});

describe('Sonarly Trigger: Signal Scan Finished', () => {
	it('emits a scan once when it reaches a final status', async () => {
		const trigger = host('signalScanFinished');
		await trigger.activate();
		const started = (
			await api('POST', `${base}/signals/scans`, {
				signalSpecificationId: ids.signalSpecification,
				audienceId: ids.audience1,
			})
		).data;
		expect(await trigger.poll()).toEqual({ items: [] });
		sandbox.advanceJobs({ kind: 'signalScan', id: started.scanId as string });
		expect(await trigger.poll()).toEqual({ items: [] });
		sandbox.advanceJobs({ kind: 'signalScan', id: started.scanId as string });
		const { items } = await trigger.poll();
		expect(items).toEqual([
			expect.objectContaining({
				scanId: started.scanId,
				status: 'completed',
				eventId: `signalScan:${started.scanId}:completed`,
			}),
		]);
		expect(await trigger.poll()).toEqual({ items: [] });
	});
});

describe('Sonarly Trigger: Audience Ready', () => {
	it('emits an audience once when it appears in the ready list, also one a job filled', async () => {
		const trigger = host('audienceReady');
		await trigger.activate();
		const created = sandbox.addAudience({ name: 'Created ready' });
		// Sonarly's audience as the API gives it (not the sandbox's internal fields), plus eventId.
		const asSonarlyGivesIt = (await api('GET', `${base}/audiences/${created.id}`)).data;
		expect((await trigger.poll()).items).toEqual([
			{ ...asSonarlyGivesIt, eventId: `audience:${created.id}` },
		]);
		// The job that fills the seeded audience ends: the audience appears.
		sandbox.advanceJobs({ id: ids.runningJob });
		expect(eventIds((await trigger.poll()).items)).toEqual([`audience:${ids.fillingAudience}`]);
		expect(await trigger.poll()).toEqual({ items: [] });
	});

	it('an older audience that becomes ready between known ones is emitted once', async () => {
		sandbox.setFaults({ pageSize: 2 });
		const trigger = host('audienceReady');
		const late = sandbox.addAudience({ ready: false, createdAt: '2025-06-01T00:00:00.000Z' });
		await trigger.activate();
		sandbox.setAudienceReady({ audienceId: late.id });
		// Listed newest first: audience2 (known), late, audience1 (known).
		expect(eventIds((await trigger.poll()).items)).toEqual([`audience:${late.id}`]);
		expect(await trigger.poll()).toEqual({ items: [] });
	});

	it('a manual run gives the newest ready audience', async () => {
		const trigger = host('audienceReady');
		expect((await trigger.manual()).items).toEqual([
			expect.objectContaining({ id: ids.audience2, eventId: `audience:${ids.audience2}` }),
		]);
	});
});

describe('Sonarly Trigger: node description', () => {
	it('is a polling trigger on the shared credential; only the action node is an AI tool', () => {
		const { description } = new SonarlyTrigger();
		expect(description.name).toBe('sonarlyTrigger');
		expect(description.polling).toBe(true);
		expect(description.inputs).toEqual([]);
		expect(description.group).toEqual(['trigger']);
		expect(description.credentials).toEqual([{ name: 'sonarlyApi', required: true }]);
		expect(description.usableAsTool).toBeUndefined();
		expect(new Sonarly().description.usableAsTool).toBeTruthy();
		// n8n adds Poll Times itself: declaring one would give two fields.
		expect(description.properties.map((property) => property.name)).not.toContain('pollTimes');
		const event = description.properties.find((property) => property.name === 'event');
		expect(event?.options?.map((option) => (option as { value: string }).value).sort()).toEqual([
			'audienceReady',
			'campaignStatusChanged',
			'newMessage',
			'prospectingJobFinished',
			'signalScanFinished',
		]);
	});

	it('is registered in package.json next to the action node', () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const pkg = require('../package.json') as { n8n: { nodes: string[] } };
		expect(pkg.n8n.nodes).toEqual([
			'dist/nodes/Sonarly/Sonarly.node.js',
			'dist/nodes/Sonarly/SonarlyTrigger.node.js',
		]);
	});
});
