/**
 * The Sonarly Trigger's time bounds, its own timing, the same on both engine lines: run once
 * (n8n 2.x). A 429 and a hanging Sonarly stop a poll within its budget and the next poll catches
 * up. (Each waits for real: 6 s and 15 s.)
 */
import type { IDataObject } from 'n8n-workflow';

import { RATE_LIMIT_WAIT_SECONDS } from '../../nodes/Sonarly/trigger/limits';
import { useTriggerSandbox } from '../trigger/host';

const triggers = useTriggerSandbox();
const host = () => triggers.host('newMessage');
const messageRequests = () => triggers.sandbox().requests.filter((entry) => entry.route === 'listMessages');
const eventIds = (items: IDataObject[]) => items.map((item) => item.eventId);

describe('Sonarly Trigger: the bounds of a poll', () => {
	let sandbox: ReturnType<typeof triggers.sandbox>;
	beforeEach(() => {
		sandbox = triggers.sandbox();
	});

	it('a 429 stops the poll within its rate-limit wait, with its own advice; the next poll catches up', async () => {
		const trigger = host();
		await trigger.activate();
		const added = sandbox.addMessages({ count: 2 });
		sandbox.setFaults({ forceStatus: { listMessages: { status: 429 } } });
		sandbox.requests.length = 0;
		const started = Date.now();
		const failed = await trigger.poll();
		const took = Date.now() - started;
		// Sonarly asks for 1 s each time: the poll tries again while its 5 s allow, then stops.
		expect(took).toBeLessThan(RATE_LIMIT_WAIT_SECONDS * 1000 + 3_000);
		expect(messageRequests().length).toBeGreaterThan(1);
		expect(failed.error?.constructor.name).toBe('NodeApiError');
		expect(failed.error?.message).toBe("Sonarly's rate limit was reached, so this poll stopped");
		expect(failed.error?.description).toMatch(/The trigger keeps its place/);
		expect(failed.error?.description).not.toMatch(/Max Rate Limit Wait|Concurrency/);
		sandbox.clearFaults();
		// The pacer remembers Sonarly's Retry-After; the next poll is sent once it has passed.
		expect(eventIds((await trigger.poll()).items)).toEqual(
			added.map((message) => `message:${message.id}`),
		);
	}, 30_000);

	it('a timeout fails the poll within its 30 s budget; the next poll emits the messages', async () => {
		const trigger = host();
		await trigger.activate();
		const added = sandbox.addMessages({ count: 1 });
		sandbox.setFaults({ hang: 'listMessages' });
		const started = Date.now();
		const failed = await trigger.poll();
		const took = Date.now() - started;
		sandbox.clearFaults();
		expect(took).toBeLessThanOrEqual(30_000);
		expect(failed.error?.message).toMatch(/Sonarly did not answer within \d+ ms/);
		expect(failed.error?.description).toMatch(/The trigger keeps its place/);
		expect(eventIds((await trigger.poll()).items)).toEqual([`message:${added[0].id}`]);
	}, 60_000);

});
