// Every workflow in examples/ imports into a real n8n with our package installed; the ones that
// need no third-party account run headless against the sandbox; every node type they use (ours
// and the Tool variant n8n generates from it included) resolves at the version they pin.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import * as h from './n8n.mjs';

const { startSandbox, SEED } = h.sandboxModule();
const ids = SEED.ids;

const EXAMPLES_DIR = path.join(h.REPO_ROOT, 'examples');
const RUNNABLE = [
	'crm-deal-won-stop-campaign.json',
	'lead-replied-stop-outreach-start-nurture.json',
	'stop-active-campaigns-of-account-group.json',
];
// Needs a chat model credential: imported and type-checked, never run.
const IMPORT_ONLY = ['ai-agent-stop-campaign.json'];

function loadExamples() {
	return fs
		.readdirSync(EXAMPLES_DIR)
		.filter((name) => name.endsWith('.json'))
		.sort()
		.map((file) => {
			const workflow = JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));
			return { file, id: workflow.id, workflow };
		});
}

function statusOf(sb, campaignId) {
	for (const group of SEED.accountGroups) {
		const found = sb.campaign(group.id, campaignId);
		if (found) return found.status;
	}
	return undefined;
}

const examples = loadExamples();
const idOf = (file) => examples.find((e) => e.file === file)?.id;

describe('examples/ (static checks)', () => {
	it('holds the documented examples', () => {
		const files = examples.map((e) => e.file);
		for (const file of [...RUNNABLE, ...IMPORT_ONLY]) {
			assert.ok(files.includes(file), `examples/${file} is missing`);
		}
	});

	it('gives every example its own workflow id (n8n 2.x `import:workflow` refuses a workflow without one)', () => {
		const seen = new Set();
		for (const { file, id } of examples) {
			assert.match(String(id), /^[A-Za-z0-9]{1,36}$/, `${file} needs an "id"`);
			assert.ok(!seen.has(id), `${file}: duplicate id ${id}`);
			seen.add(id);
		}
	});

	for (const { file, workflow } of examples) {
		it(`${file}: Sonarly nodes use the "Sonarly account" credential and no secrets`, () => {
			const sonarly = workflow.nodes.filter((node) => node.type.startsWith(`${h.PACKAGE_NAME}.`));
			assert.ok(sonarly.length > 0, 'uses at least one Sonarly node');
			for (const node of sonarly) {
				assert.deepEqual(node.credentials, {
					[h.CREDENTIAL_TYPE]: { id: h.CREDENTIAL_ID, name: h.CREDENTIAL_NAME },
				});
			}
			const text = JSON.stringify(workflow);
			assert.doesNotMatch(text, /sk_(live|test)_/, 'no API key in an example');
			for (const [from, { main = [], ...others }] of Object.entries(workflow.connections)) {
				assert.ok(
					workflow.nodes.some((n) => n.name === from),
					`connection from unknown node ${from}`,
				);
				for (const targets of [...main, ...Object.values(others).flat()]) {
					for (const target of targets ?? []) {
						assert.ok(
							workflow.nodes.some((n) => n.name === target.node),
							`connection to unknown node ${target.node}`,
						);
					}
				}
			}
		});
	}
});

for (const version of h.testedVersions()) {
	describe(`n8n ${version}: examples/`, () => {
		let sb;
		let session;
		let knownTypes;

		before(async () => {
			await h.ensureBuilt();
			sb = await startSandbox({ port: 0 });
			session = await h.openSession({ version });
			await session.importCredentials(
				h.sonarlyCredential({ apiKey: 'sk_test_full_access', baseUrl: sb.url }),
			);
		});

		after(async () => {
			await session?.close();
			await sb?.close();
		});

		it('imports every example file as it is (n8n import:workflow --input=<file>)', async () => {
			for (const { file } of examples) {
				const result = await session.cli([
					'import:workflow',
					`--input=${path.join(EXAMPLES_DIR, file)}`,
				]);
				assert.equal(result.code, 0, `${file}:\n${result.stdout}\n${result.stderr}`);
				assert.match(result.stdout, /imported 1 workflow/i, file);
			}
		});

		it('resolves every node type and type version the examples use', async () => {
			knownTypes = await session.nodeTypes();
			assert.ok(knownTypes.has(h.NODE_TYPE), `${h.NODE_TYPE} is not loaded`);
			assert.ok(knownTypes.has(h.TOOL_NODE_TYPE), `${h.TOOL_NODE_TYPE} is not generated`);
			for (const { file, workflow } of examples) {
				for (const node of workflow.nodes) {
					const versions = knownTypes.get(node.type);
					assert.ok(versions, `${file}: unrecognized node type ${node.type} (node "${node.name}")`);
					assert.ok(
						versions.includes(node.typeVersion),
						`${file}: ${node.type} has no typeVersion ${node.typeVersion} here (has ${versions})`,
					);
				}
			}
		});

		it("crm-deal-won-stop-campaign.json: stops the won deals' campaigns, notifies Sales Ops about the rest", async () => {
			sb.reset();
			const result = await session.execute(idOf('crm-deal-won-stop-campaign.json'));
			assert.equal(h.unrecognizedNodeType(result), undefined);
			assert.equal(result.exitCode, 0, `n8n execute failed:\n${result.stdout.slice(-3000)}`);
			assert.ok(result.ok, JSON.stringify(result.error));

			const stopped = h.outputItems(result.runData, 'Campaign stopped', 0);
			assert.deepEqual(
				stopped.map((json) => [
					json.dealId,
					json.campaignId,
					json.campaignStatus,
					json.instancesStopped,
				]),
				[
					['deal-1001', ids.activeCampaign, 'stopped', 25],
					['deal-1002', ids.activeCampaign2, 'stopped', 137],
				],
			);
			const notified = h.outputItems(result.runData, 'Notify Sales Ops', 0);
			assert.deepEqual(
				notified.map((json) => [json.dealId, String(json.httpCode)]),
				[
					['deal-1003', '409'],
					['deal-1004', '404'],
				],
			);
			for (const json of notified) {
				assert.equal(json.channel, '#sales-ops');
				assert.match(json.text, /NOT stopped for won deal/);
				assert.match(json.text, new RegExp(json.dealId));
				assert.match(json.text, /trace ID[^:]*: [0-9a-f]+/i);
				assert.ok(json.reason);
			}
			assert.match(notified[0].text, /not active/i);
			assert.match(notified[1].text, /not found/i);
			assert.equal(sb.stopRequests().length, 4);
			assert.equal(statusOf(sb, ids.activeCampaign), 'stopped');
			assert.equal(statusOf(sb, ids.activeCampaign2), 'stopped');
			assert.equal(statusOf(sb, ids.draftCampaign), 'draft');
		});

		it('stop-active-campaigns-of-account-group.json: stops every active campaign of the group', async () => {
			sb.reset();
			const result = await session.execute(idOf('stop-active-campaigns-of-account-group.json'));
			assert.equal(h.unrecognizedNodeType(result), undefined);
			assert.equal(result.exitCode, 0, `n8n execute failed:\n${result.stdout.slice(-3000)}`);
			assert.ok(result.ok, JSON.stringify(result.error));
			const listed = h.outputItems(result.runData, 'Get active campaigns', 0);
			const active = [ids.activeCampaign, ids.activeCampaign2, ids.activeCampaign3];
			assert.deepEqual(listed.map((json) => json.id).sort(), [...active].sort());
			const stopped = h.outputItems(result.runData, 'Stopped', 0);
			assert.deepEqual(stopped.map((json) => json.campaign.id).sort(), [...active].sort());
			assert.deepEqual(h.outputItems(result.runData, 'Could not stop', 0), []);
			for (const id of active) {
				assert.equal(sb.stopRequests(id).length, 1);
				assert.equal(statusOf(sb, id), 'stopped');
			}
			assert.equal(sb.stopRequests().length, 3);
			assert.equal(statusOf(sb, ids.draftCampaign), 'draft');
		});

		it('lead-replied-stop-outreach-start-nurture.json: stops the outreach, starts the nurture campaign; a second reply changes nothing', async () => {
			sb.reset();
			const file = 'lead-replied-stop-outreach-start-nurture.json';
			const first = await session.execute(idOf(file));
			assert.equal(first.exitCode, 0, `n8n execute failed:\n${first.stdout.slice(-3000)}`);
			assert.ok(first.ok, JSON.stringify(first.error));
			assert.deepEqual(h.outputItems(first.runData, 'Lead moved to nurture', 0), [
				{
					leadEmail: 'dana@initech.example',
					outreachStopped: true,
					nurtureCampaign: 'Spring Reactivation',
					nurtureStarted: true,
					nurtureStatus: 'active',
				},
			]);
			assert.deepEqual(h.outputItems(first.runData, 'Notify Sales Ops', 0), []);
			assert.equal(statusOf(sb, ids.activeCampaign), 'stopped');
			assert.equal(statusOf(sb, ids.stoppedCampaign), 'active');

			const second = await session.execute(idOf(file));
			assert.equal(second.exitCode, 0, second.stdout.slice(-3000));
			const moved = h.outputItems(second.runData, 'Lead moved to nurture', 0);
			assert.deepEqual(
				moved.map((json) => [json.outreachStopped, json.nurtureStarted, json.nurtureStatus]),
				[[false, false, 'active']],
			);
			const starts = sb.requests.filter((entry) => entry.route === 'startCampaign');
			assert.equal(starts.length, 2, 'one start request per run');
			assert.equal(sb.stopRequests(ids.activeCampaign).length, 2, 'one stop request per run');
		});
	});
}
