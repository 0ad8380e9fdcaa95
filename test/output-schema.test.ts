/**
 * The output schemas n8n's editor shows before a node has run (`__schema__/v<version>/
 * <resource>/<operation>.json`, written into dist by scripts/write-schemas.mjs from each
 * operation's `schema`, the same source as Simplified output) must describe what the
 * operations really output. Every operation has one, and each is checked against the items the
 * node outputs for the Sonarly sandbox's answers (sandbox/server.js over real HTTP on
 * 127.0.0.1: campaigns in every seeded state, nulls where the sandbox sends them), not against
 * items written for the test: every item fits, every declared field shows up in some item, and
 * the nullable fields really come back both as text and as null.
 */
import nock from 'nock';
import type { IDataObject, INodeParameters, INodePropertyOptions } from 'n8n-workflow';

import { jsonSchema } from '../nodes/Sonarly/helpers/schema';
import { OPERATIONS } from '../nodes/Sonarly/operations';
import { startSandbox, SEED } from '../sandbox/server';
import { Sonarly } from '../nodes/Sonarly/Sonarly.node';
import { BASE_URL, runSonarly } from './harness/engine';

interface JsonSchema {
	type: string | string[];
	properties?: Record<string, JsonSchema>;
	required?: string[];
	items?: JsonSchema;
}

/** What the build writes under __schema__/v1.0.0 (scripts/write-schemas.mjs), by `<resource>/<operation>`. */
const SCHEMAS: Record<string, JsonSchema> = Object.fromEntries(
	OPERATIONS.map((spec) => [`${spec.resource}/${spec.operation}`, jsonSchema(spec.schema) as JsonSchema]),
);
const KEY = 'sk_test_full_access';
const ids = SEED.ids;

function loadSchema(resource: string, operation: string): JsonSchema {
	const schema = SCHEMAS[`${resource}/${operation}`];
	if (!schema) throw new Error(`no output schema for ${resource} → ${operation}`);
	return schema;
}

function typeOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	if (Number.isInteger(value)) return 'integer';
	return typeof value;
}

function fits(value: unknown, type: string): boolean {
	const actual = typeOf(value);
	return actual === type || (type === 'number' && actual === 'integer');
}

/** Every place where `value` does not fit `schema`, as `path: problem`. */
function mismatches(value: unknown, schema: JsonSchema, at = '$'): string[] {
	const types = [schema.type].flat();
	if (!types.some((type) => fits(value, type)))
		return [`${at}: expected ${types.join(' or ')}, got ${JSON.stringify(value)}`];
	if (Array.isArray(value) && schema.items) {
		return value.flatMap((entry, index) => mismatches(entry, schema.items!, `${at}[${index}]`));
	}
	if (typeOf(value) !== 'object') return [];
	const record = value as IDataObject;
	const declared = Object.keys(schema.properties ?? {});
	const problems = Object.keys(record)
		.filter((key) => !declared.includes(key))
		.map((key) => `${at}.${key}: not in the schema`);
	for (const key of schema.required ?? []) {
		if (!(key in record)) problems.push(`${at}.${key}: required but missing`);
	}
	for (const key of declared) {
		if (key in record)
			problems.push(...mismatches(record[key], schema.properties![key], `${at}.${key}`));
	}
	return problems;
}

/** Each declared path with the types seen at it across `items` (e.g. "$.campaign.startedAt" → string, null). */
function seenTypes(
	items: unknown[],
	schema: JsonSchema,
	at = '$',
	seen = new Map<string, Set<string>>(),
) {
	for (const item of items) {
		if (!seen.has(at)) seen.set(at, new Set());
		seen.get(at)!.add(typeOf(item));
		if (typeOf(item) === 'object' && schema.properties) {
			for (const [key, child] of Object.entries(schema.properties)) {
				const record = item as IDataObject;
				if (key in record) seenTypes([record[key]], child, `${at}.${key}`, seen);
			}
		}
	}
	return seen;
}

/** The declared paths no item had, and the declared types of each path no item showed. */
function unexercised(items: unknown[], schema: JsonSchema): string[] {
	const seen = seenTypes(items, schema);
	const missing: string[] = [];
	const walk = (node: JsonSchema, at: string) => {
		const types = seen.get(at);
		if (!types) {
			missing.push(`${at}: never present`);
			return;
		}
		for (const type of [node.type].flat()) {
			if (![...types].some((t) => t === type || (type === 'number' && t === 'integer')))
				missing.push(`${at}: never ${type}`);
		}
		for (const [key, child] of Object.entries(node.properties ?? {})) walk(child, `${at}.${key}`);
	};
	walk(schema, '$');
	return missing;
}

const byId = (value: string) => ({ __rl: true, mode: 'id', value });

describe('output schemas', () => {
	let sandbox: Awaited<ReturnType<typeof startSandbox>>;

	beforeAll(async () => {
		sandbox = await startSandbox({ port: 0 });
	});

	afterAll(async () => {
		await sandbox.close();
	});

	beforeEach(() => sandbox.reset());

	async function run(items: IDataObject[], parameters: INodeParameters) {
		const result = await runSonarly({
			items,
			parameters,
			credentials: { apiKey: KEY, baseUrl: sandbox.url },
			onError: 'continueErrorOutput',
		});
		expect(result.error).toBeUndefined();
		expect(result.errors.map((item) => item.json.message)).toEqual([]);
		return result.success.map((item) => item.json);
	}

	const everyCampaign = SEED.accountGroups.flatMap((group) =>
		group.campaigns.map((campaign) => ({ ag: group.id, campaign: campaign.id })),
	);

	it('exist for every operation of the node, and only for those', () => {
		const operations = new Sonarly().description.properties
			.filter((p) => p.name === 'operation')
			.flatMap((p) =>
				(p.options as INodePropertyOptions[]).map(
					(option) => `${String(p.displayOptions?.show?.resource?.[0])}/${String(option.value)}`,
				),
			)
			.sort();
		expect(Object.keys(SCHEMAS).sort()).toEqual(operations);
		expect(new Sonarly().description.version).toBe(1);
		for (const schema of Object.values(SCHEMAS)) expect(schema.type).toBe('object');
	});

	it('Campaign → Get: fits every seeded campaign, in every state', async () => {
		const schema = loadSchema('campaign', 'get');
		const items = await run(everyCampaign, {
			resource: 'campaign',
			operation: 'get',
			accountGroupId: byId('={{ $json.ag }}'),
			campaignId: byId('={{ $json.campaign }}'),
		});
		expect(items).toHaveLength(everyCampaign.length);
		for (const item of items) expect(mismatches(item, schema)).toEqual([]);
		// startedAt and rateLimitedUntil really come back as text and as null; traceId as text.
		expect(unexercised(items, schema)).toEqual(['$.traceId: never null']);
	});

	it('Campaign → Get Many: fits every campaign of every account group', async () => {
		const schema = loadSchema('campaign', 'getAll');
		const items = await run(
			SEED.accountGroups.map((group) => ({ ag: group.id })),
			{
				resource: 'campaign',
				operation: 'getAll',
				accountGroupId: byId('={{ $json.ag }}'),
				returnAll: true,
			},
		);
		expect(items).toHaveLength(everyCampaign.length);
		for (const item of items) expect(mismatches(item, schema)).toEqual([]);
		expect(unexercised(items, schema)).toEqual([]);
	});

	it('Account Group → Get Many: fits every account group', async () => {
		const schema = loadSchema('accountGroup', 'getAll');
		const items = await run([{}], {
			resource: 'accountGroup',
			operation: 'getAll',
			returnAll: true,
		});
		expect(items.map((item) => item.name)).toEqual(SEED.accountGroups.map((group) => group.name));
		for (const item of items) expect(mismatches(item, schema)).toEqual([]);
		expect(unexercised(items, schema)).toEqual([]);
	});

	it('Campaign → Stop: fits a real stop, a not-active campaign kept on the success output, and a repeated item', async () => {
		const schema = loadSchema('campaign', 'stop');
		const active = [ids.activeCampaign, ids.activeCampaign2, ids.activeCampaign3].map(
			(campaign) => ({
				ag: ids.acmeGroup,
				campaign,
			}),
		);
		const items = await run(
			[
				...active,
				{ ag: ids.acmeGroup, campaign: ids.draftCampaign },
				{ ag: ids.acmeGroup, campaign: ids.stoppedCampaign },
				{ ag: ids.acmeGroup, campaign: ids.activeCampaign },
			],
			{
				resource: 'campaign',
				operation: 'stop',
				accountGroupId: byId('={{ $json.ag }}'),
				campaignId: byId('={{ $json.campaign }}'),
				options: { ignoreNotActive: true },
			},
		);
		expect(items.map((item) => item.stopped)).toEqual([true, true, true, false, false, false]);
		for (const item of items) expect(mismatches(item, schema)).toEqual([]);
		expect(unexercised(items, schema)).toEqual(['$.traceId: never null']);
	});

	it('Campaign → Start: fits a real start, an already active campaign kept on the success output, and a repeated item', async () => {
		const schema = loadSchema('campaign', 'start');
		const items = await run(
			[
				{ ag: ids.acmeGroup, campaign: ids.draftCampaign },
				{ ag: ids.acmeGroup, campaign: ids.stoppedCampaign },
				{ ag: ids.acmeGroup, campaign: ids.activeCampaign2 },
				{ ag: ids.acmeGroup, campaign: ids.draftCampaign },
			],
			{
				resource: 'campaign',
				operation: 'start',
				accountGroupId: byId('={{ $json.ag }}'),
				campaignId: byId('={{ $json.campaign }}'),
				options: { ignoreAlreadyActive: true },
			},
		);
		expect(items.map((item) => item.started)).toEqual([true, true, false, false]);
		for (const item of items) expect(mismatches(item, schema)).toEqual([]);
		// A campaign that ran has a start time: a null startedAt shows up in Get's answers above.
		expect(unexercised(items, schema)).toEqual([
			'$.campaign.startedAt: never null',
			'$.traceId: never null',
		]);
	});

	it('a traceId is null, and still fits, when an answer carries none', async () => {
		nock.disableNetConnect();
		try {
			const campaign = SEED.accountGroups[0].campaigns[0];
			const scope = nock(BASE_URL)
				.get(`/v1/accounts/${ids.acmeGroup}/campaigns/${campaign.id}`)
				.reply(200, { success: true, data: campaign, error: null });
			const result = await runSonarly({
				items: [{}],
				parameters: {
					resource: 'campaign',
					operation: 'get',
					accountGroupId: byId(ids.acmeGroup),
					campaignId: byId(campaign.id),
				},
			});
			expect(scope.isDone()).toBe(true);
			expect(result.success[0].json.traceId).toBeNull();
			expect(mismatches(result.success[0].json, loadSchema('campaign', 'get'))).toEqual([]);
		} finally {
			nock.cleanAll();
			nock.enableNetConnect();
		}
	});

	it('the checker itself notices an extra field, a missing one, a wrong type and a null where none is allowed', () => {
		const schema = loadSchema('campaign', 'stop');
		const item = {
			campaign: { ...SEED.accountGroups[0].campaigns[0] },
			instancesStopped: 1,
			stopped: true,
			traceId: 't',
		};
		expect(mismatches(item, schema)).toEqual([]);
		expect(mismatches({ ...item, extra: 1 }, schema)).toEqual(['$.extra: not in the schema']);
		const withoutTrace: IDataObject = { ...item };
		delete withoutTrace.traceId;
		expect(mismatches(withoutTrace, schema)).toEqual(['$.traceId: required but missing']);
		expect(mismatches({ ...item, instancesStopped: 1.5 }, schema)).toEqual([
			'$.instancesStopped: expected integer, got 1.5',
		]);
		expect(mismatches({ ...item, campaign: { ...item.campaign, name: null } }, schema)).toEqual([
			'$.campaign.name: expected string, got null',
		]);
	});
});
