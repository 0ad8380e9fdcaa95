// Drives n8n's editor in Debian's Chromium (playwright-core, never a downloaded browser).
//
// Every selector that depends on n8n's internals (data-test-id values, the markup of the
// credential modal, the resource locator and the output panel) lives in this file, so an n8n
// UI change is mended here and nowhere else. Found by hand on n8n 2.41.1.

import fs from 'node:fs';
import path from 'node:path';

import { REPO_ROOT } from './n8n.mjs';

export const CHROMIUM = process.env.SONARLY_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--no-first-run',
	'--disable-sync',
];
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test', 'e2e', 'artifacts', 'browser');

/** The n8n-internal selectors, in one place. */
export const SEL = {
	login: {
		email: 'input[name="emailOrLdapLoginId"]',
		password: 'input[name="password"]',
		submit: '[data-test-id="form-submit-button"]',
	},
	canvas: '[data-test-id="canvas"]',
	canvasNode: '[data-test-id="canvas-node"]',
	nodeCreator: {
		open: '[data-test-id="node-creator-plus-button"]',
		panel: '[data-test-id="node-creator"]',
		search:
			'input[data-test-id="node-creator-search-bar"], [data-test-id="node-creator-search-bar"] input',
		item: '[data-test-id="item-iterator-item"]',
		itemName: '[data-test-id="node-creator-item-name"]',
		itemDescription: '[data-test-id="node-creator-item-description"]',
		// In a node's actions panel: each action is an item whose name is the action text.
		actionsPanel: '[data-test-id="node-creator"]',
	},
	ndv: {
		panel: '[data-test-id="ndv"]',
		parameters: '[data-test-id="node-parameters"]',
		// The middle column: the tabs, the Execute step button and the parameters.
		parametersPane: '[data-test-id="node-parameters"], [data-test-id="tab-params"]',
		paramsTab: '[data-test-id="tab-params"]',
		parameter: (name) => `[data-test-id="parameter-input-${name}"]`,
		executeStep: '[data-test-id="node-execute-button"]',
		close: '[data-test-id="ndv-close-button"]',
		outputPanel: '[data-test-id="output-panel"]',
	},
	rlc: {
		locator: (name) => `[data-test-id="resource-locator-${name}"]`,
		input: '[data-test-id="rlc-input"]',
		item: '[data-test-id="rlc-item"]:visible',
		search: 'input[data-test-id="rlc-search"]:visible',
	},
	credential: {
		dialog: '[data-test-id="credential-edit-dialog"]',
		modal:
			'[data-test-id="editCredential-modal"] .el-dialog, [data-test-id="credential-edit-dialog"]',
		config: '[data-test-id="node-credentials-config-container"]',
		field: (name) => `[data-test-id="parameter-input-${name}"] input`,
		// n8n 2.41.1 gives the test result banners no test id of their own: the success banner
		// keeps this one, the failure banner is the element-plus "danger" tag.
		success: '[data-test-id="credentials-config-container-test-success"]',
		failure: '.el-tag--danger',
		retry: 'button[title="Retry credential test"]',
		moreDetails: 'More details',
		failureTitle: 'Couldn’t connect with these settings',
		docsLink: 'a',
	},
};

/**
 * Launches Debian's Chromium. Missing Chromium is a failure with a message that says how to
 * install it (scripts/ensure-system-packages.sh does it in CI), never a skip.
 */
export async function launchChromium() {
	if (!fs.existsSync(CHROMIUM)) {
		throw new Error(
			`Chromium is missing at ${CHROMIUM}. The browser tests drive Debian's Chromium: run \`bash scripts/ensure-system-packages.sh\` (as root; it runs \`apt-get install -y chromium\`) and try again.`,
		);
	}
	const { chromium } = await import('playwright-core');
	return await chromium.launch({
		executablePath: CHROMIUM,
		args: CHROMIUM_FLAGS,
		timeout: 120_000,
	});
}

/**
 * A fresh browser context for the editor at `baseUrl`: requests to anything but that n8n
 * server and the Sonarly sandbox are refused (no network here, and none needed).
 */
export async function newEditorContext(browser, { baseUrl, allowedOrigins = [], theme } = {}) {
	const context = await browser.newContext({
		viewport: { width: 1440, height: 900 },
		deviceScaleFactor: 1,
		colorScheme: theme === 'dark' ? 'dark' : 'light',
	});
	context.setDefaultTimeout(45_000);
	const allowed = new Set([
		new URL(baseUrl).origin,
		...allowedOrigins.map((o) => new URL(o).origin),
	]);
	await context.route('**/*', (route) => {
		const url = route.request().url();
		if (url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
		let origin;
		try {
			origin = new URL(url).origin;
		} catch {
			return route.abort();
		}
		return allowed.has(origin) ? route.continue() : route.abort();
	});
	if (theme) {
		await context.addInitScript((value) => {
			window.localStorage.setItem('N8N_THEME', value);
		}, theme);
	}
	return context;
}

/** Collects what the page reports: failed HTTP answers and console errors. */
export function watchPage(page) {
	const failedResponses = [];
	const consoleErrors = [];
	page.on('response', (response) => {
		if (response.status() >= 400)
			failedResponses.push({ status: response.status(), url: response.url() });
	});
	page.on('console', (message) => {
		if (message.type() === 'error') consoleErrors.push(message.text());
	});
	return {
		failedResponses,
		consoleErrors,
		reset() {
			failedResponses.length = 0;
			consoleErrors.length = 0;
		},
	};
}

/** n8n's editor is a single-page app: the DOM is enough, and a loaded 2-core machine is slow. */
const NAVIGATION = { waitUntil: 'domcontentloaded', timeout: 120_000 };

export async function signIn(page, baseUrl, { email, password }) {
	await page.goto(`${baseUrl}/signin`, NAVIGATION);
	await page.fill(SEL.login.email, email);
	await page.fill(SEL.login.password, password);
	await page.click(SEL.login.submit);
	await page.waitForURL((url) => !url.pathname.includes('signin'), { timeout: 60_000 });
}

/**
 * Creates a workflow through the editor's own REST API, from inside the signed-in page (n8n
 * binds the session to the page's browser id). Returns its id. Throwaway workflows keep the
 * scenarios independent: the editor autosaves whatever a scenario changes.
 */
export async function createWorkflow(page, workflow) {
	const answer = await page.evaluate(async (body) => {
		const response = await fetch('/rest/workflows', {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'browser-id': window.localStorage.getItem('n8n-browserId') ?? '',
			},
			body: JSON.stringify(body),
		});
		return { status: response.status, text: await response.text() };
	}, workflow);
	if (answer.status !== 200)
		throw new Error(`creating a workflow answered ${answer.status}: ${answer.text.slice(0, 300)}`);
	return JSON.parse(answer.text).data.id;
}

export async function openWorkflow(page, baseUrl, id) {
	await page.goto(`${baseUrl}/workflow/${id}`, NAVIGATION);
	await page.waitForSelector(SEL.canvasNode, { timeout: 120_000 });
}

export async function openNewWorkflow(page, baseUrl) {
	await page.goto(`${baseUrl}/workflow/new`, NAVIGATION);
	await page.waitForSelector(SEL.canvas, { timeout: 120_000 });
	await page.waitForSelector(SEL.nodeCreator.open);
}

// ---------------------------------------------------------------------------------------------
// Nodes panel

/** Opens the nodes panel and types `text` into its search. Returns the visible items. */
export async function searchNodesPanel(page, text) {
	await page.click(SEL.nodeCreator.open);
	const search = page.locator(SEL.nodeCreator.search).first();
	await search.waitFor();
	await search.fill(text);
	// The panel lists its defaults until the search applies: wait for a match by name.
	const items = page
		.locator(`${SEL.nodeCreator.panel} ${SEL.nodeCreator.item}`)
		.filter({ has: page.locator(SEL.nodeCreator.itemName, { hasText: text }) });
	await items.first().waitFor();
	return items;
}

/** Name, description and icon `src` of a nodes-panel item. */
export async function describeNodeItem(item) {
	return {
		name: (await item.locator(SEL.nodeCreator.itemName).first().innerText()).trim(),
		description: (await item.locator(SEL.nodeCreator.itemDescription).first().innerText()).trim(),
		iconSrc: await item.locator('img').first().getAttribute('src'),
	};
}

/** Opens a node's actions panel from its nodes-panel item; returns the panel's text lines. */
export async function openActionsPanel(page, item, expected = []) {
	await item.click();
	const panel = page.locator(SEL.nodeCreator.actionsPanel);
	await panel
		.getByText(/actions \(\d+\)/i)
		.first()
		.waitFor();
	// With the package's triggers listed first, the Actions section starts collapsed: open it.
	const header = panel.getByText(/actions \(\d+\)/i).first();
	if (expected.length > 0 && !(await panel.getByText(expected[0], { exact: true }).first().isVisible())) {
		await header.click();
		await page.waitForTimeout(300);
	}
	// The actions render in groups (one per resource) and a long list only as it scrolls into
	// view: read the panel, scroll it, read again, until every expected line was seen (bounded).
	const seen = [];
	for (let step = 0; step < 40; step++) {
		for (const line of (await panel.innerText()).split('\n').map((text) => text.trim()).filter(Boolean)) {
			if (!seen.includes(line)) seen.push(line);
		}
		if (expected.every((line) => seen.includes(line))) break;
		await panel.hover();
		await page.mouse.wheel(0, 400);
		await page.waitForTimeout(150);
	}
	return seen;
}

// ---------------------------------------------------------------------------------------------
// Node details view (the parameter form)

export async function openNode(page, nodeName) {
	await page.locator(SEL.canvasNode, { hasText: nodeName }).first().dblclick();
	const ndv = page.locator(SEL.ndv.panel);
	await ndv.waitFor();
	await page.locator(SEL.ndv.parameters).waitFor();
	return ndv;
}

/** The labels of the parameters the form shows, in order. */
export async function parameterLabels(page) {
	return await page
		.locator(
			`${SEL.ndv.parameters} [data-test-id="parameter-item"] [data-test-id="input-label"]:visible`,
		)
		.allInnerTexts()
		.then((labels) => labels.map((label) => label.split('\n')[0].trim()).filter(Boolean));
}

/** The text of the form (labels, notices, hints), for assertions on the words a user reads. */
export async function formText(page) {
	return await page.locator(SEL.ndv.parameters).innerText();
}

/** The texts n8n shows under a resource-locator parameter (its `hint`), or '' when there is none. */
export async function locatorHint(page, name) {
	const item = page
		.locator(`${SEL.ndv.parameters} [data-test-id="parameter-item"]`)
		.filter({ has: page.locator(SEL.rlc.locator(name)) })
		.first();
	// 2.41.1 renders the hint as small n8n text inside the parameter, without a test id.
	const texts = await item.locator('[data-test-id="parameter-input"] .n8n-text').allInnerTexts();
	return texts.join('\n').trim();
}

/** Opens a collection's "Add Option" list and returns the option names it offers (then closes it). */
export async function collectionOptionNames(page) {
	await page
		.locator(`${SEL.ndv.parameters} [data-test-id="collection-parameter-add"]`)
		.first()
		.click();
	const options = page.locator('.el-select-dropdown__item:visible');
	await options.first().waitFor();
	const names = (await options.allInnerTexts()).map((name) => name.trim());
	await page.locator(SEL.ndv.paramsTab).click();
	return names;
}

/** Opens a resource locator's "From List" dropdown; resolves once its entries have loaded. */
export async function openList(page, parameterName) {
	await page.locator(SEL.rlc.locator(parameterName)).locator(SEL.rlc.input).click();
	return await listEntries(page);
}

/** The texts of the entries the open list shows, once it has finished loading. */
export async function listEntries(page, { timeoutMs = 30_000 } = {}) {
	const deadline = Date.now() + timeoutMs;
	let previous;
	for (;;) {
		const texts = await page.locator(SEL.rlc.item).allInnerTexts();
		// Settled: the same non-empty entries twice in a row, half a second apart.
		if (texts.length > 0 && previous && JSON.stringify(previous) === JSON.stringify(texts))
			return texts.map((t) => t.trim());
		if (Date.now() > deadline) return texts.map((t) => t.trim());
		previous = texts;
		await page.waitForTimeout(500);
	}
}

/** Types into the open list's search box and waits for the list to show the filtered entries. */
export async function searchList(page, text, expectedCount) {
	await page.locator(SEL.rlc.search).fill(text);
	const deadline = Date.now() + 30_000;
	for (;;) {
		const entries = await listEntries(page, { timeoutMs: 5000 });
		if (expectedCount === undefined || entries.length === expectedCount || Date.now() > deadline)
			return entries;
	}
}

export async function pickListEntry(page, text) {
	await page.locator(SEL.rlc.item, { hasText: text }).first().click();
}

/** Clicks an entry that n8n must refuse to pick, and reports whether the list is still open. */
export async function clickListEntry(page, text) {
	await page.locator(SEL.rlc.item, { hasText: text }).first().click();
	await page.waitForTimeout(500);
	return (await page.locator(SEL.rlc.item).count()) > 0;
}

/** Closes an open list (Escape does not close it): a click on the form's Parameters tab. */
export async function closeList(page) {
	await page.locator(SEL.ndv.paramsTab).click();
	await page.locator(SEL.rlc.item).first().waitFor({ state: 'hidden' });
}

/** What a resource locator shows as its value (the saved label in From List mode). */
export async function locatorValue(page, parameterName) {
	return await page.locator(SEL.rlc.locator(parameterName)).locator(SEL.rlc.input).inputValue();
}

/** Runs the node (and the nodes before it) with the form's Execute step button. */
export async function executeStep(page) {
	await page.locator(SEL.ndv.executeStep).first().click();
}

// ---------------------------------------------------------------------------------------------
// Output panel

/** The output panel's text once it shows `text` (a run's result or an error). */
export async function waitForOutput(page, text, { timeoutMs = 90_000 } = {}) {
	const panel = page.locator(SEL.ndv.outputPanel);
	await panel.getByText(text).first().waitFor({ timeout: timeoutMs });
	return await panel.innerText();
}

/** Switches the output panel to another output branch (its tab label starts with `label`). */
export async function showOutputBranch(page, label, { expectText } = {}) {
	const panel = page.locator(SEL.ndv.outputPanel);
	await panel.locator('[data-test-id="branches"] [role="tab"]', { hasText: label }).first().click();
	if (expectText) await panel.getByText(expectText).first().waitFor();
	return await panel.innerText();
}

/** Switches the output panel to its JSON view and returns the text shown. */
export async function outputJson(page) {
	const panel = page.locator(SEL.ndv.outputPanel);
	await panel.locator('[data-test-id="radio-button-json"]').click();
	await page.waitForTimeout(500);
	return await panel.innerText();
}

// ---------------------------------------------------------------------------------------------
// Credential modal

/** Opens a saved credential's modal (n8n tests it when it opens). */
export async function openCredential(page, baseUrl, credentialId) {
	await page.goto(`${baseUrl}/home/credentials/${credentialId}`, NAVIGATION);
	const dialog = page.locator(SEL.credential.dialog);
	await dialog.waitFor({ timeout: 120_000 });
	return dialog;
}

export async function fillCredentialField(page, name, value) {
	await page.locator(SEL.credential.field(name)).fill(value);
}

/**
 * Waits for the credential test's result. Returns { ok: true } once the success banner shows,
 * or { ok: false, title, details } with the failure's title and its "More details" text.
 */
export async function credentialTestResult(page, { timeoutMs = 60_000 } = {}) {
	const config = page.locator(SEL.credential.config);
	// Both banners stay in the page, hidden, while the other one shows.
	const success = config.locator(`${SEL.credential.success}:visible`);
	const failure = config.locator(`${SEL.credential.failure}:visible`);
	await success.or(failure).first().waitFor({ state: 'visible', timeout: timeoutMs });
	if ((await success.count()) > 0)
		return { ok: true, title: (await success.first().innerText()).split('\n')[0].trim() };
	const title = (await failure.first().innerText()).split('\n')[0].trim();
	const more = failure.getByText(SEL.credential.moreDetails);
	if ((await more.count()) > 0) await more.first().click();
	const lines = (await config.innerText()).split('\n').map((l) => l.trim());
	const at = lines.findIndex((l) => l.startsWith(SEL.credential.failureTitle));
	// The details come after the title and the Retry button.
	const details = lines
		.slice(at + 1)
		.filter((l) => l && l !== 'Retry' && l !== SEL.credential.moreDetails)[0];
	return { ok: false, title, details: details ?? '' };
}

/** Runs the credential test again with the form's current values. */
export async function retryCredentialTest(page) {
	const answered = page.waitForResponse(
		(response) => response.url().includes('/rest/credentials/test'),
		{
			timeout: 60_000,
		},
	);
	await page.locator(SEL.credential.retry).first().click();
	await answered;
	await page.waitForTimeout(300);
	return await credentialTestResult(page);
}

/** The `href` of the modal's "docs" link. */
export async function credentialDocsHref(page) {
	return await page
		.locator(SEL.credential.config)
		.locator(SEL.credential.docsLink, { hasText: 'docs' })
		.first()
		.getAttribute('href');
}

// ---------------------------------------------------------------------------------------------
// Screenshots

/** Removes the screenshots an earlier run left for `prefix` (e.g. "2.41.1-"). */
export async function clearScreenshots(prefix) {
	const names = await fs.promises.readdir(ARTIFACTS_DIR).catch(() => []);
	await Promise.all(
		names
			.filter((name) => name.startsWith(prefix) && name.endsWith('.png'))
			.map((name) => fs.promises.rm(path.join(ARTIFACTS_DIR, name), { force: true })),
	);
}

/** Saves a screenshot under test/e2e/artifacts/browser/ (a CI artifact); returns its path. */
export async function screenshot(page, name, { clip } = {}) {
	await fs.promises.mkdir(ARTIFACTS_DIR, { recursive: true });
	const file = path.join(ARTIFACTS_DIR, `${name}.png`);
	const options = { path: file, type: 'png', animations: 'disabled', caret: 'hide' };
	if (clip) {
		// The smallest rectangle around every visible element the selectors name.
		const boxes = [];
		for (const selector of [clip].flat()) {
			const box = await page.locator(`${selector} >> visible=true`).first().boundingBox();
			if (box) boxes.push(box);
		}
		if (boxes.length > 0) {
			const x = Math.max(0, Math.min(...boxes.map((b) => b.x)));
			const y = Math.max(0, Math.min(...boxes.map((b) => b.y)));
			const right = Math.max(...boxes.map((b) => b.x + b.width));
			const bottom = Math.max(...boxes.map((b) => b.y + b.height));
			options.clip = { x, y, width: right - x, height: bottom - y };
		}
	}
	await page.screenshot(options);
	return file;
}

// ---------------------------------------------------------------------------------------------
// Versions and theme

/** The n8n versions whose editor these selectors drive (checked by hand, then by the suite). */
export const EDITOR_VERSIONS = (process.env.SONARLY_E2E_BROWSER_VERSIONS ?? '2.41.1').split(',');

/**
 * Switches the editor's theme the way its settings do (localStorage N8N_THEME); it applies on
 * the next load (`reload`).
 */
export async function setTheme(page, theme, { reload = true } = {}) {
	await page.evaluate((value) => window.localStorage.setItem('N8N_THEME', value), theme);
	if (reload) await page.reload(NAVIGATION);
}

/** The theme the editor applied: 'dark' or 'light'. */
export async function themeOf(page) {
	return await page.evaluate(() => {
		const body = document.body;
		const marker = `${body.className} ${body.getAttribute('data-theme') ?? ''} ${document.documentElement.className} ${document.documentElement.getAttribute('data-theme') ?? ''}`;
		return /dark/.test(marker) ? 'dark' : 'light';
	});
}

/** The `src` of a canvas node's icon. */
export async function canvasNodeIconSrc(page, nodeName) {
	return await page
		.locator(SEL.canvasNode, { hasText: nodeName })
		.first()
		.locator('img')
		.first()
		.getAttribute('src');
}
