// `npm run demo`: runs the example workflows headless in a real n8n (2.41.1) against the local
// Sonarly sandbox and prints what happened. Builds the package when needed, installs n8n into
// ~/.cache/n8n-nodes-sonarly the first time (a few minutes), stops everything it started, and
// exits non-zero when the outcome is not the expected one.
import * as h from '../test/e2e/n8n.mjs';
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
	await session.importWorkflows([exampleA, exampleB, exampleC]);

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

	out();
	if (problems.length > 0) {
		out('Unexpected:');
		for (const problem of problems) out(`  - ${problem}`);
		process.exitCode = 1;
	} else {
		out(`All as expected. Demo finished in ${Math.round((Date.now() - started) / 1000)} s.`);
	}
}

try {
	await main();
} catch (error) {
	process.stderr.write(`demo failed: ${error.stack ?? error}\n`);
	process.exitCode = 1;
} finally {
	await cleanup();
}
