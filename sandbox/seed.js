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
	/** Acme, signal specifications (templates). */
	signalSpecification: hexId(0x701),
	signalSpecification2: hexId(0x702),
	signalSpecification3: hexId(0x703),
	/** Acme, value propositions (templates). */
	valueProposition1: hexId(0x751),
	valueProposition2: hexId(0x752),
	/** Acme audience folders: on_demand (holds `audience1`) and monitoring (empty). */
	enterpriseFolder: hexId(0x451),
	monitoringFolder: hexId(0x452),
	/** Acme, prospects of `audience1` (45 in all) and `audience2` (140 in all). */
	prospect1: hexId(0x1000),
	prospect2: hexId(0x1001),
	prospect3: hexId(0x1002),
	prospect4: hexId(0x1003),
	audience2Prospect1: hexId(0x2000),
	/** Provider ids: one prospect (`prospect1`), two (`prospect4`, `audience2Prospect1`), none. */
	uniqueProviderId: 'ACoAAB1a2b3c4d5e6f7g8h9',
	duplicateProviderId: 'ACoAAC9z8y7x6w5v4u3t2s1',
	unknownProviderId: 'ACoAAZZZZZZZZZZZZZZZZZZ',
	/** Acme content templates a content slot can link to (no route lists them). */
	contentTemplate1: hexId(0x801),
	contentTemplate2: hexId(0x802),
	contentTemplate3: hexId(0x803),
	contentTemplate4: hexId(0x804),
	/** Content slots: the first of `activeCampaign`, the first of `draftCampaign`. */
	contentSlot1: hexId(0x901),
	draftContentSlot1: hexId(0x911),
	/** Acme Sales Navigator saved searches and lead list. */
	savedSearch1: hexId(0xa01),
	savedSearch2: hexId(0xa02),
	leadList1: hexId(0xa11),
	/** Starter templates: available, and one that is not. */
	starterTemplate: 'engage-connect-dm',
	unavailableStarterTemplate: 'connect',
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
 * @param {{ id: string, name: string, createdAt: string, prospectCount?: number, filling?: boolean, folderId?: string | null, audienceType?: string }} fields
 * @returns {import('./server').Audience}
 */
function audience(fields) {
	return {
		id: fields.id,
		name: fields.name,
		type: 'linkedin_search',
		description: '',
		folderId: fields.folderId ?? null,
		prospectCount: fields.prospectCount ?? 0,
		createdAt: fields.createdAt,
		filling: fields.filling ?? false,
		audienceType: fields.audienceType ?? 'on_demand',
	};
}

const FIRST_NAMES = [
	'Ada',
	'Grace',
	'Alan',
	'Katherine',
	'Linus',
	'Margaret',
	'Dennis',
	'Barbara',
	'Ken',
	'Radia',
];
const LAST_NAMES = [
	'Lovelace',
	'Hopper',
	'Turing',
	'Johnson',
	'Torvalds',
	'Hamilton',
	'Ritchie',
	'Liskov',
	'Thompson',
	'Perlman',
];
const COMPANIES = [
	['Initech', 'Software'],
	['Stark Industries', 'Manufacturing'],
	['Umbrella Corp', 'Pharmaceuticals'],
	['Hooli', 'Internet'],
	['Wayne Enterprises', 'Conglomerate'],
	['Soylent', 'Food & Beverages'],
	['Cyberdyne', 'Robotics'],
];
const TITLES = [
	'VP of Sales',
	'Head of Revenue',
	'Sales Director',
	'Chief Revenue Officer',
	'Account Executive',
];

/**
 * A prospect with every field Sonarly's (cut-off) example shows, plus `createdAt` (the sandbox's
 * own, for paging) and the internal `audienceId`, `providerId`, `personId`, `title` and `signals`.
 * `n` picks a name (unless given), company and title; `slug`, when given, is the LinkedIn public
 * identifier.
 * @param {{ id: string, audienceId: string, n: number, createdAt: string, providerId?: string, personId?: string, slug?: string, firstName?: string, lastName?: string, signals?: import('./server').ProspectSignals }} fields
 * @returns {import('./server').Prospect}
 */
function prospect(fields) {
	const { n } = fields;
	const firstName = fields.firstName ?? FIRST_NAMES[n % FIRST_NAMES.length];
	const lastName =
		fields.lastName ?? LAST_NAMES[Math.floor(n / FIRST_NAMES.length) % LAST_NAMES.length];
	const [companyName, industry] = COMPANIES[n % COMPANIES.length];
	const companySlug = companyName.toLowerCase().replace(/[^a-z0-9]+/g, '-');
	const slug = fields.slug ?? `${firstName}-${lastName}-${fields.id.slice(-5)}`.toLowerCase();
	return {
		id: fields.id,
		firstName,
		lastName,
		name: `${firstName} ${lastName}`,
		headline: `${TITLES[n % TITLES.length]} at ${companyName}`,
		about: `Sandbox prospect ${n + 1}.`,
		photoUrl: `https://media.example.com/sandbox/${slug}.jpg`,
		linkedinUrl: `https://www.linkedin.com/in/${slug}`,
		publicIdentifier: slug,
		company: {
			name: companyName,
			linkedinIdentifier: companySlug,
			linkedinUrl: `https://www.linkedin.com/company/${companySlug}`,
			industry,
			website: `https://${companySlug}.example.com`,
		},
		createdAt: fields.createdAt,
		audienceId: fields.audienceId,
		providerId: fields.providerId ?? `ACoAAS${fields.id.slice(-12)}`,
		personId: fields.personId ?? `person-${fields.id.slice(-8)}`,
		title: TITLES[n % TITLES.length],
		signals: fields.signals ?? { status: 'pending', results: [] },
	};
}

/**
 * `count` prospects of one audience, one second apart from `since`; `overrides[i]` changes the i-th.
 * @param {{ audienceId: string, firstId: number, count: number, since: string, nameOffset?: number, overrides?: Record<number, object> }} input
 * @returns {import('./server').Prospect[]}
 */
function prospects({ audienceId, firstId, count, since, nameOffset = 0, overrides = {} }) {
	const start = Date.parse(since);
	return Array.from({ length: count }, (_, i) =>
		prospect({
			id: hexId(firstId + i),
			audienceId,
			n: nameOffset + i,
			createdAt: new Date(start + i * 1000).toISOString(),
			...overrides[i],
		}),
	);
}

/**
 * Signal results as the sandbox answers them: groups by source `type`, each item with a whole
 * `score` from 0 to 100 (Sonarly's example shows a placeholder string; `minScore` is an integer).
 * @param {string} prospectId
 * @param {number[]} scores one item per score, spread over three source types
 * @returns {import('./server').SignalResult[]}
 */
function signalResults(prospectId, scores) {
	const types = ['linkedin_posts', 'job_changes', 'linkedin_comments'];
	/** @type {import('./server').SignalResult[]} */
	const groups = [];
	scores.forEach((score, i) => {
		const type = types[i % types.length];
		let group = groups.find((g) => g.type === type);
		if (!group) groups.push((group = { type, items: [] }));
		group.items.push({
			score,
			reasoning: `Sandbox signal ${i + 1} of prospect ${prospectId.slice(-6)} scored ${score}.`,
			summary: type === 'job_changes' ? 'Started a new role' : 'Posted about outbound sales',
			title: type === 'job_changes' ? 'New role: VP of Sales' : 'How we rebuilt our outbound',
			postedAt: '2025-06-20T09:00:00.000Z',
			postLink: `https://www.linkedin.com/feed/update/urn:li:activity:${7000000 + i}`,
			totalLikes: 10 * (i + 1),
			totalComments: i + 1,
			...(type === 'job_changes'
				? { jobUrl: 'https://www.linkedin.com/jobs/view/4000000', companyName: 'Initech' }
				: {}),
		});
	});
	return groups;
}

/**
 * @param {{ id: string, name: string, audienceType: string, position: number, isPinned?: boolean, createdAt: string }} fields
 * @returns {import('./server').AudienceFolder}
 */
function folder(fields) {
	return {
		id: fields.id,
		name: fields.name,
		audienceType: fields.audienceType,
		isPinned: fields.isPinned ?? false,
		position: fields.position,
		createdAt: fields.createdAt,
		updatedAt: fields.createdAt,
	};
}

/**
 * @param {string} id
 * @param {string} channel
 * @param {string} label
 * @param {number} position
 * @param {number} channelPosition
 * @param {string} templateId
 * @returns {import('./server').ContentSlot}
 */
function slot(id, channel, label, position, channelPosition, templateId) {
	return { id, channel, label, position, channelPosition, templateId };
}

/**
 * A prospecting job or a signal scan (`idField` is `jobId` or `scanId`). `plan` (internal) is
 * what a job imports or which prospects a scan evaluates when it completes.
 * @param {'jobId' | 'scanId'} idField
 * @param {{ id: string, status: string, createdAt: string, updatedAt?: string, audienceId?: string | null, plan?: import('./server').JobPlan | null }} fields
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
		plan: fields.plan ?? null,
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
					prospectCount: 45,
					createdAt: '2025-05-20T08:00:00.000Z',
					folderId: ids.enterpriseFolder,
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
					plan: { count: 10 },
				}),
			],
			signalScans: [
				job('scanId', {
					id: ids.completedScan,
					status: 'completed',
					createdAt: '2025-06-15T09:00:00.000Z',
					updatedAt: '2025-06-15T09:10:00.000Z',
					audienceId: ids.audience1,
					plan: {
						prospectIds: [ids.prospect1, ids.prospect3],
						signalSpecificationId: ids.signalSpecification,
					},
				}),
			],
			folders: [
				folder({
					id: ids.enterpriseFolder,
					name: 'Enterprise',
					audienceType: 'on_demand',
					position: 1,
					isPinned: true,
					createdAt: '2025-05-20T07:00:00.000Z',
				}),
				folder({
					id: ids.monitoringFolder,
					name: 'Watchlists',
					audienceType: 'monitoring',
					position: 2,
					createdAt: '2025-05-21T07:00:00.000Z',
				}),
			],
			prospects: [
				...prospects({
					audienceId: ids.audience1,
					firstId: 0x1000,
					count: 45,
					since: '2025-05-20T08:05:00.000Z',
					overrides: {
						// Evaluated by `completedScan`, with results.
						0: {
							providerId: ids.uniqueProviderId,
							slug: 'ada-lovelace-initech',
							signals: { status: 'evaluated', results: signalResults(ids.prospect1, [92, 78, 45]) },
						},
						// Never scanned: pending.
						1: {},
						// Evaluated by `completedScan`, nothing found.
						2: { signals: { status: 'evaluated', results: [] } },
						// The same person as `audience2Prospect1`.
						3: { providerId: ids.duplicateProviderId, personId: 'person-duplicate' },
					},
				}),
				...prospects({
					audienceId: ids.audience2,
					firstId: 0x2000,
					count: 140,
					since: '2025-06-09T12:05:00.000Z',
					nameOffset: 45,
					overrides: { 0: { providerId: ids.duplicateProviderId, personId: 'person-duplicate' } },
				}),
			],
			campaignAudiences: {
				[ids.activeCampaign]: ids.audience1,
				[ids.draftCampaign]: ids.audience1,
			},
			contentTemplates: [
				{ id: ids.contentTemplate1, name: 'Intro message' },
				{ id: ids.contentTemplate2, name: 'Follow-up: case study' },
				{ id: ids.contentTemplate3, name: 'InMail: short intro' },
				{ id: ids.contentTemplate4, name: 'Follow-up: breakup' },
			],
			contentSlots: {
				[ids.activeCampaign]: [
					slot(ids.contentSlot1, 'direct_message', 'Intro message', 1, 1, ids.contentTemplate1),
					slot(hexId(0x902), 'direct_message', 'Follow-up 1', 2, 2, ids.contentTemplate2),
					slot(hexId(0x903), 'inmail', 'InMail fallback', 3, 1, ids.contentTemplate3),
				],
				[ids.activeCampaign2]: [
					slot(hexId(0x904), 'direct_message', 'Thanks for attending', 1, 1, ids.contentTemplate1),
				],
				[ids.activeCampaign3]: [
					slot(hexId(0x905), 'direct_message', 'Relance', 1, 1, ids.contentTemplate1),
				],
				[ids.draftCampaign]: [
					slot(
						ids.draftContentSlot1,
						'direct_message',
						'Holiday offer',
						1,
						1,
						ids.contentTemplate1,
					),
					slot(hexId(0x912), 'direct_message', 'Last call', 2, 2, ids.contentTemplate4),
				],
				[ids.stoppedCampaign]: [
					slot(hexId(0x921), 'direct_message', 'Welcome back', 1, 1, ids.contentTemplate1),
				],
			},
			signalSpecifications: [
				{
					id: ids.signalSpecification,
					name: 'Hiring for sales roles',
					description: 'Company posts sales job openings.',
					sources: ['job_changes'],
					createdAt: '2025-05-01T09:00:00.000Z',
					useValueProposition: false,
					valuePropositionIds: [],
					specifications: [],
				},
				{
					id: ids.signalSpecification2,
					name: 'Posts about outbound',
					description: 'Prospect posts or comments about outbound sales.',
					sources: ['linkedin_posts', 'linkedin_comments'],
					createdAt: '2025-05-02T09:00:00.000Z',
					useValueProposition: true,
					valuePropositionIds: [ids.valueProposition1],
					specifications: [],
				},
				{
					id: ids.signalSpecification3,
					name: 'Recently changed jobs',
					description: 'Started a new role in the last 90 days.',
					sources: ['job_changes'],
					createdAt: '2025-05-03T09:00:00.000Z',
					useValueProposition: false,
					valuePropositionIds: [],
					specifications: [],
				},
			],
			valuePropositions: [
				{
					id: ids.valueProposition1,
					name: 'Faster pipeline',
					description: 'Book more first meetings with the same team.',
					values: ['More meetings per rep', 'Less manual prospecting'],
					challenges: ['Reps spend hours on research'],
					createdAt: '2025-04-20T09:00:00.000Z',
				},
				{
					id: ids.valueProposition2,
					name: 'Lower acquisition cost',
					description: 'Replace paid lists with signals.',
					values: ['Cheaper leads'],
					challenges: ['Paid lists go stale', 'Low reply rates'],
					createdAt: '2025-04-21T09:00:00.000Z',
				},
			],
			salesNavigator: {
				savedSearches: [
					{ id: ids.savedSearch1, name: 'VP Sales, SaaS, 200-1000 employees' },
					{ id: ids.savedSearch2, name: 'Founders, fintech, France' },
				],
				leadLists: [{ id: ids.leadList1, name: 'Q3 target accounts' }],
			},
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
	starterTemplates: [
		{
			id: 'engage-inmail',
			name: 'Engage, then InMail',
			description: 'Warm the prospect up with profile engagement, then send an InMail.',
			available: true,
			slots: [
				{ channel: 'inmail', label: 'InMail' },
				{ channel: 'direct_message', label: 'Follow-up' },
			],
		},
		{
			id: 'engage-connect-dm',
			name: 'Engage, connect, then message',
			description: 'Engage, send a connection request, then a direct message once connected.',
			available: true,
			slots: [
				{ channel: 'direct_message', label: 'First message' },
				{ channel: 'direct_message', label: 'Follow-up' },
			],
		},
		{
			id: 'connect-engage-dm',
			name: 'Connect, engage, then message',
			description: 'Send a connection request first, then engage and message.',
			available: true,
			slots: [{ channel: 'direct_message', label: 'First message' }],
		},
		{
			id: 'connect',
			name: 'Connect only',
			description: 'Connection requests only. Not available on this plan.',
			available: false,
			slots: [],
		},
	],
});

module.exports = { SEED, hexId, deepFreeze, prospect, signalResults };
