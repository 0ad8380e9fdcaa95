// `npm run demo`: runs the example workflows headless in a real n8n (2.41.1) against the local
// Sonarly sandbox and prints what happened. Builds the package when needed, installs n8n into
// ~/.cache/n8n-nodes-sonarly the first time (a few minutes), stops everything it started, and
// exits non-zero when the outcome is not the expected one.
import * as h from '../test/e2e/n8n.mjs';
import { demoAgent } from './demo-agent.mjs';
import { cleanup, out, readExample, startSandboxedN8n, VERSION, SANDBOX_KEY } from './sandboxed-n8n.mjs';

const started = Date.now();
const problems = [];

function expect(condition, message) {
	if (!condition) problems.push(message);
}

h.onShutdown(cleanup);

function short(id) {
	return id && id.length > 12 ? `…${id.slice(-6)}` : id;
}

async function main() {
	const { n8n, sb, session } = await startSandboxedN8n();
	const { SEED } = h.sandboxModule();
	const ids = SEED.ids;

	out(`Sonarly demo: n8n ${VERSION} on Node ${n8n.node.version}, Sonarly sandbox at ${sb.url}`);
	out(`Credential "${h.CREDENTIAL_NAME}" → sandbox, key ${SANDBOX_KEY} (read + execute)`);
	const exampleA = readExample('crm-deal-won-stop-campaign.json');
	const exampleB = readExample('stop-active-campaigns-of-account-group.json');
	const exampleC = readExample('lead-replied-stop-outreach-start-nurture.json');
	const exampleE = readExample('crm-lead-import-and-start-campaign.json');
	await session.importWorkflows([exampleA, exampleB, exampleC, exampleE]);

	// (a) CRM deal won → stop the campaign, failures to Sales Ops.
	out();
	out('(a) examples/crm-deal-won-stop-campaign.json: 4 won deals from the CRM');
	const a = await session.execute(exampleA.id);
	expect(
		a.exitCode === 0 && a.ok,
		`(a) the execution failed: ${a.error?.message ?? `exit code ${a.exitCode}`}`,
	);
	const deals = h.outputItems(a.runData, 'Sample CRM deal-won payload', 0);
	const stopped = h.outputItems(a.runData, 'Stop Sonarly campaign', 0);
	const stoppedPairs = h
		.outputRawItems(a.runData, 'Stop Sonarly campaign', 0)
		.map((item) => [item.pairedItem].flat()[0]?.item);
	const failed = h.outputItems(a.runData, 'Stop Sonarly campaign', 1);
	const notified = h.outputItems(a.runData, 'Notify Sales Ops', 0);
	stopped.forEach((json, i) => {
		const deal = deals[stoppedPairs[i]] ?? {};
		out(
			`  stopped  ${deal.dealId ?? '?'} ${deal.company ?? ''}: campaign "${json.campaign?.name}" (${short(json.campaign?.id)}) is now ${json.campaign?.status}, instancesStopped ${json.instancesStopped}`,
		);
	});
	for (const json of failed) {
		out(
			`  error    ${json.dealId} ${json.company}: HTTP ${json.error?.httpCode ?? '-'} ${json.error?.code ?? ''}: ${json.error?.message} → error branch`,
		);
	}
	if (notified[0]) {
		out('  "Notify Sales Ops" prepared, for example:');
		for (const line of String(notified[0].text).split('\n')) out(`    ${line}`);
	}
	expect(
		JSON.stringify(stopped.map((json) => json.campaign?.id)) ===
			JSON.stringify([ids.activeCampaign, ids.activeCampaign2]),
		'(a) expected the 2 active campaigns on the success output',
	);
	expect(
		JSON.stringify(failed.map((json) => [json.dealId, String(json.error?.httpCode)])) ===
			JSON.stringify([
				['deal-1003', '409'],
				['deal-1004', '404'],
			]),
		'(a) expected the draft (409) and the unknown campaign (404) on the error output',
	);
	expect(
		notified.length === failed.length,
		'(a) expected one Sales Ops notification per failed deal',
	);
	expect(
		sb.stopRequests().length === 4,
		`(a) expected 4 stop requests, the sandbox saw ${sb.stopRequests().length}`,
	);
	out(
		`  ${sb.stopRequests().length} stop requests reached Sonarly (one per deal); run took ${(a.ms / 1000).toFixed(1)} s`,
	);

	// (b) Stop every active campaign of an account group.
	out();
	out(
		'(b) examples/stop-active-campaigns-of-account-group.json: account group "Acme Sales", fresh sandbox',
	);
	sb.reset();
	const b = await session.execute(exampleB.id);
	expect(
		b.exitCode === 0 && b.ok,
		`(b) the execution failed: ${b.error?.message ?? `exit code ${b.exitCode}`}`,
	);
	const listed = h.outputItems(b.runData, 'Get active campaigns', 0);
	const stoppedB = h.outputItems(b.runData, 'Stop campaign', 0);
	const failedB = h.outputItems(b.runData, 'Stop campaign', 1);
	out(
		`  found ${listed.length} active campaigns: ${listed.map((json) => `"${json.name}"`).join(', ')}`,
	);
	for (const json of stoppedB) {
		out(
			`  stopped  "${json.campaign?.name}" (${short(json.campaign?.id)}), instancesStopped ${json.instancesStopped}`,
		);
	}
	for (const json of failedB) out(`  error    ${json.id ?? ''}: ${json.message}`);
	const active = [ids.activeCampaign, ids.activeCampaign2, ids.activeCampaign3].sort();
	expect(
		JSON.stringify(stoppedB.map((json) => json.campaign?.id).sort()) === JSON.stringify(active),
		'(b) expected the 3 active campaigns of Acme Sales to be stopped',
	);
	expect(failedB.length === 0, '(b) expected no item on the error output');
	out(
		`  ${sb.stopRequests().length} stop requests reached Sonarly; run took ${(b.ms / 1000).toFixed(1)} s`,
	);

	// (c) Lead replied → stop the outreach campaign, start the nurture campaign.
	out();
	out('(c) examples/lead-replied-stop-outreach-start-nurture.json: a lead replied, fresh sandbox');
	sb.reset();
	const c = await session.execute(exampleC.id);
	expect(c.exitCode === 0 && c.ok, `(c) the execution failed: ${c.error?.message ?? `exit code ${c.exitCode}`}`);
	const outreach = h.outputItems(c.runData, 'Stop outreach campaign', 0)[0];
	const nurture = h.outputItems(c.runData, 'Start nurture campaign', 0)[0];
	out(
		`  stopped  "${outreach?.campaign?.name}" (${short(outreach?.campaign?.id)}), instancesStopped ${outreach?.instancesStopped}`,
	);
	out(
		`  started  "${nurture?.campaign?.name}" (${short(nurture?.campaign?.id)}), now ${nurture?.campaign?.status}, instancesCreated ${nurture?.instancesCreated}`,
	);
	expect(outreach?.stopped === true && nurture?.started === true, '(c) expected one stop and one start');
	const starts = sb.requests.filter((entry) => entry.route === 'startCampaign').length;
	expect(sb.stopRequests().length === 1 && starts === 1, '(c) expected exactly 1 stop and 1 start request');
	out(`  1 stop and 1 start request reached Sonarly; run took ${(c.ms / 1000).toFixed(1)} s`);

	await demoAgent({ out, problem: (message) => problems.push(message), version: VERSION });

	await demoCrmImport({ sb, session, ids, SEED, workflowId: exampleE.id });

	out();
	if (problems.length > 0) {
		out('Unexpected:');
		for (const problem of problems) out(`  - ${problem}`);
		process.exitCode = 1;
	} else {
		out(`All as expected. Demo finished in ${Math.round((Date.now() - started) / 1000)} s.`);
	}
}

/**
 * (e) CRM lead → prospecting job (waited for) → the audience's prospects → campaign start; run
 * twice (the job is replayed, the campaign not started again), then once without credits.
 */
async function demoCrmImport({ sb, session, ids, SEED, workflowId }) {
	const file = 'crm-lead-import-and-start-campaign.json';
	const routes = (route) =>
		sb.requests.filter((entry) => entry.route === route).map((entry) => entry.status);
	const acme = () => sb.state().accountGroups.find((group) => group.id === ids.acmeGroup);
	const audienceName = SEED.accountGroups[0].audiences.find((a) => a.id === ids.audience1).name;
	const jobStepMs = 1000;
	out();
	out(
		`(e) examples/${file}: a new CRM lead, fresh sandbox (jobs take ${jobStepMs / 1000} s a step)`,
	);
	sb.reset();
	sb.setFaults({ jobStepMs });
	const jobsBefore = acme().prospectingJobs.length;
	const first = await session.execute(workflowId);
	expect(
		first.exitCode === 0 && first.ok,
		`(e) the first run failed: ${first.error?.message ?? `exit code ${first.exitCode}`}`,
	);
	const [lead] = h.outputItems(first.runData, 'Sample CRM lead', 0);
	const [job] = h.outputItems(first.runData, 'Import lead into Sonarly', 0);
	const waited = h.nodeRuns(first.runData, 'Import lead into Sonarly')[0]?.executionTime ?? 0;
	const prospects = h.outputItems(first.runData, 'Get prospects of the audience', 0);
	const [found] = h.outputItems(first.runData, 'Find the imported lead', 0);
	const [start] = h.outputItems(first.runData, 'Start campaign', 0);
	out(
		`  imported  ${lead?.crmLeadId} ${lead?.fullName} (${lead?.linkedinUrl}): job ${short(job?.jobId)} ${job?.status} after ${(waited / 1000).toFixed(1)} s of waiting, replayed ${job?.replayed}`,
	);
	out(
		`  listed    ${prospects.length} prospects of "${audienceName}" in ${routes('listAudienceProspects').length} pages; the lead is prospect ${short(found?.sonarlyProspectId)}`,
	);
	out(
		`  started   "${start?.campaign?.name}" (${short(start?.campaign?.id)}), now ${start?.campaign?.status}, instancesCreated ${start?.instancesCreated}`,
	);
	expect(
		job?.status === 'completed' && found?.foundInAudience === true,
		'(e) expected the lead imported and found in the audience',
	);
	expect(start?.started === true, '(e) expected the campaign started on the first run');

	sb.requests.length = 0;
	const second = await session.execute(workflowId);
	expect(second.exitCode === 0 && second.ok, '(e) the second run failed');
	const [replay] = h.outputItems(second.runData, 'Import lead into Sonarly', 0);
	const [again] = h.outputItems(second.runData, 'Start campaign', 0);
	const jobsAdded = acme().prospectingJobs.length - jobsBefore;
	out(
		`  run again: Sonarly replayed job ${short(replay?.jobId)} (HTTP ${routes('startProspecting').join(', ')}, same Idempotency-Key, replayed ${replay?.replayed}); the campaign is already ${again?.campaign?.status}, started ${again?.started} (HTTP ${routes('startCampaign').join(', ')} ignored)`,
	);
	expect(
		replay?.jobId === job?.jobId && replay?.replayed === true,
		'(e) expected the second run to replay the first job',
	);
	expect(jobsAdded === 1, `(e) expected 1 job created in two runs, the sandbox has ${jobsAdded}`);
	expect(again?.started === false, '(e) expected no second campaign start');

	sb.reset();
	sb.setFaults({ jobStepMs });
	sb.setCredits({ credits: 0 });
	const broke = await session.execute(workflowId);
	const [alert] = h.outputItems(broke.runData, 'Slack-ready alert', 0);
	out('  no credits left: "Slack-ready alert" prepared');
	out(`    ${alert?.text}`);
	expect(
		String(alert?.httpCode) === '402' && routes('startCampaign').length === 0,
		'(e) expected a 402 alert and no campaign start without credits',
	);
	out(
		`  ${jobsAdded} job in two runs, 1 campaign start; runs took ${(first.ms / 1000).toFixed(1)} s, ${(second.ms / 1000).toFixed(1)} s and ${(broke.ms / 1000).toFixed(1)} s`,
	);
}

try {
	await main();
} catch (error) {
	process.stderr.write(`demo failed: ${error.stack ?? error}\n`);
	process.exitCode = 1;
} finally {
	await cleanup();
}
