// Helpers for test/e2e/mcp.test.mjs: the official MCP SDK client against n8n's MCP Server
// Trigger, a stand-in in front of the sandbox that answers one campaign with a 400 carrying
// 1 MB of details, and activating an imported workflow on either n8n line.
import http from 'node:http';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/** An "HTTP Bearer Auth" credential (`httpBearerAuth`) for the trigger, for import. */
export function bearerCredential({ id, name, token }) {
	return { id, name, type: 'httpBearerAuth', data: { token } };
}

/**
 * Activates an imported workflow before `n8n start`: `publish:workflow` on 2.x,
 * `update:workflow --active=true` on 1.x (which has no publish command).
 */
export async function activateWorkflow(session, workflowId) {
	const args = session.version.startsWith('1.')
		? ['update:workflow', `--id=${workflowId}`, '--active=true']
		: ['publish:workflow', `--id=${workflowId}`];
	const result = await session.cli(args);
	if (result.code !== 0)
		throw new Error(`n8n ${args[0]} failed (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
	return result;
}

const CLIENT_INFO = { name: 'sonarly-e2e-client', version: '1.0.0' };

/**
 * An MCP SDK client connected to `url` over Streamable HTTP (`transport: 'http'`) or SSE,
 * sending `Authorization: Bearer <token>` when a token is given. Resolves { client, close }.
 */
export async function connectMcp(url, { token, transport = 'http', timeoutMs = 60_000 } = {}) {
	const requestInit = token ? { headers: { Authorization: `Bearer ${token}` } } : undefined;
	const made =
		transport === 'sse'
			? new SSEClientTransport(new URL(url), { requestInit })
			: new StreamableHTTPClientTransport(new URL(url), { requestInit });
	const client = new Client(CLIENT_INFO);
	await client.connect(made, { timeout: timeoutMs });
	return {
		client,
		async close() {
			await client.close().catch(() => undefined);
		},
	};
}

/**
 * Waits until the MCP endpoint has been registered (n8n answers 404 for an unknown webhook
 * path while a workflow is still being activated) and answers an `initialize`.
 */
export async function waitForMcp(url, token, { timeoutMs = 90_000 } = {}) {
	const deadline = Date.now() + timeoutMs;
	let last = '';
	while (Date.now() < deadline) {
		try {
			const response = await fetch(url, {
				method: 'POST',
				headers: {
					authorization: `Bearer ${token}`,
					'content-type': 'application/json',
					accept: 'application/json, text/event-stream',
				},
				body: JSON.stringify(initializeRequest()),
				signal: AbortSignal.timeout(10_000),
			});
			last = `${response.status} ${(await response.text()).slice(0, 200)}`;
			if (response.ok) return;
		} catch (error) {
			last = String(error?.cause?.code ?? error?.message ?? error);
		}
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
	throw new Error(`the MCP endpoint ${url} did not answer within ${timeoutMs} ms (last: ${last})`);
}

/** A JSON-RPC `initialize` request, as an MCP client's first message. */
export function initializeRequest(id = 1) {
	return {
		jsonrpc: '2.0',
		id,
		method: 'initialize',
		params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: CLIENT_INFO },
	};
}

/** The text of a tool result (every text content part, joined). */
export function resultText(result) {
	return (result?.content ?? [])
		.filter((part) => part.type === 'text')
		.map((part) => part.text)
		.join('\n');
}

/**
 * A stand-in for Sonarly on 127.0.0.1: requests for campaign `hugeCampaignId` get a 400 whose
 * `error.details` is about `detailsBytes` of JSON (a validation report), as a misbehaving API or
 * proxy could send; everything else is passed to `target` (the sandbox) as it is.
 * Resolves { url, hugeRequests, close() }.
 */
export async function startHugeErrorStandIn({ target, hugeCampaignId, detailsBytes = 1_048_576 }) {
	const row = (index) => ({ field: `leads[${index}].email`, problem: 'must be a valid email address' });
	const rows = [];
	for (let size = 0, index = 0; size < detailsBytes; index++) {
		rows.push(row(index));
		size += JSON.stringify(row(index)).length + 1;
	}
	const hugeBody = JSON.stringify({
		success: false,
		data: null,
		error: { code: 'VALIDATION_ERROR', message: 'Request validation failed', details: { rows } },
		traceId: '64b0c0ffee0000000000bad4',
	});
	const upstream = new URL(target);
	const hugeRequests = [];
	const server = http.createServer((req, res) => {
		if (req.url.includes(`/campaigns/${hugeCampaignId}`)) {
			hugeRequests.push({ method: req.method, path: req.url });
			req.resume();
			res.writeHead(400, { 'content-type': 'application/json' });
			res.end(hugeBody);
			return;
		}
		const forward = http.request(
			{
				host: upstream.hostname,
				port: upstream.port,
				method: req.method,
				path: req.url,
				headers: { ...req.headers, host: upstream.host },
				timeout: 30_000,
			},
			(answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			},
		);
		forward.on('timeout', () => forward.destroy(new Error('sandbox did not answer')));
		forward.on('error', () => {
			if (!res.headersSent) res.writeHead(502);
			res.end();
		});
		req.pipe(forward);
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	return {
		url: `http://127.0.0.1:${server.address().port}`,
		hugeRequests,
		hugeBodyBytes: Buffer.byteLength(hugeBody),
		async close() {
			server.closeAllConnections?.();
			await new Promise((resolve) => server.close(() => resolve()));
		},
	};
}
