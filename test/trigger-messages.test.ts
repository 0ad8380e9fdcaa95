/**
 * The Sonarly Trigger, New Message event, through n8n's real poll context against the Sonarly
 * sandbox (sandbox/server.js over HTTP on 127.0.0.1): seeding, exactly-once across polls,
 * bursts, failures then recovery, restarts, manual runs and the size of the state (the time
 * bounds of a poll, which do not differ between the lines, are in timing/trigger-limits.test.ts).
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { SEED, startSandbox, type Sandbox } from '../sandbox/server';
import { MAX_PAGES_PER_POLL, MAX_STATE_BYTES } from '../nodes/Sonarly/trigger/limits';
import { stateBytes } from '../nodes/Sonarly/trigger/state';
import { TriggerHost, byId } from './trigger/host';

const KEY = 'sk_test_full_access';
const ids = SEED.ids;
const AG = ids.acmeGroup;

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => sandbox.reset());

function host(parameters: INodeParameters = {}, apiKey = KEY): TriggerHost {
	return new TriggerHost({
		parameters: { accountGroupId: byId(AG), event: 'newMessage', ...parameters },
		baseUrl: sandbox.url,
		apiKey,
	});
}

const messageRequests = () => sandbox.requests.filter((entry) => entry.route === 'listMessages');
const eventIds = (items: IDataObject[]) => items.map((item) => item.eventId);

describe('Sonarly Trigger: New Message', () => {
	it('emits nothing on the first poll, then each new message once, oldest first', async () => {
		const trigger = host();
		expect(await trigger.activate()).toEqual({ items: [] });
		// The activation poll's state is saved (n8n does so after activation).
		expect(trigger.savedNodeState().known).toEqual([ids.message3, ids.message2, ids.message1]);

		expect(await trigger.poll()).toEqual({ items: [] });
		const added = sandbox.addMessages({ messages: [{ text: 'first' }, { text: 'second' }] });
		const { items } = await trigger.poll();
		expect(items.map((item) => item.text)).toEqual(['first', 'second']);
		expect(eventIds(items)).toEqual(added.map((message) => `message:${message.id}`));
		// Sonarly's object as it is, plus eventId.
		expect(items[0]).toEqual({ ...added[0], eventId: `message:${added[0].id}` });
		expect(await trigger.poll()).toEqual({ items: [] });
		expect(await trigger.poll()).toEqual({ items: [] });
	});

	it('costs one request per poll when nothing is new', async () => {
		sandbox.addMessages({ count: 75 });
		const trigger = host();
		await trigger.activate();
		sandbox.requests.length = 0;
		for (let i = 0; i < 5; i++) expect((await trigger.poll()).items).toEqual([]);
		expect(messageRequests().map((entry) => entry.path)).toEqual(
			Array.from({ length: 5 }, () => `/v1/accounts/${AG}/messages`),
		);
	});

	it('pages down to the known point when many messages arrive between two polls', async () => {
		const trigger = host();
		await trigger.activate();
		const added = sandbox.addMessages({ count: 47 });
		sandbox.requests.length = 0;
		const { items } = await trigger.poll();
		// Sonarly pages by 20 here: three pages, the third holds the known messages.
		expect(messageRequests()).toHaveLength(3);
		expect(eventIds(items)).toEqual(added.map((message) => `message:${message.id}`));
		expect((await trigger.poll()).items).toEqual([]);
	});

	it('reads at most its page budget per poll and resumes the rest next poll, each message once', async () => {
		const trigger = host();
		await trigger.activate();
		const added = sandbox.addMessages({ count: 450 });
		const emitted: IDataObject[] = [];
		const pagesPerPoll: number[] = [];
		for (let i = 0; i < 6; i++) {
			sandbox.requests.length = 0;
			const { items, error } = await trigger.poll();
			expect(error).toBeUndefined();
			pagesPerPoll.push(messageRequests().length);
			emitted.push(...items);
		}
		expect(Math.max(...pagesPerPoll)).toBeLessThanOrEqual(MAX_PAGES_PER_POLL);
		expect(pagesPerPoll[0]).toBe(MAX_PAGES_PER_POLL);
		expect(emitted).toHaveLength(450);
		expect(new Set(eventIds(emitted)).size).toBe(450);
		expect(new Set(eventIds(emitted))).toEqual(
			new Set(added.map((message) => `message:${message.id}`)),
		);
		// Once caught up: one request, nothing emitted.
		sandbox.requests.length = 0;
		expect((await trigger.poll()).items).toEqual([]);
		expect(messageRequests()).toHaveLength(1);
	});

	it('a message that appears between known ones (an older message synced late) is emitted once', async () => {
		const trigger = host();
		await trigger.activate();
		const [late] = sandbox.addMessages({
			messages: [{ createdAt: '2025-07-02T12:00:00.000Z', text: 'late' }],
		});
		expect(eventIds((await trigger.poll()).items)).toEqual([`message:${late.id}`]);
		expect((await trigger.poll()).items).toEqual([]);
	});

	it('filters by conversation: other conversations never start it', async () => {
		const trigger = host({ filters: { conversationId: ids.conversationA } });
		await trigger.activate();
		sandbox.addMessages({ messages: [{ conversationId: ids.conversationB, text: 'other' }] });
		const [mine] = sandbox.addMessages({
			messages: [{ conversationId: ids.conversationA, text: 'mine' }],
		});
		sandbox.requests.length = 0;
		expect(eventIds((await trigger.poll()).items)).toEqual([`message:${mine.id}`]);
		expect(messageRequests()[0].path).toBe(
			`/v1/accounts/${AG}/messages?conversationId=${ids.conversationA}`,
		);
	});

	it.each([
		['a 500', { forceStatus: { listMessages: 500 } }, /Sonarly failed \(HTTP 500\)/],
		['an HTML 502', { html502: 'listMessages' }, /HTTP 502/],
		['a dropped connection', { drop: 'listMessages' }, /connection to Sonarly broke/],
	])(
		'throws on %s half-way, keeps its place, and the next poll emits what was missed',
		async (_name, fault, message) => {
			// A sandbox of its own that turns the fault on once the first page has been answered.
			let armed = false;
			let pagesAnswered = 0;
			const own: Sandbox = await startSandbox({
				port: 0,
				onRequestDone: (entry) => {
					if (!armed || entry.route !== 'listMessages') return;
					pagesAnswered++;
					if (pagesAnswered === 1) own.setFaults(fault as never);
				},
			});
			try {
				const trigger = new TriggerHost({
					parameters: { accountGroupId: byId(AG), event: 'newMessage' },
					baseUrl: own.url,
					apiKey: KEY,
				});
				await trigger.activate();
				const added = own.addMessages({ count: 30 });
				const before = JSON.stringify(trigger.nodeState());
				armed = true;
				const failed = await trigger.poll();
				armed = false;
				own.clearFaults();
				const pages = own.requests.filter((entry) => entry.route === 'listMessages');
				// Page 1 answered (20 of the 30 new messages), page 2 failed.
				expect(pages.slice(-2).map((entry) => entry.path.includes('cursor='))).toEqual([
					false,
					true,
				]);
				expect(failed.items).toEqual([]);
				expect(failed.error?.constructor.name).toMatch(/^Node(Api|Operation)Error$/);
				expect(failed.error?.message).toMatch(message);
				expect(failed.error?.description).toMatch(/The trigger keeps its place/);
				expect(JSON.stringify(trigger.nodeState())).toBe(before);
				const recovered = await trigger.poll();
				expect(recovered.error).toBeUndefined();
				expect(eventIds(recovered.items)).toEqual(added.map((m) => `message:${m.id}`));
				expect((await trigger.poll()).items).toEqual([]);
			} finally {
				await own.close();
			}
		},
	);

	it('after a restart it goes on from the saved state: nothing missed, nothing twice', async () => {
		const trigger = host();
		await trigger.activate();
		const first = sandbox.addMessages({ count: 2 });
		expect(eventIds((await trigger.poll()).items)).toEqual(first.map((m) => `message:${m.id}`));
		// A poll that finds nothing saves nothing (n8n), then n8n restarts.
		expect((await trigger.poll()).items).toEqual([]);
		const during = sandbox.addMessages({ count: 3 });
		trigger.restart();
		expect(eventIds((await trigger.activate()).items)).toEqual(
			during.map((m) => `message:${m.id}`),
		);
		trigger.restart();
		expect((await trigger.activate()).items).toEqual([]);
	});

	it('a restart in the middle of a burst read across polls emits the rest once', async () => {
		const trigger = host();
		await trigger.activate();
		const added = sandbox.addMessages({ count: 260 });
		const emitted = [...(await trigger.poll()).items];
		expect(emitted).toHaveLength(200);
		trigger.restart();
		for (let i = 0; i < 3; i++) emitted.push(...(await trigger.poll()).items);
		expect(new Set(eventIds(emitted))).toEqual(new Set(added.map((m) => `message:${m.id}`)));
		expect(emitted).toHaveLength(260);
	});

	it('changing the account group, event or filters starts afresh: the next poll emits nothing', async () => {
		const trigger = host();
		await trigger.activate();
		sandbox.addMessages({ count: 2 });
		trigger.setParameters({
			accountGroupId: byId(AG),
			event: 'newMessage',
			filters: { conversationId: ids.conversationA },
		});
		expect(await trigger.poll()).toEqual({ items: [] });
		const [inA] = sandbox.addMessages({ messages: [{ conversationId: ids.conversationA }] });
		expect(eventIds((await trigger.poll()).items)).toEqual([`message:${inA.id}`]);
		trigger.setParameters({ accountGroupId: byId(ids.globexGroup), event: 'newMessage' });
		expect(await trigger.poll()).toEqual({ items: [] });
		expect(trigger.nodeState().key).toBe(JSON.stringify([ids.globexGroup, 'newMessage', null]));
	});

	it('a manual run gives the newest message, without reading or changing the state', async () => {
		const trigger = host();
		const empty = await trigger.manual();
		expect(empty.items).toEqual([
			expect.objectContaining({ id: ids.message3, eventId: `message:${ids.message3}` }),
		]);
		expect(trigger.nodeState()).toEqual({});
		await trigger.activate();
		sandbox.addMessages({ count: 2 });
		const stateBefore = JSON.stringify(trigger.nodeState());
		const [newest] = sandbox.addMessages({ count: 1 });
		expect((await trigger.manual()).items).toEqual([
			{ ...newest, eventId: `message:${newest.id}` },
		]);
		expect(JSON.stringify(trigger.nodeState())).toBe(stateBefore);
		// The three new messages are still new for the active workflow.
		expect((await trigger.poll()).items).toHaveLength(3);
		// Through n8n's WorkflowExecute too.
		expect((await trigger.manualExecution()).items).toEqual([
			{ ...newest, eventId: `message:${newest.id}` },
		]);
	});

	it('a manual run with no message says so', async () => {
		const trigger = host({ filters: { conversationId: 'no-such-conversation' } });
		const { error } = await trigger.manual();
		expect(error?.message).toBe('No message yet in this account group');
		expect(error?.description).toMatch(/Send or receive a message in Sonarly, then fetch again/);
		const viaEngine = await trigger.manualExecution();
		expect(viaEngine.error?.message).toBe('No message yet in this account group');
	});

	it('a wrong key fails the activation with our message and saves nothing; the key is never shown', async () => {
		const trigger = host({}, 'sk_test_not_a_key_123456');
		const { error } = await trigger.activate();
		expect(error?.constructor.name).toBe('NodeApiError');
		expect(error?.message).toBe('Sonarly did not accept the API key');
		expect(trigger.saved).toBe('{}');
		expect(JSON.stringify({ error, description: error?.description })).not.toContain(
			'sk_test_not_a_key_123456',
		);
	});

	it('a key without messages:read gets a 403 that names the permission', async () => {
		const trigger = host({}, 'sk_test_read_only');
		const { error } = await trigger.activate();
		expect(error?.message).toBe('The API key is not allowed to list the messages');
		expect(error?.description).toMatch(/messages:read/);
	});

	it('an unknown account group is a 404 that says so', async () => {
		const trigger = new TriggerHost({
			parameters: { accountGroupId: byId(ids.missingGroup), event: 'newMessage' },
			baseUrl: sandbox.url,
			apiKey: KEY,
		});
		const { error } = await trigger.activate();
		expect(error?.message).toBe('The account group was not found');
	});

	it('keeps its state under 64 KB after 10,000 messages, each emitted once', async () => {
		const trigger = host();
		await trigger.activate();
		const seen = new Set<unknown>();
		let emitted = 0;
		for (let round = 0; round < 20; round++) {
			sandbox.addMessages({ count: 500 });
			for (let i = 0; i < 4; i++) {
				const { items, error } = await trigger.poll();
				expect(error).toBeUndefined();
				for (const item of items) seen.add(item.eventId);
				emitted += items.length;
			}
		}
		expect(emitted).toBe(10_000);
		expect(seen.size).toBe(10_000);
		const bytes = stateBytes(trigger.nodeState());
		expect(bytes).toBeLessThan(MAX_STATE_BYTES);
		expect(stateBytes(trigger.savedNodeState())).toBeLessThan(64 * 1024);
	}, 120_000);
});
