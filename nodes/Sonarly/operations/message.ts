import { accountGroupId, limit } from '../engine/common';
import { defineOperation } from '../engine/operation';
import { choiceParam, textParam } from '../engine/params';
import { KINDS, TRACE_ID } from '../helpers/schema';
import { route } from '../transport/routes';
import { given, groupLocator } from './common';

const group = accountGroupId('The account group whose LinkedIn accounts hold the conversations');

export const getAll = defineOperation<{ accountGroupId: string; limit: number | null; conversationId: string | null }>({
	resource: 'message',
	operation: 'getAll',
	name: 'Get Many',
	description:
		"Read the message history of the account group's LinkedIn accounts, or of one conversation. Every field is passed on as Sonarly sends it; to find the prospect behind a participantProviderId, use Prospect → Find by Provider ID.",
	action: 'List messages',
	safety: 'read',
	params: {
		accountGroupId: group,
		limit,
		conversationId: textParam({ name: 'conversationId', label: 'Conversation ID', placement: 'filters', description: 'Only the messages of this conversation' }),
	},
	wording: { action: 'list the messages', permission: 'messages:read', target: 'account group' },
	request: (p) => ({ method: 'GET', path: route(p.accountGroupId, 'messages'), qs: given({ conversationId: p.conversationId }) }),
	list: { limit: (p) => p.limit },
	schema: KINDS.message,
	simplify: 'message',
});

const CHANNELS = [
	{ name: 'Direct Message', value: 'direct_message' as const, description: 'In the existing chat with a connected prospect' },
	{ name: 'InMail', value: 'inmail' as const, description: 'A new conversation with an eligible prospect; needs a subject' },
];

export const reply = defineOperation<{ accountGroupId: string; prospectId: string; message: string; channel: string; subject: string | null; conversationId: string | null }>({
	resource: 'message',
	operation: 'reply',
	name: 'Reply',
	description:
		"Queue a reply to a prospect through Sonarly's scheduler (it is sent later, not at once). Sent with an Idempotency-Key: running the same reply to the same prospect again is a replay, never a second message. Do not repeat a reply that was queued.",
	action: 'Queue one reply to a prospect',
	safety: 'keyedWrite',
	params: {
		accountGroupId: group,
		prospectId: groupLocator('prospectId', 'Prospect', 'The prospect to answer (Prospect → Find by Provider ID turns a participantProviderId into one)'),
		message: textParam({ name: 'message', label: 'Message', placement: 'top', required: true, trim: false, rows: 4, description: 'The text of the reply' }),
		channel: choiceParam({ name: 'channel', label: 'Channel', placement: 'top', choices: CHANNELS, description: 'How to reach the prospect' }),
		subject: textParam({
			name: 'subject',
			label: 'Subject',
			placement: 'top',
			description: 'The InMail subject (required for InMail)',
			displayOptions: { show: { channel: ['inmail'] } },
		}),
		conversationId: textParam({ name: 'conversationId', label: 'Conversation ID', placement: 'additionalFields', description: 'The existing conversation to answer in (a direct message thread)' }),
	},
	wording: {
		action: 'queue the reply',
		permission: 'messages:write',
		target: 'account group or prospect',
		noun: 'reply',
		check: 'the conversation in Sonarly (or with Message → Get Many)',
	},
	validate: (p, itemIndex) =>
		p.channel === 'inmail' && p.subject === null
			? [`Subject (item ${itemIndex}) is empty`, 'An InMail needs a subject: enter one, or make its expression give text.']
			: null,
	request: (p) => ({
		method: 'POST',
		path: route(p.accountGroupId, 'messages', 'responses'),
		body: given({
			prospectId: p.prospectId,
			message: p.message,
			channel: p.channel,
			subject: p.channel === 'inmail' ? p.subject : null,
			conversationId: p.conversationId,
		}),
	}),
	output: (data) => ({ ...data, queued: true }),
	schema: { fields: { queued: 'boolean', ...TRACE_ID, idempotencyKey: 'string', replayed: 'boolean', duplicateOfItem: 'integer' }, optional: ['duplicateOfItem'] },
	summary: { done: 'queued a reply for' },
});
