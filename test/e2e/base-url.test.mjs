// The credential's Base URL pointing at the sandbox, typed the ways people type it: with a
// trailing slash, with the /v1 suffix of the docs, and with both. Each must reach
// /v1/accounts/{ag}/campaigns/{id}/stop exactly once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import * as h from './n8n.mjs';

const { startSandbox, SEED } = h.sandboxModule();
const ids = SEED.ids;

const VARIANTS = [
	{
		label: 'trailing slash',
		credentialId: 'sonarlyBaseSlash',
		suffix: '/',
		campaignId: ids.activeCampaign,
	},
	{
		label: '/v1 suffix',
		credentialId: 'sonarlyBaseV1001',
		suffix: '/v1',
		campaignId: ids.activeCampaign2,
	},
	{
		label: '/v1/ suffix',
		credentialId: 'sonarlyBaseV1002',
		suffix: '/v1/',
		campaignId: ids.activeCampaign3,
	},
];

function baseUrlWorkflow() {
	const nodes = [h.manualTrigger('Start', [0, 0])];
	const links = [];
	VARIANTS.forEach((variant, i) => {
		const y = i * 200;
		const source = `Deal (${variant.label})`;
		const stop = `Stop (${variant.label})`;
		nodes.push(
			h.codeNode(
				source,
				[{ dealId: `D-${i}`, accountGroupId: ids.acmeGroup, campaignId: variant.campaignId }],
				[220, y],
			),
			h.sonarlyStop(stop, {
				onError: 'continueErrorOutput',
				credentialId: variant.credentialId,
				credentialName: `Sonarly (${variant.label})`,
				position: [440, y],
			}),
		);
		links.push(['Start', source], [source, stop]);
	});
	return h.workflow({ id: 'sonarlyBaseUrls1', name: 'e2e base urls', nodes, links });
}

for (const version of h.testedVersions()) {
	describe(`n8n ${version}: credential Base URL`, () => {
		let sb;
		let session;
		let result;

		before(async () => {
			await h.ensureBuilt();
			sb = await startSandbox({ port: 0 });
			session = await h.openSession({ version });
			await session.importCredentials(
				VARIANTS.map((variant) =>
					h.sonarlyCredential({
						id: variant.credentialId,
						name: `Sonarly (${variant.label})`,
						apiKey: 'sk_test_full_access',
						baseUrl: `${sb.url}${variant.suffix}`,
					}),
				),
			);
			await session.importWorkflows(baseUrlWorkflow());
			result = await session.execute('sonarlyBaseUrls1');
		});

		after(async () => {
			await session?.close();
			await sb?.close();
		});

		it('runs the workflow', () => {
			assert.equal(result.exitCode, 0, `n8n execute failed:\n${result.stdout.slice(-3000)}`);
			assert.ok(result.ok, JSON.stringify(result.error));
		});

		for (const variant of VARIANTS) {
			it(`stops the campaign with a Base URL ending in "${variant.suffix}"`, () => {
				const stop = `Stop (${variant.label})`;
				const failed = h.outputItems(result.runData, stop, 1);
				assert.deepEqual(failed, [], `error output: ${JSON.stringify(failed)}`);
				const stopped = h.outputItems(result.runData, stop, 0);
				assert.equal(stopped.length, 1);
				assert.equal(stopped[0].campaign.id, variant.campaignId);
				assert.equal(stopped[0].campaign.status, 'stopped');
				const requests = sb.stopRequests(variant.campaignId);
				assert.equal(requests.length, 1);
				assert.equal(
					requests[0].path,
					`/v1/accounts/${ids.acmeGroup}/campaigns/${variant.campaignId}/stop`,
				);
			});
		}

		it('sent nothing to a doubled or missing /v1 path', () => {
			for (const entry of sb.requests) {
				assert.ok(entry.path.startsWith('/v1/accounts/'), entry.path);
				assert.ok(!entry.path.includes('//'), entry.path);
				assert.ok(!entry.path.startsWith('/v1/v1'), entry.path);
			}
			assert.equal(sb.requests.length, VARIANTS.length);
		});
	});
}
