/**
 * The output schema n8n's editor shows before the node has run (`__schema__/v<version>/
 * <resource>/<operation>.json`, copied into dist by `n8n-node build`) must describe the item
 * the stop operation really outputs: same keys, same types, nothing missing or invented.
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import stopSchema from '../nodes/Sonarly/__schema__/v1.0.0/campaign/stop.json';
import { Sonarly } from '../nodes/Sonarly/Sonarly.node';
import { BASE_URL, runSonarly } from './harness/engine';

interface JsonSchema {
	type: string;
	properties?: Record<string, JsonSchema>;
	required?: string[];
	items?: JsonSchema;
}

/** The 200 example of the Stop endpoint's reference page (spec/stop-campaign.seed.txt). */
const DOCUMENTED_SUCCESS = {
	success: true,
	data: {
		campaign: {
			id: '507f1f77bcf86cd799439011',
			name: 'Avery Stone',
			description: 'string',
			status: 'draft',
			selectedLeadCount: 25,
			includeConversationHistory: true,
			autoCancelOnMessageReceived: true,
			outreachLanguage: 'en',
			createdAt: 'string',
			updatedAt: 'string',
			startedAt: 'string',
			rateLimitedUntil: 'string',
		},
		instancesStopped: 25,
	},
	error: null,
	traceId: '507f1f77bcf86cd799439011',
};

/** Every place where `value` does not fit `schema`, as `path: problem`. */
function mismatches(value: unknown, schema: JsonSchema, path = '$'): string[] {
	const typeOk =
		schema.type === 'integer'
			? Number.isInteger(value)
			: schema.type === 'array'
				? Array.isArray(value)
				: schema.type === 'object'
					? typeof value === 'object' && value !== null && !Array.isArray(value)
					: typeof value === schema.type;
	if (!typeOk) return [`${path}: expected ${schema.type}, got ${JSON.stringify(value)}`];
	if (schema.type === 'array' && schema.items) {
		return (value as unknown[]).flatMap((entry, index) =>
			mismatches(entry, schema.items!, `${path}[${index}]`),
		);
	}
	if (schema.type !== 'object') return [];
	const record = value as IDataObject;
	const declared = Object.keys(schema.properties ?? {});
	const problems = Object.keys(record)
		.filter((key) => !declared.includes(key))
		.map((key) => `${path}.${key}: not in the schema`);
	for (const key of schema.required ?? []) {
		if (!(key in record)) problems.push(`${path}.${key}: required but missing`);
	}
	for (const key of declared) {
		if (key in record)
			problems.push(...mismatches(record[key], schema.properties![key], `${path}.${key}`));
	}
	return problems;
}

describe('the output schema of Campaign → Stop', () => {
	const schema = stopSchema as JsonSchema;

	it('lives where n8n looks for it: __schema__/v<node version>/<resource>/<operation>.json', () => {
		const { version } = new Sonarly().description;
		expect(version).toBe(1);
		expect(schema.type).toBe('object');
	});

	it('declares every documented Campaign field, instancesStopped, stopped and traceId, and requires them', () => {
		const campaignFields = [
			'id',
			'name',
			'description',
			'status',
			'selectedLeadCount',
			'includeConversationHistory',
			'autoCancelOnMessageReceived',
			'outreachLanguage',
			'createdAt',
			'updatedAt',
			'startedAt',
			'rateLimitedUntil',
		];
		const topLevel = ['campaign', 'instancesStopped', 'stopped', 'traceId'];
		expect(Object.keys(schema.properties ?? {}).sort()).toEqual(topLevel);
		expect([...(schema.required ?? [])].sort()).toEqual(topLevel);
		expect(Object.keys(schema.properties?.campaign.properties ?? {}).sort()).toEqual(
			[...campaignFields].sort(),
		);
		expect([...(schema.properties?.campaign.required ?? [])].sort()).toEqual(
			[...campaignFields].sort(),
		);
	});

	it('matches, key for key and type for type, the item a real stop outputs', async () => {
		nock.disableNetConnect();
		try {
			const campaignPath =
				'/v1/accounts/64a1f0000000000000000001/campaigns/507f1f77bcf86cd799439011/stop';
			const scope = nock(BASE_URL).post(campaignPath).reply(200, DOCUMENTED_SUCCESS);
			const result = await runSonarly({
				items: [{ dealId: 'D-1' }],
				parameters: {
					accountGroupId: { __rl: true, mode: 'id', value: '64a1f0000000000000000001' },
					campaignId: { __rl: true, mode: 'id', value: '507f1f77bcf86cd799439011' },
				},
			});
			expect(scope.isDone()).toBe(true);
			expect(result.error).toBeUndefined();
			expect(result.success).toHaveLength(1);
			expect(mismatches(result.success[0].json, schema)).toEqual([]);
		} finally {
			nock.cleanAll();
			nock.enableNetConnect();
		}
	});

	it('also fits the item of a campaign that was not active (Options → Ignore Not Active Campaigns)', async () => {
		nock.disableNetConnect();
		try {
			const campaignPath =
				'/v1/accounts/64a1f0000000000000000001/campaigns/507f1f77bcf86cd799439011';
			const scope = nock(BASE_URL)
				.post(`${campaignPath}/stop`)
				.reply(409, {
					success: false,
					data: null,
					error: { code: 'CONFLICT', message: 'not active', details: null },
					traceId: 't1',
				})
				.get(campaignPath)
				.reply(200, {
					success: true,
					data: DOCUMENTED_SUCCESS.data.campaign,
					error: null,
					traceId: 't2',
				});
			const result = await runSonarly({
				items: [{ dealId: 'D-1' }],
				parameters: {
					accountGroupId: { __rl: true, mode: 'id', value: '64a1f0000000000000000001' },
					campaignId: { __rl: true, mode: 'id', value: '507f1f77bcf86cd799439011' },
					options: { ignoreNotActive: true },
				},
			});
			expect(scope.isDone()).toBe(true);
			expect(result.error).toBeUndefined();
			expect(result.success).toHaveLength(1);
			expect(result.success[0].json.stopped).toBe(false);
			expect(mismatches(result.success[0].json, schema)).toEqual([]);
		} finally {
			nock.cleanAll();
			nock.enableNetConnect();
		}
	});

	it('would notice a field the item has and the schema lacks, or the reverse', () => {
		const item = {
			campaign: { ...DOCUMENTED_SUCCESS.data.campaign },
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
	});
});
