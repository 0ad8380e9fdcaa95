/**
 * The Output choice of the read operations (Raw / Simplified / Selected Fields): the pure
 * shaping helper, and the three read operations through n8n's real engine with nock standing
 * in for Sonarly.
 */
import nock from 'nock';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeParameters,
	INodeProperties,
} from 'n8n-workflow';

import {
	FIELDS,
	SIMPLIFIED_FIELDS,
	outputProperties,
	readOutput,
	shapeItem,
	type OutputChoice,
} from '../nodes/Sonarly/helpers/simplify';
import { Sonarly } from '../nodes/Sonarly/Sonarly.node';
import { BASE_URL, runSonarly, type RunResult } from './harness/engine';

const AG = '64a1f0000000000000000001';
const CAMPAIGN = '64a1f0000000000000000102';

/** A campaign as the sandbox sends it (nulls where Sonarly sends them). */
function campaign(id: string, name: string, status: string): IDataObject {
	return {
		id,
		name,
		description: 'Attendees of the June product webinar.',
		status,
		selectedLeadCount: 140,
		includeConversationHistory: false,
		autoCancelOnMessageReceived: true,
		outreachLanguage: 'en',
		createdAt: '2025-06-10T14:00:00.000Z',
		updatedAt: '2025-06-12T07:45:00.000Z',
		startedAt: null,
		rateLimitedUntil: null,
	};
}

const ok = (data: unknown, traceId = 'trace-1') => ({ success: true, data, error: null, traceId });
const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const jsonOf = (result: RunResult) => result.success.map((item) => item.json);

/** A context whose getNodeParameter answers from `values` (for the pure helper). */
function contextWith(values: IDataObject): IExecuteFunctions {
	return {
		getNodeParameter: (name: string, _item: number, fallback?: unknown) =>
			name in values ? values[name] : fallback,
	} as unknown as IExecuteFunctions;
}

describe('shapeItem and readOutput', () => {
	const item = { ...campaign(CAMPAIGN, 'Webinar Follow-up', 'active'), traceId: 't-9' };

	it('Raw returns the item untouched, fields Sonarly may add later included', () => {
		const choice = readOutput(contextWith({ output: 'raw' }), 0, 'campaign');
		expect(choice.ok).toBe(true);
		const extra = { ...item, newField: 1 };
		expect(shapeItem(extra, (choice as { value: OutputChoice }).value)).toBe(extra);
	});

	it('defaults to Raw when the parameter is absent (workflows saved before it existed)', () => {
		const choice = readOutput(contextWith({}), 0, 'campaign');
		expect(choice).toEqual({ ok: true, value: { mode: 'raw', fields: [...FIELDS.campaign] } });
	});

	it('Simplified keeps id, name, status, selectedLeadCount, startedAt and the trace ID, in that order', () => {
		const choice = readOutput(contextWith({ output: 'simplified' }), 0, 'campaign');
		const shaped = shapeItem(item, (choice as { value: OutputChoice }).value);
		expect(shaped).toEqual({
			id: CAMPAIGN,
			name: 'Webinar Follow-up',
			status: 'active',
			selectedLeadCount: 140,
			startedAt: null,
			traceId: 't-9',
		});
		expect(Object.keys(shaped)).toEqual([...SIMPLIFIED_FIELDS.campaign, 'traceId']);
	});

	it('Simplified account groups are id and name', () => {
		const choice = readOutput(contextWith({ output: 'simplified' }), 0, 'accountGroup');
		const shaped = shapeItem(
			{ id: 'ag-1', name: 'Acme Sales', createdAt: '2025-01-01T00:00:00.000Z' },
			(choice as { value: OutputChoice }).value,
		);
		expect(shaped).toEqual({ id: 'ag-1', name: 'Acme Sales' });
	});

	it('Selected Fields always adds the id, keeps Sonarly order, and accepts a comma-separated expression', () => {
		for (const fields of [['status', 'name'], 'status, name']) {
			const choice = readOutput(contextWith({ output: 'selected', fields }), 0, 'campaign');
			expect(choice).toEqual({
				ok: true,
				value: { mode: 'selected', fields: ['id', 'name', 'status'] },
			});
			expect(shapeItem(item, (choice as { value: OutputChoice }).value)).toEqual({
				id: CAMPAIGN,
				name: 'Webinar Follow-up',
				status: 'active',
				traceId: 't-9',
			});
		}
	});

	it('Selected Fields with nothing chosen returns the id alone', () => {
		const choice = readOutput(contextWith({ output: 'selected', fields: [] }), 0, 'campaign');
		expect(shapeItem(item, (choice as { value: OutputChoice }).value)).toEqual({
			id: CAMPAIGN,
			traceId: 't-9',
		});
	});

	it('keeps the id key even when an answer lacks it', () => {
		const choice = readOutput(contextWith({ output: 'simplified' }), 0, 'campaign');
		expect(shapeItem({ name: 'x' }, (choice as { value: OutputChoice }).value)).toEqual({
			id: null,
			name: 'x',
		});
	});

	it('refuses an unknown field or mode with a message saying what to choose', () => {
		const unknownField = readOutput(
			contextWith({ output: 'selected', fields: ['name', 'owner'] }),
			2,
			'campaign',
		);
		expect(unknownField.ok).toBe(false);
		if (!unknownField.ok) {
			expect(unknownField.failure.message).toBe(
				'Fields (item 2) has a field Sonarly does not send: owner',
			);
			expect(unknownField.failure.description).toContain(
				'Choose from: id, name, description, status',
			);
		}
		const badMode = readOutput(contextWith({ output: 'everything' }), 0, 'campaign');
		expect(badMode.ok).toBe(false);
		if (!badMode.ok)
			expect(badMode.failure.message).toBe(
				'Output (item 0) must be Raw, Simplified or Selected Fields',
			);
		const notList = readOutput(
			contextWith({ output: 'selected', fields: { name: true } }),
			0,
			'campaign',
		);
		expect(notList.ok).toBe(false);
	});

	it('the parameters: Output (Raw default) and Fields shown only for Selected Fields, Title Case labels', () => {
		const [output, fields] = outputProperties(
			{ show: { resource: ['campaign'], operation: ['get'] } },
			'campaign',
		);
		expect(output.default).toBe('raw');
		expect((output.options as Array<{ value: string }>).map((o) => o.value)).toEqual([
			'raw',
			'simplified',
			'selected',
		]);
		expect(fields.displayOptions?.show).toEqual({
			resource: ['campaign'],
			operation: ['get'],
			output: ['selected'],
		});
		const names = (fields.options as Array<{ name: string; value: string }>).map((o) => o.name);
		expect(names).toContain('Selected Lead Count');
		expect(names).toContain('Rate Limited Until');
		expect(names).not.toContain('ID');
	});
});

describe('the Output choice in the read operations', () => {
	beforeAll(() => nock.disableNetConnect());
	afterAll(() => nock.enableNetConnect());
	afterEach(() => nock.cleanAll());

	async function run(parameters: INodeParameters, asTool = false) {
		return await runSonarly({ items: [{ dealId: 'D-1' }], parameters, asTool });
	}

	it('is offered by Get, Get Many and Account Group → Get Many, not by Stop', () => {
		const properties = new Sonarly().description.properties;
		const shownFor = (resource: string, operation: string) =>
			properties
				.filter(
					(p: INodeProperties) =>
						p.displayOptions?.show?.resource?.includes(resource) &&
						p.displayOptions?.show?.operation?.includes(operation),
				)
				.map((p) => p.name);
		for (const [resource, operation] of [
			['campaign', 'get'],
			['campaign', 'getAll'],
			['accountGroup', 'getAll'],
		]) {
			expect(shownFor(resource, operation)).toEqual(expect.arrayContaining(['output', 'fields']));
		}
		expect(shownFor('campaign', 'stop')).not.toContain('output');
	});

	it('Campaign → Get Many, Simplified: each campaign as id, name, status, selectedLeadCount, startedAt (as a tool too)', async () => {
		for (const asTool of [false, true]) {
			nock(BASE_URL)
				.get(`/v1/accounts/${AG}/campaigns`)
				.reply(
					200,
					ok({ items: [campaign('c1', 'One', 'active'), campaign('c2', 'Two', 'draft')] }),
				);
			const result = await run(
				{
					resource: 'campaign',
					operation: 'getAll',
					accountGroupId: byId(AG),
					returnAll: true,
					output: 'simplified',
				},
				asTool,
			);
			expect(result.error).toBeUndefined();
			expect(jsonOf(result)).toEqual([
				{ id: 'c1', name: 'One', status: 'active', selectedLeadCount: 140, startedAt: null },
				{ id: 'c2', name: 'Two', status: 'draft', selectedLeadCount: 140, startedAt: null },
			]);
			expect(nock.isDone()).toBe(true);
		}
	});

	it('Campaign → Get Many, no Output parameter: every field, as before', async () => {
		const full = campaign('c1', 'One', 'active');
		nock(BASE_URL)
			.get(`/v1/accounts/${AG}/campaigns`)
			.reply(200, ok({ items: [full] }));
		const result = await run({
			resource: 'campaign',
			operation: 'getAll',
			accountGroupId: byId(AG),
			returnAll: true,
		});
		expect(jsonOf(result)).toEqual([full]);
	});

	it('Campaign → Get, Selected Fields: the id, the chosen fields and the trace ID', async () => {
		nock(BASE_URL)
			.get(`/v1/accounts/${AG}/campaigns/${CAMPAIGN}`)
			.reply(200, ok(campaign(CAMPAIGN, 'Webinar Follow-up', 'stopped'), 'trace-get'));
		const result = await run({
			resource: 'campaign',
			operation: 'get',
			accountGroupId: byId(AG),
			campaignId: byId(CAMPAIGN),
			output: 'selected',
			fields: ['status', 'rateLimitedUntil'],
		});
		expect(jsonOf(result)).toEqual([
			{ id: CAMPAIGN, status: 'stopped', rateLimitedUntil: null, traceId: 'trace-get' },
		]);
	});

	it('Account Group → Get Many, Simplified: id and name', async () => {
		nock(BASE_URL)
			.get('/v1/accounts')
			.reply(
				200,
				ok({ items: [{ id: 'ag-1', name: 'Acme Sales', createdAt: '2025-01-01T00:00:00.000Z' }] }),
			);
		const result = await run({
			resource: 'accountGroup',
			operation: 'getAll',
			returnAll: true,
			output: 'simplified',
		});
		expect(jsonOf(result)).toEqual([{ id: 'ag-1', name: 'Acme Sales' }]);
	});

	it('an unknown selected field fails the item before anything is sent', async () => {
		const result = await runSonarly({
			items: [{ dealId: 'D-1' }],
			parameters: {
				resource: 'campaign',
				operation: 'get',
				accountGroupId: byId(AG),
				campaignId: byId(CAMPAIGN),
				output: 'selected',
				fields: '={{ "name,owner" }}',
			},
			onError: 'continueErrorOutput',
		});
		expect(result.success).toEqual([]);
		expect(result.errors[0].json.message).toMatch(
			/^Fields \(item 0\) has a field Sonarly does not send: owner/,
		);
		expect(nock.pendingMocks()).toEqual([]);
	});
});
