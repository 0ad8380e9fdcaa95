// The Sonarly node as an AI-agent tool in a real n8n: an AI Agent (V3) whose chat model is n8n's
// own OpenAI Chat Model node (typeVersion 1.2), its credential's Base URL pointed at our scripted
// OpenAI-compatible server (test/e2e/scripted-model.mjs). The scripted model reads the real tool
// results n8n sends back and picks its next call from them, like a model would; one test runs a
// tool without any model, through n8n's Tool Executor node. Asserted on
// what the model server received, on the sandbox's request log and on n8n's run data.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import * as h from './n8n.mjs';
import {
	confirmThenStopScript,
	startScriptedModel,
	textOf,
	toolResults,
} from './scripted-model.mjs';

const { startSandbox, SEED } = h.sandboxModule();
const ids = SEED.ids;
const API_KEY = 'sk_test_full_access';
const EXAMPLE_FILE = path.join(h.REPO_ROOT, 'examples', 'ai-agent-stop-campaign.json');

/** The tool descriptions the model must receive (n8n's automatic mode: "<action> in Sonarly"). */
export const EXPECTED_TOOL_DESCRIPTIONS = {
	List_account_groups: 'Find an account group ID in Sonarly',
	List_campaigns: 'Find a campaign ID by name in Sonarly',
	Get_campaign: 'Get a campaign status by ID in Sonarly',
	Stop_campaign: 'Stop a campaign with no undo in Sonarly',
};

const fromAI = (key, description) => `={{ $fromAI('${key}', '${description}', 'string') }}`;
const GROUP_ARG = fromAI('accountGroupId', 'The ID of the account group, from List account groups');
const CAMPAIGN_ARG = fromAI('campaignId', 'The ID of the campaign, from List campaigns');

/** The four Sonarly tools the agent gets, each in n8n's automatic description mode. */
function sonarlyTools({ stopOnError } = {}) {
	return [
		h.sonarlyTool(
			'List account groups',
			{ resource: 'accountGroup', operation: 'getAll', returnAll: true, output: 'simplified' },
			{ position: [200, 240] },
		),
		h.sonarlyTool(
			'List campaigns',
			{
				resource: 'campaign',
				operation: 'getAll',
				accountGroupId: h.byId(GROUP_ARG),
				returnAll: true,
				output: 'simplified',
			},
			{ position: [360, 240] },
		),
		h.sonarlyTool(
			'Get campaign',
			{
				resource: 'campaign',
				operation: 'get',
				accountGroupId: h.byId(GROUP_ARG),
				campaignId: h.byId(CAMPAIGN_ARG),
			},
			{ position: [520, 240] },
		),
		h.sonarlyTool(
			'Stop campaign',
			{
				resource: 'campaign',
				operation: 'stop',
				accountGroupId: h.byId(GROUP_ARG),
				campaignId: h.byId(CAMPAIGN_ARG),
			},
			{ position: [680, 240], onError: stopOnError },
		),
	];
}

/** Items of a tool result: n8n sends the model JSON.stringify of the tool node's output items. */
function resultItems(result) {
	assert.ok(Array.isArray(result?.parsed), `tool result is not a JSON list: ${result?.content}`);
	return result.parsed;
}

/**
 * A model that finds a campaign by the names in the prompt, then stops it: List account groups
 * → List campaigns (with the id it read) → Stop campaign (with the ids it read) → an answer
 * made from the stop's result. It throws (the server answers 500) if a name is not found.
 */
function findAndStopScript({ groupName, campaignName }) {
	return ({ messages }) => {
		const results = toolResults(messages);
		const last = results.at(-1);
		if (!last) return [{ name: 'List_account_groups', arguments: {} }];
		if (last.name === 'List_account_groups') {
			const group = resultItems(last).find((item) => item.name === groupName);
			if (!group) throw new Error(`no account group named ${groupName} in ${last.content}`);
			return [{ name: 'List_campaigns', arguments: { accountGroupId: group.id } }];
		}
		if (last.name === 'List_campaigns') {
			const groupId = JSON.parse(
				messages
					.flatMap((m) => m.tool_calls ?? [])
					.find((c) => c.function.name === 'List_campaigns').function.arguments,
			).accountGroupId;
			const campaign = resultItems(last).find((item) => item.name === campaignName);
			if (!campaign) throw new Error(`no campaign named ${campaignName} in ${last.content}`);
			return [
				{ name: 'Stop_campaign', arguments: { accountGroupId: groupId, campaignId: campaign.id } },
			];
		}
		if (last.name === 'Stop_campaign') {
			const [item] = resultItems(last);
			if (item?.campaign)
				return `Stopped "${item.campaign.name}": ${item.instancesStopped} running sequences were stopped (trace ${item.traceId}).`;
			if (item?.error)
				return `I could not stop it: ${item.message ?? item.error.message ?? item.error} (HTTP ${item.error.httpCode}, trace ${item.error.traceId}). I will not retry.`;
			throw new Error(`unexpected stop result ${last.content}`);
		}
		throw new Error(`unexpected tool result from ${last.name}`);
	};
}

/** Everything of a run that could hold the key: the execution JSON n8n printed, and its logs. */
function assertKeyNowhere(result, model) {
	for (const entry of model.requests) {
		assert.ok(
			!entry.rawBody.includes(API_KEY),
			`the API key reached the model server in a request body`,
		);
		assert.ok(
			!JSON.stringify(entry.headers).includes(API_KEY),
			'the API key reached the model server in a header',
		);
	}
	assert.ok(result.stdout.length > 0);
	assert.ok(!result.stdout.includes(API_KEY), 'the API key is in the execution data n8n printed');
	assert.ok(!result.stderr.includes(API_KEY), "the API key is in n8n's log");
	assert.ok(!JSON.stringify(result.execution ?? {}).includes(API_KEY));
}

/** The tool message that answered the model's call to `name` (the last one). */
function toolResultFor(model, name) {
	const requests = model.chatRequests();
	const results = toolResults(requests.at(-1)?.body.messages ?? []);
	const found = results.filter((r) => r.name === name).at(-1);
	assert.ok(found, `the model never received a result from ${name}`);
	return found;
}

function agentOutput(result) {
	return h.outputItems(result.runData, 'AI Agent', 0)[0]?.output;
}

for (const version of h.testedVersions()) {
	describe(`n8n ${version}: AI agent with Sonarly tools (scripted OpenAI-compatible model)`, () => {
		let sb;
		let model;
		let session;
		let counter = 0;

		before(async () => {
			await h.ensureBuilt();
			sb = await startSandbox({ port: 0 });
			model = await startScriptedModel();
			session = await h.openSession({ version });
			await session.importCredentials([
				h.sonarlyCredential({ apiKey: API_KEY, baseUrl: sb.url }),
				h.openAiCredential({ url: model.url }),
			]);
		});

		after(async () => {
			await session?.close();
			await model?.close();
			await sb?.close();
		});

		async function runAgent({ prompt, script, tools = sonarlyTools() }) {
			sb.reset();
			model.reset();
			model.setScript(script);
			const id = `sonarlyAgentWf${String(++counter).padStart(3, '0')}`;
			await session.importWorkflows(h.agentWorkflow({ id, prompt, tools }));
			return await session.execute(id, { timeoutMs: 180_000 });
		}

		it('"stop the Webinar Follow-up campaign of Acme Sales": lists, then stops exactly that campaign once', async () => {
			const result = await runAgent({
				prompt: 'Please stop the Webinar Follow-up campaign of Acme Sales.',
				script: findAndStopScript({ groupName: 'Acme Sales', campaignName: 'Webinar Follow-up' }),
			});
			assert.equal(h.unrecognizedNodeType(result), undefined);
			assert.equal(result.exitCode, 0, result.stdout.slice(-3000));
			assert.ok(result.ok, JSON.stringify(result.error));

			// n8n called /chat/completions, not streaming, four times: one per step.
			const chats = model.chatRequests();
			assert.deepEqual(
				chats.map((entry) => [entry.method, entry.path, entry.body.stream ?? false]),
				Array(4).fill(['POST', '/v1/chat/completions', false]),
			);
			// The tools and their descriptions, as the model received them.
			const offered = Object.fromEntries(
				chats[0].body.tools.map((tool) => [tool.function.name, tool.function.description]),
			);
			assert.deepEqual(offered, EXPECTED_TOOL_DESCRIPTIONS);
			// The argument schemas, from the $fromAI() calls of each tool node.
			const argumentsOf = Object.fromEntries(
				chats[0].body.tools.map(({ function: fn }) => [
					fn.name,
					{ properties: fn.parameters.properties, required: fn.parameters.required ?? [] },
				]),
			);
			const group = {
				type: 'string',
				description: 'The ID of the account group, from List account groups',
			};
			const campaign = {
				type: 'string',
				description: 'The ID of the campaign, from List campaigns',
			};
			assert.deepEqual(argumentsOf, {
				List_account_groups: { properties: {}, required: [] },
				List_campaigns: { properties: { accountGroupId: group }, required: ['accountGroupId'] },
				Get_campaign: {
					properties: { accountGroupId: group, campaignId: campaign },
					required: ['accountGroupId', 'campaignId'],
				},
				Stop_campaign: {
					properties: { accountGroupId: group, campaignId: campaign },
					required: ['accountGroupId', 'campaignId'],
				},
			});

			// Sonarly saw exactly one stop, for the campaign the model found by name.
			const stops = sb.stopRequests();
			assert.equal(stops.length, 1);
			assert.equal(stops[0].accountGroupId, ids.acmeGroup);
			assert.equal(stops[0].campaignId, ids.activeCampaign2);
			assert.equal(sb.campaign(ids.acmeGroup, ids.activeCampaign2).status, 'stopped');

			// The lists reached the model simplified: a few fields per item, the id always.
			const lists = toolResults(chats.at(-1).body.messages);
			assert.deepEqual(
				resultItems(lists.find((r) => r.name === 'List_account_groups')).map((g) => Object.keys(g)),
				[
					['id', 'name'],
					['id', 'name'],
				],
			);
			const campaigns = resultItems(lists.find((r) => r.name === 'List_campaigns'));
			assert.equal(campaigns.length, 5);
			for (const campaign of campaigns)
				assert.deepEqual(Object.keys(campaign), [
					'id',
					'name',
					'status',
					'selectedLeadCount',
					'startedAt',
				]);

			// The tool result the model received names the campaign and instancesStopped.
			const [stopped] = resultItems(toolResultFor(model, 'Stop_campaign'));
			assert.equal(stopped.campaign.name, 'Webinar Follow-up');
			assert.equal(stopped.campaign.id, ids.activeCampaign2);
			assert.equal(stopped.instancesStopped, 137);
			assert.equal(stopped.stopped, true);
			assert.match(stopped.traceId, /^[0-9a-f]{24}$/);

			assert.match(agentOutput(result), /^Stopped "Webinar Follow-up": 137 running sequences/);
			assertKeyNowhere(result, model);
		});

		it('a draft campaign: the model receives the readable "not active" failure and the run goes on', async () => {
			const result = await runAgent({
				prompt: 'Stop the Holiday Promo (draft) campaign of Acme Sales.',
				script: findAndStopScript({
					groupName: 'Acme Sales',
					campaignName: 'Holiday Promo (draft)',
				}),
			});
			assert.equal(result.exitCode, 0, result.stdout.slice(-3000));
			assert.ok(result.ok, JSON.stringify(result.error));
			assert.equal(sb.stopRequests().length, 1);
			assert.equal(sb.campaign(ids.acmeGroup, ids.draftCampaign).status, 'draft');

			const received = toolResultFor(model, 'Stop_campaign');
			const [item] = resultItems(received);
			assert.ok(item.error && typeof item.error === 'object', received.content);
			assert.equal(
				item.error.message,
				'The campaign is not active, so Sonarly could not stop the campaign',
			);
			assert.match(item.error.description, /Check its status in Sonarly before running again/);
			assert.equal(item.error.httpCode, 409);
			assert.equal(item.error.code, 'CAMPAIGN_NOT_ACTIVE');
			assert.match(item.error.traceId, /^[0-9a-f]{24}$/);
			assert.match(item.message, /^The campaign is not active.*Check its status/s);
			assert.doesNotMatch(received.content, /\[object Object\]|\bat .+\.js:\d+|stack/);

			// The model answered after the failure, and did not call Stop again.
			assert.equal(model.chatRequests().length, 4);
			assert.match(
				agentOutput(result),
				/I could not stop it: The campaign is not active.*HTTP 409/s,
			);
			assertKeyNowhere(result, model);
		});

		it('an explicit On Error "Stop Workflow" on the tool still stops the run at the failure', async () => {
			const result = await runAgent({
				prompt: 'Stop the Holiday Promo (draft) campaign of Acme Sales.',
				script: findAndStopScript({
					groupName: 'Acme Sales',
					campaignName: 'Holiday Promo (draft)',
				}),
				tools: sonarlyTools({ stopOnError: 'stopWorkflow' }),
			});
			assert.notEqual(result.exitCode, 0, 'the execution should have failed');
			assert.match(JSON.stringify(result.error ?? result.stdout), /not active/);
			assert.equal(sb.stopRequests().length, 1);
			// The model was never asked for an answer after the failed stop.
			assert.equal(model.chatRequests().length, 3);
			assert.ok(!result.stdout.includes(API_KEY));
		});

		it('without any model, through the Tool Executor node: a stop, then a draft as a readable failure', async () => {
			sb.reset();
			const [, , , stopTool] = sonarlyTools();
			const workflows = [ids.activeCampaign, ids.draftCampaign].map((campaignId, index) =>
				h.toolExecutorWorkflow({
					id: `sonarlyToolExec${String(index + 1).padStart(3, '0')}`,
					tool: stopTool,
					args: { accountGroupId: ids.acmeGroup, campaignId },
					version,
				}),
			);
			await session.importWorkflows(workflows);
			const handed = [];
			for (const wf of workflows) {
				const result = await session.execute(wf.id);
				assert.equal(result.exitCode, 0, result.stdout.slice(-3000));
				assert.ok(result.ok, JSON.stringify(result.error));
				assert.ok(!result.stdout.includes(API_KEY));
				// The executor outputs what the tool hands a model: the items' json, as JSON text.
				const [text] = h.outputItems(result.runData, 'Tool Executor', 0);
				assert.equal(typeof text, 'string', JSON.stringify(text));
				handed.push(JSON.parse(text));
			}
			const [[stopped], [failed]] = handed;
			assert.equal(stopped.campaign.id, ids.activeCampaign);
			assert.equal(stopped.instancesStopped, 25);
			assert.equal(stopped.stopped, true);
			assert.equal(failed.error.httpCode, 409);
			assert.equal(failed.error.code, 'CAMPAIGN_NOT_ACTIVE');
			assert.match(failed.message, /^The campaign is not active.*Check its status/s);
			assert.deepEqual(
				sb.stopRequests().map((entry) => entry.campaignId),
				[ids.activeCampaign, ids.draftCampaign],
			);
		});

		it('the shipped examples/ai-agent-stop-campaign.json runs as shipped, only its OpenAI credential pointed at the scripted model', async () => {
			// The file is imported as it is; the session's "OpenAI account" credential (the id the
			// example references) points at the scripted model. Its chat trigger needs chat
			// messages: they are sent the way the editor's chat panel runs a workflow. Four turns:
			// the agent finds the campaign and asks for confirmation, stops it after "yes"; then
			// the same for a draft, whose stop fails and is reported, not retried.
			sb.reset();
			model.reset();
			model.setScript(confirmThenStopScript({ accountGroupId: ids.acmeGroup }));
			const [first, second, third, fourth] = await h.runChatWorkflow(session, {
				file: EXAMPLE_FILE,
				workflowId: JSON.parse(fs.readFileSync(EXAMPLE_FILE, 'utf8')).id,
				triggerName: 'When chat message received',
				outputNode: 'AI Agent',
				messages: [
					`Stop the Webinar Follow-up campaign in account group ${ids.acmeGroup}.`,
					'Yes, stop it.',
					'Now stop the Holiday Promo (draft) campaign too.',
					'Yes.',
				],
			});
			for (const run of [first, second, third, fourth])
				assert.equal(run.status, 'success', JSON.stringify(run.error));
			assert.equal(
				first.output,
				`Found "Webinar Follow-up" (${ids.activeCampaign2}), status active. Shall I stop it?`,
			);
			assert.equal(second.output, 'Done: "Webinar Follow-up" is stopped (137 sequences).');
			assert.match(
				third.output,
				/^Found "Holiday Promo \(draft\)" \(64a1f0000000000000000104\), status draft/,
			);
			// The draft: the agent got the readable failure, with the HTTP code and trace ID.
			assert.match(
				fourth.output,
				/^I could not stop it: The campaign is not active, so Sonarly could not stop the campaign\. .*Check its status.*\(HTTP 409, Sonarly code CAMPAIGN_NOT_ACTIVE, trace ID [0-9a-f]{24}\)\. I will not retry\.$/s,
			);

			const chats = model.chatRequests();
			assert.equal(chats.length, 8);
			assert.deepEqual(chats[0].body.tools.map((tool) => tool.function.name).sort(), [
				'List_Sonarly_campaigns',
				'Stop_Sonarly_campaign',
			]);
			// The example's manual tool description and system message reached the model.
			const stopTool = chats[0].body.tools.find(
				(tool) => tool.function.name === 'Stop_Sonarly_campaign',
			);
			assert.match(stopTool.function.description, /never twice for the same campaign/);
			assert.match(textOf(chats[0].body.messages[0].content), /never call it twice/);
			// The example's list tool hands the model simplified campaigns.
			const listed = toolResults(chats[1].body.messages).find(
				(r) => r.name === 'List_Sonarly_campaigns',
			);
			for (const campaign of resultItems(listed))
				assert.deepEqual(Object.keys(campaign), [
					'id',
					'name',
					'status',
					'selectedLeadCount',
					'startedAt',
				]);
			// Memory carried the first turn into the second.
			assert.ok(chats[2].body.messages.some((m) => /Shall I stop it\?/.test(textOf(m.content))));
			// One stop per confirmation, for the campaigns the model named.
			assert.deepEqual(
				sb.stopRequests().map((entry) => entry.campaignId),
				[ids.activeCampaign2, ids.draftCampaign],
			);
			assert.equal(sb.campaign(ids.acmeGroup, ids.draftCampaign).status, 'draft');
			for (const run of [first, second, third, fourth])
				assert.ok(!JSON.stringify(run.execution).includes(API_KEY), 'API key in execution data');
			for (const entry of model.requests) assert.ok(!entry.rawBody.includes(API_KEY));
		});
	});
}
