// The scripted OpenAI-compatible model server itself (no n8n): it records requests and answers
// as OpenAI does, with and without `stream`, so the agent tests' server cannot pass by accident.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startScriptedModel, toolResults } from './scripted-model.mjs';

describe('scripted OpenAI-compatible model', () => {
	let model;

	before(async () => {
		model = await startScriptedModel({
			script: ({ messages }) =>
				toolResults(messages).length === 0
					? [{ name: 'List_campaigns', arguments: { accountGroupId: 'ag-1' } }]
					: 'All done.',
		});
	});

	after(async () => {
		await model?.close();
	});

	const post = (body) =>
		fetch(`${model.url}/chat/completions`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
			body: JSON.stringify(body),
		});

	it('listens on 127.0.0.1 and answers a tool call, then text, without stream', async () => {
		assert.match(model.url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
		model.reset();
		const first = await (
			await post({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
		).json();
		assert.equal(first.object, 'chat.completion');
		assert.equal(first.choices[0].finish_reason, 'tool_calls');
		const [call] = first.choices[0].message.tool_calls;
		assert.equal(call.function.name, 'List_campaigns');
		assert.deepEqual(JSON.parse(call.function.arguments), { accountGroupId: 'ag-1' });
		const second = await (
			await post({
				model: 'm',
				messages: [
					{ role: 'user', content: 'hi' },
					{ role: 'assistant', content: null, tool_calls: [call] },
					{ role: 'tool', tool_call_id: call.id, content: '[{"id":"c1"}]' },
				],
			})
		).json();
		assert.equal(second.choices[0].message.content, 'All done.');
		assert.equal(second.choices[0].finish_reason, 'stop');
		assert.equal(model.chatRequests().length, 2);
		assert.equal(model.requests[0].headers.authorization, 'Bearer sk-test');
		assert.match(model.requests[1].rawBody, /"tool_call_id"/);
	});

	it('streams server-sent chunks ending in [DONE] when stream is true', async () => {
		model.reset();
		const response = await post({
			model: 'm',
			stream: true,
			stream_options: { include_usage: true },
			messages: [{ role: 'user', content: 'hi' }],
		});
		assert.match(response.headers.get('content-type'), /text\/event-stream/);
		const events = (await response.text())
			.split('\n\n')
			.filter(Boolean)
			.map((event) => event.replace(/^data: /, ''));
		assert.equal(events.at(-1), '[DONE]');
		const chunks = events.slice(0, -1).map((event) => JSON.parse(event));
		assert.ok(chunks.every((chunk) => chunk.object === 'chat.completion.chunk'));
		const toolDelta = chunks.flatMap((chunk) => chunk.choices).find((c) => c.delta?.tool_calls);
		assert.equal(toolDelta.delta.tool_calls[0].function.name, 'List_campaigns');
		assert.ok(chunks.some((chunk) => chunk.choices[0]?.finish_reason === 'tool_calls'));
		assert.ok(chunks.at(-1).usage);
	});

	it('answers 500 with the reason when the script throws, and 404 off its routes', async () => {
		model.setScript(() => {
			throw new Error('unexpected conversation');
		});
		const failed = await post({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
		assert.equal(failed.status, 500);
		assert.match((await failed.json()).error.message, /unexpected conversation/);
		const missing = await fetch(`${model.url}/responses`, { method: 'POST', body: '{}' });
		assert.equal(missing.status, 404);
	});
});
