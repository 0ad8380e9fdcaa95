// A scripted OpenAI-compatible chat model server for the AI-agent tests and the demo.
//
// n8n's OpenAI Chat Model node (typeVersion 1.2) sends `POST <credential Base URL>/chat/completions`
// with the conversation so far and the tools it offers. This server records every request as it
// arrived (method, path, headers, raw body) and answers with whatever the test's `script`
// returns for that request: a tool call, several, or a final text answer. The script sees the
// real conversation (the tool results n8n sent back), so a scripted model can pick the id it
// was given by a previous tool call, like a real model would.
//
// It answers `stream: false` with one chat.completion object and `stream: true` with
// server-sent chat.completion.chunk events, as OpenAI does. It listens on 127.0.0.1 only and
// never calls anything itself.

import http from 'node:http';

/** A tool call for a script to return: `{ name, arguments }` (arguments: an object). */
export function toolCall(name, args) {
	return { name, arguments: args };
}

/**
 * The tool messages of a conversation, in order: [{ id, name, content, parsed }] where `name` is
 * the tool the assistant called with that id and `parsed` is the JSON content (or undefined).
 */
export function toolResults(messages) {
	const names = new Map();
	for (const message of messages) {
		for (const call of message.tool_calls ?? []) names.set(call.id, call.function?.name);
	}
	return messages
		.filter((message) => message.role === 'tool')
		.map((message) => {
			const content = textOf(message.content);
			let parsed;
			try {
				parsed = JSON.parse(content);
			} catch {
				parsed = undefined;
			}
			return { id: message.tool_call_id, name: names.get(message.tool_call_id), content, parsed };
		});
}

/** The text of a message's content (a string, or OpenAI's list of parts). */
export function textOf(content) {
	if (typeof content === 'string') return content;
	if (Array.isArray(content))
		return content.map((part) => (typeof part === 'string' ? part : (part?.text ?? ''))).join('');
	return content == null ? '' : JSON.stringify(content);
}

/** The last user message of a conversation, as text. */
export function lastUserText(messages) {
	const users = messages.filter((message) => message.role === 'user');
	return users.length === 0 ? '' : textOf(users.at(-1).content);
}

function readBody(req) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

function sendJson(res, status, value) {
	const text = JSON.stringify(value);
	res.writeHead(status, {
		'content-type': 'application/json',
		'content-length': Buffer.byteLength(text),
	});
	res.end(text);
}

/**
 * Starts the server. `script(request)` gets `{ index, body, messages, tools }` (index counts
 * chat requests from 0) and returns either a string (the final answer), an array of tool calls
 * (see toolCall), or `{ content, toolCalls }`. A script that throws makes the server answer
 * 500 with the message, so a wrong conversation shows up in the test's failure, not as a hang.
 *
 * Resolves { url, port, requests, chatRequests(), setScript(fn), close() }. `url` ends in /v1:
 * put it in the OpenAI credential's Base URL.
 */
export async function startScriptedModel({ script, model = 'gpt-4o-mini' } = {}) {
	let current = script;
	let chatIndex = 0;
	let callCounter = 0;
	/** Every request as received: { method, path, headers, rawBody, body, at }. */
	const requests = [];

	const server = http.createServer(async (req, res) => {
		let rawBody = '';
		try {
			rawBody = await readBody(req);
		} catch {
			res.destroy();
			return;
		}
		let body;
		try {
			body = rawBody ? JSON.parse(rawBody) : undefined;
		} catch {
			body = undefined;
		}
		const entry = {
			method: req.method,
			path: req.url,
			headers: { ...req.headers },
			rawBody,
			body,
			at: new Date().toISOString(),
		};
		requests.push(entry);
		const pathname = new URL(req.url, 'http://127.0.0.1').pathname.replace(/\/+$/, '');

		if (req.method === 'GET' && pathname.endsWith('/models')) {
			sendJson(res, 200, {
				object: 'list',
				data: [{ id: model, object: 'model', created: 1700000000, owned_by: 'sonarly-e2e' }],
			});
			return;
		}
		if (req.method !== 'POST' || !pathname.endsWith('/chat/completions')) {
			sendJson(res, 404, {
				error: {
					message: `The scripted model has no route ${req.method} ${pathname}`,
					type: 'invalid_request_error',
				},
			});
			return;
		}
		if (!body || !Array.isArray(body.messages)) {
			sendJson(res, 400, {
				error: { message: 'Expected a JSON body with messages', type: 'invalid_request_error' },
			});
			return;
		}

		const index = chatIndex++;
		entry.chatIndex = index;
		let reply;
		try {
			if (typeof current !== 'function') throw new Error('no script set');
			reply = await current({ index, body, messages: body.messages, tools: body.tools ?? [] });
		} catch (error) {
			entry.scriptError = String(error?.message ?? error);
			sendJson(res, 500, {
				error: { message: `Scripted model: ${entry.scriptError}`, type: 'server_error' },
			});
			return;
		}
		const { content, toolCalls } = normalise(reply);
		const calls = toolCalls.map((call) => ({
			id: `call_${++callCounter}`,
			type: 'function',
			function: { name: call.name, arguments: JSON.stringify(call.arguments ?? {}) },
		}));
		entry.reply = { content, toolCalls: calls };
		const id = `chatcmpl-scripted-${index + 1}`;
		const created = Math.floor(Date.now() / 1000);
		const finishReason = calls.length > 0 ? 'tool_calls' : 'stop';
		const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };

		if (body.stream === true) {
			res.writeHead(200, {
				'content-type': 'text/event-stream',
				'cache-control': 'no-cache',
				connection: 'keep-alive',
			});
			const send = (choices, extra = {}) =>
				res.write(
					`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices, ...extra })}\n\n`,
				);
			send([
				{
					index: 0,
					delta: { role: 'assistant', content: calls.length > 0 ? null : '' },
					finish_reason: null,
				},
			]);
			if (content) send([{ index: 0, delta: { content }, finish_reason: null }]);
			calls.forEach((call, callIndex) =>
				send([
					{
						index: 0,
						delta: {
							tool_calls: [
								{ index: callIndex, id: call.id, type: 'function', function: call.function },
							],
						},
						finish_reason: null,
					},
				]),
			);
			send([{ index: 0, delta: {}, finish_reason: finishReason }]);
			if (body.stream_options?.include_usage) send([], { usage });
			res.end('data: [DONE]\n\n');
			return;
		}
		sendJson(res, 200, {
			id,
			object: 'chat.completion',
			created,
			model,
			choices: [
				{
					index: 0,
					message: {
						role: 'assistant',
						content: calls.length > 0 ? (content ?? null) : (content ?? ''),
						...(calls.length > 0 ? { tool_calls: calls } : {}),
					},
					finish_reason: finishReason,
				},
			],
			usage,
		});
	});

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	const { port } = server.address();
	const sockets = new Set();
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});

	return {
		url: `http://127.0.0.1:${port}/v1`,
		port,
		requests,
		/** The chat requests only, in order. */
		chatRequests: () => requests.filter((entry) => entry.chatIndex !== undefined),
		setScript(fn) {
			current = fn;
			chatIndex = 0;
		},
		reset() {
			requests.length = 0;
			chatIndex = 0;
		},
		async close() {
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => server.close(() => resolve()));
		},
	};
}

function normalise(reply) {
	if (typeof reply === 'string') return { content: reply, toolCalls: [] };
	if (Array.isArray(reply)) return { content: null, toolCalls: reply };
	if (reply && typeof reply === 'object')
		return { content: reply.content ?? null, toolCalls: reply.toolCalls ?? [] };
	throw new Error(`a script must return text or tool calls, not ${JSON.stringify(reply)}`);
}

/**
 * The scripted model of the shipped agent example (examples/ai-agent-stop-campaign.json), used
 * by its e2e test and by `npm run demo`. It follows the example's system message: for "stop the
 * <name> campaign" it lists the account group's campaigns, finds the campaign by name and asks
 * for confirmation; after "yes" it stops the campaign it named, once, and reports the result
 * the tool gave it (the failure's message, HTTP code and trace ID when the stop failed).
 */
export function confirmThenStopScript({
	accountGroupId,
	listTool = 'List_Sonarly_campaigns',
	stopTool = 'Stop_Sonarly_campaign',
}) {
	return ({ messages }) => {
		const lastUser = messages.map((m) => m.role).lastIndexOf('user');
		const user = lastUserText(messages);
		const last = toolResults(messages.slice(Math.max(lastUser, 0))).at(-1);
		if (/^yes\b/i.test(user.trim())) {
			if (last?.name === stopTool) {
				const [item] = Array.isArray(last.parsed) ? last.parsed : [];
				if (item?.campaign)
					return `Done: "${item.campaign.name}" is stopped (${item.instancesStopped} sequences).`;
				if (item?.error)
					return `I could not stop it: ${item.message} (HTTP ${item.error.httpCode}, Sonarly code ${item.error.code}, trace ID ${item.error.traceId}). I will not retry.`;
				throw new Error(`unexpected stop result ${last.content}`);
			}
			const answers = messages.filter((m) => m.role === 'assistant').map((m) => textOf(m.content));
			// The ID is the last "(…)" of the question ("Found "X (draft)" (<id>), …").
			const named = [...(answers.at(-1) ?? '').matchAll(/\(([0-9A-Za-z_-]+)\)/g)].at(-1);
			if (!named) throw new Error('no campaign ID in the previous answer to confirm');
			return [{ name: stopTool, arguments: { accountGroupId, campaignId: named[1] } }];
		}
		const wanted = user.match(/stop the (.+?) campaign/i)?.[1];
		if (!wanted) throw new Error(`the script does not understand "${user}"`);
		if (last?.name !== listTool) return [{ name: listTool, arguments: { accountGroupId } }];
		const campaigns = Array.isArray(last.parsed) ? last.parsed : [];
		const found = campaigns.find((campaign) => campaign.name === wanted);
		if (!found) return `I found no campaign named "${wanted}" in that account group.`;
		return `Found "${found.name}" (${found.id}), status ${found.status}. Shall I stop it?`;
	};
}
