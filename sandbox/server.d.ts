// Type declarations for sandbox/server.js (the local Sonarly API simulator).

/** A Sonarly campaign, with every field the public reference lists. */
export interface Campaign {
	id: string;
	name: string;
	description: string;
	/** Free string: the real enum is not published. The sandbox uses active, draft, stopped, completed. */
	status: string;
	selectedLeadCount: number;
	includeConversationHistory: boolean;
	autoCancelOnMessageReceived: boolean;
	outreachLanguage: string;
	createdAt: string;
	updatedAt: string;
	startedAt: string | null;
	rateLimitedUntil: string | null;
}

/**
 * A message of the history (GET …/messages). Sonarly's reference shows only `id` and
 * `participantProviderId`; the other fields are the sandbox's own choices.
 */
export interface Message {
	id: string;
	conversationId: string;
	participantProviderId: string;
	/** 'inbound' (from the prospect) or 'outbound' (sent, or queued by Message → Reply). */
	direction: string;
	text: string;
	createdAt: string;
	/** Set on the message a queued reply (POST …/messages/responses) adds. */
	scheduledResponseId?: string;
}

/** An audience; `filling` (internal, never answered) keeps it out of the list. */
export interface Audience {
	id: string;
	name: string;
	type: string;
	description: string;
	folderId: string | null;
	prospectCount: number;
	createdAt: string;
	filling: boolean;
}

/**
 * A prospecting job (`jobId`) or a signal scan (`scanId`). `audienceId`, `outcome` (the final
 * status its clock moves it to) and `stepAt` are internal.
 */
export interface Job {
	jobId?: string;
	scanId?: string;
	type: string;
	status: string;
	createdAt: string;
	updatedAt: string;
	error: { code: string; message: string } | null;
	audienceId: string | null;
	outcome: string;
	stepAt: number | null;
}

export interface AccountGroupSeed {
	id: string;
	name: string;
	createdAt: string;
	campaigns: Campaign[];
	/** Newest first in the API; absent means none. */
	messages?: Message[];
	audiences?: Audience[];
	prospectingJobs?: Job[];
	signalScans?: Job[];
}

export interface AddMessagesInput {
	/** Default: the first account group. */
	accountGroupId?: string;
	/** Each: any of conversationId, participantProviderId, direction, text, createdAt (default now). */
	messages?: Array<Partial<Omit<Message, 'id'>>>;
	/** Also add this many inbound messages with generated text. */
	count?: number;
}

export interface AddJobInput {
	accountGroupId?: string;
	/** Default 'prospecting'. */
	kind?: 'prospecting' | 'signalScan';
	/** Default 'queued'. */
	status?: 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
	/** The final status its clock moves it to (default 'completed'). */
	outcome?: 'completed' | 'failed' | 'cancelled';
	audienceId?: string;
	createdAt?: string;
}

export interface AdvanceJobsInput {
	accountGroupId?: string;
	/** Only jobs or only scans (default both). */
	kind?: 'prospecting' | 'signalScan';
	/** Only this job or scan. */
	id?: string;
	/** Straight to this status instead of one step. */
	to?: 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
}

/** Readable names of the seeded ids (plus two well-formed ids that are absent, for 404s). */
export interface SeedIds {
	acmeGroup: string;
	globexGroup: string;
	activeCampaign: string;
	activeCampaign2: string;
	activeCampaign3: string;
	draftCampaign: string;
	stoppedCampaign: string;
	globexActiveCampaign: string;
	globexCompletedCampaign: string;
	missingGroup: string;
	missingCampaign: string;
	message1: string;
	message2: string;
	message3: string;
	conversationA: string;
	conversationB: string;
	audience1: string;
	audience2: string;
	fillingAudience: string;
	completedJob: string;
	runningJob: string;
	completedScan: string;
	signalSpecification: string;
	[name: string]: string;
}

export interface Seed {
	/** Ignored by the server; names for tests. */
	ids?: SeedIds;
	accountGroups: AccountGroupSeed[];
	/** Instances a stop reports per campaign id (default: the campaign's selectedLeadCount). */
	instances?: Record<string, number>;
}

export interface KeyConfig {
	permissions: string[];
	/** Name stored in the request log instead of the key (default: a short SHA-256 fingerprint). */
	label?: string;
}

export type RetryAfterMode = 'seconds' | 'date' | 'none';

/**
 * `true` = every API request; a campaign id, job, scan or audience id, or a route name
 * (e.g. 'listMessages'), or a list of them = the requests they name.
 */
export type FaultTarget = true | string | string[];

export interface ForcedStatusSpec {
	/** 400 to 599. */
	status: number;
	/** Answer with it this many times, then behave normally. Omitted: forever. */
	times?: number | null;
	/** Retry-After form of a forced 429 (default: rateLimit.retryAfter, else 'seconds', 1 s). */
	retryAfter?: RetryAfterMode | null;
}

export interface Faults {
	/** Delay before every API answer; overrides the start option latencyMs while set. */
	latencyMs?: number;
	/** Fixed 1-second window over API requests; a number is shorthand for { perSecond }. */
	rateLimit?: { perSecond: number; retryAfter?: RetryAfterMode } | number;
	/** Keyed by campaign id, job/scan/audience id, route name, or '*' for every API request. */
	forceStatus?: Record<string, number | ForcedStatusSpec>;
	html502?: FaultTarget;
	emptyBody500?: FaultTarget;
	hang?: FaultTarget;
	drop?: FaultTarget;
	dropAfterAct?: FaultTarget;
	/** Page size of GET /v1/accounts (adds nextCursor and hasMore). */
	accountsPageSize?: number;
	/** Page size of GET /v1/accounts/{ag}/campaigns (adds nextCursor and hasMore). */
	campaignsPageSize?: number;
	/** Page size of the messages, audiences, jobs and scans lists without `limit` (default 20). */
	pageSize?: number;
	/** Jobs and scans take one step (queued → running → outcome) per this many ms. */
	jobStepMs?: number;
}

/** `null`, `undefined` or `false` on a knob removes it. */
export type FaultsPatch = { [K in keyof Faults]?: Faults[K] | null | false };

export type RouteName =
	| 'listAccounts'
	| 'listCampaigns'
	| 'getCampaign'
	| 'stopCampaign'
	| 'startCampaign'
	| 'listMessages'
	| 'replyToMessage'
	| 'startProspecting'
	| 'listProspecting'
	| 'getProspecting'
	| 'cancelProspecting'
	| 'startScan'
	| 'listScans'
	| 'getScan'
	| 'cancelScan'
	| 'listAudiences'
	| 'getAudience';

export interface RequestLogEntry {
	method: string;
	/** Raw request target, as received, query included. */
	path: string;
	/** An Authorization header was present (valid or not). */
	authorized: boolean;
	/** Label of the matched key, or null. Raw keys are never stored. */
	key: string | null;
	/** HTTP status sent; null while pending, for hang, drop and dropAfterAct. */
	status: number | null;
	/** Date.now() when received. */
	at: number;
	/** null until answered or dropped. */
	durationMs: number | null;
	/** Matched route (null for unknown routes and wrong methods). */
	route: RouteName | null;
	/** Decoded path parameters (null when absent or malformed). */
	accountGroupId: string | null;
	campaignId: string | null;
	/** The job, scan or audience id in the path, if any. */
	resourceId: string | null;
	/** The fault that shaped the answer, if any. */
	fault:
		| 'rateLimit'
		| 'forceStatus'
		| 'html502'
		| 'emptyBody500'
		| 'hang'
		| 'drop'
		| 'dropAfterAct'
		| null;
}

export interface SandboxState {
	accountGroups: AccountGroupSeed[];
	faults: Faults;
}

export interface SandboxOptions {
	/** Loopback only: 127.x.x.x, ::1 or localhost (bound as 127.0.0.1). Default 127.0.0.1. */
	host?: string;
	/** Default 0 (a random free port). */
	port?: number;
	/** Delay before every API answer. Default 0. */
	latencyMs?: number;
	/** Default DEFAULT_KEYS. */
	keys?: Record<string, KeyConfig>;
	/** Default SEED. Deep-copied: reset() restores it. */
	seed?: Seed;
	/** Initial faults, same shape as setFaults. */
	faults?: FaultsPatch;
	/** Called when a log entry is final (answered or dropped; never for hang). */
	onRequestDone?: (entry: RequestLogEntry) => void;
}

export interface Sandbox {
	/** e.g. 'http://127.0.0.1:41234' (no trailing slash). */
	readonly url: string;
	readonly port: number;
	/** Live log of API requests (control routes are not logged). */
	readonly requests: RequestLogEntry[];
	/** Log entries of POST .../stop requests, optionally for one campaign. */
	stopRequests(campaignId?: string): RequestLogEntry[];
	/** Top-level merge; throws TypeError on unknown knobs or bad values. */
	setFaults(faults: FaultsPatch): void;
	clearFaults(): void;
	/** State back to seed, log emptied, faults cleared (the start option latencyMs stays). */
	reset(): void;
	/** A copy of one campaign now, or null. */
	campaign(accountGroupId: string, campaignId: string): Campaign | null;
	/** Adds messages (as if they arrived now); returns copies. */
	addMessages(input: AddMessagesInput): Message[];
	/** Sets a campaign's status (and updatedAt to now); returns a copy. */
	setCampaignStatus(input: {
		accountGroupId?: string;
		campaignId: string;
		status: string;
	}): Campaign;
	/** Adds an audience, ready unless `ready: false`; returns a copy. */
	addAudience(input: {
		accountGroupId?: string;
		name?: string;
		ready?: boolean;
		createdAt?: string;
		prospectCount?: number;
	}): Audience;
	/** Marks an audience ready (it appears in the list); returns a copy. */
	setAudienceReady(input: { accountGroupId?: string; audienceId: string }): Audience;
	/** Adds a job or scan directly, in any status; returns a copy. */
	addJob(input: AddJobInput): Job;
	/** Moves jobs or scans one step, or to a status; returns copies of those that moved. */
	advanceJobs(input?: AdvanceJobsInput): Job[];
	/** A copy of all account groups (campaigns, messages, audiences, jobs, scans), plus the faults. */
	state(): SandboxState;
	/** Closes the server and destroys open (incl. hung) sockets. */
	close(): Promise<void>;
}

export declare function startSandbox(options?: SandboxOptions): Promise<Sandbox>;

export declare const DEFAULT_KEYS: Readonly<Record<string, KeyConfig>>;

export declare const SEED: Readonly<Seed & { ids: SeedIds; instances: Record<string, number> }>;
