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
	'crm-lead-import-and-start-campaign.json',
	'signal-scan-hot-prospects.json',
	'duplicate-campaign-for-audience.json',
];
// Needs a chat model: imported and type-checked here; agent.test.mjs runs it against the
// scripted OpenAI-compatible model (test/e2e/scripted-model.mjs).
const IMPORT_ONLY = [
	'ai-agent-stop-campaign.json',
	// Started by the Sonarly Trigger in an active workflow: trigger-examples.test.mjs runs them.
	'job-finished-start-campaign.json',
	'new-message-agent-reply.json',
];

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

		it('crm-lead-import-and-start-campaign.json: imports the lead once, lists the audience, starts the campaign once; a second run replays the job and starts nothing', async () => {
			sb.reset();
			sb.setFaults({ jobStepMs: 1000 });
			const file = 'crm-lead-import-and-start-campaign.json';
			const leadUrl = 'https://www.linkedin.com/in/jane-doe-initech';
			const jobsBefore = acme(sb).prospectingJobs.length;

			const first = await session.execute(idOf(file));
			assert.equal(h.unrecognizedNodeType(first), undefined);
			assert.equal(first.exitCode, 0, `n8n execute failed:\n${first.stdout.slice(-3000)}`);
			assert.ok(first.ok, JSON.stringify(first.error));
			// One job, for the CRM lead's URL, into the audience the lead names; it completed.
			assert.deepEqual(routes(sb, 'startProspecting'), [202]);
			const jobs = acme(sb).prospectingJobs;
			assert.equal(jobs.length, jobsBefore + 1);
			const job = jobs.at(-1);
			assert.deepEqual(job.plan, { urls: [leadUrl] });
			assert.equal(job.audienceId, ids.audience1);
			assert.equal(job.status, 'completed');
			const [imported] = h.outputItems(first.runData, 'Import lead into Sonarly', 0);
			assert.equal(imported.jobId, job.jobId);
			assert.equal(imported.status, 'completed');
			assert.equal(imported.replayed, false);
			assert.match(imported.idempotencyKey, /^n8n-[0-9a-f]{48}$/);
			assert.ok(routes(sb, 'getProspecting').length >= 1, 'the node waited for the job');
			// Return All read the 46 prospects (45 seeded + the lead) in 3 pages.
			const listed = h.outputItems(first.runData, 'Get prospects of the audience', 0);
			assert.equal(listed.length, 46);
			assert.deepEqual(routes(sb, 'listAudienceProspects'), [200, 200, 200]);
			const jane = listed.find((json) => json.linkedinUrl === leadUrl);
			assert.equal(jane?.name, 'Jane Doe');
			// The campaign was started once.
			assert.deepEqual(routes(sb, 'startCampaign'), [200]);
			assert.equal(statusOf(sb, ids.draftCampaign), 'active');
			assert.deepEqual(h.outputItems(first.runData, 'Lead in campaign', 0), [
				{
					crmLeadId: 'lead-2001',
					sonarlyProspectId: jane.id,
					audienceProspects: 46,
					jobId: job.jobId,
					importReplayed: false,
					campaign: 'Holiday Promo (draft)',
					campaignStatus: 'active',
					campaignStarted: true,
				},
			]);
			assert.deepEqual(h.outputItems(first.runData, 'Slack-ready alert', 0), []);

			// Second run, same lead: Sonarly replays the first job (same Idempotency-Key), nothing
			// is imported again, and the already active campaign is not started again.
			sb.requests.length = 0;
			const second = await session.execute(idOf(file));
			assert.equal(second.exitCode, 0, second.stdout.slice(-3000));
			assert.ok(second.ok, JSON.stringify(second.error));
			assert.deepEqual(routes(sb, 'startProspecting'), [200]);
			assert.equal(acme(sb).prospectingJobs.length, jobsBefore + 1, 'no second job');
			const [replayed] = h.outputItems(second.runData, 'Import lead into Sonarly', 0);
			assert.equal(replayed.jobId, job.jobId);
			assert.equal(replayed.replayed, true);
			assert.equal(replayed.idempotencyKey, imported.idempotencyKey);
			assert.equal(h.outputItems(second.runData, 'Get prospects of the audience', 0).length, 46);
			assert.deepEqual(routes(sb, 'startCampaign'), [409], 'one start request, refused as active');
			const [summary] = h.outputItems(second.runData, 'Lead in campaign', 0);
			assert.equal(summary.campaignStarted, false);
			assert.equal(summary.campaignStatus, 'active');
			assert.equal(summary.importReplayed, true);
			assert.equal(summary.sonarlyProspectId, jane.id);
			assert.deepEqual(h.outputItems(second.runData, 'Slack-ready alert', 0), []);
		});

		it('crm-lead-import-and-start-campaign.json: a refused import (402, no credits) becomes one Slack-ready line and nothing else is sent; a refused start is alerted too', async () => {
			sb.reset();
			sb.setFaults({ jobStepMs: 1000 });
			sb.setCredits({ credits: 0 });
			const result = await session.execute(idOf('crm-lead-import-and-start-campaign.json'));
			assert.equal(result.exitCode, 0, result.stdout.slice(-3000));
			assert.ok(result.ok, JSON.stringify(result.error));
			assert.deepEqual(routes(sb, 'startProspecting'), [402]);
			assert.deepEqual(routes(sb, 'listAudienceProspects'), []);
			assert.deepEqual(routes(sb, 'startCampaign'), []);
			const [alert, ...more] = h.outputItems(result.runData, 'Slack-ready alert', 0);
			assert.deepEqual(more, []);
			assert.equal(alert.channel, '#sales-ops');
			assert.equal(alert.failedStep, 'Import lead into Sonarly');
			assert.equal(String(alert.httpCode), '402');
			assert.doesNotMatch(alert.text, /\n/, 'one line');
			assert.match(
				alert.text,
				/^:warning: Sonarly step "Import lead into Sonarly" failed for CRM lead lead-2001 \(Jane Doe\): /,
			);
			assert.match(alert.text, /credits/i);
			assert.match(alert.text, /HTTP 402, code INSUFFICIENT_CREDITS, trace ID [0-9a-f]{24}\)$/);
			assert.doesNotMatch(JSON.stringify(result.runData), /sk_test_/);
			assert.equal(statusOf(sb, ids.draftCampaign), 'draft');

			// A failure at the last step still names the CRM lead (the items stay paired to it).
			sb.reset();
			sb.setFaults({ jobStepMs: 1000, forceStatus: { startCampaign: 403 } });
			const late = await session.execute(idOf('crm-lead-import-and-start-campaign.json'));
			assert.equal(late.exitCode, 0, late.stdout.slice(-3000));
			assert.deepEqual(routes(sb, 'startProspecting'), [202]);
			assert.deepEqual(routes(sb, 'startCampaign'), [403]);
			assert.deepEqual(h.outputItems(late.runData, 'Lead in campaign', 0), []);
			const [lateAlert] = h.outputItems(late.runData, 'Slack-ready alert', 0);
			assert.equal(lateAlert.failedStep, 'Start campaign');
			assert.match(
				lateAlert.text,
				/failed for CRM lead lead-2001 \(Jane Doe\): .*\(HTTP 403, code FORBIDDEN, trace ID [0-9a-f]{24}\)$/,
			);
		});

		it("signal-scan-hot-prospects.json: one scan, waited for; each prospect's signals at score 70+ become a CRM item", async () => {
			sb.reset();
			sb.setFaults({ jobStepMs: 1000 });
			const result = await session.execute(idOf('signal-scan-hot-prospects.json'));
			assert.equal(h.unrecognizedNodeType(result), undefined);
			assert.equal(result.exitCode, 0, `n8n execute failed:\n${result.stdout.slice(-3000)}`);
			assert.ok(result.ok, JSON.stringify(result.error));
			const [settings] = h.outputItems(result.runData, 'Scan settings', 0);
			assert.deepEqual(routes(sb, 'startScan'), [202]);
			const scan = acme(sb).signalScans.at(-1);
			assert.equal(scan.status, 'completed');
			assert.deepEqual(scan.plan.prospectIds, settings.prospectIds);
			assert.equal(scan.plan.signalSpecificationId, ids.signalSpecification2);
			const signalReads = sb.requests.filter((entry) => entry.route === 'getProspectSignals');
			// One read per prospect, each with minScore=70 (the node may send them side by side, so
			// their order is not checked; the output order is).
			assert.deepEqual(
				signalReads
					.map((entry) => [
						entry.resourceId,
						new URL(entry.path, sb.url).searchParams.get('minScore'),
					])
					.sort(),
				settings.prospectIds.map((id) => [id, '70']).sort(),
			);
			const crm = h.outputItems(result.runData, 'Signals for the CRM', 0);
			assert.equal(crm.length, settings.prospectIds.length);
			for (const [i, item] of crm.entries()) {
				// What Sonarly (the sandbox) answers for this prospect at Min Score 70.
				const answer = await api(sb, `/prospects/${settings.prospectIds[i]}/signals?minScore=70`);
				const scores = answer.results.flatMap((group) => group.items.map((x) => x.score));
				assert.deepEqual(item, {
					sonarlyProspectId: settings.prospectIds[i],
					signalStatus: 'evaluated',
					hot: scores.length > 0,
					signalCount: scores.length,
					topScore: Math.max(0, ...scores),
					signalTypes: answer.results.map((group) => group.type).join(', '),
					scanId: scan.scanId,
				});
				assert.ok(scores.every((score) => score >= 70));
			}
			// Two of the four are hot, two were evaluated without a signal scoring 70 or more.
			assert.deepEqual(
				crm.filter((item) => item.hot).map((item) => item.sonarlyProspectId),
				[acmeSeed.prospects[2].id, acmeSeed.prospects[5].id],
			);
			// Before the scan three were pending and one had an evaluation that found nothing.
			assert.deepEqual(
				settings.prospectIds.map(
					(id) => acmeSeed.prospects.find((p) => p.id === id).signals.status,
				),
				['pending', 'evaluated', 'pending', 'pending'],
			);
			assert.deepEqual(h.outputItems(result.runData, 'Slack-ready alert', 0), []);
		});

		it('duplicate-campaign-for-audience.json: duplicates into a draft, lists its content, starts it once; a second run is refused (409) and alerted', async () => {
			sb.reset();
			const file = 'duplicate-campaign-for-audience.json';
			const campaignsBefore = acme(sb).campaigns.length;
			const first = await session.execute(idOf(file));
			assert.equal(h.unrecognizedNodeType(first), undefined);
			assert.equal(first.exitCode, 0, `n8n execute failed:\n${first.stdout.slice(-3000)}`);
			assert.ok(first.ok, JSON.stringify(first.error));
			assert.deepEqual(routes(sb, 'duplicateCampaign'), [201]);
			assert.deepEqual(routes(sb, 'listContentSlots'), [200]);
			assert.deepEqual(routes(sb, 'startCampaign'), [200], 'started once, not once per slot');
			const [copy] = h.outputItems(first.runData, 'Duplicate campaign', 0);
			assert.equal(copy.status, 'draft');
			assert.equal(acme(sb).campaigns.length, campaignsBefore + 1);
			assert.equal(acme(sb).campaignAudiences[copy.id], ids.audience2);
			assert.equal(statusOf(sb, copy.id), 'active');
			assert.equal(statusOf(sb, ids.activeCampaign), 'active');
			assert.equal(h.outputItems(first.runData, 'Get content slots', 0).length, 3);
			assert.deepEqual(h.outputItems(first.runData, 'Campaign launched', 0), [
				{
					campaignId: copy.id,
					campaign: 'Q3 Enterprise Outbound: webinar attendees',
					status: 'active',
					instancesCreated: 140,
					copiedFrom: ids.activeCampaign,
					contentSlots: 3,
					slotLabels: 'Intro message, Follow-up 1, InMail fallback',
				},
			]);
			assert.deepEqual(h.outputItems(first.runData, 'Slack-ready alert', 0), []);

			sb.requests.length = 0;
			const second = await session.execute(idOf(file));
			assert.equal(second.exitCode, 0, second.stdout.slice(-3000));
			assert.ok(second.ok, JSON.stringify(second.error));
			assert.deepEqual(routes(sb, 'duplicateCampaign'), [409]);
			assert.deepEqual(routes(sb, 'startCampaign'), []);
			assert.equal(acme(sb).campaigns.length, campaignsBefore + 1, 'no second copy');
			const [alert] = h.outputItems(second.runData, 'Slack-ready alert', 0);
			assert.equal(alert.failedStep, 'Duplicate campaign');
			assert.equal(String(alert.httpCode), '409');
			assert.match(alert.text, /code ACTIVE_WORKFLOW_CONFLICT/);
			assert.match(alert.text, /active workflow conflicts are rejected/);
			assert.doesNotMatch(alert.text, /\n/);
		});
	});
}

/** The statuses the sandbox answered for one route, in order. */
function routes(sb, route) {
	return sb.requests.filter((entry) => entry.route === route).map((entry) => entry.status);
}

/** Acme Sales as the sandbox holds it now. */
function acme(sb) {
	return sb.state().accountGroups.find((group) => group.id === ids.acmeGroup);
}

const acmeSeed = SEED.accountGroups.find((group) => group.id === ids.acmeGroup);

/** A read of the sandbox's API for Acme Sales (full-access key), as the node would get it. */
async function api(sb, route) {
	const res = await fetch(`${sb.url}/v1/accounts/${ids.acmeGroup}${route}`, {
		headers: { authorization: 'Bearer sk_test_full_access' },
	});
	const body = await res.json();
	assert.equal(res.status, 200, JSON.stringify(body));
	return body.data;
}
