/**
 * The Sonarly Trigger's time bounds, its own timing, the same on both engine lines: run once
 * (n8n 2.x). A 429 and a hanging Sonarly stop a poll within its budget and the next poll catches
 * up. Each waits for real (about 6 s and 15 s), so the two run side by side, each against its own
 * sandbox, and each test checks its own run.
 */
import type { IDataObject } from 'n8n-workflow';

import { SEED, startSandbox, type Sandbox } from '../../sandbox/server';
import { RATE_LIMIT_WAIT_SECONDS } from '../../nodes/Sonarly/trigger/limits';
import { TriggerHost, byId, type PollResult } from '../trigger/host';

const eventIds = (items: IDataObject[]) => items.map((item) => item.eventId);

interface Outcome {
	sandbox: Sandbox;
	added: Array<{ id: string }>;
	failed: PollResult;
	ms: number;
	requestsWhileFailing: number;
	next: PollResult;
}

/** Activates a New Message trigger, adds messages, polls under `fault`, then polls again without it. */
async function scenario(fault: Record<string, unknown>, count: number): Promise<Outcome> {
	const sandbox = await startSandbox({ port: 0 });
	const trigger = new TriggerHost({
		parameters: { accountGroupId: byId(SEED.ids.acmeGroup), event: 'newMessage' },
		baseUrl: sandbox.url,
		apiKey: 'sk_test_full_access',
	});
	await trigger.activate();
	const added = sandbox.addMessages({ count });
	sandbox.setFaults(fault);
	sandbox.requests.length = 0;
	const started = Date.now();
	const failed = await trigger.poll();
	const ms = Date.now() - started;
	const requestsWhileFailing = sandbox.requests.filter((entry) => entry.route === 'listMessages').length;
	sandbox.clearFaults();
	// The pacer remembers Sonarly's Retry-After; the next poll is sent once it has passed.
	const next = await trigger.poll();
	return { sandbox, added, failed, ms, requestsWhileFailing, next };
}

let rateLimited: Outcome;
let hanging: Outcome;

beforeAll(async () => {
	[rateLimited, hanging] = await Promise.all([
		scenario({ forceStatus: { listMessages: { status: 429 } } }, 2),
		scenario({ hang: 'listMessages' }, 1),
	]);
}, 60_000);

afterAll(async () => {
	await Promise.all([rateLimited?.sandbox.close(), hanging?.sandbox.close()]);
});

describe('Sonarly Trigger: the bounds of a poll', () => {
	it('a 429 stops the poll within its rate-limit wait, with its own advice; the next poll catches up', () => {
		const { failed, ms, requestsWhileFailing, next, added } = rateLimited;
		// Sonarly asks for 1 s each time: the poll tries again while its 5 s allow, then stops.
		expect(ms).toBeLessThan(RATE_LIMIT_WAIT_SECONDS * 1000 + 3_000);
		expect(requestsWhileFailing).toBeGreaterThan(1);
		expect(failed.error?.constructor.name).toBe('NodeApiError');
		expect(failed.error?.message).toBe("Sonarly's rate limit was reached, so this poll stopped");
		expect(failed.error?.description).toMatch(/The trigger keeps its place/);
		expect(failed.error?.description).not.toMatch(/Max Rate Limit Wait|Concurrency/);
		expect(eventIds(next.items)).toEqual(added.map((message) => `message:${message.id}`));
	});

	it('a timeout fails the poll within its 30 s budget; the next poll emits the messages', () => {
		const { failed, ms, next, added } = hanging;
		expect(ms).toBeLessThanOrEqual(30_000);
		expect(failed.error?.message).toMatch(/Sonarly did not answer within \d+ ms/);
		expect(failed.error?.description).toMatch(/The trigger keeps its place/);
		expect(eventIds(next.items)).toEqual([`message:${added[0].id}`]);
	});
});
