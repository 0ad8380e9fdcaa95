// The two examples the Sonarly Trigger starts, active in a real `n8n start` against the sandbox
// (and, for the reply, the scripted OpenAI-compatible model), polling every 15 s:
// - examples/new-message-agent-reply.json: a prospect writes → Find by Provider ID → the agent
//   drafts → Message → Reply. The queued reply comes back as a new message of the same
//   conversation (the sandbox lists it with the same participant, as a history would), the
//   workflow runs again, and its Idempotency Key (conversation + day) makes Sonarly refuse a
//   second reply: exactly one message is queued.
// - examples/job-finished-start-campaign.json: a prospecting job completes → Campaign → Start,
//   once; a second completed job finds the campaign active (Ignore Already Active).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { activate, EVERY_15_S, executions, itemsOf, sleep, until } from './active.mjs';
import * as h from './n8n.mjs';
import { startScriptedModel } from './scripted-model.mjs';

const { startSandbox, SEED } = h.sandboxModule();
const ids = SEED.ids;
const API_KEY = 'sk_test_full_access';

/** An example as shipped, polling every 15 s instead of every minute (the only change). */
function example(file) {
	const workflow = JSON.parse(fs.readFileSync(path.join(h.REPO_ROOT, 'examples', file), 'utf8'));
	for (const node of workflow.nodes) {
		if (node.type === `${h.PACKAGE_NAME}.sonarlyTrigger`) node.parameters.pollTimes = EVERY_15_S;
	}
	return workflow;
}

const REPLY = example('new-message-agent-reply.json');
const JOB = example('job-finished-start-campaign.json');
const WORKFLOW_IDS = [REPLY.id, JOB.id];

for (const version of h.testedVersions()) {
	describe(`n8n ${version}: the Sonarly Trigger examples, active`, { timeout: 15 * 60_000 }, () => {
		let sb;
		let model;
		let session;
		let server;

		before(async () => {
			await h.ensureBuilt({ ifStale: true });
			sb = await startSandbox({ port: 0 });
			// The agent's drafts differ every time, as a model's would.
			model = await startScriptedModel({ script: ({ index }) => `Thanks Ada, happy to talk next week! (draft ${index + 1})` });
			session = await h.openSession({ version });
			await session.importCredentials([
				h.sonarlyCredential({ apiKey: API_KEY, baseUrl: sb.url }),
				h.openAiCredential({ url: model.url }),
			]);
			await session.importWorkflows([REPLY, JOB]);
			await activate(session, WORKFLOW_IDS);
			server = await h.startN8nServer(session);
			await until(
				'the activation polls',
				() => routeCount('listMessages') >= 1 && routeCount('listProspecting') >= 1,
				90_000,
			);
		});

		after(async () => {
			await server?.stop();
			await session?.close();
			await model?.close();
			await sb?.close();
		});

		const routeCount = (route) => sb.requests.filter((entry) => entry.route === route).length;
		const replies = () => sb.requests.filter((entry) => entry.route === 'replyToMessage');
		const starts = () => sb.requests.filter((entry) => entry.route === 'startCampaign' && entry.campaignId === ids.draftCampaign);
		/** Waits until each trigger polled `n` more times, then lets their executions finish. */
		async function morePolls(n) {
			const messages = routeCount('listMessages');
			const jobs = routeCount('listProspecting');
			await until(`${n} more polls`, () => routeCount('listMessages') >= messages + n && routeCount('listProspecting') >= jobs + n, n * 15_000 + 45_000);
			await sleep(3_000);
		}

		it('a new message gets one drafted reply; the reply coming back as a new message gets none', async () => {
			const [incoming] = sb.addMessages({
				messages: [{ conversationId: 'conv-e2e-1', participantProviderId: ids.uniqueProviderId, direction: 'inbound', text: 'Can we talk next week?' }],
			});
			await until('the reply', () => replies().length >= 1, 120_000);
			// The queued reply is now in the history, in the same conversation: the trigger emits it,
			// the workflow runs again, and Sonarly refuses a second reply for the same key.
			await until('the second attempt', () => replies().length >= 2, 120_000);
			await morePolls(2);
			assert.deepEqual(
				replies().map((entry) => entry.status),
				[202, 409],
				'one reply queued; the attempt on its own reply refused (IDEMPOTENCY_CONFLICT)',
			);
			const conversation = sb.state().accountGroups.find((group) => group.id === ids.acmeGroup).messages.filter((m) => m.conversationId === 'conv-e2e-1');
			assert.deepEqual(
				conversation.map((m) => m.direction),
				['inbound', 'outbound'],
				`the conversation holds the message and one reply: ${JSON.stringify(conversation)}`,
			);
			assert.equal(incoming.conversationId, 'conv-e2e-1');
		});

		it('a completed prospecting job starts the campaign once; a second one finds it active', async () => {
			const first = sb.addJob({ status: 'running' });
			await morePolls(1);
			sb.advanceJobs({ id: first.jobId, to: 'completed' });
			await until('the start', () => starts().length >= 1, 90_000);
			const second = sb.addJob({ status: 'running' });
			await morePolls(1);
			sb.advanceJobs({ id: second.jobId, to: 'completed' });
			await until('the second start attempt', () => starts().length >= 2, 90_000);
			await morePolls(1);
			assert.deepEqual(
				starts().map((entry) => entry.status),
				[200, 409],
				'started once; the second completed import found it active',
			);
			assert.equal(sb.campaign(ids.acmeGroup, ids.draftCampaign).status, 'active');
		});

		it('n8n saved what happened: the reply, the refusal on the "Not sent" branch, one start, no key', async () => {
			await server.stop();
			const all = await executions(session, WORKFLOW_IDS);
			const of = (id) => all.filter((e) => e.workflowId === id);
			assert.deepEqual(of(REPLY.id).map((e) => e.status).filter((s) => s !== 'success'), [], 'every reply run succeeded (failures went to a branch)');
			const queued = itemsOf(of(REPLY.id), 'Queued');
			assert.equal(queued.length, 1);
			assert.equal(queued[0].queued, true);
			assert.match(queued[0].idempotencyKey, /^reply-conv-e2e-1-\d{4}-\d{2}-\d{2}$/);
			const notSent = itemsOf(of(REPLY.id), 'Not sent');
			assert.equal(notSent.length, 1);
			assert.match(notSent[0].alert, /this Idempotency Key was already used for a different request/);
			const started = itemsOf(of(JOB.id), 'Started');
			assert.deepEqual(started.map((item) => item.started), [true, false]);
			assert.ok(!JSON.stringify(all).includes(API_KEY), 'the API key is in no saved execution');
			// The agent drafted exactly twice: once per run that reached it.
			assert.equal(model.chatRequests().length, 2);
		});
	});
}
