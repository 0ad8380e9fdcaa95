// Campaign "stop" in a real n8n, against the Sonarly sandbox: error output routing, the default
// "Stop Workflow" behaviour, and ids fed by expressions. Asserted on n8n's own run data.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import * as h from './n8n.mjs';

const { startSandbox, SEED } = h.sandboxModule();
const ids = SEED.ids;

const FULL = 'sk_test_full_access';
const READ_ONLY = 'sk_test_read_only';
const READ_ONLY_CREDENTIAL_ID = 'sonarlyReadOnly1';

function statusOf(sb, campaignId) {
	for (const group of SEED.accountGroups) {
		const found = sb.campaign(group.id, campaignId);
		if (found) return found.status;
	}
	return undefined;
}

// Scenario 1: a mixed batch under "Continue (using error output)", plus a second Sonarly node
// whose credential has a read-only key (403 on stop).
function mixedBatchWorkflow() {
	const deals = [
		{
			dealId: 'D-1',
			company: 'Initech',
			accountGroupId: ids.acmeGroup,
			campaignId: ids.activeCampaign,
		},
		{
			dealId: 'D-2',
			company: 'Hooli',
			accountGroupId: ids.acmeGroup,
			campaignId: ids.missingCampaign,
		},
		{
			dealId: 'D-3',
			company: 'Umbrella',
			accountGroupId: ids.acmeGroup,
			campaignId: ids.draftCampaign,
		},
		{
			dealId: 'D-4',
			company: 'Stark',
			accountGroupId: ids.acmeGroup,
			campaignId: ids.activeCampaign2,
		},
	];
	const readOnlyDeal = [
		{
			dealId: 'D-5',
			company: 'Wayne',
			accountGroupId: ids.acmeGroup,
			campaignId: ids.activeCampaign3,
		},
	];
	return h.workflow({
		id: 'sonarlyMixedBatch',
		name: 'e2e mixed batch',
		nodes: [
			h.manualTrigger('Start', [0, 0]),
			h.codeNode('Deals', deals, [220, 0]),
			h.sonarlyStop('Stop campaign', { onError: 'continueErrorOutput', position: [440, 0] }),
			h.noOp('Stopped', [660, -100]),
			h.noOp('Failed', [660, 100]),
			h.codeNode('Read-only deal', readOnlyDeal, [220, 300]),
			h.sonarlyStop('Stop with read-only key', {
				onError: 'continueErrorOutput',
				credentialId: READ_ONLY_CREDENTIAL_ID,
				credentialName: 'Sonarly read-only',
				position: [440, 300],
			}),
			h.noOp('Read-only stopped', [660, 200]),
			h.noOp('Read-only failed', [660, 400]),
		],
		links: [
			['Start', 'Deals'],
			['Deals', 'Stop campaign'],
			['Stop campaign', 'Stopped', 0],
			['Stop campaign', 'Failed', 1],
			['Start', 'Read-only deal'],
			['Read-only deal', 'Stop with read-only key'],
			['Stop with read-only key', 'Read-only stopped', 0],
			['Stop with read-only key', 'Read-only failed', 1],
		],
	});
}

// Scenario 2: default onError ("Stop Workflow") on an unknown campaign.
function stopWorkflowOnErrorWorkflow() {
	return h.workflow({
		id: 'sonarlyStopOnError',
		name: 'e2e stop workflow on error',
		nodes: [
			h.manualTrigger('Start'),
			h.codeNode('Deal', [
				{ dealId: 'D-404', accountGroupId: ids.acmeGroup, campaignId: ids.missingCampaign },
			]),
			h.sonarlyStop('Stop campaign'),
			h.noOp('After stop'),
		],
	});
}

// Scenario 3: ids from expressions: nested fields of the previous node, a reference to a
// node further up ($('CRM payload')), and the plain-string parameter form.
function expressionsWorkflow() {
	const payload = [
		{
			deal: { id: 'D-42', stage: 'closedwon' },
			sonarly: { accountGroup: ids.globexGroup },
			campaignRef: ids.globexActiveCampaign,
		},
	];
	const stopByRl = h.sonarlyStop('Stop from nested fields', {
		accountGroupId: '={{ $json.sonarly.accountGroup }}',
		campaignId: "={{ $('CRM payload').item.json.campaignRef }}",
		onError: 'continueErrorOutput',
		position: [660, 0],
	});
	const passThrough = {
		...h.codeNode('Enrich', [], [440, 0]),
		parameters: {
			jsCode: "return $input.all().map((item) => ({ json: { ...item.json, enrichedAt: 'now' } }));",
		},
	};
	// The same ids as plain-string expressions (the parameter form of hand-written workflows).
	const stopByString = h.sonarlyStop('Stop from plain expressions', {
		onError: 'continueErrorOutput',
		position: [660, 200],
	});
	stopByString.parameters.accountGroupId = '={{ $json.accountGroupId }}';
	stopByString.parameters.campaignId = '={{ $json.campaignId }}';
	return h.workflow({
		id: 'sonarlyExpressions',
		name: 'e2e expressions',
		nodes: [
			h.manualTrigger('Start'),
			h.codeNode('CRM payload', payload, [220, 0]),
			passThrough,
			stopByRl,
			h.codeNode(
				'Flat ids',
				[{ dealId: 'D-43', accountGroupId: ids.acmeGroup, campaignId: ids.activeCampaign3 }],
				[220, 200],
			),
			stopByString,
		],
		links: [
			['Start', 'CRM payload'],
			['CRM payload', 'Enrich'],
			['Enrich', 'Stop from nested fields'],
			['Start', 'Flat ids'],
			['Flat ids', 'Stop from plain expressions'],
		],
	});
}

// Scenario 4, fail-safe: an empty id under "Stop Workflow"; Retry On Fail on; an ftp:// Base URL.
const FTP_CREDENTIAL_ID = 'sonarlyFtpUrl01';

function failSafeWorkflows() {
	const deal = (campaignId) => ({ accountGroupId: ids.acmeGroup, campaignId });
	return [
		h.workflow({
			id: 'sonarlyEmptyIdStops',
			name: 'e2e empty id under Stop Workflow',
			nodes: [
				h.manualTrigger('Start'),
				h.codeNode('Deals', [deal(''), deal(ids.activeCampaign), deal(ids.draftCampaign)]),
				h.sonarlyStop('Stop campaign'),
			],
		}),
		h.workflow({
			id: 'sonarlyRetryOnFail',
			name: 'e2e Retry On Fail',
			nodes: [
				h.manualTrigger('Start'),
				h.codeNode('Deals', [deal(ids.missingCampaign), deal(ids.activeCampaign)]),
				h.sonarlyStop('Stop campaign', {
					onError: 'continueErrorOutput',
					settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 100 },
				}),
			],
		}),
		h.workflow({
			id: 'sonarlyFtpBaseUrl',
			name: 'e2e ftp Base URL',
			nodes: [
				h.manualTrigger('Start'),
				h.codeNode('Deals', [deal(ids.activeCampaign), deal(ids.activeCampaign2), deal(ids.activeCampaign3)]),
				h.sonarlyStop('Stop campaign', {
					onError: 'continueErrorOutput',
					credentialId: FTP_CREDENTIAL_ID,
					credentialName: 'Sonarly ftp',
				}),
			],
		}),
	];
}

for (const version of h.testedVersions()) {
	describe(`n8n ${version}: campaign stop`, () => {
		let sb;
		let session;

		before(async () => {
			await h.ensureBuilt();
			sb = await startSandbox({ port: 0 });
			session = await h.openSession({ version });
			await session.importCredentials([
				h.sonarlyCredential({ apiKey: FULL, baseUrl: sb.url }),
				h.sonarlyCredential({
					id: READ_ONLY_CREDENTIAL_ID,
					name: 'Sonarly read-only',
					apiKey: READ_ONLY,
					baseUrl: sb.url,
				}),
				h.sonarlyCredential({
					id: FTP_CREDENTIAL_ID,
					name: 'Sonarly ftp',
					apiKey: FULL,
					baseUrl: sb.url.replace(/^http:/, 'ftp:'),
				}),
			]);
			await session.importWorkflows([
				mixedBatchWorkflow(),
				stopWorkflowOnErrorWorkflow(),
				expressionsWorkflow(),
				...failSafeWorkflows(),
			]);
		});

		after(async () => {
			await session?.close();
			await sb?.close();
		});

		it('routes a mixed batch to the success and error outputs, keeping input fields on errors', async () => {
			sb.reset();
			const result = await session.execute('sonarlyMixedBatch');
			assert.equal(
				result.exitCode,
				0,
				`n8n execute failed:\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-2000)}`,
			);
			assert.ok(result.ok, `execution reported an error: ${JSON.stringify(result.error)}`);
			assert.equal(h.unrecognizedNodeType(result), undefined);

			const stopped = h.outputItems(result.runData, 'Stop campaign', 0);
			const failed = h.outputItems(result.runData, 'Stop campaign', 1);
			assert.deepEqual(
				stopped.map((json) => json.campaign?.id),
				[ids.activeCampaign, ids.activeCampaign2],
				`success output: ${JSON.stringify(stopped)}`,
			);
			for (const json of stopped) {
				assert.equal(json.campaign.status, 'stopped');
				assert.equal(typeof json.traceId, 'string');
				assert.ok(json.traceId.length > 0);
				assert.equal(json.error, undefined);
			}
			assert.equal(stopped[0].instancesStopped, 25);
			assert.equal(stopped[1].instancesStopped, 137);
			// Success items pair with their input items.
			const rawStopped = h.outputRawItems(result.runData, 'Stop campaign', 0);
			assert.deepEqual(
				rawStopped.map((item) => [item.pairedItem].flat()[0]?.item),
				[0, 3],
			);

			assert.deepEqual(
				failed.map((json) => json.dealId),
				['D-2', 'D-3'],
				`error output: ${JSON.stringify(failed)}`,
			);
			const [notFound, notActive] = failed;
			// The input item's fields are kept...
			assert.equal(notFound.company, 'Hooli');
			assert.equal(notFound.campaignId, ids.missingCampaign);
			assert.equal(notActive.company, 'Umbrella');
			// ...and the error is ours, readable, with the API's details.
			assert.equal(String(notFound.error.httpCode), '404');
			assert.equal(notFound.error.code, 'NOT_FOUND');
			assert.match(notFound.error.message, /not found/i);
			assert.match(notFound.message, /not found/i);
			assert.equal(typeof notFound.error.traceId, 'string');
			assert.ok(notFound.error.description);
			assert.equal(String(notActive.error.httpCode), '409');
			// Sonarly's own error code is passed through (the sandbox answers CAMPAIGN_NOT_ACTIVE).
			assert.match(String(notActive.error.code), /^[A-Z_]+$/);
			assert.match(notActive.error.message, /not active/i);
			assert.match(notActive.message, /not active/i);

			// The downstream nodes saw the same split.
			assert.equal(h.outputItems(result.runData, 'Stopped', 0).length, 2);
			assert.deepEqual(
				h.outputItems(result.runData, 'Failed', 0).map((json) => json.dealId),
				['D-2', 'D-3'],
			);

			// Read-only key: 403 on the error output, nothing stopped.
			assert.deepEqual(h.outputItems(result.runData, 'Stop with read-only key', 0), []);
			const forbidden = h.outputItems(result.runData, 'Stop with read-only key', 1);
			assert.equal(forbidden.length, 1, JSON.stringify(forbidden));
			assert.equal(forbidden[0].dealId, 'D-5');
			assert.equal(String(forbidden[0].error.httpCode), '403');
			assert.match(forbidden[0].error.message, /not allowed/i);
			assert.deepEqual(
				h.outputItems(result.runData, 'Read-only failed', 0).map((json) => json.dealId),
				['D-5'],
			);

			// Exactly one stop request per item, and the sandbox state matches.
			for (const id of [
				ids.activeCampaign,
				ids.missingCampaign,
				ids.draftCampaign,
				ids.activeCampaign2,
				ids.activeCampaign3,
			]) {
				assert.equal(sb.stopRequests(id).length, 1, `stop requests for ${id}`);
			}
			assert.equal(sb.stopRequests().length, 5);
			assert.equal(statusOf(sb, ids.activeCampaign), 'stopped');
			assert.equal(statusOf(sb, ids.activeCampaign2), 'stopped');
			assert.equal(statusOf(sb, ids.draftCampaign), 'draft');
			assert.equal(statusOf(sb, ids.activeCampaign3), 'active');
			assert.ok(sb.stopRequests().every((entry) => entry.authorized));
		});

		it('fails the execution with our message under the default "Stop Workflow"', async () => {
			sb.reset();
			const result = await session.execute('sonarlyStopOnError');
			assert.equal(result.exitCode, 1, `expected exit code 1:\n${result.stdout.slice(-2000)}`);
			assert.equal(result.ok, false);
			assert.ok(result.error, 'the execution carries an error');
			assert.match(result.error.message, /not found/i, JSON.stringify(result.error));
			assert.equal(result.lastNodeExecuted, 'Stop campaign');
			const nodeError = h.nodeError(result.runData, 'Stop campaign');
			assert.ok(nodeError, 'the Sonarly node run recorded the error');
			assert.match(nodeError.message, /not found/i);
			assert.equal(String(nodeError.httpCode), '404');
			assert.equal(
				h.nodeRuns(result.runData, 'After stop').length,
				0,
				'nothing ran after the failed node',
			);
			assert.equal(sb.stopRequests(ids.missingCampaign).length, 1);
		});

		it('takes ids from expressions (nested fields, $("node"), plain-string parameters)', async () => {
			sb.reset();
			const result = await session.execute('sonarlyExpressions');
			assert.equal(result.exitCode, 0, `n8n execute failed:\n${result.stdout.slice(-3000)}`);
			assert.ok(result.ok, JSON.stringify(result.error));

			const nested = h.outputItems(result.runData, 'Stop from nested fields', 0);
			assert.equal(
				nested.length,
				1,
				`error output: ${JSON.stringify(h.outputItems(result.runData, 'Stop from nested fields', 1))}`,
			);
			assert.equal(nested[0].campaign.id, ids.globexActiveCampaign);
			assert.equal(nested[0].campaign.status, 'stopped');
			assert.equal(sb.stopRequests(ids.globexActiveCampaign).length, 1);
			assert.equal(sb.stopRequests(ids.globexActiveCampaign)[0].accountGroupId, ids.globexGroup);

			const plain = h.outputItems(result.runData, 'Stop from plain expressions', 0);
			assert.equal(
				plain.length,
				1,
				`error output: ${JSON.stringify(h.outputItems(result.runData, 'Stop from plain expressions', 1))}`,
			);
			assert.equal(plain[0].campaign.id, ids.activeCampaign3);
			assert.equal(sb.stopRequests(ids.activeCampaign3).length, 1);
			assert.equal(sb.stopRequests().length, 2);
		});

		it('Stop Workflow with one empty id fails the run naming it, and sends nothing', async () => {
			sb.reset();
			const result = await session.execute('sonarlyEmptyIdStops');
			assert.equal(result.exitCode, 1, result.stdout.slice(-2000));
			assert.match(result.error.message, /^Campaign \(item 0\) is empty/, JSON.stringify(result.error));
			assert.equal(sb.stopRequests().length, 0);
			assert.equal(statusOf(sb, ids.activeCampaign), 'active');
		});

		it('Retry On Fail on: Stop refuses to run, so no campaign is ever sent twice (or at all)', async () => {
			sb.reset();
			const result = await session.execute('sonarlyRetryOnFail');
			assert.equal(result.exitCode, 0, result.stdout.slice(-2000));
			assert.equal(sb.stopRequests().length, 0);
			assert.deepEqual(h.outputItems(result.runData, 'Stop campaign', 0), []);
			const failed = h.outputItems(result.runData, 'Stop campaign', 1);
			assert.deepEqual(
				failed.map((json) => json.error.message),
				Array(2).fill('Turn off Settings → Retry On Fail for this node to stop campaigns'),
			);
		});

		it('an ftp:// Base URL under Continue (using error output) puts every item on the error output', async () => {
			sb.reset();
			const result = await session.execute('sonarlyFtpBaseUrl');
			assert.equal(result.exitCode, 0, result.stdout.slice(-2000));
			assert.deepEqual(h.outputItems(result.runData, 'Stop campaign', 0), []);
			const failed = h.outputItems(result.runData, 'Stop campaign', 1);
			assert.deepEqual(
				failed.map((json) => json.campaignId),
				[ids.activeCampaign, ids.activeCampaign2, ids.activeCampaign3],
			);
			for (const json of failed) assert.match(json.error.message, /must start with https:\/\/ or http:\/\//);
			assert.equal(sb.requests.length, 0);
		});
	});
}
