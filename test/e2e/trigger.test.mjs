// The Sonarly Trigger in a real, active n8n (`n8n start`) against the sandbox: two workflows,
// a Sonarly Trigger (New Message; Campaign Status Changed) followed by a No Op node in each,
// polling every 15 s (four custom Poll Times entries). (Two triggers with the same Poll Times
// in one workflow did not both poll at each tick in n8n 2.41.1: one of the two, in turn.) While it runs, the test adds messages and
// flips campaign statuses; the sandbox answers one poll of each trigger with a 500; n8n is
// stopped and started again with events arriving in between. At the end every event must have
// reached the No Op node of its trigger exactly once, the failed polls must be error
// executions carrying our message, and the first poll after activation must have emitted
// nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { activate, EVERY_15_S, executions as executionsOf, sleep, storedState as storedStateOf, until } from './active.mjs';
import * as h from './n8n.mjs';

const { startSandbox, SEED } = h.sandboxModule();
const ids = SEED.ids;
// At most 16 characters: n8n 1.x silently never saves the static data (the trigger's state) of a
// workflow whose id is longer (`isWorkflowIdValid`), so it would start afresh after a restart.
const WORKFLOW_IDS = ['sonarlyTrgMsg001', 'sonarlyTrgCmp001'];
const MESSAGES = 'New message';
const CAMPAIGNS = 'Campaign status';
const GOT_MESSAGE = 'Message received';
const GOT_STATUS = 'Status changed';
function trigger(name, event, position) {
	return {
		id: `0000000${name === MESSAGES ? 1 : 2}-0000-4000-8000-00000000a001`,
		name,
		type: `${h.PACKAGE_NAME}.sonarlyTrigger`,
		typeVersion: 1,
		position,
		parameters: { pollTimes: EVERY_15_S, accountGroupId: h.byId(ids.acmeGroup), event },
		credentials: { [h.CREDENTIAL_TYPE]: { id: h.CREDENTIAL_ID, name: h.CREDENTIAL_NAME } },
	};
}

function triggerWorkflows() {
	return [
		h.workflow({
			id: WORKFLOW_IDS[0],
			name: 'Sonarly new messages',
			nodes: [trigger(MESSAGES, 'newMessage', [0, 0]), h.noOp(GOT_MESSAGE, [240, 0])],
		}),
		h.workflow({
			id: WORKFLOW_IDS[1],
			name: 'Sonarly campaign statuses',
			nodes: [trigger(CAMPAIGNS, 'campaignStatusChanged', [0, 0]), h.noOp(GOT_STATUS, [240, 0])],
		}),
	];
}

for (const version of h.testedVersions()) {
	describe(`n8n ${version}: Sonarly Trigger in an active workflow`, () => {
		let sb;
		let session;
		let server;

		before(async () => {
			await h.ensureBuilt({ ifStale: true });
			sb = await startSandbox({ port: 0 });
			session = await h.openSession({ version });
			await session.importCredentials(
				h.sonarlyCredential({ apiKey: 'sk_test_full_access', baseUrl: sb.url }),
			);
			await session.importWorkflows(triggerWorkflows());
			await activate(session, WORKFLOW_IDS);
		});

		after(async () => {
			await server?.stop();
			await session?.close();
			await sb?.close();
		});

		const polls = (route) => sb.requests.filter((entry) => entry.route === route).length;

		/** Waits for `n` more polls of both triggers (each poll lists once when nothing is new). */
		async function morePolls(n) {
			const messages = polls('listMessages');
			const campaigns = polls('listCampaigns');
			try {
				await until(
					`${n} more polls`,
					() => polls('listMessages') >= messages + n && polls('listCampaigns') >= campaigns + n,
					n * 15_000 + 45_000,
				);
			} catch (error) {
				const log = sb.requests.map(
					(e) => `${new Date(e.at).toISOString()} ${e.route} ${e.status} ${e.fault ?? ''}`,
				);
				throw new Error(
					`${error.message}: messages ${messages}→${polls('listMessages')}, campaigns ${campaigns}→${polls('listCampaigns')}\nrequests:\n${log.join('\n')}\nn8n:\n${server.output().slice(-6000)}`,
				);
			}
			// Let the executions the last poll started finish and be saved.
			await sleep(3_000);
		}

		it(
			'every message and every status change reaches the next node exactly once, across a 500 and a restart',
			{ timeout: 20 * 60_000 },
			async () => {
				const expectedMessages = [];
				const expectedStatus = [];
				const flip = (campaignId, status) => {
					const campaign = sb.setCampaignStatus({ campaignId, status });
					expectedStatus.push(`campaign:${campaignId}:${status}:${campaign.updatedAt}`);
				};
				const add = (count) =>
					expectedMessages.push(...sb.addMessages({ count }).map((m) => `message:${m.id}`));

				server = await h.startN8nServer(session);
				// The activation poll of each trigger records where things stand.
				await until(
					'the activation polls',
					() => polls('listMessages') >= 1 && polls('listCampaigns') >= 1,
					60_000,
				);

				// (1) Events while it runs.
				add(3);
				flip(ids.activeCampaign, 'paused');
				await morePolls(2);

				// (2) Sonarly answers the next poll of each trigger with a 500: those polls fail (error
				// executions), the ones after emit what they could not.
				sb.setFaults({
					forceStatus: {
						listMessages: { status: 500, times: 1 },
						listCampaigns: { status: 500, times: 1 },
					},
				});
				add(2);
				flip(ids.draftCampaign, 'active');
				await morePolls(3);
				assert.deepEqual(sb.state().faults.forceStatus ?? {}, {}, 'both forced 500s were answered');

				// (3) n8n stops; events arrive meanwhile; n8n starts again.
				await server.stop();
				const beforeRestart = await storedStateOf(session);
				// What each trigger emitted so far is in n8n's database.
				assert.equal(beforeRestart[WORKFLOW_IDS[0]]?.[`node:${MESSAGES}`]?.v, 1);
				assert.equal(beforeRestart[WORKFLOW_IDS[1]]?.[`node:${CAMPAIGNS}`]?.v, 1);
				add(2);
				flip(ids.activeCampaign, 'active');
				const before = polls('listMessages');
				server = await h.startN8nServer(session);
				await until('the polls after the restart', () => polls('listMessages') > before, 60_000);

				// (4) Events after the restart.
				add(1);
				flip(ids.activeCampaign3, 'stopped');
				await morePolls(3);

				await server.stop();
				const all = await executionsOf(session, WORKFLOW_IDS);
				if (process.env.SONARLY_E2E_TRIGGER_DEBUG) {
					h.log(`before restart: ${JSON.stringify(beforeRestart)}`);
					h.log(`at the end: ${JSON.stringify(await storedStateOf(session))}`);
					h.log(
						`requests: ${sb.requests.map((e) => `${new Date(e.at).toISOString().slice(11, 19)} ${e.route} ${e.status}`).join(', ')}`,
					);
					h.log(
						`executions: ${JSON.stringify(all.map(({ id, status, mode, workflowId }) => ({ id, status, mode, workflowId })))}`,
					);
				}
				const succeeded = all.filter((e) => e.status === 'success');
				const received = (node) =>
					succeeded.flatMap((e) =>
						(e.data?.resultData?.runData?.[node]?.[0]?.data?.main?.[0] ?? []).map(
							(item) => item.json.eventId,
						),
					);
				const messages = received(GOT_MESSAGE);
				const statuses = received(GOT_STATUS);
				h.log(
					`trigger e2e (${version}): ${all.length} executions (${succeeded.length} successful), ${messages.length} messages and ${statuses.length} status changes received, ${polls('listMessages')} message polls`,
				);
				assert.deepEqual(
					[...messages].sort(),
					[...expectedMessages].sort(),
					'each new message exactly once',
				);
				assert.deepEqual(
					[...statuses].sort(),
					[...expectedStatus].sort(),
					'each status change exactly once',
				);
				assert.equal(expectedMessages.length, 8);
				assert.equal(expectedStatus.length, 4);
				// The seeded messages and statuses (there before activation) never started it.
				for (const id of [ids.message1, ids.message2, ids.message3]) {
					assert.ok(!messages.includes(`message:${id}`));
				}

				// The two failed polls are error executions with our message.
				const failed = all.filter((e) => e.status === 'error' || e.status === 'crashed');
				const errors = failed.map((e) => e.data?.resultData?.error?.message ?? '');
				assert.ok(
					errors.some((m) =>
						/Sonarly failed \(HTTP 500\) while trying to list the messages/.test(m),
					),
					`an error execution for the messages poll: ${JSON.stringify(errors)}`,
				);
				assert.ok(
					errors.some((m) =>
						/Sonarly failed \(HTTP 500\) while trying to list the campaigns/.test(m),
					),
					`an error execution for the campaigns poll: ${JSON.stringify(errors)}`,
				);
				// The API key is nowhere in what n8n stored.
				assert.ok(!JSON.stringify(all).includes('sk_test_full_access'));
			},
		);
	});
}
