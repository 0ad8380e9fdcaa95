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
