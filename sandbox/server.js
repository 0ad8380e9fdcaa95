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
const { SEED, deepFreeze } = require('./seed');

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
 * }} ActiveFaults the validated faults in force
 * @typedef {{ accountGroups: AccountGroupSeed[], instances: Record<string, number> }} State
 * @typedef {{ label: string, permissions: string[] }} KeyRecord
 * @typedef {{ name: RouteName, method: string, segments: string[], permission: string | null }} Route
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
		permissions: ['campaigns:read', 'campaigns:execute'],
	},
	sk_test_read_only: { label: 'read_only', permissions: ['campaigns:read'] },
	sk_test_no_permissions: { label: 'no_permissions', permissions: [] },
});

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const CONTROL_PREFIX = '/__sandbox';
const HTML_502 = '<html><body><h1>502 Bad Gateway</h1></body></html>';
const MAX_CONTROL_BODY = 64 * 1024;

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
];

/** Error code the sandbox uses for each status it answers (forced or real). */
const STATUS_CODES = {
	400: ['VALIDATION_ERROR', 'Request validation failed'],
	401: ['UNAUTHORIZED', 'Invalid or missing API key'],
	403: ['FORBIDDEN', 'Missing required permission'],
	404: ['NOT_FOUND', 'Resource not found'],
	405: ['METHOD_NOT_ALLOWED', 'Method not allowed'],
	409: ['CONFLICT', 'Resource is in a state that prevents this operation'],
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
	for (const route of ROUTES) {
		const params = matchSegments(route.segments, segments);
		if (!params) continue;
		result.allowed.push(route.method);
		if (route.method === method) {
			result.route = route;
			result.params = params;
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
 * @returns {Reply | null} a 400 when a path id is malformed
 */
function validateParams(params) {
	for (const [name, value] of Object.entries(params)) {
		if (value === null || !ID_PATTERN.test(value)) {
			return fail(
				400,
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
		`sandbox fault ${name} must be true, a campaign id or an array of campaign ids`,
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
			'sandbox fault forceStatus must be an object keyed by campaign id (or "*")',
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
			name === 'campaignsPageSize'
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
 * @param {FaultTarget | undefined} target
 * @param {string | null} campaignId
 * @returns {boolean}
 */
function targets(target, campaignId) {
	if (target === true) return true;
	if (!campaignId || target === undefined) return false;
	return Array.isArray(target) ? target.includes(campaignId) : target === campaignId;
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

/** @type {Record<string, (state: State, params: Record<string, string | null>, query: URLSearchParams, faults: ActiveFaults) => Reply>} */
const HANDLERS = { listAccounts, listCampaigns, getCampaign, stopCampaign, startCampaign };

/**
 * The documented pipeline: auth (401) → route (404/405) → ids (400) → permission (403)
 * → existence (404) → state (409).
 * @param {State} state
 * @param {{ key: KeyRecord | null, method: string, pathname: string, match: RouteMatch, query: URLSearchParams, faults: ActiveFaults }} call
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
	const invalid = validateParams(params);
	if (invalid) return invalid;
	if (route.permission && !call.key.permissions.includes(route.permission)) {
		return fail(403, 'FORBIDDEN', `API key lacks the required permission ${route.permission}`, {
			requiredPermission: route.permission,
		});
	}
	return HANDLERS[route.name](state, params, call.query, call.faults);
}

/**
 * Picks the fault that preempts a request, if any (forceStatus counts down here).
 * @param {ActiveFaults} faults
 * @param {string | null} campaignId
 * @returns {{ name: FaultName, reply: Reply } | null}
 */
function preemptingFault(faults, campaignId) {
	if (targets(faults.hang, campaignId)) return { name: 'hang', reply: { kind: 'hang' } };
	if (targets(faults.drop, campaignId)) return { name: 'drop', reply: { kind: 'drop' } };
	if (targets(faults.html502, campaignId))
		return { name: 'html502', reply: { kind: 'html', status: 502, body: HTML_502 } };
	if (targets(faults.emptyBody500, campaignId))
		return { name: 'emptyBody500', reply: { kind: 'empty', status: 500 } };
	const forced = faults.forceStatus;
	const has = (/** @type {string | null} */ key) =>
		Boolean(forced && key !== null && Object.hasOwn(forced, key));
	const forcedKey = has(campaignId) ? campaignId : has('*') ? '*' : null;
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
	return { accountGroups: clone(seed.accountGroups), instances: { ...(seed.instances ?? {}) } };
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
		fault: null,
	};
}

/**
 * Answers one API request: log, rate limit, latency, faults, then the pipeline.
 * @param {Context} ctx
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @returns {Promise<void>}
 */
async function handleApiRequest(ctx, req, res) {
	req.resume();
	const method = req.method ?? 'GET';
	const { pathname, search } = splitTarget(req.url ?? '/');
	const match = matchRoute(method, pathname);
	const key = authenticate(req.headers.authorization, ctx.keyIndex);
	const entry = newLogEntry(req, match, key);
	ctx.requests.push(entry);

	const limit = ctx.faults.rateLimit;
	const waitMs = limit ? ctx.rateWindow.take(limit.perSecond, entry.at) : null;
	await wait(ctx, ctx.faults.latencyMs ?? ctx.baseLatency);
	if (ctx.closed) return;

	if (limit && waitMs !== null) {
		entry.fault = 'rateLimit';
		const headers = retryAfterHeader(limit.retryAfter, waitMs, Date.now());
		return finishEntry(
			ctx,
			entry,
			writeReply(res, fail(429, 'RATE_LIMITED', 'Rate limit exceeded', null, headers)),
		);
	}
	const preempt = preemptingFault(ctx.faults, entry.campaignId);
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
	const reply = answerApi(ctx.state, { key, method, pathname, match, query, faults: ctx.faults });
	if (targets(ctx.faults.dropAfterAct, entry.campaignId)) {
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
};

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
		state: () => snapshot(ctx),
		close: () => (closing ??= closeServer(ctx, server)),
	};
}

// ---------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------

const USAGE = `Usage: node sandbox/server.js [--host 127.0.0.1] [--port 8787] [--latency 0]
       [--rate-limit N] [--retry-after seconds|date|none] [--verbose]`;

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
