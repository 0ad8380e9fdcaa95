'use strict';

/**
 * Default seed data of the Sonarly sandbox: two account groups and their campaigns.
 *
 * Campaign objects carry every field Sonarly's reference lists. Only `draft` is a
 * documented status value; `active`, `stopped` and `completed` are the sandbox's own
 * choices (the real enum is not published).
 *
 * `ids` names every id so tests never repeat hex strings; `missingGroup` and
 * `missingCampaign` are well-formed ids that are deliberately absent (for 404 tests).
 * `instances` optionally overrides how many running instances a stop reports for a
 * campaign (default: its `selectedLeadCount`).
 *
 * Messages, audiences, prospecting jobs and signal scans are optional per account group
 * (absent means none). Their field sets beyond what Sonarly's reference shows are the
 * sandbox's own choices: a message's `conversationId`, `direction`, `text` and `createdAt`
 * (the reference shows only `id` and `participantProviderId`); an audience's or job's
 * `filling`, `audienceId` and `outcome` are internal and never answered by the API.
 */

/**
 * A 24-hex id in the style of Sonarly's examples.
 * @param {number} n
 * @returns {string}
 */
function hexId(n) {
	return '64a1f0' + n.toString(16).padStart(18, '0');
}

const ids = {
	acmeGroup: hexId(0x001),
	globexGroup: hexId(0x002),
	/** Acme, active, 25 leads. */
	activeCampaign: hexId(0x101),
	/** Acme, active, 140 leads, 137 running instances, rateLimitedUntil set. */
	activeCampaign2: hexId(0x102),
	/** Acme, active, 3 leads, outreachLanguage fr. */
	activeCampaign3: hexId(0x103),
	/** Acme, draft. */
	draftCampaign: hexId(0x104),
	/** Acme, stopped. */
	stoppedCampaign: hexId(0x105),
	/** Globex, active, 12 leads. */
	globexActiveCampaign: hexId(0x201),
	/** Globex, completed. */
	globexCompletedCampaign: hexId(0x202),
	/** Well-formed but absent account group id. */
	missingGroup: hexId(0x0ff),
	/** Well-formed but absent campaign id. */
	missingCampaign: hexId(0x999),
	/** Acme, inbound, conversation A (oldest message). */
	message1: hexId(0x301),
	/** Acme, outbound, conversation A. */
	message2: hexId(0x302),
	/** Acme, inbound, conversation B (newest message). */
	message3: hexId(0x303),
	/** Acme conversations (message `conversationId`s). */
	conversationA: hexId(0x3a1),
	conversationB: hexId(0x3b1),
	/** Acme, ready audiences. */
	audience1: hexId(0x401),
	audience2: hexId(0x402),
	/** Acme, being filled by `runningJob` (left out of the audience list until it finishes). */
	fillingAudience: hexId(0x403),
	/** Acme, a completed prospecting job. */
	completedJob: hexId(0x501),
	/** Acme, a running prospecting job that fills `fillingAudience`. */
	runningJob: hexId(0x502),
	/** Acme, a completed signal scan. */
	completedScan: hexId(0x601),
	/** Acme, a signal specification id the scans use (no route lists it). */
	signalSpecification: hexId(0x701),
};

/**
 * @param {Partial<import('./server').Campaign> & { id: string, name: string, status: string }} fields
 * @returns {import('./server').Campaign}
 */
function campaign(fields) {
	return {
		id: fields.id,
		name: fields.name,
		description: fields.description ?? '',
		status: fields.status,
		selectedLeadCount: fields.selectedLeadCount ?? 0,
		includeConversationHistory: fields.includeConversationHistory ?? true,
		autoCancelOnMessageReceived: fields.autoCancelOnMessageReceived ?? true,
		outreachLanguage: fields.outreachLanguage ?? 'en',
		createdAt: fields.createdAt ?? '2025-03-01T09:00:00.000Z',
		updatedAt: fields.updatedAt ?? fields.createdAt ?? '2025-03-01T09:00:00.000Z',
		startedAt: fields.startedAt ?? null,
		rateLimitedUntil: fields.rateLimitedUntil ?? null,
	};
}

/**
 * @param {{ id: string, conversationId: string, direction: string, text: string, createdAt: string, participantProviderId?: string }} fields
 * @returns {import('./server').Message}
 */
function message(fields) {
	return {
		id: fields.id,
		conversationId: fields.conversationId,
		participantProviderId: fields.participantProviderId ?? 'ACoAAB1a2b3c4d5e6f7g8h9',
		direction: fields.direction,
		text: fields.text,
		createdAt: fields.createdAt,
	};
}

/**
 * @param {{ id: string, name: string, createdAt: string, prospectCount?: number, filling?: boolean }} fields
 * @returns {import('./server').Audience}
 */
function audience(fields) {
	return {
		id: fields.id,
		name: fields.name,
		type: 'linkedin_search',
		description: '',
		folderId: null,
		prospectCount: fields.prospectCount ?? 0,
		createdAt: fields.createdAt,
		filling: fields.filling ?? false,
	};
}

/**
 * A prospecting job or a signal scan (`idField` is `jobId` or `scanId`).
 * @param {'jobId' | 'scanId'} idField
 * @param {{ id: string, status: string, createdAt: string, updatedAt?: string, audienceId?: string | null }} fields
 * @returns {import('./server').Job}
 */
function job(idField, fields) {
	return {
		[idField]: fields.id,
		type: idField === 'jobId' ? 'prospecting' : 'signal_scan',
		status: fields.status,
		createdAt: fields.createdAt,
		updatedAt: fields.updatedAt ?? fields.createdAt,
		error: null,
		audienceId: fields.audienceId ?? null,
		outcome: 'completed',
		stepAt: null,
	};
}

/**
 * Freezes an object graph so tests cannot mutate the shared seed by accident.
 * @template T
 * @param {T} value
 * @returns {T}
 */
function deepFreeze(value) {
	if (value && typeof value === 'object' && !Object.isFrozen(value)) {
		Object.freeze(value);
		for (const child of Object.values(value)) deepFreeze(child);
	}
	return value;
}

/** @type {import('./server').Seed} */
const SEED = deepFreeze({
	ids,
	accountGroups: [
		{
			id: ids.acmeGroup,
			name: 'Acme Sales',
			createdAt: '2025-01-15T09:00:00.000Z',
			campaigns: [
				campaign({
					id: ids.activeCampaign,
					name: 'Q3 Enterprise Outbound',
					description: 'Enterprise accounts, VP Sales and above.',
					status: 'active',
					selectedLeadCount: 25,
					createdAt: '2025-06-02T08:30:00.000Z',
					updatedAt: '2025-06-03T10:00:00.000Z',
					startedAt: '2025-06-03T10:00:00.000Z',
				}),
				campaign({
					id: ids.activeCampaign2,
					name: 'Webinar Follow-up',
					description: 'Attendees of the June product webinar.',
					status: 'active',
					selectedLeadCount: 140,
					includeConversationHistory: false,
					createdAt: '2025-06-10T14:00:00.000Z',
					updatedAt: '2025-06-12T07:45:00.000Z',
					startedAt: '2025-06-11T09:00:00.000Z',
					rateLimitedUntil: '2025-06-12T08:45:00.000Z',
				}),
				campaign({
					id: ids.activeCampaign3,
					name: 'Relance essai gratuit',
					description: 'French-speaking trial users.',
					status: 'active',
					selectedLeadCount: 3,
					autoCancelOnMessageReceived: false,
					outreachLanguage: 'fr',
					createdAt: '2025-07-01T12:00:00.000Z',
					updatedAt: '2025-07-01T12:30:00.000Z',
					startedAt: '2025-07-01T12:30:00.000Z',
				}),
				campaign({
					id: ids.draftCampaign,
					name: 'Holiday Promo (draft)',
					description: 'Not launched yet.',
					status: 'draft',
					selectedLeadCount: 60,
					createdAt: '2025-07-20T16:00:00.000Z',
				}),
				campaign({
					id: ids.stoppedCampaign,
					name: 'Spring Reactivation',
					description: 'Stopped after the spring push.',
					status: 'stopped',
					selectedLeadCount: 80,
					createdAt: '2025-03-01T09:00:00.000Z',
					updatedAt: '2025-04-15T18:00:00.000Z',
					startedAt: '2025-03-02T09:00:00.000Z',
				}),
			],
			messages: [
				message({
					id: ids.message1,
					conversationId: ids.conversationA,
					direction: 'inbound',
					text: 'Hi, thanks for reaching out. Can you send more details?',
					createdAt: '2025-07-02T09:00:00.000Z',
				}),
				message({
					id: ids.message2,
					conversationId: ids.conversationA,
					direction: 'outbound',
					text: 'Sure, here is our one-pager.',
					createdAt: '2025-07-02T09:30:00.000Z',
				}),
				message({
					id: ids.message3,
					conversationId: ids.conversationB,
					participantProviderId: 'ACoAAC9z8y7x6w5v4u3t2s1',
					direction: 'inbound',
					text: 'Not interested, please remove me.',
					createdAt: '2025-07-03T10:00:00.000Z',
				}),
			],
			audiences: [
				audience({
					id: ids.audience1,
					name: 'Enterprise VPs of Sales',
					prospectCount: 25,
					createdAt: '2025-05-20T08:00:00.000Z',
				}),
				audience({
					id: ids.audience2,
					name: 'June webinar attendees',
					prospectCount: 140,
					createdAt: '2025-06-09T12:00:00.000Z',
				}),
				audience({
					id: ids.fillingAudience,
					name: 'Fintech founders (importing)',
					createdAt: '2025-07-04T08:00:00.000Z',
					filling: true,
				}),
			],
			prospectingJobs: [
				job('jobId', {
					id: ids.completedJob,
					status: 'completed',
					createdAt: '2025-06-09T12:00:00.000Z',
					updatedAt: '2025-06-09T12:20:00.000Z',
					audienceId: ids.audience2,
				}),
				job('jobId', {
					id: ids.runningJob,
					status: 'running',
					createdAt: '2025-07-04T08:00:00.000Z',
					audienceId: ids.fillingAudience,
				}),
			],
			signalScans: [
				job('scanId', {
					id: ids.completedScan,
					status: 'completed',
					createdAt: '2025-06-15T09:00:00.000Z',
					updatedAt: '2025-06-15T09:10:00.000Z',
					audienceId: ids.audience1,
				}),
			],
		},
		{
			id: ids.globexGroup,
			name: 'Globex Outreach',
			createdAt: '2025-02-03T11:20:00.000Z',
			campaigns: [
				campaign({
					id: ids.globexActiveCampaign,
					name: 'Partner Intro',
					description: 'Warm intros to channel partners.',
					status: 'active',
					selectedLeadCount: 12,
					outreachLanguage: 'de',
					createdAt: '2025-05-05T10:00:00.000Z',
					updatedAt: '2025-05-06T10:00:00.000Z',
					startedAt: '2025-05-06T10:00:00.000Z',
				}),
				campaign({
					id: ids.globexCompletedCampaign,
					name: 'Cold Leads Revival',
					description: 'Finished sequence.',
					status: 'completed',
					selectedLeadCount: 40,
					createdAt: '2025-02-10T10:00:00.000Z',
					updatedAt: '2025-03-20T10:00:00.000Z',
					startedAt: '2025-02-11T10:00:00.000Z',
				}),
			],
		},
	],
	instances: {
		[ids.activeCampaign2]: 137,
	},
});

module.exports = { SEED, hexId, deepFreeze };
