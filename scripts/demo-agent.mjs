// Part 3 of `npm run demo`: the shipped AI-agent example (examples/ai-agent-stop-campaign.json)
// in a real n8n, its OpenAI Chat Model pointed at our scripted OpenAI-compatible model
// (test/e2e/scripted-model.mjs) instead of OpenAI, chatting through the same path as the
// editor's chat panel. Prints the conversation: what the user typed, each tool call the model
// made, what the tool handed back, and the agent's answers.
import fs from 'node:fs';
import path from 'node:path';

import * as h from '../test/e2e/n8n.mjs';
import { confirmThenStopScript, startScriptedModel, textOf } from '../test/e2e/scripted-model.mjs';

const EXAMPLE = 'ai-agent-stop-campaign.json';
const API_KEY = 'sk_test_full_access';

function clip(text, max = 150) {
	const flat = String(text).replace(/\s+/g, ' ');
	return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** One line for what a Sonarly tool handed the model. */
function describeToolResult(content) {
	let items;
	try {
		items = JSON.parse(content);
	} catch {
		return clip(content);
	}
	if (!Array.isArray(items)) return clip(content);
	const [first] = items;
	if (first?.error && typeof first.error === 'object') {
		const e = first.error;
		return clip(
			`failure: ${e.message} (HTTP ${e.httpCode}, ${e.code}, trace ID ${e.traceId})`,
			170,
		);
	}
	if (first?.campaign)
		return `"${first.campaign.name}" is now ${first.campaign.status}, instancesStopped ${first.instancesStopped}, trace ID ${first.traceId}`;
	if (items.every((item) => item && 'name' in item)) {
		const fields = Object.keys(first ?? {}).join(', ');
		return clip(
			`${items.length} items (${fields}): ${items.map((item) => `"${item.name}"${item.status ? ` ${item.status}` : ''}`).join(', ')}`,
			260,
		);
	}
	return clip(content);
}

/**
 * Runs the agent example and prints the conversation through `out(line)`; reports anything
 * unexpected through `problem(message)`. Starts and stops its own sandbox, scripted model and
 * n8n (in a fresh user folder).
 */
export async function demoAgent({ out, problem, version = h.N8N_V2 }) {
	const { startSandbox, SEED } = h.sandboxModule();
	const ids = SEED.ids;
	const file = path.join(h.REPO_ROOT, 'examples', EXAMPLE);
	const workflow = JSON.parse(fs.readFileSync(file, 'utf8'));
	const sb = await startSandbox({ port: 0 });
	const model = await startScriptedModel({
		script: confirmThenStopScript({ accountGroupId: ids.acmeGroup }),
	});
	const session = await h.openSession({ version });
	const started = Date.now();
	try {
		out();
		out(`(d) examples/${EXAMPLE}: the AI agent with two Sonarly tools, chatting in n8n ${version}`);
		out(
			`  "OpenAI account" credential → scripted OpenAI-compatible model at ${model.url} (not OpenAI)`,
		);
		await session.importCredentials([
			h.sonarlyCredential({ apiKey: API_KEY, baseUrl: sb.url }),
			h.openAiCredential({ url: model.url }),
		]);
		const messages = [
			`Stop the Webinar Follow-up campaign in account group ${ids.acmeGroup}.`,
			'Yes, stop it.',
			'Now stop the Holiday Promo (draft) campaign too.',
			'Yes.',
		];
		const runs = await h.runChatWorkflow(session, {
			file,
			workflowId: workflow.id,
			triggerName: 'When chat message received',
			outputNode: 'AI Agent',
			messages,
		});

		// Walk the model's requests: each one is a step of the conversation.
		const chats = model.chatRequests();
		const tools = chats[0]?.body.tools ?? [];
		out(`  tools the model was offered: ${tools.map((tool) => tool.function.name).join(', ')}`);
		let turn = -1;
		for (const chat of chats) {
			const conversation = chat.body.messages;
			const last = conversation.at(-1);
			if (last?.role === 'user') {
				// A new chat message (memory replays the earlier turns before it).
				turn += 1;
				out();
				out(`  You:    ${textOf(last.content)}`);
			} else {
				// The tool results n8n sends back after the model's tool calls.
				const toolMessages = [];
				for (let i = conversation.length - 1; i >= 0 && conversation[i].role === 'tool'; i--)
					toolMessages.unshift(conversation[i]);
				for (const message of toolMessages)
					out(`  Tool  ← ${describeToolResult(textOf(message.content))}`);
			}
			for (const call of chat.reply?.toolCalls ?? [])
				out(`  Model → ${call.function.name}(${call.function.arguments})`);
			if (chat.reply && chat.reply.toolCalls.length === 0)
				out(`  Agent:  ${runs[turn]?.output ?? chat.reply.content}`);
		}

		out();
		const stops = sb.stopRequests();
		const keyLeaks = model.requests.filter(
			(entry) => entry.rawBody.includes(API_KEY) || JSON.stringify(entry.headers).includes(API_KEY),
		).length;
		out(
			`  ${stops.length} stop requests reached Sonarly (one per "yes"); the Sonarly API key was in ${keyLeaks} of the ${model.requests.length} requests to the model; ${Math.round((Date.now() - started) / 1000)} s`,
		);
		if (runs.some((run) => run.status !== 'success'))
			problem(
				`(d) an agent execution did not succeed: ${runs.map((run) => run.status).join(', ')}`,
			);
		if (
			JSON.stringify(stops.map((entry) => entry.campaignId)) !==
			JSON.stringify([ids.activeCampaign2, ids.draftCampaign])
		)
			problem('(d) expected one stop for "Webinar Follow-up", then one for the draft');
		if (!/^Done: "Webinar Follow-up" is stopped/.test(runs[1]?.output ?? ''))
			problem('(d) the agent did not confirm the stop of "Webinar Follow-up"');
		if (!/not active.*HTTP 409/s.test(runs[3]?.output ?? ''))
			problem('(d) the agent did not report the draft\'s "not active" failure with its HTTP code');
		if (keyLeaks > 0) problem('(d) the Sonarly API key reached the model server');
	} finally {
		await session.close();
		await model.close();
		await sb.close();
	}
}
