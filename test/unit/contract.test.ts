/**
 * One contract per operation, driven by the registry: the request line, headers and body an
 * item sends, and the item it outputs for Sonarly's answer. An operation added without a
 * contract here fails the first test. Run once (on n8n 2.x): the request and the output do
 * not differ between the engine lines; the safety-class suites (stop, keyed-write,
 * hostile-responses, fail-safe, rate-limit) run on both.
 */
import type { IDataObject } from 'n8n-workflow';

import { OPERATIONS } from '../../nodes/Sonarly/operations';
import { TEST_API_KEY, runSonarly } from '../harness/engine';
import { ACCOUNT_GROUP_ID as AG, byId, campaign } from '../support/fixtures';
import { fakeSonarly, ok, useNock } from '../support/sonarly';

useNock();

interface Contract {
	parameters: IDataObject;
	/** What Sonarly answers (status 200 unless given). */
	answer: { status?: number; data: unknown };
	/** The request line, e.g. "POST /v1/accounts/…/stop". */
	line: string;
	body?: unknown;
	/** Whether an Idempotency-Key goes with it. */
	keyed?: boolean;
	output: IDataObject[];
}

const C = 'c-1';
const JOB = { jobId: 'job-1', status: 'queued', createdAt: '2026-12-06T10:00:00.000Z' };
const SCAN = { scanId: 'scan-1', status: 'queued', createdAt: '2026-12-06T10:00:00.000Z' };
const AUD = { id: 'aud-1', name: 'Webinar', type: 'on_demand', description: null, folderId: null, prospectCount: 3, createdAt: '2026-12-01T00:00:00.000Z' };
const FOLDER = { id: 'f-1', name: 'Events', audienceType: 'on_demand', isPinned: false, position: 1 };
const SLOT = { id: 's-1', channel: 'direct_message', label: 'First message', position: 1, channelPosition: 1, templateId: 't-2' };
const SPEC = { id: 'spec-1', name: 'Hiring', description: 'Open roles', sources: ['jobs'] };
const VP = { id: 'vp-1', name: 'Speed', description: null, values: ['fast'], challenges: ['slow'], createdAt: '2026-12-01T00:00:00.000Z' };
const P = (...rest: string[]) => [`/v1/accounts/${AG}`, ...rest].join('/');
const ag = { accountGroupId: byId(AG) };
const T = 'trace-ok';

const CONTRACTS: Record<string, Contract> = {
	'accountGroup.getAll': {
		parameters: { returnAll: true },
		answer: { data: { items: [{ id: AG, name: 'Acme', createdAt: '2026-01-01T00:00:00.000Z' }] } },
		line: 'GET /v1/accounts',
		output: [{ id: AG, name: 'Acme', createdAt: '2026-01-01T00:00:00.000Z' }],
	},
	'campaign.get': {
		parameters: { accountGroupId: byId(AG), campaignId: byId(C), output: 'simplified' },
		answer: { data: campaign(C, 'active') },
		line: `GET /v1/accounts/${AG}/campaigns/${C}`,
		output: [{ id: C, name: 'Q4 enterprise outreach', status: 'active', selectedLeadCount: 25, startedAt: '2026-10-02T09:00:00.000Z', traceId: 'trace-ok' }],
	},
	'campaign.getAll': {
		parameters: { accountGroupId: byId(AG), limit: 1 },
		answer: { data: { items: [campaign('c-1'), campaign('c-2')] } },
		line: `GET /v1/accounts/${AG}/campaigns`,
		output: [campaign('c-1')],
	},
	'campaign.start': {
		parameters: { accountGroupId: byId(AG), campaignId: byId(C) },
		answer: { data: { campaign: campaign(C, 'active'), triggered: true, instancesCreated: 25 } },
		line: `POST /v1/accounts/${AG}/campaigns/${C}/start`,
		body: '',
		output: [{ campaign: campaign(C, 'active'), triggered: true, instancesCreated: 25, started: true, traceId: 'trace-ok' }],
	},
	'campaign.stop': {
		parameters: { accountGroupId: byId(AG), campaignId: byId(C) },
		answer: { data: { campaign: campaign(C), instancesStopped: 3 } },
		line: `POST /v1/accounts/${AG}/campaigns/${C}/stop`,
		body: '',
		output: [{ campaign: campaign(C), instancesStopped: 3, stopped: true, traceId: 'trace-ok' }],
	},
	'prospectingJob.get': {
		parameters: { accountGroupId: byId(AG), jobId: byId('job-1') },
		answer: { data: { ...JOB, status: 'running' } },
		line: `GET /v1/accounts/${AG}/prospecting/job-1`,
		output: [{ ...JOB, status: 'running', traceId: 'trace-ok' }],
	},
	'prospectingJob.start': {
		parameters: { accountGroupId: byId(AG), jsonBody: '{"postUrl": "https://www.linkedin.com/posts/1"}', options: { idempotencyKey: 'deal-7' } },
		answer: { status: 202, data: JOB },
		line: `POST /v1/accounts/${AG}/prospecting`,
		body: { postUrl: 'https://www.linkedin.com/posts/1' },
		keyed: true,
		output: [{ ...JOB, traceId: 'trace-ok', idempotencyKey: 'deal-7', replayed: false }],
	},
	'prospectingJob.getAll': {
		parameters: { ...ag, returnAll: true, filters: { status: 'running' } },
		answer: { data: { items: [JOB], nextCursor: null, hasMore: false } },
		line: `GET ${P('prospecting')}?status=running`,
		output: [JOB],
	},
	'prospectingJob.cancel': {
		parameters: { ...ag, jobId: byId('job-1') },
		answer: { data: { jobId: 'job-1', status: 'cancelled' } },
		line: `POST ${P('prospecting', 'job-1', 'cancel')}`,
		body: '',
		output: [{ jobId: 'job-1', status: 'cancelled', cancelled: true, traceId: T }],
	},
	'audience.get': {
		parameters: { ...ag, audienceId: byId('aud-1') },
		answer: { data: AUD },
		line: `GET ${P('audiences', 'aud-1')}`,
		output: [{ ...AUD, traceId: T }],
	},
	'audience.getAll': {
		parameters: { ...ag, returnAll: true, output: 'simplified' },
		answer: { data: { items: [AUD], nextCursor: null, hasMore: false } },
		line: `GET ${P('audiences')}`,
		output: [{ id: 'aud-1', name: 'Webinar', prospectCount: 3, folderId: null }],
	},
	'audience.create': {
		parameters: { ...ag, name: 'Webinar', type: 'monitoring', additionalFields: { description: 'From the webinar' } },
		answer: { status: 201, data: AUD },
		line: `POST ${P('audiences')}`,
		body: { name: 'Webinar', type: 'monitoring', description: 'From the webinar' },
		output: [{ ...AUD, traceId: T }],
	},
	'audience.update': {
		parameters: { ...ag, audienceId: byId('aud-1'), updateFields: { name: 'Webinar 2' } },
		answer: { data: { ...AUD, name: 'Webinar 2' } },
		line: `PATCH ${P('audiences', 'aud-1')}`,
		body: { name: 'Webinar 2' },
		output: [{ ...AUD, name: 'Webinar 2', traceId: T }],
	},
	'audience.delete': {
		parameters: { ...ag, audienceId: byId('aud-1') },
		answer: { data: { deleted: true } },
		line: `DELETE ${P('audiences', 'aud-1')}`,
		output: [{ deleted: true, id: 'aud-1', traceId: T }],
	},
	'audience.moveToFolder': {
		parameters: { ...ag, audienceId: byId('aud-1'), folderId: byId('f-1') },
		answer: { data: { ...AUD, folderId: 'f-1' } },
		line: `POST ${P('audiences', 'aud-1', 'move-to-folder')}`,
		body: { folderId: 'f-1' },
		output: [{ ...AUD, folderId: 'f-1', traceId: T }],
	},
	'audience.removeFromFolder': {
		parameters: { ...ag, audienceId: byId('aud-1') },
		answer: { data: AUD },
		line: `POST ${P('audiences', 'aud-1', 'remove-from-folder')}`,
		body: '',
		output: [{ ...AUD, traceId: T }],
	},
	'audience.moveLeads': {
		parameters: { ...ag, audienceId: byId('aud-1'), targetAudienceId: byId('aud-2'), leadIds: ' l-1, l-2 ,,' },
		answer: { data: { sourceAudience: AUD, targetAudience: { ...AUD, id: 'aud-2' }, movedCount: 2 } },
		line: `POST ${P('audiences', 'aud-1', 'move-leads')}`,
		body: { targetAudienceId: 'aud-2', leadIds: ['l-1', 'l-2'] },
		output: [{ sourceAudience: AUD, targetAudience: { ...AUD, id: 'aud-2' }, movedCount: 2, traceId: T }],
	},
	'audienceFolder.getAll': {
		parameters: { ...ag },
		answer: { data: { folders: [{ ...FOLDER, audiences: [AUD] }], ungroupedAudiences: [{ ...AUD, id: 'aud-9' }] } },
		line: `GET ${P('audiences', 'navigation')}`,
		output: [
			{ ...FOLDER, audiences: [AUD], ungrouped: false },
			{ id: null, name: 'Audiences in no folder', ungrouped: true, audiences: [{ ...AUD, id: 'aud-9' }] },
		],
	},
	'audienceFolder.create': {
		parameters: { ...ag, name: 'Events', audienceType: 'on_demand' },
		answer: { status: 201, data: FOLDER },
		line: `POST ${P('audiences', 'folders')}`,
		body: { name: 'Events', audienceType: 'on_demand' },
		output: [{ ...FOLDER, traceId: T }],
	},
	'audienceFolder.update': {
		parameters: { ...ag, folderId: byId('f-1'), name: 'Events 2026' },
		answer: { data: { ...FOLDER, name: 'Events 2026' } },
		line: `PATCH ${P('audiences', 'folders', 'f-1')}`,
		body: { name: 'Events 2026' },
		output: [{ ...FOLDER, name: 'Events 2026', traceId: T }],
	},
	'prospect.getAll': {
		parameters: { ...ag, audienceId: byId('aud-1'), limit: 1 },
		answer: { data: { items: [{ id: 'p-1', name: 'Ada' }, { id: 'p-2', name: 'Bob' }], nextCursor: 'n', hasMore: true } },
		line: `GET ${P('audiences', 'aud-1', 'prospects')}`,
		output: [{ id: 'p-1', name: 'Ada' }],
	},
	'prospect.findByProviderId': {
		parameters: { ...ag, providerId: byId('ACoAAB 1') },
		answer: { data: { providerId: 'ACoAAB 1', resolution: 'ambiguous', matches: [{ prospectId: 'p-1' }, { prospectId: 'p-2' }] } },
		line: `GET ${P('prospects', 'by-provider-id', 'ACoAAB%201')}`,
		output: [{ providerId: 'ACoAAB 1', resolution: 'ambiguous', matches: [{ prospectId: 'p-1' }, { prospectId: 'p-2' }], traceId: T }],
	},
	'prospect.getSignals': {
		parameters: { ...ag, prospectId: byId('p-1'), additionalFields: { minScore: 7 } },
		answer: { data: { prospectId: 'p-1', status: 'pending', results: [] } },
		line: `GET ${P('prospects', 'p-1', 'signals')}?minScore=7`,
		output: [{ prospectId: 'p-1', status: 'pending', results: [], pending: true, traceId: T }],
	},
	'salesNavigator.getSavedSearches': {
		parameters: { ...ag },
		answer: { data: { items: [{ id: 'ss-1', name: 'CTOs in Paris' }] } },
		line: `GET ${P('sales-navigator', 'saved-searches')}`,
		output: [{ id: 'ss-1', name: 'CTOs in Paris' }],
	},
	'salesNavigator.getLeadLists': {
		parameters: { ...ag },
		answer: { data: { items: [{ id: 'll-1', name: 'Q1 targets' }] } },
		line: `GET ${P('sales-navigator', 'lead-lists')}`,
		output: [{ id: 'll-1', name: 'Q1 targets' }],
	},
	'campaign.create': {
		parameters: { ...ag, starterTemplateId: byId('engage-inmail'), name: 'Webinar follow-up', audienceId: byId('aud-1'), additionalFields: { leadIds: ['l-1'] } },
		answer: { status: 201, data: campaign('c-9', 'draft') },
		line: `POST ${P('campaigns')}`,
		body: { starterTemplateId: 'engage-inmail', name: 'Webinar follow-up', audienceId: 'aud-1', leadIds: ['l-1'] },
		output: [{ ...campaign('c-9', 'draft'), traceId: T }],
	},
	'campaign.duplicate': {
		parameters: { ...ag, campaignId: byId(C), audienceId: byId('aud-2') },
		answer: { status: 201, data: campaign('c-10', 'draft') },
		line: `POST ${P('campaigns', C, 'duplicate')}`,
		body: { audienceId: 'aud-2' },
		output: [{ ...campaign('c-10', 'draft'), traceId: T }],
	},
	'campaign.delete': {
		parameters: { ...ag, campaignId: byId(C) },
		answer: { data: { deleted: true } },
		line: `DELETE ${P('campaigns', C)}`,
		output: [{ deleted: true, id: C, traceId: T }],
	},
	'campaign.getStarterTemplates': {
		parameters: { ...ag },
		answer: { data: { items: [{ id: 'engage-inmail', name: 'Engage by InMail', description: 'x', available: false }] } },
		line: `GET ${P('campaigns', 'starter-templates')}`,
		output: [{ id: 'engage-inmail', name: 'Engage by InMail', description: 'x', available: false }],
	},
	'contentSlot.getAll': {
		parameters: { ...ag, campaignId: byId(C) },
		answer: { data: { items: [SLOT] } },
		line: `GET ${P('campaigns', C, 'content-slots')}`,
		output: [SLOT],
	},
	'contentSlot.update': {
		parameters: { ...ag, campaignId: byId(C), slotId: byId('s-1'), templateId: 't-3' },
		answer: { data: { ...SLOT, templateId: 't-3' } },
		line: `PATCH ${P('campaigns', C, 'content-slots', 's-1')}`,
		body: { templateId: 't-3' },
		output: [{ ...SLOT, templateId: 't-3', traceId: T }],
	},
	'signalScan.start': {
		parameters: { ...ag, signalSpecificationId: byId('spec-1'), audienceId: byId('aud-1'), additionalFields: { prospectIds: 'p-1,p-2' } },
		answer: { status: 202, data: SCAN },
		line: `POST ${P('signals', 'scans')}`,
		body: { signalSpecificationId: 'spec-1', audienceId: 'aud-1', prospectIds: ['p-1', 'p-2'] },
		keyed: true,
		output: [{ ...SCAN, traceId: T, idempotencyKey: expect.stringMatching(/^n8n-[0-9a-f]{48}$/) as unknown as string, replayed: false }],
	},
	'signalScan.get': {
		parameters: { ...ag, scanId: byId('scan-1') },
		answer: { data: { ...SCAN, status: 'completed' } },
		line: `GET ${P('signals', 'scans', 'scan-1')}`,
		output: [{ ...SCAN, status: 'completed', traceId: T }],
	},
	'signalScan.getAll': {
		parameters: { ...ag, limit: 5 },
		answer: { data: { items: [SCAN], nextCursor: null, hasMore: false } },
		line: `GET ${P('signals', 'scans')}`,
		output: [SCAN],
	},
	'signalScan.cancel': {
		parameters: { ...ag, scanId: byId('scan-1') },
		answer: { data: { scanId: 'scan-1', status: 'cancelled' } },
		line: `POST ${P('signals', 'scans', 'scan-1', 'cancel')}`,
		body: '',
		output: [{ scanId: 'scan-1', status: 'cancelled', cancelled: true, traceId: T }],
	},
	'signalSpecification.getAll': {
		parameters: { ...ag, returnAll: true },
		answer: { data: { items: [SPEC], nextCursor: null, hasMore: false } },
		line: `GET ${P('signal-specifications')}`,
		output: [SPEC],
	},
	'signalSpecification.update': {
		parameters: { ...ag, specificationId: byId('spec-1'), updateFields: { useValueProposition: false, valuePropositionIds: 'vp-1, vp-2' } },
		answer: { data: { ...SPEC, useValueProposition: false } },
		line: `PATCH ${P('signal-specifications', 'spec-1')}`,
		body: { useValueProposition: false, valuePropositionIds: ['vp-1', 'vp-2'] },
		output: [{ ...SPEC, useValueProposition: false, traceId: T }],
	},
	'signalSpecification.delete': {
		parameters: { ...ag, specificationId: byId('spec-1') },
		answer: { data: { deleted: true } },
		line: `DELETE ${P('signal-specifications', 'spec-1')}`,
		output: [{ deleted: true, id: 'spec-1', traceId: T }],
	},
	'valueProposition.get': {
		parameters: { ...ag, valuePropositionId: byId('vp-1') },
		answer: { data: VP },
		line: `GET ${P('value-propositions', 'vp-1')}`,
		output: [{ ...VP, traceId: T }],
	},
	'valueProposition.getAll': {
		parameters: { ...ag, returnAll: true },
		answer: { data: { items: [VP], nextCursor: null, hasMore: false } },
		line: `GET ${P('value-propositions')}`,
		output: [VP],
	},
	'valueProposition.update': {
		parameters: { ...ag, valuePropositionId: byId('vp-1'), updateFields: { values: ['fast, and cheap', 'kind'] } },
		answer: { data: { ...VP, values: ['fast, and cheap', 'kind'] } },
		line: `PATCH ${P('value-propositions', 'vp-1')}`,
		body: { values: ['fast, and cheap', 'kind'] },
		output: [{ ...VP, values: ['fast, and cheap', 'kind'], traceId: T }],
	},
	'valueProposition.delete': {
		parameters: { ...ag, valuePropositionId: byId('vp-1') },
		answer: { data: { deleted: true } },
		line: `DELETE ${P('value-propositions', 'vp-1')}`,
		output: [{ deleted: true, id: 'vp-1', traceId: T }],
	},
	'message.getAll': {
		parameters: { ...ag, returnAll: true, filters: { conversationId: 'conv-1' } },
		answer: { data: { items: [{ id: 'm-1', participantProviderId: 'ACo1', conversationId: 'conv-1', text: 'Hi' }], nextCursor: null, hasMore: false } },
		line: `GET ${P('messages')}?conversationId=conv-1`,
		output: [{ id: 'm-1', participantProviderId: 'ACo1', conversationId: 'conv-1', text: 'Hi' }],
	},
	'message.reply': {
		parameters: { ...ag, prospectId: byId('p-1'), message: 'Thanks, Ada! ', channel: 'inmail', subject: 'Our call', additionalFields: { conversationId: 'conv-1' } },
		answer: { status: 202, data: { id: 'r-1', status: 'scheduled' } },
		line: `POST ${P('messages', 'responses')}`,
		body: { prospectId: 'p-1', message: 'Thanks, Ada! ', channel: 'inmail', subject: 'Our call', conversationId: 'conv-1' },
		keyed: true,
		output: [{ id: 'r-1', status: 'scheduled', queued: true, traceId: T, idempotencyKey: expect.stringMatching(/^n8n-/) as unknown as string, replayed: false }],
	},
};

describe('the contract of every operation', () => {
	it('every operation of the node has a contract here, and every contract an operation', () => {
		expect(Object.keys(CONTRACTS).sort()).toEqual(OPERATIONS.map((spec) => `${spec.resource}.${spec.operation}`).sort());
	});

	it.each(Object.entries(CONTRACTS))('%s', async (key, contract) => {
		const [resource, operation] = key.split('.');
		const sent = fakeSonarly(() => ({ status: contract.answer.status ?? 200, body: ok(contract.answer.data) }));

		const result = await runSonarly({ items: [{}], parameters: { resource, operation, ...contract.parameters } });

		expect(result.error).toBeUndefined();
		const query = (request: (typeof sent)[number]) => (request.query.size > 0 ? `?${request.query.toString()}` : '');
		expect(sent.map((request) => `${request.method} ${request.path}${query(request)}`)).toEqual([contract.line]);
		expect(sent[0].authorization).toBe(`Bearer ${TEST_API_KEY}`);
		if (contract.body !== undefined) expect(sent[0].body).toEqual(contract.body);
		expect(sent[0].idempotencyKey !== undefined).toBe(contract.keyed === true);
		expect(result.success.map((item) => item.json)).toEqual(contract.output);
	});
});
