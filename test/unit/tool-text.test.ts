/**
 * The text an AI agent's model or an MCP client reads about each operation. In n8n's automatic
 * mode the tool description is `"<action> in <defaults.name>"` (n8n-workflow `makeDescription`),
 * and the editor names a new tool node the same way (`makeNodeName`); the tool name a model or
 * MCP client sees is that node name with other characters replaced by "_" (`nodeNameToToolName`).
 * Cursor drops tools whose server name plus tool name pass 60 characters and Claude caps the pair
 * at 64, so every default tool name stays within 40 characters (20 left for the server's name).
 * test/e2e/agent.test.mjs and test/e2e/mcp.test.mjs check the same texts in real n8n.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { Sonarly } from '../../nodes/Sonarly/Sonarly.node';

const node = new Sonarly().description;

function operations(): Array<{ resource: string } & INodePropertyOptions> {
	return node.properties
		.filter((p) => p.name === 'operation')
		.flatMap((p) =>
			(p.options as INodePropertyOptions[]).map((option) => ({
				resource: String(p.displayOptions?.show?.resource?.[0]),
				...option,
			})),
		);
}

const MAX_TOOL_NAME = 40;
const defaultNodeName = (action: string) => `${action} in ${node.defaults.name}`;
const toolName = (nodeName: string) => nodeName.replace(/[^a-zA-Z0-9_-]+/g, '_');

/** The operations that change something in Sonarly: anything but a read. */
const WRITES = ['campaign.start', 'campaign.stop'];

describe('what the model reads about each operation', () => {
	const all = operations();
	const byKey = Object.fromEntries(all.map((op) => [`${op.resource}.${op.value}`, op]));

	it('covers every operation of every resource', () => {
		expect(Object.keys(byKey).sort()).toEqual(
			expect.arrayContaining(['accountGroup.getAll', 'campaign.get', 'campaign.getAll', 'campaign.start', 'campaign.stop']),
		);
	});

	it.each(all.map((op) => [`${op.resource} → ${op.name}`, op]))(
		`%s: has an action and a description, and its default tool name fits in ${MAX_TOOL_NAME} characters`,
		(_label, op) => {
			expect(typeof op.action).toBe('string');
			expect(op.description).toBeTruthy();
			expect(toolName(defaultNodeName(op.action as string)).length).toBeLessThanOrEqual(MAX_TOOL_NAME);
			// Sentence case without punctuation (n8n's lint rule), since n8n appends " in Sonarly".
			expect(op.action).toMatch(/^[A-Z][A-Za-z ]*[a-zA-Z]$/);
		},
	);

	it('gives these default tool names (what an MCP client lists)', () => {
		const names = Object.fromEntries(
			Object.entries(byKey).map(([key, op]) => [key, toolName(defaultNodeName(op.action as string))]),
		);
		expect(names).toMatchObject({
			'accountGroup.getAll': 'Find_an_account_group_ID_in_Sonarly',
			'campaign.getAll': 'Find_a_campaign_ID_by_name_in_Sonarly',
			'campaign.get': 'Get_a_campaign_status_by_ID_in_Sonarly',
			'campaign.start': 'Start_a_campaign_with_no_undo_in_Sonarly',
			'campaign.stop': 'Stop_a_campaign_with_no_undo_in_Sonarly',
		});
	});

	it('the list operations say they are where the IDs come from', () => {
		expect(byKey['accountGroup.getAll'].description).toMatch(/IDs every other Sonarly operation needs/);
		expect(byKey['campaign.getAll'].description).toMatch(/find a campaign's ID from its name/);
	});

	it.each(WRITES)('%s says in its name that it cannot be undone, and in its description never to retry it', (key) => {
		const op = byKey[key];
		expect(op.action).toMatch(/no undo/);
		expect(op.description).toMatch(/cannot be undone/);
		expect(op.description).toMatch(/never retry it on your own/);
		expect(op.description).toMatch(/check the campaign with Get/);
	});
});

describe('the ID parameters', () => {
	const locators = node.properties.filter((p): p is INodeProperties => p.type === 'resourceLocator');

	it('say where each ID comes from, for every operation', () => {
		const source: Record<string, RegExp> = {
			accountGroupId: /ID comes from Account Group → Get Many/,
			campaignId: /ID comes from Campaign → Get Many/,
		};
		expect(locators.length).toBeGreaterThanOrEqual(6);
		// Every other ID names the operation it comes from ("Resource → Operation").
		for (const locator of locators) expect(locator.description).toMatch(source[locator.name] ?? / → /);
	});
});

describe('Options → Tool Failure', () => {
	const toolFailure = node.properties
		.filter((p) => p.name === 'options')
		.map((p) => (p.options as INodeProperties[]).find((option) => option.name === 'toolFailure'));

	it('is in the Options of every operation, shown on the tool variant only, defaulting to a result for the model', () => {
		expect(toolFailure.length).toBeGreaterThanOrEqual(5);
		for (const option of toolFailure) {
			expect(option).toMatchObject({ type: 'options', default: 'result', displayOptions: { show: { '@tool': [true] } } });
			expect((option?.options as INodePropertyOptions[]).map((o) => o.value).sort()).toEqual(['error', 'result']);
		}
	});
});
