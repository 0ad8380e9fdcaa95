/**
 * The bounds of one poll and of the state the trigger keeps between polls. They are what
 * keeps a poll short (n8n does not stop two polls of one node from overlapping) and the
 * node's static data small whatever the account's history.
 */

/** A poll never takes longer than this in all, rate-limit waits included. */
export const POLL_BUDGET_MS = 30_000;

/** One request of a poll waits at most this long for Sonarly's answer. */
export const REQUEST_TIMEOUT_MS = 15_000;

/** Below this much time left, a poll reads no further page: it resumes at the next poll. */
export const MIN_TIME_FOR_A_PAGE_MS = 8_000;

/** A poll waits at most this long in all for Sonarly's rate limit, then fails (and resumes next time). */
export const RATE_LIMIT_WAIT_SECONDS = 5;

/** Pages one poll reads at most from a list; the rest is read by the next polls. */
export const MAX_PAGES_PER_POLL = 10;

/** Pages the first poll reads at most to record where things stand. */
export const SEED_MAX_PAGES = 10;

/** Campaigns come in one unpaged list; pages are followed only if Sonarly ever sends them. */
export const MAX_CAMPAIGN_PAGES = 50;

/** Ids a list trigger remembers (the newest part of the list), at most. */
export const MAX_KNOWN_IDS = 1500;

/** Ids kept as the boundary of a burst that is read across several polls. */
export const BOUNDARY_IDS = 20;

/** Unfinished jobs or scans the trigger follows, at most. */
export const MAX_PENDING = 100;

/** Unfinished jobs or scans read one by one in a poll (those not on the pages it read). */
export const PENDING_CHECKS_PER_POLL = 10;

/** Campaigns whose status the trigger follows, at most. */
export const MAX_CAMPAIGNS = 1500;

/** The state (the node's static data) stays below this size in JSON, whatever the ids look like. */
export const MAX_STATE_BYTES = 60_000;

/** Pages a test run ("Fetch Test Event") reads at most to find an example. */
export const MANUAL_MAX_PAGES = 3;
