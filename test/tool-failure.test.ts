/**
 * How a failed call looks when the node runs as a tool (an AI Agent's, or an MCP Server
 * Trigger's): Options → Tool Failure picks between a result the model reads (the default) and a
 * failed tool call, which MCP clients receive with `isError: true`. Either way the text keeps the
 * readable message, the HTTP status and Sonarly's code, and stays well under 16 KB.
 */
import type { IDataObject } from 'n8n-workflow';

import { runSonarly } from './harness/engine';
import { ACCOUNT_GROUP_ID, byId, campaign } from './support/fixtures';
import { fakeSonarly, ok, refused, useNock, type SentRequest } from './support/sonarly';

useNock();

const ids = (campaignId: string) => ({ accountGroupId: byId(ACCOUNT_GROUP_ID), campaignId: byId(campaignId) });

/** Sonarly: `live…` stops, `draft…` answers 409, `huge…` a 400 whose details are 1 MB. */
function sonarly(): SentRequest[] {
	return fakeSonarly((request) => {
		const id = request.campaignId ?? '';
		if (id.startsWith('live')) return { status: 200, body: ok({ campaign: campaign(id), instancesStopped: 5 }, `trace-${id}`) };
		if (id.startsWith('draft')) return { status: 409, body: refused('CAMPAIGN_NOT_ACTIVE', 'Campaign is a draft', `trace-${id}`) };
		if (id.startsWith('huge')) {
			const details = { rows: Array.from({ length: 16_384 }, (_, row) => ({ row, problem: 'x'.repeat(48) })) };
			return { status: 400, body: refused('VALIDATION_ERROR', 'y'.repeat(200_000), `trace-${id}`, details) };
		}
		return { status: 404, body: refused('NOT_FOUND', 'Campaign not found', `trace-${id}`) };
	});
}

/** The size of what the model or MCP client would receive: n8n sends JSON.stringify of the items' json. */
const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;
const toolResultBytes = (items: Array<{ json: IDataObject }>) => utf8Bytes(JSON.stringify(items.map((item) => item.json)));

/** The text an MCP client receives for a failed call: n8n's "<message>\n\nDetails: <description>". */
const mcpText = (error: { message?: unknown; description?: unknown } | undefined) =>
	`${String(error?.message)}\n\nDetails: ${String(error?.description)}`;

describe('Options → Tool Failure: Fail the Tool Call', () => {
	it('a 409 fails the tool call, and its text names the reason, the HTTP status and Sonarly code', async () => {
		const sent = sonarly();

		const result = await runSonarly({
			items: [{}],
			parameters: { ...ids('draft-1'), options: { toolFailure: 'error' } },
			asTool: true,
		});

		expect(result.success).toEqual([]);
		expect(result.error?.message).toBe('The campaign is not active, so Sonarly could not stop the campaign');
		expect(result.error?.description).toMatch(/nothing was changed/);
		expect(result.error?.description).toMatch(/Sonarly's answer: HTTP 409, code CAMPAIGN_NOT_ACTIVE\./);
		expect(result.error?.description).toMatch(/Trace ID for Sonarly support: trace-draft-1/);
		expect(sent).toHaveLength(1);
	});

	it('a refused input (an empty ID) fails the tool call too, with no Sonarly answer to quote and nothing sent', async () => {
		const sent = sonarly();

		// As a model's empty argument arrives: an expression that gives ''.
		const result = await runSonarly({
			items: [{ campaignId: '' }],
			parameters: { ...ids('={{ $json.campaignId }}'), options: { toolFailure: 'error' } },
			asTool: true,
		});

		expect(result.error?.message).toBe('Campaign (item 0) is empty');
		expect(result.error?.description).not.toMatch(/Sonarly's answer/);
		expect(sent).toEqual([]);
	});

	it('a success is the same result as without the option', async () => {
		sonarly();

		const result = await runSonarly({ items: [{}], parameters: { ...ids('live-1'), options: { toolFailure: 'error' } }, asTool: true });

		expect(result.error).toBeUndefined();
		expect(result.success.map((item) => item.json.instancesStopped)).toEqual([5]);
	});

	it('a 400 with 1 MB of details gives a text under 16 KB', async () => {
		sonarly();

		const result = await runSonarly({ items: [{}], parameters: { ...ids('huge-1'), options: { toolFailure: 'error' } }, asTool: true });

		expect(result.error?.message).toBe('Sonarly rejected the request to stop the campaign as invalid');
		expect(result.error?.description).toMatch(/HTTP 400, code VALIDATION_ERROR/);
		expect(utf8Bytes(mcpText(result.error))).toBeLessThan(16_384);
	});

	it('has no effect on the regular node, where n8n drops it (the option is shown for tools only)', async () => {
		sonarly();

		const result = await runSonarly({
			items: [{}],
			parameters: { ...ids('draft-1'), options: { toolFailure: 'error' } },
			onError: 'continueErrorOutput',
		});

		expect(result.error).toBeUndefined();
		expect(result.errors).toHaveLength(1);
		expect((result.errors[0].json.error as IDataObject).description).not.toMatch(/Sonarly's answer/);
	});
});

describe('Options → Tool Failure: Return It to the Model (the default)', () => {
	it('a 409 is a result the model reads, with the code, and the run goes on', async () => {
		sonarly();

		const result = await runSonarly({ items: [{}], parameters: ids('draft-1'), asTool: true });

		expect(result.error).toBeUndefined();
		expect(result.success).toHaveLength(1);
		expect(result.success[0].json.error).toMatchObject({ httpCode: 409, code: 'CAMPAIGN_NOT_ACTIVE', traceId: 'trace-draft-1' });
		expect(result.success[0].json.message).toMatch(/^The campaign is not active/);
	});

	it('a 400 with 1 MB of details and a 200 KB message gives a result under 16 KB, cut where it says so', async () => {
		sonarly();

		const result = await runSonarly({ items: [{}], parameters: ids('huge-1'), asTool: true });

		expect(result.error).toBeUndefined();
		const bytes = toolResultBytes(result.success);
		expect(bytes).toBeLessThan(16_384);
		const error = result.success[0].json.error as IDataObject;
		expect(error).toMatchObject({ httpCode: 400, code: 'VALIDATION_ERROR', traceId: 'trace-huge-1' });
		expect(error.details).toEqual(expect.stringMatching(/^\{"rows":\[\{"row":0,"problem":"x{48}"\}.*… \[cut: \d+ characters in all\]$/));
		expect(error.apiMessage).toEqual(expect.stringMatching(/^y+… \[cut: 200000 characters in all\]$/));
	});

	it('small details stay as Sonarly sent them', async () => {
		fakeSonarly(() => ({
			status: 409,
			body: refused('CAMPAIGN_NOT_ACTIVE', 'Campaign is a draft', 'trace-1', { currentStatus: 'draft' }),
		}));

		const result = await runSonarly({ items: [{}], parameters: ids('draft-1'), asTool: true });

		expect((result.success[0].json.error as IDataObject).details).toEqual({ currentStatus: 'draft' });
		expect((result.success[0].json.error as IDataObject).apiMessage).toBe('Campaign is a draft');
	});

	it('hostile text (quotes, control characters, emoji, lone surrogates) in every field still gives a result under 16 KB', async () => {
		const nasty = '"\\\u0001\u2028😀\ud800é'.repeat(50_000);
		fakeSonarly(() => ({
			status: 409,
			body: { success: false, data: null, error: { code: nasty, message: nasty, details: { [nasty.slice(0, 1000)]: nasty } }, traceId: nasty },
		}));

		const result = await runSonarly({ items: [{}], parameters: ids('draft-1'), asTool: true });

		expect(result.error).toBeUndefined();
		expect(toolResultBytes(result.success)).toBeLessThan(16_384);
	});
});
