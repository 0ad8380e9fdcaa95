'use strict';

/**
 * Sonarly API sandbox: a local, zero-dependency simulator of the parts of Sonarly's
 * public API this package uses (see /sandbox/README.md). A test and demo tool, never
 * shipped in the npm package. Loopback only; it makes no outbound requests and never
 * stores or prints the API keys it receives.
 */

const http = require('node:http');
const net = require('node:net');
const crypto = require('node:crypto');
const { parseArgs } = require('node:util');
const { SEED, deepFreeze, prospect, signalResults } = require('./seed');

/** @typedef {import('./server').Campaign} Campaign */
/** @typedef {import('./server').AccountGroupSeed} AccountGroupSeed */
/** @typedef {import('./server').Seed} Seed */
/** @typedef {import('./server').KeyConfig} KeyConfig */
/** @typedef {import('./server').Faults} Faults */
/** @typedef {import('./server').FaultTarget} FaultTarget */
/** @typedef {import('./server').RequestLogEntry} RequestLogEntry */
/** @typedef {import('./server').SandboxOptions} SandboxOptions */
/** @typedef {import('./server').Sandbox} Sandbox */
/** @typedef {import('./server').RetryAfterMode} RetryAfterMode */
/** @typedef {import('./server').FaultsPatch} FaultsPatch */
/** @typedef {import('./server').RouteName} RouteName */
/** @typedef {NonNullable<RequestLogEntry['fault']>} FaultName */
/** @typedef {import('./server').Message} Message */
/** @typedef {import('./server').Audience} Audience */
/** @typedef {import('./server').Job} Job */
/** @typedef {import('./server').Prospect} Prospect */
/** @typedef {import('./server').AudienceFolder} AudienceFolder */
/** @typedef {import('./server').SignalSpecification} SignalSpecification */
/** @typedef {import('./server').ValueProposition} ValueProposition */
/** @typedef {import('./server').StarterTemplate} StarterTemplate */

/**
 * @typedef {{ status: number, times: number | null, retryAfter: RetryAfterMode | null }} ForcedStatus
 * @typedef {{
 *   latencyMs?: number,
 *   rateLimit?: { perSecond: number, retryAfter: RetryAfterMode },
 *   forceStatus?: Record<string, ForcedStatus>,
 *   html502?: FaultTarget,
 *   emptyBody500?: FaultTarget,
 *   hang?: FaultTarget,
 *   drop?: FaultTarget,
 *   dropAfterAct?: FaultTarget,
 *   accountsPageSize?: number,
 *   campaignsPageSize?: number,
 *   pageSize?: number,
 *   jobStepMs?: number,
 * }} ActiveFaults the validated faults in force
 * @typedef {{ status: number, data: object, body: string }} IdempotentAnswer
 * @typedef {{
 *   accountGroups: AccountGroupSeed[],
 *   instances: Record<string, number>,
 *   idempotency: Record<string, Record<string, IdempotentAnswer>>,
 *   nextId: number,
 *   lastCreatedAt: number,
 *   starterTemplates: StarterTemplate[],
 * }} State
 * @typedef {{ label: string, permissions: string[] }} KeyRecord
 * @typedef {{ name: RouteName, method: string, segments: string[], permission: string | null }} Route
 * @typedef {{ body: string, idempotencyKey: string | null, now: number }} ApiRequest the body and headers a handler may read
 * @typedef {{ route: Route | null, allowed: string[], params: Record<string, string | null> }} RouteMatch
 * @typedef {{ kind: 'json', status: number, body: object, headers?: Record<string, string> }
 *   | { kind: 'html', status: number, body: string }
 *   | { kind: 'empty', status: number }
 *   | { kind: 'hang' }
 *   | { kind: 'drop' }} Reply
 */

/** @type {Record<string, KeyConfig>} */
const DEFAULT_KEYS = deepFreeze({
	sk_test_full_access: {
		label: 'full_access',
		permissions: [
			'campaigns:read',
			'campaigns:execute',
			'messages:read',
			'messages:write',
			'prospecting:read',
			'prospecting:write',
			'signals:read',
			'signals:write',
			'audiences:read',
			'campaigns:write',
			'campaigns:delete',
			'audiences:write',
			'prospects:read',
			'templates:read',
			'templates:write',
		],
	},
	sk_test_read_only: { label: 'read_only', permissions: ['campaigns:read'] },
	sk_test_no_permissions: { label: 'no_permissions', permissions: [] },
});

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const CONTROL_PREFIX = '/__sandbox';
const HTML_502 = '<html><body><h1>502 Bad Gateway</h1></body></html>';
const MAX_CONTROL_BODY = 64 * 1024;
/** API request bodies above this get a 413 (the sandbox's own limit; Sonarly's is unknown). */
const MAX_API_BODY = 1024 * 1024;
/** Page size of the cursor lists (messages, audiences, jobs, scans) without `limit` or `pageSize`. */
const DEFAULT_PAGE_SIZE = 20;
/** The largest `limit` the sandbox answers with; larger ones are cut to it. */
const MAX_PAGE_SIZE = 100;
const FINAL_JOB_STATUSES = ['completed', 'failed', 'cancelled'];

/** @type {Route[]} */
const ROUTES = [
	{ name: 'listAccounts', method: 'GET', segments: ['v1', 'accounts'], permission: null },
	{
		name: 'listCampaigns',
		method: 'GET',
		segments: ['v1', 'accounts', ':accountGroupId', 'campaigns'],
		permission: 'campaigns:read',
	},
	{
		name: 'getCampaign',
		method: 'GET',
		segments: ['v1', 'accounts', ':accountGroupId', 'campaigns', ':campaignId'],
		permission: 'campaigns:read',
	},
	{
		name: 'stopCampaign',
		method: 'POST',
		segments: ['v1', 'accounts', ':accountGroupId', 'campaigns', ':campaignId', 'stop'],
		permission: 'campaigns:execute',
	},
	{
		name: 'startCampaign',
		method: 'POST',
		segments: ['v1', 'accounts', ':accountGroupId', 'campaigns', ':campaignId', 'start'],
		permission: 'campaigns:execute',
	},
	{
		name: 'listMessages',
		method: 'GET',
		segments: ['v1', 'accounts', ':accountGroupId', 'messages'],
		permission: 'messages:read',
	},
	{
		name: 'replyToMessage',
		method: 'POST',
		segments: ['v1', 'accounts', ':accountGroupId', 'messages', 'responses'],
		permission: 'messages:write',
	},
	{
		name: 'startProspecting',
		method: 'POST',
		segments: ['v1', 'accounts', ':accountGroupId', 'prospecting'],
		permission: 'prospecting:write',
	},
	{
		name: 'listProspecting',
		method: 'GET',
		segments: ['v1', 'accounts', ':accountGroupId', 'prospecting'],
		permission: 'prospecting:read',
	},
	{
		name: 'getProspecting',
		method: 'GET',
		segments: ['v1', 'accounts', ':accountGroupId', 'prospecting', ':jobId'],
		permission: 'prospecting:read',
	},
	{
		name: 'cancelProspecting',
		method: 'POST',
		segments: ['v1', 'accounts', ':accountGroupId', 'prospecting', ':jobId', 'cancel'],
		permission: 'prospecting:write',
	},
	{
		name: 'startScan',
		method: 'POST',
		segments: ['v1', 'accounts', ':accountGroupId', 'signals', 'scans'],
		permission: 'signals:write',
	},
	{
		name: 'listScans',
		method: 'GET',
		segments: ['v1', 'accounts', ':accountGroupId', 'signals', 'scans'],
		permission: 'signals:read',
	},
	{
		name: 'getScan',
		method: 'GET',
		segments: ['v1', 'accounts', ':accountGroupId', 'signals', 'scans', ':scanId'],
		permission: 'signals:read',
	},
	{
		name: 'cancelScan',
		method: 'POST',
		segments: ['v1', 'accounts', ':accountGroupId', 'signals', 'scans', ':scanId', 'cancel'],
		permission: 'signals:write',
	},
	{
		name: 'listAudiences',
		method: 'GET',
		segments: ['v1', 'accounts', ':accountGroupId', 'audiences'],
		permission: 'audiences:read',
	},
	{
		name: 'getAudience',
		method: 'GET',
		segments: ['v1', 'accounts', ':accountGroupId', 'audiences', ':audienceId'],
		permission: 'audiences:read',
	},
	...scopedRoutes([
		// Campaigns: starter templates, drafts, delete, content slots.
		['listStarterTemplates', 'GET', 'campaigns/starter-templates', 'campaigns:read'],
		['createCampaign', 'POST', 'campaigns', 'campaigns:write'],
		['duplicateCampaign', 'POST', 'campaigns/:campaignId/duplicate', 'campaigns:write'],
		['deleteCampaign', 'DELETE', 'campaigns/:campaignId', 'campaigns:delete'],
		['listContentSlots', 'GET', 'campaigns/:campaignId/content-slots', 'campaigns:read'],
		[
			'updateContentSlot',
			'PATCH',
			'campaigns/:campaignId/content-slots/:slotId',
			'campaigns:write',
		],
		// Audiences and folders.
		['getAudienceNavigation', 'GET', 'audiences/navigation', 'audiences:read'],
		['createAudience', 'POST', 'audiences', 'audiences:write'],
		['updateAudience', 'PATCH', 'audiences/:audienceId', 'audiences:write'],
		['deleteAudience', 'DELETE', 'audiences/:audienceId', 'audiences:write'],
		['createAudienceFolder', 'POST', 'audiences/folders', 'audiences:write'],
		['renameAudienceFolder', 'PATCH', 'audiences/folders/:folderId', 'audiences:write'],
		['moveAudienceToFolder', 'POST', 'audiences/:audienceId/move-to-folder', 'audiences:write'],
		[
			'removeAudienceFromFolder',
			'POST',
			'audiences/:audienceId/remove-from-folder',
			'audiences:write',
		],
		['moveAudienceLeads', 'POST', 'audiences/:audienceId/move-leads', 'audiences:write'],
		['listAudienceProspects', 'GET', 'audiences/:audienceId/prospects', 'prospects:read'],
		// Prospects.
		['findProspects', 'GET', 'prospects/by-provider-id/:providerId', 'prospects:read'],
		['getProspectSignals', 'GET', 'prospects/:prospectId/signals', 'prospects:read'],
		// Sales Navigator sources.
		['listSavedSearches', 'GET', 'sales-navigator/saved-searches', 'prospecting:read'],
		['listLeadLists', 'GET', 'sales-navigator/lead-lists', 'prospecting:read'],
		// Templates: signal specifications and value propositions.
		['listSignalSpecifications', 'GET', 'signal-specifications', 'templates:read'],
		[
			'updateSignalSpecification',
			'PATCH',
			'signal-specifications/:specificationId',
			'templates:write',
		],
		[
			'deleteSignalSpecification',
			'DELETE',
			'signal-specifications/:specificationId',
			'templates:write',
		],
		['listValuePropositions', 'GET', 'value-propositions', 'templates:read'],
		['getValueProposition', 'GET', 'value-propositions/:valuePropositionId', 'templates:read'],
		[
			'updateValueProposition',
			'PATCH',
			'value-propositions/:valuePropositionId',
			'templates:write',
		],
		[
			'deleteValueProposition',
			'DELETE',
			'value-propositions/:valuePropositionId',
			'templates:write',
		],
	]),
];

/**
 * Routes under /v1/accounts/{accountGroupId}, written as [name, method, path, permission].
 * @param {Array<[RouteName, string, string, string]>} table
 * @returns {Route[]}
 */
function scopedRoutes(table) {
	return table.map(([name, method, path, permission]) => ({
		name,
		method,
		segments: ['v1', 'accounts', ':accountGroupId', ...path.split('/')],
		permission,
	}));
}

/** Error code the sandbox uses for each status it answers (forced or real). */
const STATUS_CODES = {
	400: ['VALIDATION_ERROR', 'Request validation failed'],
	401: ['UNAUTHORIZED', 'Invalid or missing API key'],
	402: ['INSUFFICIENT_CREDITS', 'Insufficient credits'],
	403: ['FORBIDDEN', 'Missing required permission'],
	404: ['NOT_FOUND', 'Resource not found'],
	405: ['METHOD_NOT_ALLOWED', 'Method not allowed'],
	409: ['CONFLICT', 'Resource is in a state that prevents this operation'],
	413: ['PAYLOAD_TOO_LARGE', 'Request body too large'],
	421: ['MISDIRECTED_REQUEST', 'The sandbox only answers loopback host names'],
	422: ['VALIDATION_ERROR', 'Request validation failed'],
	429: ['RATE_LIMITED', 'Rate limit exceeded'],
	500: ['INTERNAL_ERROR', 'Internal server error'],
	502: ['UPSTREAM_ERROR', 'Upstream service error'],
	503: ['SERVICE_UNAVAILABLE', 'Service unavailable'],
	504: ['UPSTREAM_TIMEOUT', 'Upstream service timed out'],
};

const FAULT_KEYS = [
	'latencyMs',
	'rateLimit',
	'forceStatus',
	'html502',
	'emptyBody500',
	'hang',
	'drop',
	'dropAfterAct',
	'accountsPageSize',
	'campaignsPageSize',
	'pageSize',
	'jobStepMs',
];
const RETRY_AFTER_MODES = ['seconds', 'date', 'none'];

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

/** @returns {string} a fresh 24-hex trace id */
function newTraceId() {
	return crypto.randomBytes(12).toString('hex');
}

/**
 * @param {unknown} data
 * @returns {object}
 */
function successEnvelope(data) {
	return { success: true, data, error: null, traceId: newTraceId() };
}

/**
 * @param {string} code
 * @param {string} message
 * @param {unknown} [details]
 * @returns {object}
 */
function errorEnvelope(code, message, details = null) {
	return { success: false, data: null, error: { code, message, details }, traceId: newTraceId() };
}

/**
 * @param {number} status
 * @param {unknown} data
 * @returns {Reply}
 */
function ok(status, data) {
	return { kind: 'json', status, body: successEnvelope(data) };
}

/**
 * @param {number} status
 * @param {string} code
 * @param {string} message
 * @param {unknown} [details]
 * @param {Record<string, string>} [headers]
 * @returns {Reply}
 */
function fail(status, code, message, details = null, headers = undefined) {
	return { kind: 'json', status, body: errorEnvelope(code, message, details), headers };
}

/**
 * @template T
 * @param {T} value
 * @returns {T}
 */
function clone(value) {
	return structuredClone(value);
}

/**
 * Loopback literal or `localhost` (a listen address or a Host header's name part).
 * @param {string} host
 * @returns {boolean}
 */
function isLoopbackName(host) {
	const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
	if (name === 'localhost' || name === '::1') return true;
	return net.isIPv4(name) && name.startsWith('127.');
}

/**
 * Guards against DNS rebinding: the Host header must name a loopback host.
 * @param {string | undefined} hostHeader
 * @returns {boolean}
 */
function isLoopbackHostHeader(hostHeader) {
	if (!hostHeader) return true;
	const name = hostHeader.startsWith('[')
		? hostHeader.slice(0, hostHeader.indexOf(']') + 1)
		: hostHeader.replace(/:\d*$/, '');
	return isLoopbackName(name);
}

/**
 * Splits a raw request target into its path and query (absolute-form tolerated).
 * @param {string} rawUrl
 * @returns {{ pathname: string, search: string }}
 */
function splitTarget(rawUrl) {
	let target = rawUrl || '/';
	if (!target.startsWith('/')) {
		try {
			const parsed = new URL(target);
			target = parsed.pathname + parsed.search;
		} catch {
			target = '/';
		}
	}
	const q = target.indexOf('?');
	return q === -1
		? { pathname: target, search: '' }
		: { pathname: target.slice(0, q), search: target.slice(q) };
}

/**
 * Percent-decodes a path segment once; null when the encoding is malformed.
 * @param {string} segment
 * @returns {string | null}
 */
function decodeSegment(segment) {
	try {
		return decodeURIComponent(segment);
	} catch {
		return null;
	}
}

/**
 * Finds the route of a path; `allowed` lists the methods the path supports.
 * @param {string} method
 * @param {string} pathname
 * @returns {RouteMatch}
 */
function matchRoute(method, pathname) {
	const segments = pathname.split('/').slice(1);
	/** @type {RouteMatch} */
	const result = { route: null, allowed: [], params: {} };
	// A literal segment beats a parameter: `campaigns/starter-templates` is not a campaign id.
	let best = -1;
	for (const route of ROUTES) {
		const params = matchSegments(route.segments, segments);
		if (!params) continue;
		if (!result.allowed.includes(route.method)) result.allowed.push(route.method);
		const literals = route.segments.filter((segment) => !segment.startsWith(':')).length;
		if (route.method === method) {
			if (literals > best) {
				best = literals;
				result.route = route;
				result.params = params;
			}
		} else if (!result.route) {
			result.params = params;
		}
	}
	return result;
}

/**
 * @param {string[]} pattern
 * @param {string[]} segments
 * @returns {Record<string, string | null> | null}
 */
function matchSegments(pattern, segments) {
	if (pattern.length !== segments.length) return null;
	/** @type {Record<string, string | null>} */
	const params = {};
	for (let i = 0; i < pattern.length; i++) {
		if (pattern[i].startsWith(':')) params[pattern[i].slice(1)] = decodeSegment(segments[i]);
		else if (pattern[i] !== segments[i]) return null;
	}
	return params;
}

/**
 * @param {Record<string, string | null>} params
 * @param {number} [status] 400, or 422 for the provider-id lookup (its only validation status)
 * @returns {Reply | null} a 400 (or `status`) when a path id is malformed
 */
function validateParams(params, status = 400) {
	for (const [name, value] of Object.entries(params)) {
		if (value === null || !ID_PATTERN.test(value)) {
			return fail(
				status,
				'VALIDATION_ERROR',
				'Request validation failed',
				`${name} must be 1 to 64 characters of A-Z, a-z, 0-9, "_" or "-"`,
			);
		}
	}
	return null;
}

/**
 * Stable, non-reversible label for a key that has none.
 * @param {string} key
 * @returns {string}
 */
function fingerprint(key) {
	return 'key_' + crypto.createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * Indexes the keys by their SHA-256 so the server never holds them in clear.
 * @param {Record<string, KeyConfig>} keys
 * @returns {Map<string, KeyRecord>}
 */
function indexKeys(keys) {
	/** @type {Map<string, KeyRecord>} */
	const index = new Map();
	for (const [key, config] of Object.entries(keys)) {
		if (!config || !Array.isArray(config.permissions)) {
			throw new TypeError('sandbox: every key needs a permissions array');
		}
		index.set(hashKey(key), {
			label: config.label ?? fingerprint(key),
			permissions: [...config.permissions],
		});
	}
	return index;
}

/**
 * @param {string} key
 * @returns {string}
 */
function hashKey(key) {
	return crypto.createHash('sha256').update(key).digest('hex');
}

/**
 * @param {string | undefined} header
 * @param {Map<string, KeyRecord>} keyIndex
 * @returns {KeyRecord | null}
 */
function authenticate(header, keyIndex) {
	const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
	return match ? (keyIndex.get(hashKey(match[1])) ?? null) : null;
}

// ---------------------------------------------------------------------------
// Faults
// ---------------------------------------------------------------------------

/**
 * @param {string} name
 * @param {unknown} value
 * @returns {number}
 */
function nonNegativeInteger(name, value) {
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
		throw new TypeError(`sandbox fault ${name} must be a non-negative integer`);
	}
	return value;
}

/**
 * @param {string} name
 * @param {unknown} value
 * @returns {FaultTarget}
 */
function normalizeTarget(name, value) {
	if (value === true || typeof value === 'string') return value;
	if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return [...value];
	throw new TypeError(
		`sandbox fault ${name} must be true, an id or route name, or an array of them`,
	);
}

/**
 * @param {unknown} value
 * @returns {{ perSecond: number, retryAfter: RetryAfterMode }}
 */
function normalizeRateLimit(value) {
	const config = typeof value === 'number' ? { perSecond: value } : value;
	if (!config || typeof config !== 'object')
		throw new TypeError('sandbox fault rateLimit must be an object');
	const { perSecond, retryAfter = 'seconds' } = /** @type {any} */ (config);
	if (typeof perSecond !== 'number' || !Number.isInteger(perSecond) || perSecond < 1) {
		throw new TypeError('sandbox fault rateLimit.perSecond must be an integer >= 1');
	}
	if (!RETRY_AFTER_MODES.includes(retryAfter)) {
		throw new TypeError('sandbox fault rateLimit.retryAfter must be "seconds", "date" or "none"');
	}
	return { perSecond, retryAfter };
}

/**
 * @param {unknown} value
 * @returns {Record<string, ForcedStatus>}
 */
function normalizeForceStatus(value) {
	if (!value || typeof value !== 'object' || Array.isArray(value)) {
		throw new TypeError(
			'sandbox fault forceStatus must be an object keyed by campaign id, resource id, route name (or "*")',
		);
	}
	/** @type {Record<string, ForcedStatus>} */
	const result = Object.create(null);
	for (const [id, spec] of Object.entries(value)) {
		const entry = typeof spec === 'number' ? { status: spec } : spec;
		const { status, times = null, retryAfter = null } = /** @type {any} */ (entry ?? {});
		if (!Number.isInteger(status) || status < 400 || status > 599) {
			throw new TypeError(`sandbox fault forceStatus[${id}] needs a status from 400 to 599`);
		}
		if (times !== null && (!Number.isInteger(times) || times < 1)) {
			throw new TypeError(`sandbox fault forceStatus[${id}].times must be an integer >= 1`);
		}
		if (retryAfter !== null && !RETRY_AFTER_MODES.includes(retryAfter)) {
			throw new TypeError(
				`sandbox fault forceStatus[${id}].retryAfter must be "seconds", "date" or "none"`,
			);
		}
		result[id] = { status, times, retryAfter };
	}
	return result;
}

/**
 * Validates a fault patch and merges it into the current faults (top-level merge;
 * `null`, `undefined` or `false` removes a knob).
 * @param {ActiveFaults} current
 * @param {unknown} patch
 * @returns {ActiveFaults}
 */
function mergeFaults(current, patch) {
	if (!patch || typeof patch !== 'object' || Array.isArray(patch)) {
		throw new TypeError('sandbox faults must be an object');
	}
	/** @type {Record<string, unknown>} */
	const next = { ...current };
	for (const [name, value] of Object.entries(patch)) {
		if (!FAULT_KEYS.includes(name)) throw new TypeError(`unknown sandbox fault "${name}"`);
		if (value === null || value === undefined || value === false) {
			delete next[name];
		} else if (
			name === 'latencyMs' ||
			name === 'accountsPageSize' ||
			name === 'campaignsPageSize' ||
			name === 'pageSize' ||
			name === 'jobStepMs'
		) {
			next[name] = nonNegativeInteger(name, value);
			if (name !== 'latencyMs' && value === 0) delete next[name];
		} else if (name === 'rateLimit') {
			next[name] = normalizeRateLimit(value);
		} else if (name === 'forceStatus') {
			next[name] = normalizeForceStatus(value);
		} else {
			next[name] = normalizeTarget(name, value);
		}
	}
	return /** @type {ActiveFaults} */ (next);
}

/**
 * What a fault target or a forceStatus key can name for one request: its campaign id, its job,
 * scan or audience id, and its route name (e.g. `listMessages`), most specific first.
 * @param {{ campaignId: string | null, resourceId?: string | null, route: RouteName | null }} entry
 * @returns {string[]}
 */
function faultKeysOf(entry) {
	return /** @type {string[]} */ (
		[entry.campaignId, entry.resourceId ?? null, entry.route].filter((key) => Boolean(key))
	);
}

/**
 * @param {FaultTarget | undefined} target
 * @param {string[]} keys the request's fault keys (faultKeysOf)
 * @returns {boolean}
 */
function targets(target, keys) {
	if (target === true) return true;
	if (target === undefined) return false;
	return keys.some((key) => (Array.isArray(target) ? target.includes(key) : target === key));
}

/**
 * The fixed one-second window of `rateLimit`. 429s do not count.
 * @returns {{ take(limit: number, now: number): number | null, reset(): void }}
 */
function createRateWindow() {
	let windowStart = 0;
	let count = 0;
	return {
		/** @returns {number | null} ms until the window reopens when over the limit, else null */
		take(limit, now) {
			if (now - windowStart >= 1000) {
				windowStart = now;
				count = 0;
			}
			if (count >= limit) return windowStart + 1000 - now;
			count++;
			return null;
		},
		reset() {
			windowStart = 0;
			count = 0;
		},
	};
}

/**
 * @param {RetryAfterMode} mode
 * @param {number} waitMs
 * @param {number} now
 * @returns {Record<string, string>}
 */
function retryAfterHeader(mode, waitMs, now) {
	const seconds = Math.max(1, Math.ceil(waitMs / 1000));
	if (mode === 'none') return {};
	if (mode === 'date') {
		return {
			'retry-after': new Date(Math.ceil((now + seconds * 1000) / 1000) * 1000).toUTCString(),
		};
	}
	return { 'retry-after': String(seconds) };
}

/**
 * @param {number} status
 * @param {RetryAfterMode} retryAfter
 * @returns {Reply}
 */
function forcedReply(status, retryAfter) {
	const [code, message] = STATUS_CODES[/** @type {keyof typeof STATUS_CODES} */ (status)] ?? [
		'SANDBOX_FORCED_ERROR',
		`Forced status ${status}`,
	];
	const headers = status === 429 ? retryAfterHeader(retryAfter, 1000, Date.now()) : undefined;
	return fail(status, code, message, null, headers);
}

// ---------------------------------------------------------------------------
// API route handlers (state in, reply out)
// ---------------------------------------------------------------------------

/**
 * Applies the optional page-size knob to a list.
 * @template T
 * @param {T[]} items
 * @param {number | undefined} pageSize
 * @param {string | null} cursor
 * @returns {Reply}
 */
function page(items, pageSize, cursor) {
	if (!pageSize) return ok(200, { items });
	const offset = cursor === null ? 0 : decodeCursor(cursor);
	if (offset === null || offset > items.length) {
		return fail(
			400,
			'VALIDATION_ERROR',
			'Request validation failed',
			'cursor is not a valid cursor',
		);
	}
	const end = offset + pageSize;
	const hasMore = end < items.length;
	return ok(200, {
		items: items.slice(offset, end),
		nextCursor: hasMore ? encodeCursor(end) : null,
		hasMore,
	});
}

/**
 * @param {number} offset
 * @returns {string}
 */
function encodeCursor(offset) {
	return Buffer.from(`sandbox:${offset}`).toString('base64url');
}

/**
 * @param {string} cursor
 * @returns {number | null}
 */
function decodeCursor(cursor) {
	const match = /^sandbox:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString());
	return match ? Number(match[1]) : null;
}

/**
 * @param {State} state
 * @param {string} accountGroupId
 * @returns {AccountGroupSeed | undefined}
 */
function findGroup(state, accountGroupId) {
	return state.accountGroups.find((g) => g.id === accountGroupId);
}

/**
 * Resolves the group and campaign of a campaign route, or the 404 to answer.
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @returns {{ campaign: Campaign } | { reply: Reply }}
 */
function resolveCampaign(state, params) {
	const group = findGroup(state, /** @type {string} */ (params.accountGroupId));
	if (!group)
		return { reply: fail(404, 'NOT_FOUND', `Account group ${params.accountGroupId} not found`) };
	const campaign = group.campaigns.find((c) => c.id === params.campaignId);
	if (!campaign) {
		return {
			reply: fail(
				404,
				'NOT_FOUND',
				`Campaign ${params.campaignId} not found in account group ${group.id}`,
			),
		};
	}
	return { campaign };
}

/**
 * @param {State} state
 * @param {Record<string, string | null>} _params
 * @param {URLSearchParams} query
 * @param {ActiveFaults} faults
 * @returns {Reply}
 */
function listAccounts(state, _params, query, faults) {
	const items = state.accountGroups.map(({ id, name, createdAt }) => ({ id, name, createdAt }));
	return page(items, faults.accountsPageSize, query.get('cursor'));
}

/**
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @param {URLSearchParams} query
 * @param {ActiveFaults} faults
 * @returns {Reply}
 */
function listCampaigns(state, params, query, faults) {
	const group = findGroup(state, /** @type {string} */ (params.accountGroupId));
	if (!group) return fail(404, 'NOT_FOUND', `Account group ${params.accountGroupId} not found`);
	return page(clone(group.campaigns), faults.campaignsPageSize, query.get('cursor'));
}

/**
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @returns {Reply}
 */
function getCampaign(state, params) {
	const found = resolveCampaign(state, params);
	return 'reply' in found ? found.reply : ok(200, clone(found.campaign));
}

/**
 * Stops an active campaign; anything else is a 409.
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @returns {Reply}
 */
function stopCampaign(state, params) {
	const found = resolveCampaign(state, params);
	if ('reply' in found) return found.reply;
	const { campaign } = found;
	if (campaign.status !== 'active') {
		return fail(
			409,
			'CAMPAIGN_NOT_ACTIVE',
			`Campaign ${campaign.id} is not active (status: ${campaign.status})`,
			{
				currentStatus: campaign.status,
			},
		);
	}
	const instancesStopped = state.instances[campaign.id] ?? campaign.selectedLeadCount;
	campaign.status = 'stopped';
	campaign.updatedAt = new Date().toISOString();
	state.instances[campaign.id] = 0;
	return ok(200, { campaign: clone(campaign), instancesStopped });
}

/**
 * Starts a draft or stopped campaign (Campaign → Start); anything else is a 409.
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @returns {Reply}
 */
function startCampaign(state, params) {
	const found = resolveCampaign(state, params);
	if ('reply' in found) return found.reply;
	const { campaign } = found;
	if (campaign.status !== 'draft' && campaign.status !== 'stopped') {
		return fail(
			409,
			'CAMPAIGN_NOT_STARTABLE',
			`Campaign ${campaign.id} cannot be started (status: ${campaign.status})`,
			{
				currentStatus: campaign.status,
			},
		);
	}
	const now = new Date().toISOString();
	campaign.status = 'active';
	campaign.updatedAt = now;
	campaign.startedAt = now;
	state.instances[campaign.id] = campaign.selectedLeadCount;
	return ok(200, {
		campaign: clone(campaign),
		triggered: true,
		instancesCreated: campaign.selectedLeadCount,
	});
}

// ---------------------------------------------------------------------------
// Messages, prospecting jobs, signal scans, audiences
// ---------------------------------------------------------------------------

/**
 * The group of a scoped route, or the 404 to answer.
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @returns {{ group: AccountGroupSeed } | { reply: Reply }}
 */
function resolveGroup(state, params) {
	const group = findGroup(state, /** @type {string} */ (params.accountGroupId));
	return group
		? { group }
		: { reply: fail(404, 'NOT_FOUND', `Account group ${params.accountGroupId} not found`) };
}

/**
 * The createdAt of something created now: never earlier than the previous one (at least 1 ms
 * later), so that what is created later is always newer in the lists, even many in one
 * millisecond.
 * @param {State} state
 * @returns {string}
 */
function creationTime(state) {
	state.lastCreatedAt = Math.max(Date.now(), state.lastCreatedAt + 1);
	return new Date(state.lastCreatedAt).toISOString();
}

/**
 * A new 24-hex id, unique in this sandbox (above every seeded id).
 * @param {State} state
 * @returns {string}
 */
function newId(state) {
	state.nextId += 1;
	return '64a1f0' + state.nextId.toString(16).padStart(18, '0');
}

/**
 * Sorts newest first (createdAt, then id, both descending) and answers one page. The cursor
 * is keyset-style, like the one in Sonarly's reference (base64url JSON of the last item's
 * createdAt, plus its id here): items added meanwhile never shift a page.
 * @template {{ createdAt: string }} T
 * @param {T[]} items
 * @param {(item: T) => string} idOf
 * @param {URLSearchParams} query
 * @param {ActiveFaults} faults
 * @param {(item: T) => object} [view] the public fields of an item
 * @param {boolean} [sorted] the items are already newest first
 * @returns {Reply}
 */
function cursorPage(items, idOf, query, faults, view = (item) => item, sorted = false) {
	const rawLimit = query.get('limit');
	let size = faults.pageSize ?? DEFAULT_PAGE_SIZE;
	if (rawLimit !== null) {
		if (!/^\d{1,6}$/.test(rawLimit) || Number(rawLimit) < 1) {
			return fail(
				400,
				'VALIDATION_ERROR',
				'Request validation failed',
				'limit must be a whole number from 1',
			);
		}
		size = Math.min(Number(rawLimit), MAX_PAGE_SIZE);
	}
	const list = sorted
		? items
		: [...items].sort((a, b) => compareNewestFirst(a.createdAt, idOf(a), b.createdAt, idOf(b)));
	let start = 0;
	const rawCursor = query.get('cursor');
	if (rawCursor !== null) {
		const after = decodeKeysetCursor(rawCursor);
		if (!after) {
			return fail(
				400,
				'VALIDATION_ERROR',
				'Request validation failed',
				'cursor is not a valid cursor',
			);
		}
		start = list.findIndex(
			(item) => compareNewestFirst(after.createdAt, after.id, item.createdAt, idOf(item)) < 0,
		);
		if (start === -1) start = list.length;
	}
	const slice = list.slice(start, start + size);
	const hasMore = start + size < list.length;
	const last = slice.at(-1);
	return ok(200, {
		items: slice.map((item) => clone(view(item))),
		nextCursor: hasMore && last ? encodeKeysetCursor(last.createdAt, idOf(last)) : null,
		hasMore,
	});
}

/**
 * Negative when (createdAtA, idA) comes first in a newest-first list.
 * @param {string} createdAtA
 * @param {string} idA
 * @param {string} createdAtB
 * @param {string} idB
 * @returns {number}
 */
function compareNewestFirst(createdAtA, idA, createdAtB, idB) {
	if (createdAtA !== createdAtB) return createdAtA < createdAtB ? 1 : -1;
	if (idA === idB) return 0;
	return idA < idB ? 1 : -1;
}

/**
 * @param {string} createdAt
 * @param {string} id
 * @returns {string}
 */
function encodeKeysetCursor(createdAt, id) {
	return Buffer.from(JSON.stringify({ createdAt, id })).toString('base64url');
}

/**
 * @param {string} cursor
 * @returns {{ createdAt: string, id: string } | null}
 */
function decodeKeysetCursor(cursor) {
	try {
		const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
		if (value && typeof value.createdAt === 'string' && typeof value.id === 'string') return value;
	} catch {
		// not a cursor of ours
	}
	return null;
}

/**
 * The JSON object body of a request, or the 400 to answer.
 * @param {string} text
 * @returns {{ value: Record<string, unknown> } | { reply: Reply }}
 */
function jsonObjectBody(text) {
	const invalid = (/** @type {string} */ why) => ({
		reply: fail(400, 'VALIDATION_ERROR', 'Request validation failed', why),
	});
	if (text.trim() === '') return invalid('a JSON object body is required');
	let value;
	try {
		value = JSON.parse(text);
	} catch {
		return invalid('body is not valid JSON');
	}
	if (!value || typeof value !== 'object' || Array.isArray(value))
		return invalid('body must be a JSON object');
	return { value };
}

/**
 * JSON with sorted keys, so that the same body written in another key order matches.
 * @param {unknown} value
 * @returns {string}
 */
function canonicalJson(value) {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value && typeof value === 'object') {
		const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

/**
 * Runs a keyed write once per Idempotency-Key: a new key (or none) acts and answers 202; the
 * same key with the same body answers 200 with `replay(original)` and does nothing; the same
 * key with another body is a 409 IDEMPOTENCY_CONFLICT.
 * @param {State} state
 * @param {string} scope the route and account group the key belongs to
 * @param {ApiRequest} request
 * @param {Record<string, unknown>} body
 * @param {() => object} act
 * @param {(original: object) => object} replay
 * @param {() => Reply | null} [refuse] checks that apply only when the request would act (not to
 *   a replay): a refusal stores nothing, so the same key may be sent again once it is fixed
 * @returns {Reply}
 */
function keyedWrite(state, scope, request, body, act, replay, refuse = () => null) {
	const key = request.idempotencyKey;
	if (key !== null && (key.trim() === '' || key.length > 255)) {
		return fail(
			400,
			'VALIDATION_ERROR',
			'Request validation failed',
			'Idempotency-Key must be 1 to 255 characters',
		);
	}
	const store = (state.idempotency[scope] ??= {});
	const canonical = canonicalJson(body);
	if (key !== null && Object.hasOwn(store, key)) {
		const original = store[key];
		if (original.body !== canonical) {
			return fail(
				409,
				'IDEMPOTENCY_CONFLICT',
				'This Idempotency-Key was already used with a different request body',
			);
		}
		return ok(200, replay(original.data));
	}
	const refused = refuse();
	if (refused) return refused;
	const data = act();
	if (key !== null) store[key] = { status: 202, data: clone(data), body: canonical };
	return ok(202, data);
}

/**
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @param {URLSearchParams} query
 * @param {ActiveFaults} faults
 * @returns {Reply}
 */
function listMessages(state, params, query, faults) {
	const found = resolveGroup(state, params);
	if ('reply' in found) return found.reply;
	const conversationId = query.get('conversationId');
	const messages = (found.group.messages ?? []).filter(
		(m) => conversationId === null || m.conversationId === conversationId,
	);
	return cursorPage(messages, (m) => m.id, query, faults);
}

const CHANNELS = ['direct_message', 'inmail'];

/**
 * Queues a reply (Message → Reply). It also appears at once in the message list as an
 * outbound message, so that a workflow that replies to new messages can be tested for loops.
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @param {URLSearchParams} _query
 * @param {ActiveFaults} _faults
 * @param {ApiRequest} request
 * @returns {Reply}
 */
function replyToMessage(state, params, _query, _faults, request) {
	const found = resolveGroup(state, params);
	if ('reply' in found) return found.reply;
	const parsed = jsonObjectBody(request.body);
	if ('reply' in parsed) return parsed.reply;
	const body = parsed.value;
	const invalid = (/** @type {number} */ status, /** @type {string} */ why) =>
		fail(status, 'VALIDATION_ERROR', 'Request validation failed', why);
	if (typeof body.prospectId !== 'string' || !ID_PATTERN.test(body.prospectId))
		return invalid(400, 'prospectId is required: 1 to 64 characters of A-Z, a-z, 0-9, "_" or "-"');
	if (typeof body.message !== 'string' || body.message.trim() === '')
		return invalid(400, 'message is required and must not be empty');
	if (body.channel !== undefined && !CHANNELS.includes(/** @type {string} */ (body.channel)))
		return invalid(400, 'channel must be direct_message or inmail');
	if (body.conversationId !== undefined && typeof body.conversationId !== 'string')
		return invalid(400, 'conversationId must be a string');
	if (body.subject !== undefined && typeof body.subject !== 'string')
		return invalid(400, 'subject must be a string');
	if (body.channel === 'inmail' && (typeof body.subject !== 'string' || body.subject.trim() === ''))
		return invalid(422, 'subject is required when channel is inmail');
	const group = found.group;
	return keyedWrite(
		state,
		`replyToMessage:${group.id}`,
		request,
		body,
		() => {
			const createdAt = creationTime(state);
			const id = newId(state);
			const conversationId =
				typeof body.conversationId === 'string' ? body.conversationId : newId(state);
			// In a conversation the history names its other participant, whoever wrote: a reply
			// queued there shows the same participantProviderId as the message it answers.
			const earlier = (group.messages ?? []).find((message) => message.conversationId === conversationId);
			(group.messages ??= []).push({
				id: newId(state),
				conversationId,
				participantProviderId: earlier?.participantProviderId ?? `sandbox-prospect-${body.prospectId}`,
				direction: 'outbound',
				text: /** @type {string} */ (body.message),
				createdAt,
				scheduledResponseId: id,
			});
			return {
				id,
				status: 'queued',
				prospectId: body.prospectId,
				channel: body.channel ?? 'direct_message',
				conversationId,
				...(typeof body.subject === 'string' ? { subject: body.subject } : {}),
				createdAt,
			};
		},
		(original) => original,
	);
}

/** @typedef {'prospectingJobs' | 'signalScans'} JobKind */

/**
 * @param {JobKind} kind
 * @returns {'jobId' | 'scanId'}
 */
function jobIdField(kind) {
	return kind === 'prospectingJobs' ? 'jobId' : 'scanId';
}

/**
 * @param {Job} job
 * @returns {string}
 */
function jobIdOf(job) {
	return /** @type {string} */ (job.jobId ?? job.scanId);
}

/**
 * What the list shows of a job or scan.
 * @param {Job} job
 * @returns {object}
 */
function jobSummary(job) {
	const idField = job.jobId !== undefined ? 'jobId' : 'scanId';
	return {
		[idField]: jobIdOf(job),
		type: job.type,
		status: job.status,
		createdAt: job.createdAt,
		updatedAt: job.updatedAt,
	};
}

/**
 * What GET …/{jobId} shows: the summary, the stages (jobs only) and the job's own error.
 * @param {Job} job
 * @returns {object}
 */
function jobDetails(job) {
	const summary = jobSummary(job);
	if (job.jobId === undefined) return { ...summary, error: job.error };
	const progress = job.status === 'completed' ? 1 : job.status === 'queued' ? 0 : 0.5;
	const stage = { status: job.status, progress };
	return { ...summary, stages: { import: stage, enrichment: { ...stage } }, error: job.error };
}

/**
 * Moves a job to a status. When it ends it frees the audience it fills; when it completes, a
 * prospecting job adds its prospects to that audience and a signal scan evaluates its prospects.
 * @param {State} state
 * @param {AccountGroupSeed} group
 * @param {Job} job
 * @param {string} status
 * @param {number} now
 */
function setJobStatus(state, group, job, status, now) {
	const wasFinal = FINAL_JOB_STATUSES.includes(job.status);
	job.status = status;
	job.updatedAt = new Date(now).toISOString();
	job.stepAt = now;
	if (status === 'failed') {
		job.error = { code: 'SANDBOX_JOB_FAILED', message: 'The sandbox failed this job on request' };
	}
	if (status === 'completed' && !wasFinal) {
		if (job.jobId !== undefined) importProspects(state, group, job, now);
		else evaluateSignals(group, job);
	}
	if (FINAL_JOB_STATUSES.includes(status) && job.jobId !== undefined && job.audienceId) {
		const audience = (group.audiences ?? []).find((a) => a.id === job.audienceId);
		if (audience) audience.filling = false;
	}
}

/**
 * One step of a job's clock: queued → running → its planned outcome (completed by default).
 * @param {State} state
 * @param {AccountGroupSeed} group
 * @param {Job} job
 * @param {number} now
 * @returns {boolean} whether it moved
 */
function stepJob(state, group, job, now) {
	if (job.status === 'queued') setJobStatus(state, group, job, 'running', now);
	else if (job.status === 'running')
		setJobStatus(state, group, job, job.outcome ?? 'completed', now);
	else return false;
	return true;
}

/**
 * A completed prospecting job adds its prospects to the audience it filled: one per LinkedIn
 * profile URL of its body (a URL already in the audience is skipped), or `count` generated ones.
 * @param {State} state
 * @param {AccountGroupSeed} group
 * @param {Job} job
 * @param {number} now
 */
function importProspects(state, group, job, now) {
	const audience = (group.audiences ?? []).find((a) => a.id === job.audienceId);
	if (!audience || !job.plan) return;
	const list = (group.prospects ??= []);
	const known = new Set(list.filter((p) => p.audienceId === audience.id).map((p) => p.linkedinUrl));
	const urls = job.plan.urls ?? [];
	const count = urls.length > 0 ? urls.length : (job.plan.count ?? 0);
	let added = 0;
	for (let i = 0; i < count; i++) {
		const id = newId(state);
		const url = urls[i];
		const slug = url ? profileSlug(url) : undefined;
		if (url && known.has(`https://www.linkedin.com/in/${slug}`)) continue;
		const names = slug ? slug.split('-').filter((part) => /^[a-z]+$/i.test(part)) : [];
		const capital = (/** @type {string} */ word) => word[0].toUpperCase() + word.slice(1);
		list.push(
			prospect({
				id,
				audienceId: audience.id,
				n: hashNumber(url ?? id) % 1000,
				createdAt: new Date(now + i).toISOString(),
				slug,
				providerId: url ? `ACoAAU${hashHex(url).slice(0, 16)}` : undefined,
				personId: url ? `person-${hashHex(url).slice(0, 8)}` : undefined,
				...(names.length >= 2 ? { firstName: capital(names[0]), lastName: capital(names[1]) } : {}),
			}),
		);
		if (url) known.add(`https://www.linkedin.com/in/${slug}`);
		added++;
	}
	audience.prospectCount += added;
	prospectsChanged(group);
}

/**
 * A completed signal scan evaluates its prospects (those it named, else its whole audience):
 * their signals become `evaluated`, with results that depend only on the prospect and the
 * signal specification (some find nothing: `results: []`).
 * @param {AccountGroupSeed} group
 * @param {Job} scan
 */
function evaluateSignals(group, scan) {
	const named = scan.plan?.prospectIds ?? [];
	const spec = scan.plan?.signalSpecificationId ?? '';
	for (const p of group.prospects ?? []) {
		const inScan = named.length > 0 ? named.includes(p.id) : p.audienceId === scan.audienceId;
		if (!inScan) continue;
		const bytes = crypto.createHash('sha256').update(`${p.id}:${spec}`).digest();
		const scores = Array.from({ length: bytes[0] % 4 }, (_, i) => bytes[i + 1] % 101);
		p.signals = { status: 'evaluated', results: signalResults(p.id, scores) };
	}
}

/**
 * @param {string} url a LinkedIn profile URL
 * @returns {string} its public identifier, lower case
 */
function profileSlug(url) {
	const match = /linkedin\.com\/in\/([^/?#\s]+)/i.exec(url);
	return (match ? (decodeSegment(match[1]) ?? match[1]) : url).toLowerCase();
}

/**
 * @param {string} text
 * @returns {string}
 */
function hashHex(text) {
	return crypto.createHash('sha256').update(text).digest('hex');
}

/**
 * @param {string} text
 * @returns {number}
 */
function hashNumber(text) {
	return parseInt(hashHex(text).slice(0, 8), 16);
}

/**
 * With the `jobStepMs` knob set, every unfinished job and scan takes one step per jobStepMs
 * since its last one (computed when a request arrives: no timers).
 * @param {State} state
 * @param {ActiveFaults} faults
 * @param {number} now
 */
function advanceJobClock(state, faults, now) {
	const stepMs = faults.jobStepMs;
	if (!stepMs) return;
	for (const group of state.accountGroups) {
		for (const job of [...(group.prospectingJobs ?? []), ...(group.signalScans ?? [])]) {
			const since = job.stepAt ?? Date.parse(job.updatedAt);
			let at = Number.isNaN(since) ? now : since;
			while (now - at >= stepMs && !FINAL_JOB_STATUSES.includes(job.status)) {
				at += stepMs;
				stepJob(state, group, job, at);
			}
		}
	}
}

/**
 * @param {JobKind} kind
 * @returns {(state: State, params: Record<string, string | null>, query: URLSearchParams, faults: ActiveFaults) => Reply}
 */
function listJobs(kind) {
	return (state, params, query, faults) => {
		const found = resolveGroup(state, params);
		if ('reply' in found) return found.reply;
		const status = query.get('status');
		const jobs = (found.group[kind] ?? []).filter((j) => status === null || j.status === status);
		return cursorPage(jobs, jobIdOf, query, faults, jobSummary);
	};
}

/**
 * The group and job of a job route, or the 404 to answer.
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @param {JobKind} kind
 * @returns {{ group: AccountGroupSeed, job: Job } | { reply: Reply }}
 */
function resolveJob(state, params, kind) {
	const found = resolveGroup(state, params);
	if ('reply' in found) return found;
	const id = params[jobIdField(kind)];
	const job = (found.group[kind] ?? []).find((j) => jobIdOf(j) === id);
	const noun = kind === 'prospectingJobs' ? 'Prospecting job' : 'Signal scan';
	return job
		? { group: found.group, job }
		: { reply: fail(404, 'NOT_FOUND', `${noun} ${id} not found`) };
}

/**
 * @param {JobKind} kind
 * @returns {(state: State, params: Record<string, string | null>) => Reply}
 */
function getJob(kind) {
	return (state, params) => {
		const found = resolveJob(state, params, kind);
		return 'reply' in found ? found.reply : ok(200, jobDetails(found.job));
	};
}

/**
 * Cancels a queued or running job; a finished one is a 422 VALIDATION_ERROR.
 * @param {JobKind} kind
 * @returns {(state: State, params: Record<string, string | null>, query: URLSearchParams, faults: ActiveFaults, request: ApiRequest) => Reply}
 */
function cancelJob(kind) {
	return (state, params, _query, _faults, request) => {
		const found = resolveJob(state, params, kind);
		if ('reply' in found) return found.reply;
		const { group, job } = found;
		if (FINAL_JOB_STATUSES.includes(job.status)) {
			const noun = kind === 'prospectingJobs' ? 'Job' : 'Scan';
			return fail(422, 'VALIDATION_ERROR', `${noun} is not in a cancellable status`, {
				currentStatus: job.status,
			});
		}
		setJobStatus(state, group, job, 'cancelled', request.now);
		return ok(200, { [jobIdField(kind)]: jobIdOf(job), status: 'cancelled' });
	};
}

/**
 * A new queued job or scan in a group.
 * @param {State} state
 * @param {AccountGroupSeed} group
 * @param {JobKind} kind
 * @param {{ now: number, audienceId?: string | null, status?: string, createdAt?: string, plan?: import('./server').JobPlan | null }} fields
 * @returns {Job}
 */
function addJob(
	state,
	group,
	kind,
	{ now, audienceId = null, status = 'queued', createdAt, plan = null },
) {
	const at = createdAt ?? creationTime(state);
	/** @type {Job} */
	const job = {
		[jobIdField(kind)]: newId(state),
		type: kind === 'prospectingJobs' ? 'prospecting' : 'signal_scan',
		status: 'queued',
		createdAt: at,
		updatedAt: at,
		error: null,
		audienceId,
		outcome: 'completed',
		stepAt: now,
		plan,
	};
	(group[kind] ??= []).push(job);
	if (status !== 'queued') setJobStatus(state, group, job, status, now);
	return job;
}

/**
 * Starts a prospecting job. Its body schema is not published: any JSON object is accepted.
 * The sandbox's own fields: `audienceId` (an existing audience it fills) or `audienceName` (a
 * new audience it creates and fills); that audience leaves the list until the job ends.
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @param {URLSearchParams} _query
 * @param {ActiveFaults} _faults
 * @param {ApiRequest} request
 * @returns {Reply}
 */
function startProspecting(state, params, _query, _faults, request) {
	const found = resolveGroup(state, params);
	if ('reply' in found) return found.reply;
	const parsed = jsonObjectBody(request.body);
	if ('reply' in parsed) return parsed.reply;
	const body = parsed.value;
	const group = found.group;
	const audiences = (group.audiences ??= []);
	/** @type {Audience | undefined} */
	let existing;
	if (body.audienceId !== undefined) {
		existing = audiences.find((a) => a.id === body.audienceId);
		if (!existing) return fail(404, 'NOT_FOUND', `Audience ${String(body.audienceId)} not found`);
	}
	const urls = profileUrls(body);
	if (urls.length > MAX_UPLOAD_URLS) {
		return fail(
			400,
			'VALIDATION_ERROR',
			'Request validation failed',
			`url_upload takes 1 to ${MAX_UPLOAD_URLS} LinkedIn profile URLs; this body has ${urls.length}`,
		);
	}
	/** @type {import('./server').JobPlan} */
	const plan = urls.length > 0 ? { urls } : { count: plannedCount(body.maxResults) };
	const cost = (plan.urls?.length ?? plan.count ?? 0) * (body.searchEmails === true ? 2 : 1);
	return keyedWrite(
		state,
		`startProspecting:${group.id}`,
		request,
		body,
		() => {
			if (typeof group.credits === 'number') group.credits -= cost;
			let audienceId = existing ? existing.id : null;
			if (audienceId === null && typeof body.audienceName === 'string') {
				audienceId = newId(state);
				audiences.push({
					id: audienceId,
					name: body.audienceName,
					type: 'linkedin_search',
					description: '',
					folderId: null,
					prospectCount: 0,
					createdAt: creationTime(state),
					filling: true,
					audienceType: 'on_demand',
				});
			}
			const target = audiences.find((a) => a.id === audienceId);
			if (target) target.filling = true;
			const job = addJob(state, group, 'prospectingJobs', {
				now: request.now,
				audienceId,
				plan,
			});
			return { jobId: job.jobId, status: job.status, createdAt: job.createdAt };
		},
		(original) => currentJobStart(group, 'prospectingJobs', original),
		() => {
			if (existing?.filling) return audienceNotReady(existing.id);
			if (typeof group.credits === 'number' && cost > group.credits) {
				return fail(
					402,
					'INSUFFICIENT_CREDITS',
					`Not enough credits: this import needs ${cost} credit${cost === 1 ? '' : 's'} and the account group has ${group.credits} left`,
					{ requiredCredits: cost, availableCredits: group.credits },
				);
			}
			return null;
		},
	);
}

/** The most profile URLs a url_upload job takes (Sonarly: 1 to 1000). */
const MAX_UPLOAD_URLS = 1000;
/** Prospects a job that names no profile URLs imports when its body has no `maxResults`. */
const DEFAULT_JOB_PROSPECTS = 10;
/** The largest `maxResults` the sandbox honours (Sonarly's highest plan cap). */
const MAX_JOB_PROSPECTS = 2000;

/**
 * Every LinkedIn profile URL (linkedin.com/in/…) anywhere in a job body, once each, whatever
 * the field is called: Sonarly does not publish the name of url_upload's URL list.
 * @param {unknown} value
 * @param {string[]} [found]
 * @returns {string[]}
 */
function profileUrls(value, found = []) {
	if (typeof value === 'string') {
		if (/^https?:\/\/([a-z0-9-]+\.)?linkedin\.com\/in\/[^/?#\s]+/i.test(value.trim())) {
			const url = value.trim();
			if (!found.includes(url)) found.push(url);
		}
	} else if (Array.isArray(value)) {
		for (const item of value) profileUrls(item, found);
	} else if (value && typeof value === 'object') {
		for (const item of Object.values(value)) profileUrls(item, found);
	}
	return found;
}

/**
 * @param {unknown} maxResults
 * @returns {number}
 */
function plannedCount(maxResults) {
	return Number.isInteger(maxResults) && /** @type {number} */ (maxResults) > 0
		? Math.min(/** @type {number} */ (maxResults), MAX_JOB_PROSPECTS)
		: DEFAULT_JOB_PROSPECTS;
}

/**
 * A replay answers the job as it is now.
 * @param {AccountGroupSeed} group
 * @param {JobKind} kind
 * @param {any} original
 * @returns {object}
 */
function currentJobStart(group, kind, original) {
	const idField = jobIdField(kind);
	const job = (group[kind] ?? []).find((j) => jobIdOf(j) === original[idField]);
	return job ? { [idField]: jobIdOf(job), status: job.status, createdAt: job.createdAt } : original;
}

/**
 * Starts a signal scan: `signalSpecificationId` and `audienceId` (an existing, ready audience)
 * are required, `prospectIds` optional.
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @param {URLSearchParams} _query
 * @param {ActiveFaults} _faults
 * @param {ApiRequest} request
 * @returns {Reply}
 */
function startScan(state, params, _query, _faults, request) {
	const found = resolveGroup(state, params);
	if ('reply' in found) return found.reply;
	const parsed = jsonObjectBody(request.body);
	if ('reply' in parsed) return parsed.reply;
	const body = parsed.value;
	const invalid = (/** @type {string} */ why) =>
		fail(400, 'VALIDATION_ERROR', 'Request validation failed', why);
	if (
		typeof body.signalSpecificationId !== 'string' ||
		!ID_PATTERN.test(body.signalSpecificationId)
	)
		return invalid('signalSpecificationId is required');
	if (typeof body.audienceId !== 'string' || !ID_PATTERN.test(body.audienceId))
		return invalid('audienceId is required');
	if (
		body.prospectIds !== undefined &&
		!(Array.isArray(body.prospectIds) && body.prospectIds.every((id) => typeof id === 'string'))
	)
		return invalid('prospectIds must be an array of strings');
	const group = found.group;
	const audience = (group.audiences ?? []).find((a) => a.id === body.audienceId);
	if (!audience) return fail(404, 'NOT_FOUND', `Audience ${body.audienceId} not found`);
	if (!(group.signalSpecifications ?? []).some((x) => x.id === body.signalSpecificationId)) {
		return fail(404, 'NOT_FOUND', `Signal specification ${body.signalSpecificationId} not found`);
	}
	if (audience.filling) return audienceNotReady(audience.id);
	const prospectIds = /** @type {string[]} */ (body.prospectIds ?? []);
	const members = new Set(
		(group.prospects ?? []).filter((p) => p.audienceId === audience.id).map((p) => p.id),
	);
	const strangers = prospectIds.filter((id) => !members.has(id));
	if (strangers.length > 0) {
		return invalid(`prospectIds not in audience ${audience.id}: ${strangers.join(', ')}`);
	}
	return keyedWrite(
		state,
		`startScan:${group.id}`,
		request,
		body,
		() => {
			const scan = addJob(state, group, 'signalScans', {
				now: request.now,
				audienceId: /** @type {string} */ (body.audienceId),
				plan: {
					prospectIds: [...new Set(prospectIds)],
					signalSpecificationId: /** @type {string} */ (body.signalSpecificationId),
				},
			});
			return { scanId: scan.scanId, status: scan.status, createdAt: scan.createdAt };
		},
		(original) => currentJobStart(group, 'signalScans', original),
	);
}

/**
 * @param {string} audienceId
 * @returns {Reply}
 */
function audienceNotReady(audienceId) {
	return fail(
		409,
		'AUDIENCE_NOT_READY',
		`Audience ${audienceId} is still being populated by an active prospecting job`,
	);
}

/**
 * What the API shows of an audience (never the sandbox's `filling` and `audienceType`).
 * @param {Audience} audience
 * @returns {object}
 */
function publicAudience({ filling: _filling, audienceType: _audienceType, ...audience }) {
	return audience;
}

/**
 * The ready audiences: one being filled by a prospecting job is left out, as Sonarly does.
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @param {URLSearchParams} query
 * @param {ActiveFaults} faults
 * @returns {Reply}
 */
function listAudiences(state, params, query, faults) {
	const found = resolveGroup(state, params);
	if ('reply' in found) return found.reply;
	const ready = (found.group.audiences ?? []).filter((a) => !a.filling);
	return cursorPage(ready, (a) => a.id, query, faults, publicAudience);
}

/**
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @returns {Reply}
 */
function getAudience(state, params) {
	const found = resolveGroup(state, params);
	if ('reply' in found) return found.reply;
	const audience = (found.group.audiences ?? []).find((a) => a.id === params.audienceId);
	if (!audience) return fail(404, 'NOT_FOUND', `Audience ${params.audienceId} not found`);
	if (audience.filling) return audienceNotReady(audience.id);
	return ok(200, clone(publicAudience(audience)));
}

// ---------------------------------------------------------------------------
// Campaign drafts and content slots, audience writes and folders, prospects, Sales Navigator
// sources, signal specifications and value propositions
// ---------------------------------------------------------------------------

/**
 * @typedef {{ type: 'string' | 'boolean' | 'ids' | 'strings' | 'array' | 'enum', required?: boolean, nonEmpty?: boolean, values?: string[] }} FieldRule
 */

/**
 * @param {string} why
 * @returns {Reply} a 400 VALIDATION_ERROR whose details say why
 */
function badRequest(why) {
	return fail(400, 'VALIDATION_ERROR', 'Request validation failed', why);
}

/**
 * Checks a JSON object body against the fields Sonarly documents for it: a field it does not
 * list, a missing required field or a value of the wrong type is a 400 naming the field.
 * @param {Record<string, unknown>} body
 * @param {Record<string, FieldRule>} rules
 * @returns {Reply | null}
 */
function checkFields(body, rules) {
	for (const name of Object.keys(body)) {
		if (!Object.hasOwn(rules, name)) {
			return badRequest(
				`${name} is not a field of this request (fields: ${Object.keys(rules).join(', ')})`,
			);
		}
	}
	for (const [name, rule] of Object.entries(rules)) {
		const value = body[name];
		if (value === undefined) {
			if (rule.required) return badRequest(`${name} is required`);
			continue;
		}
		const why = fieldProblem(name, value, rule);
		if (why) return badRequest(why);
	}
	return null;
}

/**
 * @param {string} name
 * @param {unknown} value
 * @param {FieldRule} rule
 * @returns {string | null} what is wrong with the value, if anything
 */
function fieldProblem(name, value, rule) {
	switch (rule.type) {
		case 'string':
			if (typeof value !== 'string') return `${name} must be a string`;
			if (rule.nonEmpty && value.trim() === '') return `${name} must not be empty`;
			return null;
		case 'boolean':
			return typeof value === 'boolean' ? null : `${name} must be true or false`;
		case 'enum':
			return typeof value === 'string' && (rule.values ?? []).includes(value)
				? null
				: `${name} must be one of ${(rule.values ?? []).join(', ')}`;
		case 'ids':
			return Array.isArray(value) &&
				value.every((id) => typeof id === 'string' && ID_PATTERN.test(id))
				? null
				: `${name} must be an array of ids (1 to 64 characters of A-Z, a-z, 0-9, "_" or "-")`;
		case 'strings':
			return Array.isArray(value) && value.every((item) => typeof item === 'string')
				? null
				: `${name} must be an array of strings`;
		default:
			return Array.isArray(value) ? null : `${name} must be an array`;
	}
}

/**
 * The first ids of a list, for a message ("a, b, c and 4 more").
 * @param {string[]} list
 * @returns {string}
 */
function someIds(list) {
	const shown = list.slice(0, 5).join(', ');
	return list.length > 5 ? `${shown} and ${list.length - 5} more` : shown;
}

/**
 * @param {AccountGroupSeed} group
 * @param {unknown} id
 * @returns {Audience | undefined}
 */
function findAudience(group, id) {
	return (group.audiences ?? []).find((a) => a.id === id);
}

/**
 * The group and audience of an audience route, or the 404 to answer.
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @returns {{ group: AccountGroupSeed, audience: Audience } | { reply: Reply }}
 */
function resolveAudience(state, params) {
	const found = resolveGroup(state, params);
	if ('reply' in found) return found;
	const audience = findAudience(found.group, params.audienceId);
	return audience
		? { group: found.group, audience }
		: { reply: fail(404, 'NOT_FOUND', `Audience ${params.audienceId} not found`) };
}

/**
 * The group and campaign of a campaign route, or the 404 to answer.
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @returns {{ group: AccountGroupSeed, campaign: Campaign } | { reply: Reply }}
 */
function resolveGroupCampaign(state, params) {
	const found = resolveCampaign(state, params);
	if ('reply' in found) return found;
	const group = /** @type {AccountGroupSeed} */ (
		findGroup(state, /** @type {string} */ (params.accountGroupId))
	);
	return { group, campaign: found.campaign };
}

/**
 * The ids of a list that are not prospects (leads) of an audience.
 * @param {AccountGroupSeed} group
 * @param {string} audienceId
 * @param {string[]} leadIds
 * @returns {string[]}
 */
function leadsOutside(group, audienceId, leadIds) {
	if (leadIds.length === 0) return [];
	const members = new Set(audienceProspects(group, audienceId).map((p) => p.id));
	return [...new Set(leadIds)].filter((id) => !members.has(id));
}

/**
 * Sorted (newest first) prospects of each audience, per group object; dropped on any change to
 * who is in which audience (prospectsChanged), so that paging 10,000 prospects stays cheap.
 * @type {WeakMap<AccountGroupSeed, Map<string, Prospect[]>>}
 */
const prospectLists = new WeakMap();

/** @param {AccountGroupSeed} group */
function prospectsChanged(group) {
	prospectLists.delete(group);
}

/**
 * @param {AccountGroupSeed} group
 * @param {string} audienceId
 * @returns {Prospect[]} newest first (do not change the array)
 */
function audienceProspects(group, audienceId) {
	let lists = prospectLists.get(group);
	if (!lists) prospectLists.set(group, (lists = new Map()));
	let list = lists.get(audienceId);
	if (!list) {
		list = (group.prospects ?? [])
			.filter((p) => p.audienceId === audienceId)
			.sort((a, b) => compareNewestFirst(a.createdAt, a.id, b.createdAt, b.id));
		lists.set(audienceId, list);
	}
	return list;
}

/**
 * What the API shows of a prospect: the fields of Sonarly's example plus `createdAt`.
 * @param {Prospect} p
 * @returns {object}
 */
function publicProspect({
	audienceId: _audienceId,
	providerId: _providerId,
	personId: _personId,
	title: _title,
	signals: _signals,
	...p
}) {
	return p;
}

/**
 * A new draft campaign in a group, linked to an audience.
 * @param {State} state
 * @param {AccountGroupSeed} group
 * @param {{ name: string, audienceId: string, selectedLeadCount: number, now: number, like?: Campaign }} fields
 * @returns {Campaign}
 */
function addDraftCampaign(state, group, { name, audienceId, selectedLeadCount, now, like }) {
	const at = new Date(now).toISOString();
	/** @type {Campaign} */
	const campaign = {
		id: newId(state),
		name,
		description: like?.description ?? '',
		status: 'draft',
		selectedLeadCount,
		includeConversationHistory: like?.includeConversationHistory ?? true,
		autoCancelOnMessageReceived: like?.autoCancelOnMessageReceived ?? true,
		outreachLanguage: like?.outreachLanguage ?? 'en',
		createdAt: at,
		updatedAt: at,
		startedAt: null,
		rateLimitedUntil: null,
	};
	group.campaigns.push(campaign);
	(group.campaignAudiences ??= {})[campaign.id] = audienceId;
	return campaign;
}

/**
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @returns {Reply}
 */
function listStarterTemplates(state, params) {
	const found = resolveGroup(state, params);
	if ('reply' in found) return found.reply;
	return ok(200, {
		items: state.starterTemplates.map(({ id, name, description, available }) => ({
			id,
			name,
			description,
			available,
		})),
	});
}

/**
 * Creates a draft from a starter template (Campaign → Create). The reference lists 400 and 409
 * for it, no 404 or 422: an unknown audience or a lead outside it is a 400, an unavailable
 * template a 409.
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @param {URLSearchParams} _query
 * @param {ActiveFaults} _faults
 * @param {ApiRequest} request
 * @returns {Reply}
 */
function createCampaign(state, params, _query, _faults, request) {
	const found = resolveGroup(state, params);
	if ('reply' in found) return found.reply;
	const parsed = jsonObjectBody(request.body);
	if ('reply' in parsed) return parsed.reply;
	const body = parsed.value;
	const bad = checkFields(body, {
		starterTemplateId: { type: 'string', required: true },
		name: { type: 'string', required: true, nonEmpty: true },
		audienceId: { type: 'string', required: true },
		leadIds: { type: 'ids' },
	});
	if (bad) return bad;
	const group = found.group;
	const template = state.starterTemplates.find((t) => t.id === body.starterTemplateId);
	if (!template) {
		return badRequest(
			`starterTemplateId must be one of ${state.starterTemplates.map((t) => t.id).join(', ')}`,
		);
	}
	const audience = findAudience(group, body.audienceId);
	if (!audience) {
		return badRequest(
			`audienceId ${body.audienceId} is not an audience of account group ${group.id}`,
		);
	}
	if (audience.filling) return audienceNotReady(audience.id);
	if (!template.available) {
		return fail(
			409,
			'STARTER_TEMPLATE_UNAVAILABLE',
			`Starter template ${template.id} is not available for this account group`,
			{ starterTemplateId: template.id },
		);
	}
	const leadIds = /** @type {string[] | undefined} */ (body.leadIds);
	const strangers = leadsOutside(group, audience.id, leadIds ?? []);
	if (strangers.length > 0) {
		return badRequest(`leadIds not in audience ${audience.id}: ${someIds(strangers)}`);
	}
	const campaign = addDraftCampaign(state, group, {
		name: /** @type {string} */ (body.name),
		audienceId: audience.id,
		selectedLeadCount: leadIds ? new Set(leadIds).size : audience.prospectCount,
		now: request.now,
	});
	const templates = group.contentTemplates ?? [];
	/** @type {Record<string, number>} */
	const perChannel = {};
	(group.contentSlots ??= {})[campaign.id] = template.slots.map((slot, i) => ({
		id: newId(state),
		channel: slot.channel,
		label: slot.label,
		position: i + 1,
		channelPosition: (perChannel[slot.channel] = (perChannel[slot.channel] ?? 0) + 1),
		templateId: templates.length > 0 ? templates[i % templates.length].id : null,
	}));
	return ok(201, clone(campaign));
}

/**
 * Duplicates a campaign into a draft for an audience (Campaign → Duplicate). A lead outside the
 * audience is a 400 (the reference lists no 422 here); an audience that an active campaign
 * already works on is a 409 ACTIVE_WORKFLOW_CONFLICT (the sandbox's reading of "active workflow
 * conflicts are rejected").
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @param {URLSearchParams} _query
 * @param {ActiveFaults} _faults
 * @param {ApiRequest} request
 * @returns {Reply}
 */
function duplicateCampaign(state, params, _query, _faults, request) {
	const found = resolveGroupCampaign(state, params);
	if ('reply' in found) return found.reply;
	const { group, campaign: source } = found;
	const parsed = jsonObjectBody(request.body);
	if ('reply' in parsed) return parsed.reply;
	const body = parsed.value;
	const bad = checkFields(body, {
		name: { type: 'string', nonEmpty: true },
		audienceId: { type: 'string', required: true },
		leadIds: { type: 'ids' },
	});
	if (bad) return bad;
	const audience = findAudience(group, body.audienceId);
	if (!audience) return fail(404, 'NOT_FOUND', `Audience ${body.audienceId} not found`);
	if (audience.filling) return audienceNotReady(audience.id);
	const leadIds = /** @type {string[] | undefined} */ (body.leadIds);
	const strangers = leadsOutside(group, audience.id, leadIds ?? []);
	if (strangers.length > 0) {
		return badRequest(`leadIds not in audience ${audience.id}: ${someIds(strangers)}`);
	}
	const busy = group.campaigns.find(
		(c) => c.status === 'active' && group.campaignAudiences?.[c.id] === audience.id,
	);
	if (busy) {
		return fail(
			409,
			'ACTIVE_WORKFLOW_CONFLICT',
			`Audience ${audience.id} is already worked by the active campaign ${busy.id} ("${busy.name}"); active workflow conflicts are rejected`,
			{ conflictingCampaignId: busy.id },
		);
	}
	const campaign = addDraftCampaign(state, group, {
		name: typeof body.name === 'string' ? body.name : `${source.name} (copy)`,
		audienceId: audience.id,
		selectedLeadCount: leadIds ? new Set(leadIds).size : audience.prospectCount,
		now: request.now,
		like: source,
	});
	const slots = group.contentSlots?.[source.id] ?? [];
	(group.contentSlots ??= {})[campaign.id] = slots.map((slot) => ({
		...clone(slot),
		id: newId(state),
	}));
	return ok(201, clone(campaign));
}

/**
 * Deletes a campaign that is not active; an active one is a 409 CAMPAIGN_NOT_DELETABLE (which
 * states Sonarly can delete is not documented: this is the sandbox's choice).
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @returns {Reply}
 */
function deleteCampaign(state, params) {
	const found = resolveGroupCampaign(state, params);
	if ('reply' in found) return found.reply;
	const { group, campaign } = found;
	if (campaign.status === 'active') {
		return fail(
			409,
			'CAMPAIGN_NOT_DELETABLE',
			`Campaign ${campaign.id} is not in a deletable state (status: ${campaign.status}); stop it first`,
			{ currentStatus: campaign.status },
		);
	}
	group.campaigns.splice(group.campaigns.indexOf(campaign), 1);
	if (group.contentSlots) delete group.contentSlots[campaign.id];
	if (group.campaignAudiences) delete group.campaignAudiences[campaign.id];
	delete state.instances[campaign.id];
	return ok(200, { deleted: true });
}

/**
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @returns {Reply}
 */
function listContentSlots(state, params) {
	const found = resolveGroupCampaign(state, params);
	if ('reply' in found) return found.reply;
	const slots = found.group.contentSlots?.[found.campaign.id] ?? [];
	return ok(200, { items: clone([...slots].sort((a, b) => a.position - b.position)) });
}

/**
 * Links a content slot to another template. The slot of an active campaign is a 409
 * CAMPAIGN_NOT_EDITABLE (the sandbox's choice); a template the account group does not have is a
 * 422 (no route lists templates: the seeded ones are in the README).
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @param {URLSearchParams} _query
 * @param {ActiveFaults} _faults
 * @param {ApiRequest} request
 * @returns {Reply}
 */
function updateContentSlot(state, params, _query, _faults, request) {
	const found = resolveGroupCampaign(state, params);
	if ('reply' in found) return found.reply;
	const { group, campaign } = found;
	const slot = (group.contentSlots?.[campaign.id] ?? []).find((x) => x.id === params.slotId);
	if (!slot) {
		return fail(
			404,
			'NOT_FOUND',
			`Content slot ${params.slotId} not found in campaign ${campaign.id}`,
		);
	}
	if (campaign.status === 'active') {
		return fail(
			409,
			'CAMPAIGN_NOT_EDITABLE',
			`Campaign ${campaign.id} is active: stop it before changing its content`,
			{ currentStatus: campaign.status },
		);
	}
	const parsed = jsonObjectBody(request.body);
	if ('reply' in parsed) return parsed.reply;
	const body = parsed.value;
	const bad = checkFields(body, { templateId: { type: 'string', required: true, nonEmpty: true } });
	if (bad) return bad;
	if (!(group.contentTemplates ?? []).some((t) => t.id === body.templateId)) {
		return fail(
			422,
			'VALIDATION_ERROR',
			'Request validation failed',
			`templateId ${body.templateId} is not a template of account group ${group.id}`,
		);
	}
	slot.templateId = /** @type {string} */ (body.templateId);
	return ok(200, clone(slot));
}

/**
 * Folders (by position) with their ready audiences, plus the ready audiences in no folder.
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @returns {Reply}
 */
function getAudienceNavigation(state, params) {
	const found = resolveGroup(state, params);
	if ('reply' in found) return found.reply;
	const group = found.group;
	const folders = [...(group.folders ?? [])].sort((a, b) => a.position - b.position);
	const ready = (group.audiences ?? [])
		.filter((a) => !a.filling)
		.sort((a, b) => compareNewestFirst(a.createdAt, a.id, b.createdAt, b.id));
	const inFolder = (/** @type {Audience} */ a) => folders.some((f) => f.id === a.folderId);
	return ok(200, {
		folders: folders.map((folder) => ({
			...clone(folder),
			audiences: ready.filter((a) => a.folderId === folder.id).map((a) => clone(publicAudience(a))),
		})),
		ungroupedAudiences: ready.filter((a) => !inFolder(a)).map((a) => clone(publicAudience(a))),
	});
}

const AUDIENCE_TYPES = ['on_demand', 'monitoring'];

/**
 * Creates an empty, ready audience. A name another audience of the group already has is the
 * documented "Audience cannot be created with the requested configuration" (422 here; the
 * reference does not number it).
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @param {URLSearchParams} _query
 * @param {ActiveFaults} _faults
 * @param {ApiRequest} request
 * @returns {Reply}
 */
function createAudience(state, params, _query, _faults, request) {
	const found = resolveGroup(state, params);
	if ('reply' in found) return found.reply;
	const parsed = jsonObjectBody(request.body);
	if ('reply' in parsed) return parsed.reply;
	const body = parsed.value;
	const bad = checkFields(body, {
		name: { type: 'string', required: true, nonEmpty: true },
		description: { type: 'string' },
		type: { type: 'enum', required: true, values: AUDIENCE_TYPES },
	});
	if (bad) return bad;
	const group = found.group;
	const name = /** @type {string} */ (body.name);
	if ((group.audiences ?? []).some((a) => a.name === name)) {
		return fail(
			422,
			'VALIDATION_ERROR',
			'Audience cannot be created with the requested configuration',
			`an audience named "${name}" already exists in this account group`,
		);
	}
	const type = /** @type {string} */ (body.type);
	/** @type {Audience} */
	const audience = {
		id: newId(state),
		name,
		type,
		description: typeof body.description === 'string' ? body.description : '',
		folderId: null,
		prospectCount: 0,
		createdAt: creationTime(state),
		filling: false,
		audienceType: type,
	};
	(group.audiences ??= []).push(audience);
	return ok(201, clone(publicAudience(audience)));
}

/**
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @param {URLSearchParams} _query
 * @param {ActiveFaults} _faults
 * @param {ApiRequest} request
 * @returns {Reply}
 */
function updateAudience(state, params, _query, _faults, request) {
	const found = resolveAudience(state, params);
	if ('reply' in found) return found.reply;
	const { audience } = found;
	if (audience.filling) return audienceNotReady(audience.id);
	const parsed = jsonObjectBody(request.body);
	if ('reply' in parsed) return parsed.reply;
	const body = parsed.value;
	const bad = checkFields(body, { name: { type: 'string' }, description: { type: 'string' } });
	if (bad) return bad;
	if (body.name === undefined && body.description === undefined) {
		return badRequest('at least one of name or description is required');
	}
	if (typeof body.name === 'string' && body.name.trim() === '') {
		return fail(
			422,
			'VALIDATION_ERROR',
			'Audience update failed validation',
			'name must not be empty',
		);
	}
	if (typeof body.name === 'string') audience.name = body.name;
	if (typeof body.description === 'string') audience.description = body.description;
	return ok(200, clone(publicAudience(audience)));
}

/**
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @returns {Reply}
 */
function deleteAudience(state, params) {
	const found = resolveAudience(state, params);
	if ('reply' in found) return found.reply;
	const { group, audience } = found;
	if (audience.filling) return audienceNotReady(audience.id);
	group.audiences?.splice(group.audiences.indexOf(audience), 1);
	group.prospects = (group.prospects ?? []).filter((p) => p.audienceId !== audience.id);
	prospectsChanged(group);
	return ok(200, { deleted: true });
}

/**
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @param {URLSearchParams} _query
 * @param {ActiveFaults} _faults
 * @param {ApiRequest} request
 * @returns {Reply}
 */
function createAudienceFolder(state, params, _query, _faults, request) {
	const found = resolveGroup(state, params);
	if ('reply' in found) return found.reply;
	const parsed = jsonObjectBody(request.body);
	if ('reply' in parsed) return parsed.reply;
	const body = parsed.value;
	const bad = checkFields(body, {
		name: { type: 'string', required: true, nonEmpty: true },
		audienceType: { type: 'enum', required: true, values: AUDIENCE_TYPES },
	});
	if (bad) return bad;
	const folders = (found.group.folders ??= []);
	const at = new Date(request.now).toISOString();
	/** @type {AudienceFolder} */
	const folder = {
		id: newId(state),
		name: /** @type {string} */ (body.name),
		audienceType: /** @type {string} */ (body.audienceType),
		isPinned: false,
		position: folders.reduce((max, f) => Math.max(max, f.position), 0) + 1,
		createdAt: at,
		updatedAt: at,
	};
	folders.push(folder);
	return ok(201, clone(folder));
}

/**
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @param {URLSearchParams} _query
 * @param {ActiveFaults} _faults
 * @param {ApiRequest} request
 * @returns {Reply}
 */
function renameAudienceFolder(state, params, _query, _faults, request) {
	const found = resolveGroup(state, params);
	if ('reply' in found) return found.reply;
	const folder = (found.group.folders ?? []).find((f) => f.id === params.folderId);
	if (!folder) return fail(404, 'NOT_FOUND', `Audience folder ${params.folderId} not found`);
	const parsed = jsonObjectBody(request.body);
	if ('reply' in parsed) return parsed.reply;
	const bad = checkFields(parsed.value, {
		name: { type: 'string', required: true, nonEmpty: true },
	});
	if (bad) return bad;
	folder.name = /** @type {string} */ (parsed.value.name);
	folder.updatedAt = new Date(request.now).toISOString();
	return ok(200, clone(folder));
}

/**
 * Moves an audience into a folder of the same audience type; another type is a 422.
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @param {URLSearchParams} _query
 * @param {ActiveFaults} _faults
 * @param {ApiRequest} request
 * @returns {Reply}
 */
function moveAudienceToFolder(state, params, _query, _faults, request) {
	const found = resolveAudience(state, params);
	if ('reply' in found) return found.reply;
	const { group, audience } = found;
	if (audience.filling) return audienceNotReady(audience.id);
	const parsed = jsonObjectBody(request.body);
	if ('reply' in parsed) return parsed.reply;
	const bad = checkFields(parsed.value, {
		folderId: { type: 'string', required: true, nonEmpty: true },
	});
	if (bad) return bad;
	const folder = (group.folders ?? []).find((f) => f.id === parsed.value.folderId);
	if (!folder) {
		return fail(404, 'NOT_FOUND', `Audience folder ${String(parsed.value.folderId)} not found`);
	}
	if (folder.audienceType !== audience.audienceType) {
		return fail(
			422,
			'VALIDATION_ERROR',
			'Folder move failed validation',
			`folder ${folder.id} holds ${folder.audienceType} audiences and audience ${audience.id} is ${audience.audienceType}`,
		);
	}
	audience.folderId = folder.id;
	return ok(200, clone(publicAudience(audience)));
}

/**
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @returns {Reply}
 */
function removeAudienceFromFolder(state, params) {
	const found = resolveAudience(state, params);
	if ('reply' in found) return found.reply;
	const { audience } = found;
	if (audience.filling) return audienceNotReady(audience.id);
	audience.folderId = null;
	return ok(200, clone(publicAudience(audience)));
}

/**
 * Moves leads (prospects) from the audience in the path to `targetAudienceId`.
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @param {URLSearchParams} _query
 * @param {ActiveFaults} _faults
 * @param {ApiRequest} request
 * @returns {Reply}
 */
function moveAudienceLeads(state, params, _query, _faults, request) {
	const found = resolveAudience(state, params);
	if ('reply' in found) return found.reply;
	const { group, audience: source } = found;
	const parsed = jsonObjectBody(request.body);
	if ('reply' in parsed) return parsed.reply;
	const body = parsed.value;
	const bad = checkFields(body, {
		targetAudienceId: { type: 'string', required: true, nonEmpty: true },
		leadIds: { type: 'ids', required: true },
	});
	if (bad) return bad;
	const leadIds = [...new Set(/** @type {string[]} */ (body.leadIds))];
	if (leadIds.length === 0) return badRequest('leadIds must list at least one lead');
	const target = findAudience(group, body.targetAudienceId);
	if (!target) return fail(404, 'NOT_FOUND', `Audience ${String(body.targetAudienceId)} not found`);
	const invalid = (/** @type {string} */ why) =>
		fail(422, 'VALIDATION_ERROR', 'Lead move failed validation', why);
	if (target.id === source.id)
		return invalid('targetAudienceId must differ from the source audience');
	if (source.filling || target.filling) {
		return fail(
			409,
			'AUDIENCE_NOT_READY',
			`One of the audiences (${source.filling ? source.id : target.id}) is still being populated by an active prospecting job`,
		);
	}
	const strangers = leadsOutside(group, source.id, leadIds);
	if (strangers.length > 0)
		return invalid(`leadIds not in audience ${source.id}: ${someIds(strangers)}`);
	const moving = new Set(leadIds);
	for (const p of group.prospects ?? []) {
		if (p.audienceId === source.id && moving.has(p.id)) p.audienceId = target.id;
	}
	source.prospectCount = Math.max(0, source.prospectCount - moving.size);
	target.prospectCount += moving.size;
	prospectsChanged(group);
	return ok(200, {
		sourceAudience: clone(publicAudience(source)),
		targetAudience: clone(publicAudience(target)),
		movedCount: moving.size,
	});
}

/**
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @param {URLSearchParams} query
 * @param {ActiveFaults} faults
 * @returns {Reply}
 */
function listAudienceProspects(state, params, query, faults) {
	const found = resolveAudience(state, params);
	if ('reply' in found) return found.reply;
	const { group, audience } = found;
	if (audience.filling) return audienceNotReady(audience.id);
	return cursorPage(
		audienceProspects(group, audience.id),
		(p) => p.id,
		query,
		faults,
		publicProspect,
		true,
	);
}

/**
 * Looks prospects up by provider id. Sonarly "never guesses between duplicate matches": two or
 * more give every match and `resolution: 'ambiguous'`, one gives `'matched'`, none `'none'`
 * (only `none` is documented; the other two words are the sandbox's).
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @returns {Reply}
 */
function findProspects(state, params) {
	const found = resolveGroup(state, params);
	if ('reply' in found) return found.reply;
	const providerId = /** @type {string} */ (params.providerId);
	const matches = (found.group.prospects ?? [])
		.filter((p) => p.providerId === providerId)
		.sort((a, b) => -compareNewestFirst(a.createdAt, a.id, b.createdAt, b.id));
	return ok(200, {
		providerId,
		resolution: matches.length === 0 ? 'none' : matches.length === 1 ? 'matched' : 'ambiguous',
		matches: matches.map((p) => ({
			prospectId: p.id,
			personId: p.personId,
			publicIdentifier: p.publicIdentifier,
			linkedinUrl: p.linkedinUrl,
			name: p.name,
			companyName: p.company?.name ?? null,
			title: p.title,
		})),
	});
}

/**
 * A prospect's signal results: `pending` until a scan that covers it completes, then
 * `evaluated` (even with `results: []`). `minScore` keeps items scoring at least that and
 * leaves out the groups it empties.
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @param {URLSearchParams} query
 * @returns {Reply}
 */
function getProspectSignals(state, params, query) {
	const found = resolveGroup(state, params);
	if ('reply' in found) return found.reply;
	const p = (found.group.prospects ?? []).find((x) => x.id === params.prospectId);
	if (!p) return fail(404, 'NOT_FOUND', `Prospect ${params.prospectId} not found`);
	const raw = query.get('minScore');
	if (raw !== null && !/^-?\d{1,9}$/.test(raw)) return badRequest('minScore must be an integer');
	const min = raw === null ? null : Number(raw);
	const results =
		p.signals.status === 'pending'
			? []
			: p.signals.results
					.map((group) => ({
						...group,
						items: group.items.filter((item) => min === null || item.score >= min),
					}))
					.filter((group) => group.items.length > 0);
	return ok(200, { prospectId: p.id, status: p.signals.status, results: clone(results) });
}

/**
 * @param {'savedSearches' | 'leadLists'} kind
 * @returns {(state: State, params: Record<string, string | null>) => Reply}
 */
function listSalesNavigator(kind) {
	return (state, params) => {
		const found = resolveGroup(state, params);
		if ('reply' in found) return found.reply;
		return ok(200, { items: clone(found.group.salesNavigator?.[kind] ?? []) });
	};
}

/**
 * What the API shows of a signal specification: the four fields of Sonarly's example.
 * @param {SignalSpecification} spec
 * @returns {object}
 */
function publicSpecification({ id, name, description, sources }) {
	return { id, name, description, sources };
}

/**
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @returns {{ group: AccountGroupSeed, spec: SignalSpecification } | { reply: Reply }}
 */
function resolveSpecification(state, params) {
	const found = resolveGroup(state, params);
	if ('reply' in found) return found;
	const spec = (found.group.signalSpecifications ?? []).find(
		(x) => x.id === params.specificationId,
	);
	return spec
		? { group: found.group, spec }
		: {
				reply: fail(404, 'NOT_FOUND', `Signal specification ${params.specificationId} not found`),
			};
}

/**
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @param {URLSearchParams} query
 * @param {ActiveFaults} faults
 * @returns {Reply}
 */
function listSignalSpecifications(state, params, query, faults) {
	const found = resolveGroup(state, params);
	if ('reply' in found) return found.reply;
	return cursorPage(
		found.group.signalSpecifications ?? [],
		(x) => x.id,
		query,
		faults,
		publicSpecification,
	);
}

/**
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @param {URLSearchParams} _query
 * @param {ActiveFaults} _faults
 * @param {ApiRequest} request
 * @returns {Reply}
 */
function updateSignalSpecification(state, params, _query, _faults, request) {
	const found = resolveSpecification(state, params);
	if ('reply' in found) return found.reply;
	const { group, spec } = found;
	const parsed = jsonObjectBody(request.body);
	if ('reply' in parsed) return parsed.reply;
	const body = parsed.value;
	const bad = checkFields(body, {
		name: { type: 'string', nonEmpty: true },
		description: { type: 'string' },
		useValueProposition: { type: 'boolean' },
		valuePropositionIds: { type: 'ids' },
		specifications: { type: 'array' },
	});
	if (bad) return bad;
	const known = new Set((group.valuePropositions ?? []).map((v) => v.id));
	const unknown = /** @type {string[]} */ (body.valuePropositionIds ?? []).filter(
		(id) => !known.has(id),
	);
	if (unknown.length > 0) {
		return badRequest(`valuePropositionIds not in account group ${group.id}: ${someIds(unknown)}`);
	}
	Object.assign(spec, clone(body));
	return ok(200, clone(publicSpecification(spec)));
}

/**
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @returns {Reply}
 */
function deleteSignalSpecification(state, params) {
	const found = resolveSpecification(state, params);
	if ('reply' in found) return found.reply;
	const list = /** @type {SignalSpecification[]} */ (found.group.signalSpecifications);
	list.splice(list.indexOf(found.spec), 1);
	return ok(200, { deleted: true });
}

/**
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @returns {{ group: AccountGroupSeed, proposition: ValueProposition } | { reply: Reply }}
 */
function resolveValueProposition(state, params) {
	const found = resolveGroup(state, params);
	if ('reply' in found) return found;
	const proposition = (found.group.valuePropositions ?? []).find(
		(x) => x.id === params.valuePropositionId,
	);
	return proposition
		? { group: found.group, proposition }
		: {
				reply: fail(404, 'NOT_FOUND', `Value proposition ${params.valuePropositionId} not found`),
			};
}

/**
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @param {URLSearchParams} query
 * @param {ActiveFaults} faults
 * @returns {Reply}
 */
function listValuePropositions(state, params, query, faults) {
	const found = resolveGroup(state, params);
	if ('reply' in found) return found.reply;
	return cursorPage(found.group.valuePropositions ?? [], (x) => x.id, query, faults);
}

/**
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @returns {Reply}
 */
function getValueProposition(state, params) {
	const found = resolveValueProposition(state, params);
	return 'reply' in found ? found.reply : ok(200, clone(found.proposition));
}

/**
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @param {URLSearchParams} _query
 * @param {ActiveFaults} _faults
 * @param {ApiRequest} request
 * @returns {Reply}
 */
function updateValueProposition(state, params, _query, _faults, request) {
	const found = resolveValueProposition(state, params);
	if ('reply' in found) return found.reply;
	const parsed = jsonObjectBody(request.body);
	if ('reply' in parsed) return parsed.reply;
	const bad = checkFields(parsed.value, {
		name: { type: 'string', nonEmpty: true },
		description: { type: 'string' },
		values: { type: 'strings' },
		challenges: { type: 'strings' },
	});
	if (bad) return bad;
	Object.assign(found.proposition, clone(parsed.value));
	return ok(200, clone(found.proposition));
}

/**
 * Deletes a value proposition; signal specifications stop referring to it.
 * @param {State} state
 * @param {Record<string, string | null>} params
 * @returns {Reply}
 */
function deleteValueProposition(state, params) {
	const found = resolveValueProposition(state, params);
	if ('reply' in found) return found.reply;
	const { group, proposition } = found;
	const list = /** @type {ValueProposition[]} */ (group.valuePropositions);
	list.splice(list.indexOf(proposition), 1);
	for (const spec of group.signalSpecifications ?? []) {
		spec.valuePropositionIds = spec.valuePropositionIds.filter((id) => id !== proposition.id);
	}
	return ok(200, { deleted: true });
}

/** @type {Record<string, (state: State, params: Record<string, string | null>, query: URLSearchParams, faults: ActiveFaults, request: ApiRequest) => Reply>} */
const HANDLERS = {
	listAccounts,
	listCampaigns,
	getCampaign,
	stopCampaign,
	startCampaign,
	listMessages,
	replyToMessage,
	startProspecting,
	listProspecting: listJobs('prospectingJobs'),
	getProspecting: getJob('prospectingJobs'),
	cancelProspecting: cancelJob('prospectingJobs'),
	startScan,
	listScans: listJobs('signalScans'),
	getScan: getJob('signalScans'),
	cancelScan: cancelJob('signalScans'),
	listAudiences,
	getAudience,
	listStarterTemplates,
	createCampaign,
	duplicateCampaign,
	deleteCampaign,
	listContentSlots,
	updateContentSlot,
	getAudienceNavigation,
	createAudience,
	updateAudience,
	deleteAudience,
	createAudienceFolder,
	renameAudienceFolder,
	moveAudienceToFolder,
	removeAudienceFromFolder,
	moveAudienceLeads,
	listAudienceProspects,
	findProspects,
	getProspectSignals,
	listSavedSearches: listSalesNavigator('savedSearches'),
	listLeadLists: listSalesNavigator('leadLists'),
	listSignalSpecifications,
	updateSignalSpecification,
	deleteSignalSpecification,
	listValuePropositions,
	getValueProposition,
	updateValueProposition,
	deleteValueProposition,
};

/**
 * The documented pipeline: auth (401) → route (404/405) → ids (400) → permission (403)
 * → existence (404) → state (409).
 * @param {State} state
 * @param {{ key: KeyRecord | null, method: string, pathname: string, match: RouteMatch, query: URLSearchParams, faults: ActiveFaults, request: ApiRequest }} call
 * @returns {Reply}
 */
function answerApi(state, call) {
	if (!call.key) return fail(401, 'UNAUTHORIZED', 'Invalid or missing API key');
	const { route, allowed, params } = call.match;
	if (!route && allowed.length === 0)
		return fail(404, 'NOT_FOUND', `No route ${call.method} ${call.pathname}`);
	if (!route) {
		return fail(405, 'METHOD_NOT_ALLOWED', `Method ${call.method} not allowed here`, null, {
			allow: allowed.join(', '),
		});
	}
	const invalid = validateParams(params, route.name === 'findProspects' ? 422 : 400);
	if (invalid) return invalid;
	if (route.permission && !call.key.permissions.includes(route.permission)) {
		return fail(403, 'FORBIDDEN', `API key lacks the required permission ${route.permission}`, {
			requiredPermission: route.permission,
		});
	}
	return HANDLERS[route.name](state, params, call.query, call.faults, call.request);
}

/**
 * Picks the fault that preempts a request, if any (forceStatus counts down here).
 * @param {ActiveFaults} faults
 * @param {string[]} keys the request's fault keys (faultKeysOf)
 * @returns {{ name: FaultName, reply: Reply } | null}
 */
function preemptingFault(faults, keys) {
	if (targets(faults.hang, keys)) return { name: 'hang', reply: { kind: 'hang' } };
	if (targets(faults.drop, keys)) return { name: 'drop', reply: { kind: 'drop' } };
	if (targets(faults.html502, keys))
		return { name: 'html502', reply: { kind: 'html', status: 502, body: HTML_502 } };
	if (targets(faults.emptyBody500, keys))
		return { name: 'emptyBody500', reply: { kind: 'empty', status: 500 } };
	const forced = faults.forceStatus;
	const forcedKey = forced
		? ([...keys, '*'].find((key) => Object.hasOwn(forced, key)) ?? null)
		: null;
	if (forced && forcedKey) {
		const entry = forced[forcedKey];
		if (entry.times !== null) {
			entry.times -= 1;
			if (entry.times <= 0) delete forced[forcedKey];
		}
		const mode = entry.retryAfter ?? faults.rateLimit?.retryAfter ?? 'seconds';
		return { name: 'forceStatus', reply: forcedReply(entry.status, mode) };
	}
	return null;
}

// ---------------------------------------------------------------------------
// HTTP plumbing
// ---------------------------------------------------------------------------

/**
 * @param {import('node:http').ServerResponse} res
 * @param {Reply} reply
 * @returns {number | null} the status sent
 */
function writeReply(res, reply) {
	if (reply.kind === 'json') {
		const text = JSON.stringify(reply.body);
		res.writeHead(reply.status, {
			'content-type': 'application/json',
			'content-length': Buffer.byteLength(text),
			...reply.headers,
		});
		res.end(text);
		return reply.status;
	}
	if (reply.kind === 'html') {
		res.writeHead(reply.status, {
			'content-type': 'text/html',
			'content-length': Buffer.byteLength(reply.body),
		});
		res.end(reply.body);
		return reply.status;
	}
	if (reply.kind === 'empty') {
		res.writeHead(reply.status, { 'content-length': '0' });
		res.end();
		return reply.status;
	}
	return null;
}

/**
 * Reads a small JSON request body (control routes only).
 * @param {import('node:http').IncomingMessage} req
 * @returns {Promise<unknown>}
 */
function readJsonBody(req) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		req.on('data', (chunk) => {
			size += chunk.length;
			if (size > MAX_CONTROL_BODY) reject(new TypeError('body too large'));
			else chunks.push(chunk);
		});
		req.on('error', reject);
		req.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8').trim();
			if (!text) return resolve({});
			try {
				resolve(JSON.parse(text));
			} catch {
				reject(new TypeError('body is not valid JSON'));
			}
		});
	});
}

// ---------------------------------------------------------------------------
// The sandbox instance
// ---------------------------------------------------------------------------

/**
 * Everything one sandbox instance holds.
 * @typedef {{
 *   keyIndex: Map<string, KeyRecord>,
 *   baseLatency: number,
 *   seed: Seed,
 *   onRequestDone: ((entry: RequestLogEntry) => void) | undefined,
 *   state: State,
 *   faults: ActiveFaults,
 *   requests: RequestLogEntry[],
 *   rateWindow: ReturnType<typeof createRateWindow>,
 *   sockets: Set<import('node:net').Socket>,
 *   timers: Set<NodeJS.Timeout>,
 *   closed: boolean,
 * }} Context
 */

/**
 * @param {Seed} seed
 * @returns {State}
 */
function freshState(seed) {
	return {
		accountGroups: clone(seed.accountGroups),
		instances: { ...(seed.instances ?? {}) },
		idempotency: {},
		// New ids count up from here, above every seeded id.
		nextId: 0x100000,
		lastCreatedAt: 0,
		starterTemplates: clone(seed.starterTemplates ?? []),
	};
}

// ---------------------------------------------------------------------------
// Driving the state (control routes and the Sandbox object share these)
// ---------------------------------------------------------------------------

/**
 * The group a control call names (`accountGroupId`), or the first one.
 * @param {State} state
 * @param {unknown} accountGroupId
 * @returns {AccountGroupSeed}
 */
function controlGroup(state, accountGroupId) {
	const group =
		accountGroupId === undefined || accountGroupId === null
			? state.accountGroups[0]
			: findGroup(state, String(accountGroupId));
	if (!group) throw new TypeError(`no account group ${String(accountGroupId)}`);
	return group;
}

/**
 * @param {unknown} value
 * @param {string} name
 * @returns {string | undefined}
 */
function optionalString(value, name) {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') throw new TypeError(`${name} must be a string`);
	return value;
}

/**
 * @param {unknown} value
 * @param {string} name
 * @returns {string | undefined} an ISO date, when given
 */
function optionalDate(value, name) {
	const text = optionalString(value, name);
	if (text === undefined) return undefined;
	const ms = Date.parse(text);
	if (Number.isNaN(ms)) throw new TypeError(`${name} must be a date`);
	return new Date(ms).toISOString();
}

/**
 * Adds messages to a group's history, as if they arrived now (or at `createdAt`, e.g. an
 * older message synced late). `count` adds that many numbered inbound messages.
 * @param {State} state
 * @param {import('./server').AddMessagesInput} input
 * @returns {Message[]}
 */
function addMessages(state, input) {
	const group = controlGroup(state, input.accountGroupId);
	const specs = input.messages ?? [];
	if (!Array.isArray(specs)) throw new TypeError('messages must be an array');
	const count = input.count ?? 0;
	if (!Number.isInteger(count) || count < 0 || count > 100_000)
		throw new TypeError('count must be a whole number from 0 to 100000');
	const all = [...specs, ...Array.from({ length: count }, () => ({}))];
	const added = [];
	for (const item of all) {
		if (!item || typeof item !== 'object') throw new TypeError('each message must be an object');
		const spec = /** @type {Record<string, unknown>} */ (item);
		const direction = optionalString(spec.direction, 'direction') ?? 'inbound';
		const id = newId(state);
		/** @type {Message} */
		const message = {
			id,
			conversationId: optionalString(spec.conversationId, 'conversationId') ?? newId(state),
			participantProviderId:
				optionalString(spec.participantProviderId, 'participantProviderId') ??
				'ACoAAB1a2b3c4d5e6f7g8h9',
			direction,
			text: optionalString(spec.text, 'text') ?? `Sandbox message ${id.slice(-6)}`,
			// Each one newer than the one before (creationTime), unless createdAt is given.
			createdAt: optionalDate(spec.createdAt, 'createdAt') ?? creationTime(state),
		};
		(group.messages ??= []).push(message);
		added.push(message);
	}
	return clone(added);
}

/**
 * @param {State} state
 * @param {{ accountGroupId?: string, campaignId: string, status: string }} input
 * @returns {Campaign}
 */
function setCampaignStatus(state, input) {
	const group = controlGroup(state, input.accountGroupId);
	const campaign = group.campaigns.find((c) => c.id === input.campaignId);
	if (!campaign) throw new TypeError(`no campaign ${String(input.campaignId)} in ${group.id}`);
	if (typeof input.status !== 'string' || input.status === '')
		throw new TypeError('status must be a non-empty string');
	campaign.status = input.status;
	campaign.updatedAt = new Date().toISOString();
	return clone(campaign);
}

/** The most prospects one control call may add to an audience. */
const MAX_CONTROL_PROSPECTS = 100_000;

/**
 * Adds an audience: ready (listed) by default, or being filled (`ready: false`), with
 * `prospectCount` generated prospects (one millisecond apart, for paging benchmarks).
 * @param {State} state
 * @param {import('./server').AddAudienceInput} input
 * @returns {Audience}
 */
function addAudience(state, input) {
	const group = controlGroup(state, input.accountGroupId);
	const count = input.prospectCount ?? 0;
	if (!Number.isInteger(count) || count < 0 || count > MAX_CONTROL_PROSPECTS)
		throw new TypeError(`prospectCount must be a whole number from 0 to ${MAX_CONTROL_PROSPECTS}`);
	const audienceType = optionalString(input.audienceType, 'audienceType') ?? 'on_demand';
	if (!AUDIENCE_TYPES.includes(audienceType))
		throw new TypeError('audienceType must be on_demand or monitoring');
	const id = newId(state);
	const createdAt = optionalDate(input.createdAt, 'createdAt') ?? creationTime(state);
	/** @type {Audience} */
	const audience = {
		id,
		name: optionalString(input.name, 'name') ?? `Sandbox audience ${id.slice(-6)}`,
		type: 'linkedin_search',
		description: '',
		folderId: null,
		prospectCount: count,
		createdAt,
		filling: input.ready === false,
		audienceType,
	};
	(group.audiences ??= []).push(audience);
	const list = (group.prospects ??= []);
	const since = Date.parse(createdAt);
	for (let i = 0; i < count; i++) {
		list.push(
			prospect({
				id: newId(state),
				audienceId: id,
				n: i,
				createdAt: new Date(since + i).toISOString(),
			}),
		);
	}
	if (count > 0) prospectsChanged(group);
	return clone(audience);
}

/**
 * Sets the credits of an account group (`null`: unlimited, the default). A prospecting job
 * that needs more than are left is a 402 INSUFFICIENT_CREDITS; one that starts uses them.
 * @param {State} state
 * @param {{ accountGroupId?: string, credits: number | null }} input
 * @returns {{ accountGroupId: string, credits: number | null }}
 */
function setCredits(state, input) {
	const group = controlGroup(state, input.accountGroupId);
	const { credits } = input;
	if (credits !== null && (!Number.isInteger(credits) || credits < 0))
		throw new TypeError('credits must be a whole number from 0, or null for unlimited');
	if (credits === null) delete group.credits;
	else group.credits = credits;
	return { accountGroupId: group.id, credits };
}

/**
 * Marks an audience ready: it appears in the list from now on.
 * @param {State} state
 * @param {{ accountGroupId?: string, audienceId: string }} input
 * @returns {Audience}
 */
function setAudienceReady(state, input) {
	const group = controlGroup(state, input.accountGroupId);
	const audience = (group.audiences ?? []).find((a) => a.id === input.audienceId);
	if (!audience) throw new TypeError(`no audience ${String(input.audienceId)} in ${group.id}`);
	audience.filling = false;
	return clone(audience);
}

/**
 * @param {unknown} kind
 * @returns {JobKind}
 */
function jobKind(kind) {
	if (kind === undefined || kind === null || kind === 'prospecting') return 'prospectingJobs';
	if (kind === 'signalScan') return 'signalScans';
	throw new TypeError('kind must be "prospecting" or "signalScan"');
}

/**
 * @param {unknown} status
 * @returns {string | undefined}
 */
function jobStatus(status) {
	if (status === undefined || status === null) return undefined;
	if (!['queued', 'running', ...FINAL_JOB_STATUSES].includes(/** @type {string} */ (status)))
		throw new TypeError('status must be queued, running, completed, failed or cancelled');
	return /** @type {string} */ (status);
}

/**
 * Adds a prospecting job or signal scan directly (not through the API), in any status.
 * @param {State} state
 * @param {import('./server').AddJobInput} input
 * @returns {Job}
 */
function addJobControl(state, input) {
	const group = controlGroup(state, input.accountGroupId);
	const kind = jobKind(input.kind);
	const prospectCount = input.prospectCount ?? 0;
	if (!Number.isInteger(prospectCount) || prospectCount < 0 || prospectCount > MAX_JOB_PROSPECTS)
		throw new TypeError(`prospectCount must be a whole number from 0 to ${MAX_JOB_PROSPECTS}`);
	const job = addJob(state, group, kind, {
		now: Date.now(),
		audienceId: optionalString(input.audienceId, 'audienceId') ?? null,
		status: jobStatus(input.status) ?? 'queued',
		createdAt: optionalDate(input.createdAt, 'createdAt'),
		plan: kind === 'prospectingJobs' ? { count: prospectCount } : null,
	});
	if (input.outcome !== undefined) job.outcome = /** @type {string} */ (jobStatus(input.outcome));
	return clone(job);
}

/**
 * Moves jobs or scans on: one step each (queued → running → their outcome), or straight to
 * `to`. `id` picks one; `kind` picks jobs or scans (both when neither is given).
 * @param {State} state
 * @param {import('./server').AdvanceJobsInput} input
 * @returns {Job[]} the jobs that moved, as they are now
 */
function advanceJobs(state, input = {}) {
	const group = controlGroup(state, input.accountGroupId);
	const to = jobStatus(input.to);
	/** @type {JobKind[]} */
	const kinds =
		input.kind === undefined ? ['prospectingJobs', 'signalScans'] : [jobKind(input.kind)];
	const now = Date.now();
	const moved = [];
	for (const kind of kinds) {
		for (const job of group[kind] ?? []) {
			if (input.id !== undefined && jobIdOf(job) !== input.id) continue;
			if (to !== undefined) {
				if (job.status === to) continue;
				setJobStatus(state, group, job, to, now);
				moved.push(job);
			} else if (stepJob(state, group, job, now)) {
				moved.push(job);
			}
		}
	}
	if (input.id !== undefined && moved.length === 0) {
		const exists = kinds.some((kind) => (group[kind] ?? []).some((j) => jobIdOf(j) === input.id));
		if (!exists) throw new TypeError(`no job or scan ${String(input.id)} in ${group.id}`);
	}
	return clone(moved);
}

/**
 * A delay that close() can cancel (the request is then abandoned).
 * @param {Context} ctx
 * @param {number} ms
 * @returns {Promise<void>}
 */
function wait(ctx, ms) {
	return new Promise((resolve) => {
		if (ms <= 0) return resolve();
		const timer = setTimeout(() => {
			ctx.timers.delete(timer);
			resolve();
		}, ms);
		ctx.timers.add(timer);
	});
}

/**
 * @param {Context} ctx
 * @param {RequestLogEntry} entry
 * @param {number | null} status the HTTP status sent, null when nothing was sent
 */
function finishEntry(ctx, entry, status) {
	entry.status = status;
	entry.durationMs = Date.now() - entry.at;
	if (ctx.onRequestDone) ctx.onRequestDone(entry);
}

/**
 * The log entry of an API request (never the raw key: only its label).
 * @param {import('node:http').IncomingMessage} req
 * @param {RouteMatch} match
 * @param {KeyRecord | null} key
 * @returns {RequestLogEntry}
 */
function newLogEntry(req, match, key) {
	return {
		method: req.method ?? 'GET',
		path: req.url ?? '/',
		authorized: req.headers.authorization !== undefined,
		key: key ? key.label : null,
		status: null,
		at: Date.now(),
		durationMs: null,
		route: match.route ? match.route.name : null,
		accountGroupId: match.params.accountGroupId ?? null,
		campaignId: match.params.campaignId ?? null,
		resourceId:
			match.params.jobId ??
			match.params.scanId ??
			match.params.audienceId ??
			match.params.folderId ??
			match.params.slotId ??
			match.params.prospectId ??
			match.params.providerId ??
			match.params.specificationId ??
			match.params.valuePropositionId ??
			null,
		fault: null,
	};
}

/**
 * The body of an API request as text ('' when there is none), or null when it is larger than
 * MAX_API_BODY (the rest is drained, not kept). Never rejects.
 * @param {import('node:http').IncomingMessage} req
 * @returns {Promise<string | null>}
 */
function readApiBody(req) {
	return new Promise((resolve) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		req.on('data', (chunk) => {
			size += chunk.length;
			if (size <= MAX_API_BODY) chunks.push(chunk);
		});
		req.on('error', () => resolve(''));
		req.on('end', () =>
			resolve(size > MAX_API_BODY ? null : Buffer.concat(chunks).toString('utf8')),
		);
	});
}

/**
 * @param {string | string[] | undefined} value
 * @returns {string | null}
 */
function headerText(value) {
	const text = Array.isArray(value) ? value[0] : value;
	return text === undefined ? null : text;
}

/**
 * Answers one API request: log, rate limit, latency, faults, then the pipeline.
 * @param {Context} ctx
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @returns {Promise<void>}
 */
async function handleApiRequest(ctx, req, res) {
	const bodyRead = readApiBody(req);
	const method = req.method ?? 'GET';
	const { pathname, search } = splitTarget(req.url ?? '/');
	const match = matchRoute(method, pathname);
	const key = authenticate(req.headers.authorization, ctx.keyIndex);
	const entry = newLogEntry(req, match, key);
	ctx.requests.push(entry);

	const limit = ctx.faults.rateLimit;
	const waitMs = limit ? ctx.rateWindow.take(limit.perSecond, entry.at) : null;
	const [body] = await Promise.all([bodyRead, wait(ctx, ctx.faults.latencyMs ?? ctx.baseLatency)]);
	if (ctx.closed) return;
	const keys = faultKeysOf(entry);

	if (limit && waitMs !== null) {
		entry.fault = 'rateLimit';
		const headers = retryAfterHeader(limit.retryAfter, waitMs, Date.now());
		return finishEntry(
			ctx,
			entry,
			writeReply(res, fail(429, 'RATE_LIMITED', 'Rate limit exceeded', null, headers)),
		);
	}
	const preempt = preemptingFault(ctx.faults, keys);
	if (preempt) {
		entry.fault = preempt.name;
		if (preempt.reply.kind === 'hang') return;
		if (preempt.reply.kind === 'drop') {
			req.socket.destroy();
			return finishEntry(ctx, entry, null);
		}
		return finishEntry(ctx, entry, writeReply(res, preempt.reply));
	}
	const query = new URLSearchParams(search);
	const now = Date.now();
	advanceJobClock(ctx.state, ctx.faults, now);
	const reply =
		body === null
			? fail(413, 'PAYLOAD_TOO_LARGE', `Request body larger than ${MAX_API_BODY} bytes`)
			: answerApi(ctx.state, {
					key,
					method,
					pathname,
					match,
					query,
					faults: ctx.faults,
					request: { body, idempotencyKey: headerText(req.headers['idempotency-key']), now },
				});
	if (targets(ctx.faults.dropAfterAct, keys)) {
		entry.fault = 'dropAfterAct';
		req.socket.destroy();
		return finishEntry(ctx, entry, null);
	}
	finishEntry(ctx, entry, writeReply(res, reply));
}

/**
 * @param {Context} ctx
 * @param {unknown} patch
 */
function setFaults(ctx, patch) {
	ctx.faults = mergeFaults(ctx.faults, patch);
	if (patch && typeof patch === 'object' && 'rateLimit' in patch) ctx.rateWindow.reset();
}

/** @param {Context} ctx */
function clearFaults(ctx) {
	ctx.faults = {};
	ctx.rateWindow.reset();
}

/** @param {Context} ctx */
function resetSandbox(ctx) {
	ctx.state = freshState(ctx.seed);
	ctx.requests.length = 0;
	clearFaults(ctx);
}

/**
 * @param {Context} ctx
 * @returns {import('./server').SandboxState}
 */
function snapshot(ctx) {
	advanceJobClock(ctx.state, ctx.faults, Date.now());
	return { accountGroups: clone(ctx.state.accountGroups), faults: clone(ctx.faults) };
}

/**
 * Control routes: no auth, no faults, not logged.
 * @type {Record<string, Record<string, (ctx: Context, req: import('node:http').IncomingMessage) => Reply | Promise<Reply>>>}
 */
const CONTROL_ROUTES = {
	'/__sandbox/requests': {
		GET: (ctx) => ok(200, { items: clone(ctx.requests) }),
		DELETE: (ctx) => {
			const cleared = ctx.requests.length;
			ctx.requests.length = 0;
			return ok(200, { cleared });
		},
	},
	'/__sandbox/state': { GET: (ctx) => ok(200, snapshot(ctx)) },
	'/__sandbox/faults': {
		GET: (ctx) => ok(200, { faults: clone(ctx.faults) }),
		POST: async (ctx, req) => {
			try {
				setFaults(ctx, await readJsonBody(req));
			} catch (error) {
				return fail(
					400,
					'VALIDATION_ERROR',
					'Invalid faults',
					/** @type {Error} */ (error).message,
				);
			}
			return ok(200, { faults: clone(ctx.faults) });
		},
		DELETE: (ctx) => {
			clearFaults(ctx);
			return ok(200, { faults: {} });
		},
	},
	'/__sandbox/reset': {
		POST: (ctx) => {
			resetSandbox(ctx);
			return ok(200, { reset: true });
		},
	},
	'/__sandbox/messages': {
		POST: controlAction((ctx, body) => ({ items: addMessages(ctx.state, body) })),
	},
	'/__sandbox/campaign-status': {
		POST: controlAction((ctx, body) => setCampaignStatus(ctx.state, body)),
	},
	'/__sandbox/audiences': {
		POST: controlAction((ctx, body) => addAudience(ctx.state, body)),
	},
	'/__sandbox/audiences/ready': {
		POST: controlAction((ctx, body) => setAudienceReady(ctx.state, body)),
	},
	'/__sandbox/credits': {
		POST: controlAction((ctx, body) => setCredits(ctx.state, body)),
	},
	'/__sandbox/jobs': {
		POST: controlAction((ctx, body) => {
			advanceJobClock(ctx.state, ctx.faults, Date.now());
			return addJobControl(ctx.state, body);
		}),
	},
	'/__sandbox/jobs/advance': {
		POST: controlAction((ctx, body) => {
			advanceJobClock(ctx.state, ctx.faults, Date.now());
			return { items: advanceJobs(ctx.state, body) };
		}),
	},
};

/**
 * A control route that reads a JSON object body and changes the state; a bad body or a
 * TypeError from the action is a 400.
 * @param {(ctx: Context, body: any) => object} action
 * @returns {(ctx: Context, req: import('node:http').IncomingMessage) => Promise<Reply>}
 */
function controlAction(action) {
	return async (ctx, req) => {
		try {
			const body = await readJsonBody(req);
			if (!body || typeof body !== 'object' || Array.isArray(body))
				throw new TypeError('body must be a JSON object');
			return ok(200, action(ctx, body));
		} catch (error) {
			return fail(
				400,
				'VALIDATION_ERROR',
				'Invalid control request',
				/** @type {Error} */ (error).message,
			);
		}
	};
}

/**
 * @param {Context} ctx
 * @param {import('node:http').IncomingMessage} req
 * @param {string} pathname
 * @returns {Promise<Reply>}
 */
async function answerControl(ctx, req, pathname) {
	const method = req.method ?? 'GET';
	const route = CONTROL_ROUTES[pathname.replace(/\/+$/, '')];
	if (!route) {
		req.resume();
		return fail(404, 'NOT_FOUND', `No sandbox control route ${pathname}`);
	}
	const handler = route[method];
	if (!handler) {
		req.resume();
		return fail(405, 'METHOD_NOT_ALLOWED', `Method ${method} not allowed here`, null, {
			allow: Object.keys(route).join(', '),
		});
	}
	if (method !== 'POST') req.resume();
	return handler(ctx, req);
}

/**
 * The server's request listener.
 * @param {Context} ctx
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
function onRequest(ctx, req, res) {
	if (!isLoopbackHostHeader(req.headers.host)) {
		req.resume();
		writeReply(
			res,
			fail(421, 'MISDIRECTED_REQUEST', 'The sandbox only answers loopback host names'),
		);
		return;
	}
	const { pathname } = splitTarget(req.url ?? '/');
	if (pathname === CONTROL_PREFIX || pathname.startsWith(CONTROL_PREFIX + '/')) {
		answerControl(ctx, req, pathname).then(
			(reply) => writeReply(res, reply),
			() => writeReply(res, fail(500, 'INTERNAL_ERROR', 'Sandbox control route failed')),
		);
		return;
	}
	handleApiRequest(ctx, req, res).catch(() => {
		if (!res.headersSent) writeReply(res, fail(500, 'INTERNAL_ERROR', 'Internal server error'));
	});
}

/**
 * @param {import('node:http').Server} server
 * @param {number} port
 * @param {string} host
 * @returns {Promise<import('node:net').AddressInfo>}
 */
function listen(server, port, host) {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve(/** @type {import('node:net').AddressInfo} */ (server.address()));
		});
	});
}

/**
 * Closes the server and destroys every socket, hung ones included.
 * @param {Context} ctx
 * @param {import('node:http').Server} server
 * @returns {Promise<void>}
 */
function closeServer(ctx, server) {
	ctx.closed = true;
	for (const timer of ctx.timers) clearTimeout(timer);
	ctx.timers.clear();
	const closed = new Promise((resolve) => server.close(() => resolve(undefined)));
	server.closeAllConnections();
	for (const socket of ctx.sockets) socket.destroy();
	return /** @type {Promise<void>} */ (closed);
}

/**
 * Validates the start options into a fresh context.
 * @param {SandboxOptions} options
 * @returns {Context}
 */
function createContext(options) {
	const seed = clone(options.seed ?? SEED);
	if (!seed || !Array.isArray(seed.accountGroups))
		throw new TypeError('sandbox: seed.accountGroups must be an array');
	return {
		keyIndex: indexKeys(options.keys ?? DEFAULT_KEYS),
		baseLatency: nonNegativeInteger('latencyMs', options.latencyMs ?? 0),
		seed,
		onRequestDone: options.onRequestDone,
		state: freshState(seed),
		faults: mergeFaults({}, options.faults ?? {}),
		requests: [],
		rateWindow: createRateWindow(),
		sockets: new Set(),
		timers: new Set(),
		closed: false,
	};
}

/**
 * Starts a sandbox on a loopback address. Resolves once it listens.
 * @param {SandboxOptions} [options]
 * @returns {Promise<Sandbox>}
 */
async function startSandbox(options = {}) {
	const host = options.host ?? '127.0.0.1';
	if (typeof host !== 'string' || !isLoopbackName(host)) {
		throw new Error(
			`sandbox: refusing to listen on "${host}": loopback addresses only (127.0.0.1, ::1, localhost)`,
		);
	}
	const listenHost =
		host.toLowerCase() === 'localhost' ? '127.0.0.1' : host.replace(/^\[(.*)\]$/, '$1');
	const ctx = createContext(options);
	const server = http.createServer((req, res) => onRequest(ctx, req, res));
	server.on('connection', (socket) => {
		ctx.sockets.add(socket);
		socket.on('close', () => ctx.sockets.delete(socket));
	});
	server.on('clientError', (_error, socket) => socket.destroy());
	const address = await listen(server, options.port ?? 0, listenHost);
	const urlHost = address.address.includes(':') ? `[${address.address}]` : address.address;
	/** @type {Promise<void> | null} */
	let closing = null;

	return {
		url: `http://${urlHost}:${address.port}`,
		port: address.port,
		requests: ctx.requests,
		stopRequests: (campaignId) =>
			ctx.requests.filter(
				(e) =>
					e.route === 'stopCampaign' && (campaignId === undefined || e.campaignId === campaignId),
			),
		setFaults: (patch) => setFaults(ctx, patch),
		clearFaults: () => clearFaults(ctx),
		reset: () => resetSandbox(ctx),
		campaign: (accountGroupId, campaignId) => {
			const found = findGroup(ctx.state, accountGroupId)?.campaigns.find(
				(c) => c.id === campaignId,
			);
			return found ? clone(found) : null;
		},
		addMessages: (input) => addMessages(ctx.state, input),
		setCampaignStatus: (input) => setCampaignStatus(ctx.state, input),
		addAudience: (input) => addAudience(ctx.state, input),
		setAudienceReady: (input) => setAudienceReady(ctx.state, input),
		setCredits: (input) => setCredits(ctx.state, input),
		addJob: (input) => {
			advanceJobClock(ctx.state, ctx.faults, Date.now());
			return addJobControl(ctx.state, input);
		},
		advanceJobs: (input) => {
			advanceJobClock(ctx.state, ctx.faults, Date.now());
			return advanceJobs(ctx.state, input);
		},
		state: () => snapshot(ctx),
		close: () => (closing ??= closeServer(ctx, server)),
	};
}

// ---------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------

const USAGE = `Usage: node sandbox/server.js [--host 127.0.0.1] [--port 8787] [--latency 0]
       [--rate-limit N] [--retry-after seconds|date|none] [--job-step ms] [--verbose]`;

/**
 * @param {string[]} argv
 * @returns {{ help: boolean, verbose: boolean, options: SandboxOptions }}
 */
function parseCliArgs(argv) {
	const { values } = parseArgs({
		args: argv,
		options: {
			host: { type: 'string', default: '127.0.0.1' },
			port: { type: 'string', default: '8787' },
			latency: { type: 'string', default: '0' },
			'rate-limit': { type: 'string' },
			'job-step': { type: 'string' },
			'retry-after': { type: 'string', default: 'seconds' },
			verbose: { type: 'boolean', default: false },
			help: { type: 'boolean', short: 'h', default: false },
		},
	});
	const int = (/** @type {string} */ name, /** @type {string} */ text) => {
		if (!/^\d+$/.test(text)) throw new TypeError(`--${name} must be a non-negative integer`);
		return Number(text);
	};
	/** @type {Faults} */
	const faults = {};
	if (values['job-step'] !== undefined) faults.jobStepMs = int('job-step', values['job-step']);
	if (values['rate-limit'] !== undefined) {
		faults.rateLimit = normalizeRateLimit({
			perSecond: int('rate-limit', values['rate-limit']),
			retryAfter: values['retry-after'],
		});
	}
	return {
		help: Boolean(values.help),
		verbose: Boolean(values.verbose),
		options: {
			host: values.host,
			port: int('port', String(values.port)),
			latencyMs: int('latency', String(values.latency)),
			faults,
		},
	};
}

/**
 * @param {Sandbox} sb
 * @returns {string[]}
 */
function describeSeed(sb) {
	const lines = [`Sonarly sandbox listening on ${sb.url}`, 'API keys (test fixtures):'];
	for (const [key, { permissions }] of Object.entries(DEFAULT_KEYS)) {
		lines.push(`  ${key}  [${permissions.join(', ') || 'no permissions'}]`);
	}
	lines.push('Account groups and campaigns:');
	for (const group of sb.state().accountGroups) {
		lines.push(`  ${group.id}  ${group.name}`);
		for (const c of group.campaigns) {
			lines.push(
				`    ${c.id}  ${c.status.padEnd(9)} ${String(c.selectedLeadCount).padStart(4)} leads  ${c.name}`,
			);
		}
	}
	lines.push(
		'Control: GET|DELETE /__sandbox/requests, GET /__sandbox/state, GET|POST|DELETE /__sandbox/faults, POST /__sandbox/reset',
		'         POST /__sandbox/messages, /campaign-status, /audiences, /audiences/ready, /credits, /jobs, /jobs/advance',
	);
	return lines;
}

/**
 * @param {string[]} argv
 * @returns {Promise<void>}
 */
async function main(argv) {
	let parsed;
	try {
		parsed = parseCliArgs(argv);
	} catch (error) {
		process.stderr.write(`${/** @type {Error} */ (error).message}\n${USAGE}\n`);
		process.exitCode = 2;
		return;
	}
	if (parsed.help) {
		process.stdout.write(`${USAGE}\n`);
		return;
	}
	if (parsed.verbose) {
		parsed.options.onRequestDone = (e) => {
			const who = e.key ?? (e.authorized ? 'bad-key' : 'no-key');
			const fault = e.fault ? ` fault=${e.fault}` : '';
			process.stdout.write(
				`${e.method} ${e.path} -> ${e.status ?? 'no answer'} key=${who} ${e.durationMs}ms${fault}\n`,
			);
		};
	}
	const sb = await startSandbox(parsed.options);
	process.stdout.write(describeSeed(sb).join('\n') + '\n');
	const stop = () => {
		sb.close().then(() => process.exit(0));
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

module.exports = { startSandbox, DEFAULT_KEYS, SEED };

if (require.main === module) {
	main(process.argv.slice(2)).catch((error) => {
		process.stderr.write(`sandbox: ${error.message}\n`);
		process.exit(1);
	});
}
