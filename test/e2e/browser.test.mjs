// The n8n editor in a real browser: what a user sees and clicks, in Debian's Chromium driven by
// playwright-core, against a real `n8n start` with the packed package installed and the Sonarly
// sandbox as Sonarly. Every n8n-internal selector is in editor-ui.mjs. Each scenario ends in
// assertions on what the page shows and leaves a screenshot in test/e2e/artifacts/browser/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';

import * as h from './n8n.mjs';
import * as ui from './editor-ui.mjs';

const { startSandbox, SEED } = h.sandboxModule();
const ids = SEED.ids;
const OWNER = {
	email: 'e2e@example.com',
	firstName: 'Sonarly',
	lastName: 'E2E',
	password: 'Sonarly-e2e-1',
};
const acme = SEED.accountGroups.find((group) => group.id === ids.acmeGroup);
const globex = SEED.accountGroups.find((group) => group.id === ids.globexGroup);

/** The node's description as built (dist/), the source of the texts the editor must show. */
function builtDescription() {
	const require = createRequire(import.meta.url);
	const { Sonarly } = require(h.BUILT_NODE);
	return new Sonarly().description;
}

/** The trigger's description: the "What triggers this workflow?" panel shows the package by it. */
function builtTriggerDescription() {
	const require = createRequire(import.meta.url);
	const { SonarlyTrigger } = require(h.BUILT_NODE.replace('Sonarly.node.js', 'SonarlyTrigger.node.js'));
	return new SonarlyTrigger().description;
}

/** Every operation's action text, as the nodes panel lists them. */
function actionTexts(description) {
	return description.properties
		.filter((property) => property.name === 'operation')
		.flatMap((property) => property.options.map((option) => option.action))
		.filter(Boolean);
}

let nodeCounter = 0;
function node(name, type, parameters, extra = {}) {
	nodeCounter += 1;
	return {
		id: `b0000000-0000-4000-8000-${String(nodeCounter).padStart(12, '0')}`,
		name,
		type,
		typeVersion: type === 'n8n-nodes-base.code' ? 2 : 1,
		position: [nodeCounter * 220, 0],
		parameters,
		...extra,
	};
}

const credentials = { [h.CREDENTIAL_TYPE]: { id: h.CREDENTIAL_ID, name: h.CREDENTIAL_NAME } };

/** A throwaway workflow: Manual Trigger → (Code node with `items`) → Sonarly. */
function throwawayWorkflow(name, sonarlyParameters, { items, onError } = {}) {
	const nodes = [node('Start', 'n8n-nodes-base.manualTrigger', {})];
	if (items)
		nodes.push(
			node('Won deals', 'n8n-nodes-base.code', {
				jsCode: `return ${JSON.stringify(items.map((json) => ({ json })))};`,
			}),
		);
	nodes.push(
		node(
			'Sonarly',
			h.NODE_TYPE,
			{ resource: 'campaign', operation: 'stop', options: {}, ...sonarlyParameters },
			{ credentials, ...(onError ? { onError } : {}) },
		),
	);
	const connections = {};
	for (let i = 1; i < nodes.length; i++)
		connections[nodes[i - 1].name] = { main: [[{ node: nodes[i].name, type: 'main', index: 0 }]] };
	return { name, nodes, connections, settings: { executionOrder: 'v1' }, active: false };
}

const fromList = (value = '') => ({ __rl: true, mode: 'list', value });
const byId = (value) => ({ __rl: true, mode: 'id', value });

for (const version of h.testedVersions().filter((v) => ui.EDITOR_VERSIONS.includes(v))) {
	describe(`n8n ${version}: the editor in Chromium`, () => {
		let sb;
		let session;
		let server;
		let browser;
		let context;
		let page;
		let watch;
		let started;
		const shot = (name) => ui.screenshot(page, `${version}-${name}`);

		before(async () => {
			started = Date.now();
			await ui.clearScreenshots(`${version}-`);
			// Fails (never skips) with an install hint when Chromium is missing.
			browser = await ui.launchChromium();
			await h.ensureBuilt();
			sb = await startSandbox({ port: 0 });
			session = await h.openSession({ version });
			await session.importCredentials(
				h.sonarlyCredential({ apiKey: 'sk_test_full_access', baseUrl: sb.url }),
			);
			server = await h.startN8nServer(session);
			await h.ownerLogin(server, OWNER);
			context = await ui.newEditorContext(browser, { baseUrl: server.url });
			page = await context.newPage();
			watch = ui.watchPage(page);
			await ui.signIn(page, server.url, OWNER);
			h.log(
				`browser: n8n ${version} editor ready in ${Math.round((Date.now() - started) / 1000)} s`,
			);
		});

		afterEach(async (t) => {
			// A failing scenario leaves a picture of what the page showed.
			if (page && t?.passed === false)
				await shot(`failed-${t.name.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => undefined);
		});

		after(async () => {
			await context?.close().catch(() => undefined);
			await browser?.close().catch(() => undefined);
			await server?.stop();
			await session?.close();
			await sb?.close();
			if (started)
				h.log(
					`browser: n8n ${version} scenarios took ${Math.round((Date.now() - started) / 1000)} s`,
				);
		});

		it('1. nodes panel: "Sonarly" finds the node with its icon and description, and lists every action', async () => {
			const description = builtDescription();
			await ui.openNewWorkflow(page, server.url);
			const items = await ui.searchNodesPanel(page, 'Sonarly');
			const found = await ui.describeNodeItem(items.first());
			assert.equal(found.name, description.displayName);
			// A new workflow opens the trigger panel: the package shows there with its trigger's text.
			assert.equal(found.description, builtTriggerDescription().description);
			assert.match(found.iconSrc, /\/icons\/n8n-nodes-sonarly\/dist\/icons\/sonarly\.svg$/);

			const expected = actionTexts(description);
			const lines = await ui.openActionsPanel(page, items.first(), expected);
			assert.ok(expected.length >= 4, `the node offers ${expected.length} actions`);
			assert.ok(
				lines.some((line) => line === `Actions (${expected.length})`),
				`"Actions (${expected.length})" in:\n${lines.join('\n')}`,
			);
			for (const action of expected)
				assert.ok(lines.includes(action), `action "${action}" listed in:\n${lines.join('\n')}`);
			// The Sonarly Trigger's five events are listed as the package's triggers.
			assert.ok(lines.includes('Triggers (5)') && lines.includes('On new message'), lines.join('\n'));
			await shot('1-nodes-panel-actions');
		});

		it('2. credential modal: a good key passes, a wrong key and bad Base URLs say what to fix', async () => {
			sb.reset();
			await ui.openCredential(page, server.url, h.CREDENTIAL_ID);
			// The modal tests the saved credential when it opens.
			const good = await ui.credentialTestResult(page);
			assert.equal(good.ok, true, JSON.stringify(good));
			assert.match(good.title, /Connection tested successfully/);
			const docs = await ui.credentialDocsHref(page);
			assert.ok(docs && !docs.includes('#'), `docs link without an anchor: ${docs}`);

			await ui.fillCredentialField(page, 'apiKey', 'sk_test_not_a_real_key');
			const wrongKey = await ui.retryCredentialTest(page);
			const reached = sb.requests.filter((entry) => entry.route === 'listAccounts').length;
			assert.ok(
				sb.requests.some((entry) => entry.route === 'listAccounts' && entry.status === 401),
				'the wrong key reached Sonarly and was refused',
			);
			assert.equal(wrongKey.ok, false);
			assert.equal(wrongKey.details, new (credentialClass())().test.rules[0].properties.message);
			assert.match(
				wrongKey.details,
				/^Sonarly did not accept this API key\. .*paste it into API Key\.$/,
			);
			await shot('2-credential-wrong-key');
			await ui.screenshot(page, `${version}-readme-credential-wrong-key`, {
				clip: ui.SEL.credential.modal,
			});

			// Nothing listens on port 9 (discard) here: the connection is refused.
			await ui.fillCredentialField(page, 'apiKey', 'sk_test_full_access');
			await ui.fillCredentialField(page, 'baseUrl', 'http://127.0.0.1:9');
			const unreachable = await ui.retryCredentialTest(page);
			assert.equal(unreachable.ok, false);
			// n8n reports a failure without an HTTP answer by its code; no credential rule can word it.
			assert.match(unreachable.title, /Couldn’t connect with these settings/);
			assert.equal(unreachable.details, 'ECONNREFUSED');

			await ui.fillCredentialField(page, 'baseUrl', 'ftp://api.sonarly.io');
			const refused = await ui.retryCredentialTest(page);
			assert.equal(refused.ok, false);
			assert.equal(refused.details, 'ERR_INVALID_URL');
			await shot('2-credential-invalid-base-url');

			assert.equal(
				sb.requests.filter((entry) => entry.route === 'listAccounts').length,
				reached,
				'an unreachable or refused Base URL sends nothing to Sonarly',
			);
			// The form is never saved: the next scenario navigates away and the credential stays as it was.
		});

		it('3. parameter form: scoped From List pickers, search, and a campaign cleared when the group changes', async () => {
			const id = await ui.createWorkflow(
				page,
				throwawayWorkflow('Browser: parameter form', {
					accountGroupId: fromList(),
					campaignId: fromList(),
				}),
			);
			await ui.openWorkflow(page, server.url, id);
			await ui.openNode(page, 'Sonarly');
			const labels = await ui.parameterLabels(page);
			for (const label of ['Resource', 'Operation', 'Account Group', 'Campaign'])
				assert.ok(labels.includes(label), `"${label}" shown in ${labels}`);
			assert.ok(labels.indexOf('Account Group') < labels.indexOf('Campaign'));
			// The Stop notice in plain words (the text the node ships), the Campaign hint, the unit.
			const description = builtDescription();
			const notice = description.properties.find(
				(p) => p.type === 'notice' && p.displayOptions?.show?.operation?.includes('stop'),
			);
			const form = await ui.formText(page);
			assert.ok(notice && form.includes(notice.displayName), `Stop notice shown:\n${form}`);
			assert.doesNotMatch(form, /idempoten/i);
			const campaignField = description.properties.find(
				(p) => p.name === 'campaignId' && p.displayOptions?.show?.operation?.includes('stop'),
			);
			if (campaignField?.hint)
				assert.ok((await ui.locatorHint(page, 'campaignId')).includes(campaignField.hint));
			assert.match(await ui.locatorHint(page, 'campaignId'), /pick the Campaign again/);
			assert.ok((await ui.collectionOptionNames(page)).includes('Timeout (Milliseconds)'));

			// No account group yet: one entry that says what to do, cannot be picked, no server error.
			watch.reset();
			assert.deepEqual(await ui.openList(page, 'campaignId'), ['Choose an account group first']);
			assert.equal(await ui.clickListEntry(page, 'Choose an account group first'), true);
			assert.equal(await ui.locatorValue(page, 'campaignId'), '');
			await ui.closeList(page);
			assert.deepEqual(
				watch.failedResponses.filter((r) => r.url.includes('/rest/')),
				[],
				'no failed REST call for the campaign list',
			);

			assert.deepEqual(
				await ui.openList(page, 'accountGroupId'),
				SEED.accountGroups.map((group) => group.name),
			);
			assert.deepEqual(await ui.searchList(page, 'glob', 1), [globex.name]);
			assert.deepEqual(
				await ui.searchList(page, '', 2),
				SEED.accountGroups.map((g) => g.name),
			);
			await ui.pickListEntry(page, acme.name);
			assert.equal(await ui.locatorValue(page, 'accountGroupId'), acme.name);

			// Only Acme's campaigns, labelled by name (no status baked into the saved label).
			const acmeNames = acme.campaigns.map((c) => c.name);
			assert.deepEqual(await ui.openList(page, 'campaignId'), acmeNames);
			await shot('3-form-scoped-campaign-list');
			await ui.screenshot(page, `${version}-readme-campaign-list`, {
				clip: [ui.SEL.ndv.parameters, '[data-test-id="tab-params"]', '[data-test-id="rlc-item"]'],
			});
			assert.ok(
				!acmeNames.some((name) =>
					/ \((active|draft|stopped)\)$/.test(name.replace(' (draft)', '')),
				),
			);
			assert.deepEqual(await ui.searchList(page, 'webinar', 1), ['Webinar Follow-up']);
			await ui.searchList(page, '', acmeNames.length);
			await ui.pickListEntry(page, 'Q3 Enterprise Outbound');
			assert.equal(await ui.locatorValue(page, 'campaignId'), 'Q3 Enterprise Outbound');

			// Another account group picked: the campaign from Acme is cleared, Globex's are listed.
			await ui.openList(page, 'accountGroupId');
			await ui.pickListEntry(page, globex.name);
			assert.equal(await ui.locatorValue(page, 'accountGroupId'), globex.name);
			assert.equal(await ui.locatorValue(page, 'campaignId'), '');
			assert.deepEqual(
				await ui.openList(page, 'campaignId'),
				globex.campaigns.map((c) => c.name),
			);
			await ui.closeList(page);
		});

		it('4. execute step: the stopped campaign on Success, the readable 409 on Error', async () => {
			sb.reset();
			const deals = [
				{ dealId: 'deal-1', accountGroupId: ids.acmeGroup, campaignId: ids.activeCampaign },
				{ dealId: 'deal-2', accountGroupId: ids.acmeGroup, campaignId: ids.draftCampaign },
			];
			const id = await ui.createWorkflow(
				page,
				throwawayWorkflow(
					'Browser: execute step',
					{
						accountGroupId: byId('={{ $json.accountGroupId }}'),
						campaignId: byId('={{ $json.campaignId }}'),
					},
					{ items: deals, onError: 'continueErrorOutput' },
				),
			);
			await ui.openWorkflow(page, server.url, id);
			await ui.openNode(page, 'Sonarly');
			await ui.executeStep(page);
			const success = await ui.waitForOutput(page, 'Q3 Enterprise Outbound');
			assert.match(success, /Success Branch \(1 item\)/);
			assert.match(success, /Error Branch \(1 item\)/);
			assert.match(success, /name:Q3 Enterprise Outbound/);
			assert.match(success, /status:stopped/);
			await shot('4-output-success');

			const error = await ui.showOutputBranch(page, 'Error Branch', { expectText: 'deal-2' });
			assert.match(error, /deal-2/);
			assert.match(error, /The campaign is not active, so Sonarly could not stop the campaign/);
			assert.match(error, /httpCode:409/);
			assert.match(error, /code:CAMPAIGN_NOT_ACTIVE/);
			assert.doesNotMatch(error, /sk_test_/);
			// The JSON view shows the whole message a user reads on the error branch.
			const json = await ui.outputJson(page);
			assert.match(json, /"httpCode":\s*409/);
			await shot('4-output-error');
			await ui.screenshot(page, `${version}-readme-error-output`, { clip: ui.SEL.ndv.outputPanel });

			// Running with expressions must not clear the ids (the input data changed the group).
			const form = await ui.formText(page);
			assert.match(form, /\{\{ \$json\.campaignId \}\}/);
			assert.equal(sb.stopRequests().length, 2, 'one stop request per item');
		});

		it('5. dark theme: the dark icon is used', async () => {
			// On the workflow of scenario 4 (any workflow with the node would do).
			await page.waitForSelector(ui.SEL.canvasNode);
			assert.equal(await ui.themeOf(page), 'light');
			assert.match(await ui.canvasNodeIconSrc(page, 'Sonarly'), /\/sonarly\.svg$/);
			try {
				await ui.setTheme(page, 'dark');
				await page.waitForSelector(ui.SEL.canvasNode);
				assert.equal(await ui.themeOf(page), 'dark');
				const src = await ui.canvasNodeIconSrc(page, 'Sonarly');
				assert.match(src, /\/icons\/n8n-nodes-sonarly\/dist\/icons\/sonarly\.dark\.svg$/);
				// The editor serves our dark icon file itself.
				const served = await page.evaluate(async (url) => (await fetch(url)).text(), src);
				assert.equal(
					served,
					fs.readFileSync(path.join(h.REPO_ROOT, 'icons', 'sonarly.dark.svg'), 'utf8'),
				);
				await shot('5-dark-theme');
			} finally {
				await ui.setTheme(page, 'light', { reload: false });
			}
		});

		it('6. "Custom API Call" (added by n8n) points to the HTTP Request node', async () => {
			const id = await ui.createWorkflow(
				page,
				throwawayWorkflow('Browser: custom API call', {
					resource: 'campaign',
					operation: '__CUSTOM_API_CALL__',
				}),
			);
			await ui.openWorkflow(page, server.url, id);
			await ui.openNode(page, 'Sonarly');
			await ui.executeStep(page);
			const output = await ui.waitForOutput(page, 'Custom API Call is not available');
			assert.match(output, /HTTP Request node/);
			assert.match(output, /Predefined Credential Type/);
			await shot('6-custom-api-call');
		});
	});
}

function credentialClass() {
	const require = createRequire(import.meta.url);
	return require(path.join(h.REPO_ROOT, 'dist', 'credentials', 'SonarlyApi.credentials.js'))
		.SonarlyApi;
}
