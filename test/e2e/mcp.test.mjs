// examples/mcp-server-sonarly.json as a new user would run it: imported as it is into a real n8n,
// activated, served by `n8n start`, and used with the official MCP SDK client
// (@modelcontextprotocol/sdk) over Streamable HTTP, plus one SSE smoke test. The Sonarly
// credential points at a stand-in that passes everything to the sandbox except one campaign,
// which gets a 400 with 1 MB of details. Asserted on what the MCP client received, on the
// sandbox's request log, on n8n's log and on everything n8n saved.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import * as h from './n8n.mjs';
import {
	activateWorkflow,
	bearerCredential,
	connectMcp,
	initializeRequest,
	resultText,
	startHugeErrorStandIn,
	waitForMcp,
} from './mcp.mjs';

const { startSandbox, SEED } = h.sandboxModule();
const ids = SEED.ids;
const API_KEY = 'sk_test_full_access';
const TOKEN = 'mcp-e2e-bearer-6f1d2c9a8b7e4d3c2b1a0f9e8d7c6b5a';
const EXAMPLE_FILE = path.join(h.REPO_ROOT, 'examples', 'mcp-server-sonarly.json');
const EXAMPLE = JSON.parse(fs.readFileSync(EXAMPLE_FILE, 'utf8'));
const HUGE_CAMPAIGN = 'huge-details-400';
const MAX_RESULT_BYTES = 16_384;

const TOOLS = {
	groups: 'Find_an_account_group_ID_in_Sonarly',
	campaigns: 'Find_a_campaign_ID_by_name_in_Sonarly',
	get: 'Get_a_campaign_status_by_ID_in_Sonarly',
	stop: 'Stop_a_campaign_with_no_undo_in_Sonarly',
	startJob: 'Start_a_prospecting_job_once_in_Sonarly',
	reply: 'Queue_one_reply_to_a_prospect_in_Sonarly',
};
const WRITES = new Set(['stop', 'start', 'reply']);
const GROUP_ARG = {
	type: 'string',
	description: 'The account group ID, as returned by Find_an_account_group_ID_in_Sonarly',
};
const CAMPAIGN_ARG = {
	type: 'string',
	description: 'The campaign ID, as returned by Find_a_campaign_ID_by_name_in_Sonarly',
};

const bytes = (text) => Buffer.byteLength(text, 'utf8');
const triggerNode = EXAMPLE.nodes.find((node) => node.type.endsWith('.mcpTrigger'));

describe('examples/mcp-server-sonarly.json (static checks)', () => {
	it('requires a bearer token, and fails tool calls as MCP errors', () => {
		assert.equal(triggerNode.parameters.authentication, 'bearerAuth');
		assert.deepEqual(Object.keys(triggerNode.credentials), ['httpBearerAuth']);
		const tools = EXAMPLE.nodes.filter((node) => node.type === h.TOOL_NODE_TYPE);
		assert.equal(tools.length, 6);
		for (const tool of tools) assert.equal(tool.parameters.options?.toolFailure, 'error', tool.name);
		for (const tool of tools.filter((node) => !WRITES.has(node.parameters.operation)))
			assert.equal(tool.parameters.output ?? 'simplified', 'simplified', `${tool.name} reads on Simplified output`);
	});

	it("names every tool as n8n's editor names a new one: \"<action> in Sonarly\"", async () => {
		await h.ensureBuilt({ ifStale: true });
		const { Sonarly } = await import(path.join(h.REPO_ROOT, 'dist', 'nodes', 'Sonarly', 'Sonarly.node.js'));
		const { properties, defaults } = new Sonarly().description;
		const actions = new Map(
			properties
				.filter((p) => p.name === 'operation')
				.flatMap((p) =>
					p.options.map((o) => [`${p.displayOptions.show.resource[0]}.${o.value}`, o.action]),
				),
		);
		for (const tool of EXAMPLE.nodes.filter((node) => node.type === h.TOOL_NODE_TYPE)) {
			const { resource, operation } = tool.parameters;
			assert.equal(tool.name, `${actions.get(`${resource}.${operation}`)} in ${defaults.name}`);
		}
	});
});

for (const version of h.testedVersions()) {
	describe(`n8n ${version}: examples/mcp-server-sonarly.json with a real MCP client`, { timeout: 480_000 }, () => {
		let sb;
		let standIn;
		let session;
		let server;
		let url;
		/** Every tool result the client received: { tool, isError, text }. */
		const received = [];

		async function call(client, tool, args) {
			const result = await client.callTool({ name: tool, arguments: args }, undefined, { timeout: 90_000 });
			const entry = { tool, isError: result.isError === true, text: resultText(result) };
			received.push(entry);
			return entry;
		}

		before(async () => {
			await h.ensureBuilt({ ifStale: true });
			sb = await startSandbox({ port: 0 });
			standIn = await startHugeErrorStandIn({ target: sb.url, hugeCampaignId: HUGE_CAMPAIGN });
			session = await h.openSession({ version });
			await session.importCredentials([
				h.sonarlyCredential({ apiKey: API_KEY, baseUrl: standIn.url }),
				bearerCredential({
					...triggerNode.credentials.httpBearerAuth,
					token: TOKEN,
				}),
			]);
			// The example file as it is, then activated the way each line does it.
			const imported = await session.cli(['import:workflow', `--input=${EXAMPLE_FILE}`]);
			assert.equal(imported.code, 0, `${imported.stdout}\n${imported.stderr}`);
			await activateWorkflow(session, EXAMPLE.id);
			server = await h.startN8nServer(session);
			url = `${server.url}/mcp/${triggerNode.parameters.path}`;
			await waitForMcp(url, TOKEN);
			sb.reset();
		});

		after(async () => {
			await server?.stop();
			await session?.close();
			await standIn?.close();
			await sb?.close();
		});

		it('refuses a client without the bearer token, or with a wrong one (403), and runs nothing', async () => {
			const attempts = [
				['POST', {}],
				['POST', { authorization: 'Bearer not-the-token' }],
				['GET', {}],
			];
			for (const [method, headers] of attempts) {
				const response = await fetch(url, {
					method,
					headers: {
						'content-type': 'application/json',
						accept: 'application/json, text/event-stream',
						...headers,
					},
					body: method === 'POST' ? JSON.stringify(initializeRequest()) : undefined,
					signal: AbortSignal.timeout(30_000),
				});
				await response.arrayBuffer();
				assert.equal(response.status, 403, `${method} ${JSON.stringify(headers)}`);
			}
			await assert.rejects(connectMcp(url, { timeoutMs: 30_000 }));
			assert.deepEqual(sb.requests, []);
		});

		it('lists the six tools: names within 40 characters, IDs as required arguments with descriptions', async () => {
			const { client, close } = await connectMcp(url, { token: TOKEN });
			try {
				const { tools } = await client.listTools(undefined, { timeout: 60_000 });
				const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
				assert.deepEqual(Object.keys(byName).sort(), Object.values(TOOLS).sort());
				for (const tool of tools) assert.ok(tool.name.length <= 40, `${tool.name} is ${tool.name.length} characters`);

				// Reads keep n8n's automatic description, "<action> in Sonarly" (the node's name).
				assert.equal(byName[TOOLS.groups].description, 'Find an account group ID in Sonarly');
				assert.equal(byName[TOOLS.campaigns].description, 'Find a campaign ID by name in Sonarly');
				assert.equal(byName[TOOLS.get].description, 'Get a campaign status by ID in Sonarly');
				// The write says, to the client's model, that it cannot be undone and is not to be retried.
				assert.match(byName[TOOLS.stop].description, /cannot be undone/);
				assert.match(byName[TOOLS.stop].description, /confirmed/);
				assert.match(byName[TOOLS.stop].description, /never retry/);

				const schema = (name) => {
					const { properties = {}, required = [] } = byName[name].inputSchema;
					return { properties, required: [...required].sort() };
				};
				assert.deepEqual(schema(TOOLS.groups), { properties: {}, required: [] });
				assert.deepEqual(schema(TOOLS.campaigns), {
					properties: { accountGroupId: GROUP_ARG },
					required: ['accountGroupId'],
				});
				for (const name of [TOOLS.get, TOOLS.stop]) {
					assert.deepEqual(schema(name), {
						properties: { accountGroupId: GROUP_ARG, campaignId: CAMPAIGN_ARG },
						required: ['accountGroupId', 'campaignId'],
					});
				}
				// The keyed writes: every argument described, and the description asks to confirm first, once.
				assert.deepEqual(schema(TOOLS.startJob).required, ['accountGroupId', 'jobBody']);
				assert.deepEqual(schema(TOOLS.reply).required, ['accountGroupId', 'message', 'prospectId']);
				for (const name of [TOOLS.startJob, TOOLS.reply]) {
					for (const argument of Object.values(schema(name).properties)) assert.ok(argument.description, name);
					assert.match(byName[name].description, /confirmed|approved/);
					assert.match(byName[name].description, /only once/);
				}

				// The trigger's Instructions reach the client on 2.x; n8n 1.x has no such field.
				const instructions = client.getInstructions();
				if (version.startsWith('1.')) assert.equal(instructions, undefined);
				else {
					assert.match(instructions, /wait for an explicit yes/);
					assert.match(instructions, /Never retry it on your own/);
				}
				const serverName = client.getServerVersion()?.name;
				h.log(
					`[mcp ${version}] server "${serverName}", tools: ${tools
						.map((tool) => `${tool.name} (${tool.name.length}) ${JSON.stringify(tool.inputSchema)}`)
						.join('; ')}`,
				);
			} finally {
				await close();
			}
			assert.deepEqual(sb.requests, [], 'listing tools calls no Sonarly route');
		});

		it('finds and stops a campaign; the same stop again is an error with "not active", HTTP 409 and the code', async () => {
			const { client, close } = await connectMcp(url, { token: TOKEN });
			try {
				const groups = await call(client, TOOLS.groups, {});
				assert.equal(groups.isError, false, groups.text);
				const acme = JSON.parse(groups.text).find((group) => group.name === 'Acme Sales');
				assert.deepEqual(Object.keys(acme), ['id', 'name']);

				const campaigns = await call(client, TOOLS.campaigns, { accountGroupId: acme.id });
				assert.equal(campaigns.isError, false, campaigns.text);
				const webinar = JSON.parse(campaigns.text).find((c) => c.name === 'Webinar Follow-up');
				assert.equal(webinar.id, ids.activeCampaign2);
				assert.equal(webinar.status, 'active');

				const stopped = await call(client, TOOLS.stop, { accountGroupId: acme.id, campaignId: webinar.id });
				assert.equal(stopped.isError, false, stopped.text);
				const [item] = JSON.parse(stopped.text);
				assert.equal(item.campaign.id, ids.activeCampaign2);
				assert.equal(item.campaign.status, 'stopped');
				assert.equal(item.instancesStopped, 137);

				const again = await call(client, TOOLS.stop, { accountGroupId: acme.id, campaignId: webinar.id });
				assert.equal(again.isError, true, `a second stop must be an MCP error: ${again.text}`);
				assert.match(again.text, /The campaign is not active, so Sonarly could not stop the campaign/);
				assert.match(again.text, /Sonarly's answer: HTTP 409, code CAMPAIGN_NOT_ACTIVE\./);
				assert.match(again.text, /Trace ID for Sonarly support: [0-9a-f]{24}/);
				h.log(`[mcp ${version}] the second stop, as the client received it: ${JSON.stringify(again.text)}`);

				const status = await call(client, TOOLS.get, { accountGroupId: acme.id, campaignId: webinar.id });
				assert.equal(status.isError, false, status.text);
				assert.equal(JSON.parse(status.text)[0].status, 'stopped');
			} finally {
				await close();
			}
		});

		it('queues a reply once: the same call again is Sonarly\'s replay (same key), not a second message', async () => {
			const { client, close } = await connectMcp(url, { token: TOKEN });
			try {
				const args = { accountGroupId: ids.acmeGroup, prospectId: 'mcp-prospect-1', message: 'Thanks, talk on Monday!' };
				const first = await call(client, TOOLS.reply, args);
				assert.equal(first.isError, false, first.text);
				const again = await call(client, TOOLS.reply, args);
				assert.equal(again.isError, false, again.text);
				const [queued] = JSON.parse(first.text);
				const [replayed] = JSON.parse(again.text);
				assert.equal(queued.queued, true);
				assert.equal(queued.replayed, false);
				assert.equal(replayed.replayed, true);
				assert.equal(replayed.idempotencyKey, queued.idempotencyKey);
				const replies = sb.requests.filter((entry) => entry.method === 'POST' && entry.path.endsWith('/messages/responses'));
				assert.deepEqual(replies.map((entry) => entry.status), [202, 200]);
			} finally {
				await close();
			}
		});

		it('refuses a call with missing arguments before anything is sent', async () => {
			const before = sb.requests.length;
			const { client, close } = await connectMcp(url, { token: TOKEN });
			try {
				for (const args of [{ accountGroupId: ids.acmeGroup }, {}]) {
					let refused;
					try {
						const result = await client.callTool({ name: TOOLS.stop, arguments: args }, undefined, {
							timeout: 60_000,
						});
						refused = { isError: result.isError === true, text: resultText(result) };
						received.push({ tool: TOOLS.stop, ...refused });
					} catch (error) {
						// A JSON-RPC error instead of a result is a refusal too.
						refused = { isError: true, text: String(error?.message ?? error) };
					}
					assert.equal(refused.isError, true, `${JSON.stringify(args)} was not refused: ${refused.text}`);
					assert.match(refused.text, /schema|campaignId|argument/i);
					h.log(`[mcp ${version}] ${JSON.stringify(args)} refused: ${JSON.stringify(refused.text.slice(0, 300))}`);
				}
			} finally {
				await close();
			}
			assert.equal(sb.requests.length, before, 'nothing reached Sonarly');
		});

		it('a 400 with 1 MB of details comes back as an error under 16 KB', async () => {
			const { client, close } = await connectMcp(url, { token: TOKEN });
			try {
				const huge = await call(client, TOOLS.get, { accountGroupId: ids.acmeGroup, campaignId: HUGE_CAMPAIGN });
				assert.equal(huge.isError, true, huge.text.slice(0, 500));
				assert.match(huge.text, /Sonarly rejected the request to get the campaign as invalid/);
				assert.match(huge.text, /HTTP 400, code VALIDATION_ERROR/);
				assert.ok(bytes(huge.text) < MAX_RESULT_BYTES, `${bytes(huge.text)} bytes`);
				h.log(
					`[mcp ${version}] a 400 whose body is ${standIn.hugeBodyBytes} bytes gave a ${bytes(huge.text)}-byte error`,
				);
			} finally {
				await close();
			}
			assert.equal(standIn.hugeRequests.length, 1);
		});

		it('works over SSE too (smoke): lists the same tools and reads a campaign', async () => {
			const { client, close } = await connectMcp(url, { token: TOKEN, transport: 'sse' });
			try {
				const { tools } = await client.listTools(undefined, { timeout: 60_000 });
				assert.deepEqual(tools.map((tool) => tool.name).sort(), Object.values(TOOLS).sort());
				const status = await call(client, TOOLS.get, { accountGroupId: ids.acmeGroup, campaignId: ids.draftCampaign });
				assert.equal(status.isError, false, status.text);
				assert.equal(JSON.parse(status.text)[0].status, 'draft');
			} finally {
				await close();
			}
		});

		it('Sonarly saw exactly one stop that took effect', () => {
			const stops = sb.stopRequests();
			assert.deepEqual(
				stops.map((entry) => [entry.campaignId, entry.status]),
				[
					[ids.activeCampaign2, 200],
					[ids.activeCampaign2, 409],
				],
			);
			assert.equal(sb.campaign(ids.acmeGroup, ids.activeCampaign2).status, 'stopped');
			for (const id of [ids.activeCampaign, ids.activeCampaign3])
				assert.equal(sb.campaign(ids.acmeGroup, id).status, 'active');
		});

		it('every tool result is under 16 KB, and the API key is in none of them, nor in n8n\'s log or anything it saved', async () => {
			assert.ok(received.length >= 9, `${received.length} results`);
			for (const { tool, text } of received) {
				assert.ok(bytes(text) < MAX_RESULT_BYTES, `${tool}: ${bytes(text)} bytes`);
				assert.ok(!text.includes(API_KEY), `${tool}: the API key is in a tool result`);
			}
			assert.ok(server.output().length > 0);
			assert.ok(!server.output().includes(API_KEY), "the API key is in n8n's log");
			assert.ok(!server.output().includes(TOKEN), "the bearer token is in n8n's log");

			// Saved executions, read as the editor reads them.
			const rest = await h.ownerLogin(server, {
				email: 'mcp-e2e@example.com',
				firstName: 'Sonarly',
				lastName: 'MCP',
				password: 'Sonarly-mcp-1',
			});
			const listed = await rest('GET', '/executions?limit=100');
			assert.equal(listed.status, 200, listed.text);
			const executions = listed.json?.data?.results ?? listed.json?.data ?? [];
			for (const execution of executions) {
				const one = await rest('GET', `/executions/${execution.id}`);
				assert.equal(one.status, 200, one.text);
				assert.ok(!one.text.includes(API_KEY), `execution ${execution.id} holds the API key`);
				assert.ok(!one.text.includes(TOKEN), `execution ${execution.id} holds the bearer token`);
			}
			// And n8n's database files themselves (credentials are stored encrypted).
			const dataDir = path.join(session.userFolder, '.n8n');
			const files = fs.readdirSync(dataDir).filter((name) => name.startsWith('database.sqlite'));
			assert.ok(files.length > 0, `no database in ${dataDir}`);
			for (const name of files) {
				const content = fs.readFileSync(path.join(dataDir, name));
				assert.ok(!content.includes(API_KEY), `${name} holds the API key`);
				assert.ok(!content.includes(TOKEN), `${name} holds the bearer token`);
			}
			// What n8n saves: 2.x an execution (status success) for every call that reached a tool,
			// failed ones included; 1.x none for a call that failed (its MCP trigger never finishes it).
			const texts = await Promise.all(
				executions.map(async (execution) => (await rest('GET', `/executions/${execution.id}`)).text),
			);
			if (version.startsWith('1.')) {
				assert.equal(executions.length, received.filter((entry) => !entry.isError).length);
				assert.ok(!texts.some((text) => /not active/.test(text)));
			} else {
				assert.equal(executions.length, received.length);
				assert.ok(texts.some((text) => /not active, so Sonarly could not stop/.test(text)));
			}
			h.log(
				`[mcp ${version}] ${received.length} tool results (largest ${Math.max(...received.map((e) => bytes(e.text)))} bytes); ` +
					`${executions.length} saved executions: ${JSON.stringify(executions.map((e) => e.status))}`,
			);
		});
	});
}
