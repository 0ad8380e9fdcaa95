/**
 * The text an AI agent's model reads about each operation. In n8n's automatic mode the tool
 * description is `"<action> in <defaults.name>"` (n8n-workflow `makeDescription`), and the
 * editor names a new tool node the same way (`makeNodeName`); the tool name the model sees is
 * that node name with other characters replaced by "_". OpenAI refuses tool names longer than
 * 64 characters and n8n 1.x does not shorten them (2.x cuts them at 64), so every action must
 * keep `"<action> in Sonarly"` within 64 characters. test/e2e/agent.test.mjs checks the same text
 * in the request a real n8n sends to the model.
 */
import type { INodePropertyOptions } from 'n8n-workflow';

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

const toolText = (action: string) => `${action} in ${node.defaults.name}`;
const toolName = (nodeName: string) => nodeName.replace(/[^a-zA-Z0-9_-]+/g, '_');

describe('what the model reads about each operation', () => {
	const all = operations();

	it('covers every operation of every resource', () => {
		expect(all.map((op) => `${op.resource}.${op.value}`).sort()).toEqual(
			expect.arrayContaining([
				'accountGroup.getAll',
				'campaign.get',
				'campaign.getAll',
				'campaign.stop',
			]),
		);
	});

	it.each(all.map((op) => [`${op.resource} → ${op.name}`, op]))(
		'%s: has an action and a description, and its default tool name fits in 64 characters',
		(_label, op) => {
			expect(typeof op.action).toBe('string');
			expect(op.description).toBeTruthy();
			const text = toolText(op.action as string);
			expect(toolName(text).length).toBeLessThanOrEqual(64);
			// Sentence case without punctuation (n8n's lint rule), since n8n appends " in Sonarly".
			expect(op.action).toMatch(/^[A-Z][A-Za-z ]*[a-zA-Z]$/);
		},
	);

	it('the list operations say they are where the IDs come from', () => {
		const byKey = Object.fromEntries(all.map((op) => [`${op.resource}.${op.value}`, op]));
		expect(toolText(byKey['accountGroup.getAll'].action as string)).toBe(
			'Find an account group ID by listing all groups in Sonarly',
		);
		expect(toolText(byKey['campaign.getAll'].action as string)).toBe(
			'Find a campaign ID by listing an account group in Sonarly',
		);
		expect(toolText(byKey['campaign.get'].action as string)).toBe(
			'Get a campaign status by ID to check after an error in Sonarly',
		);
	});

	it('the operations that act on a campaign say it is live, final and never to be retried', () => {
		const acting = all.filter(
			(op) => op.resource === 'campaign' && ['stop', 'start'].includes(String(op.value)),
		);
		expect(acting.map((op) => op.value)).toContain('stop');
		for (const op of acting) {
			expect(op.action).toMatch(/no undo/);
			expect(op.action).toMatch(/no retry/);
			expect(op.description).toMatch(/cannot be undone/);
			expect(op.description).toMatch(/check the campaign with Get/);
		}
		const stop = acting.find((op) => op.value === 'stop');
		expect(toolText(stop?.action as string)).toBe(
			'Stop a live campaign once with no undo and no retry in Sonarly',
		);
	});
});
