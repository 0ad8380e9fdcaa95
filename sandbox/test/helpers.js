'use strict';

// What the sandbox's route tests share: a sandbox per test, one API call, and the envelope
// checks. Not a test file itself (the tests are sandbox/test/*.test.js).

const assert = require('node:assert/strict');
const { startSandbox, SEED } = require('../server');

const ids = SEED.ids;
const FULL = 'sk_test_full_access';
const READ = 'sk_test_read_only';
const AG = ids.acmeGroup;
const base = `/v1/accounts/${AG}`;

/**
 * @param {import('node:test').TestContext} t
 * @param {import('../server').SandboxOptions} [options]
 */
async function sandbox(t, options) {
	const sb = await startSandbox(options);
	t.after(() => sb.close());
	return sb;
}

/**
 * @param {import('../server').Sandbox} sb
 * @param {string} method
 * @param {string} route
 * @param {{ key?: string | null, body?: unknown, idempotencyKey?: string }} [init]
 */
async function call(sb, method, route, init = {}) {
	const key = init.key === undefined ? FULL : init.key;
	const headers = {
		...(key ? { authorization: `Bearer ${key}` } : {}),
		...(init.idempotencyKey !== undefined ? { 'idempotency-key': init.idempotencyKey } : {}),
		...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
	};
	const body =
		init.body === undefined
			? undefined
			: typeof init.body === 'string'
				? init.body
				: JSON.stringify(init.body);
	const res = await fetch(sb.url + route, { method, headers, body });
	const text = await res.text();
	return { status: res.status, headers: res.headers, text, body: JSON.parse(text) };
}

/** @param {Awaited<ReturnType<typeof call>>} r */
function data(r, status = 200) {
	assert.equal(r.status, status, r.text);
	assert.equal(r.body.success, true);
	assert.equal(r.body.error, null);
	assert.match(r.body.traceId, /^[0-9a-f]{24}$/);
	return r.body.data;
}

/**
 * @param {Awaited<ReturnType<typeof call>>} r
 * @param {number} status
 * @param {string} code
 */
function refused(r, status, code) {
	assert.equal(r.status, status, r.text);
	assert.equal(r.body.success, false);
	assert.equal(r.body.data, null);
	assert.equal(r.body.error.code, code);
	return r.body.error;
}

/** Every item of a cursor list, page after page (at most 1000 pages). */
async function walk(sb, route, key = FULL) {
	const items = [];
	const pages = [];
	let cursor = null;
	for (let n = 0; n < 1000; n++) {
		const sep = route.includes('?') ? '&' : '?';
		const page = data(
			await call(sb, 'GET', cursor ? `${route}${sep}cursor=${encodeURIComponent(cursor)}` : route, {
				key,
			}),
		);
		items.push(...page.items);
		pages.push(page.items.length);
		if (!page.hasMore) {
			assert.equal(page.nextCursor, null);
			return { items, pages };
		}
		cursor = page.nextCursor;
	}
	throw new Error('more than 1000 pages');
}

module.exports = { ids, FULL, READ, AG, base, sandbox, call, data, refused, walk };
