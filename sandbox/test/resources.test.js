'use strict';

// Tests of the sandbox's campaign drafts and content slots, audience writes and folders,
// prospects, Sales Navigator sources, signal specifications and value propositions, and of what
// completed jobs and scans change: `node --test sandbox/test/*.test.js`.
// Every test starts its own sandbox on port 0 and closes it.

const { test } = require('node:test');
const assert = require('node:assert/strict');

const { startSandbox, SEED } = require('../server');
const { ids, READ, AG, base, sandbox, call, data, refused, walk } = require('./helpers');

const acme = (sb) => sb.state().accountGroups.find((g) => g.id === AG);

// --- campaigns ----------------------------------------------------------------------

test('starter templates: the catalogue, public fields only, one unavailable; not a campaign id', async (t) => {
	const sb = await sandbox(t);
	const catalogue = data(await call(sb, 'GET', `${base}/campaigns/starter-templates`));
	assert.deepEqual(
		catalogue.items.map((x) => [x.id, x.available]),
		[
			['engage-inmail', true],
			['engage-connect-dm', true],
			['connect-engage-dm', true],
			['connect', false],
		],
	);
	assert.deepEqual(Object.keys(catalogue.items[0]).sort(), [
		'available',
		'description',
		'id',
		'name',
	]);
	assert.equal(sb.requests.at(-1).route, 'listStarterTemplates');
	data(await call(sb, 'GET', `${base}/campaigns/starter-templates`, { key: READ }));
	const wrong = await call(sb, 'POST', `${base}/campaigns/starter-templates`);
	refused(wrong, 405, 'METHOD_NOT_ALLOWED');
	assert.match(wrong.headers.get('allow'), /GET/);
});

test('create from a starter template: 201 draft with content slots; 400, 409 and 403 refusals', async (t) => {
	const sb = await sandbox(t);
	const post = (body, init = {}) => call(sb, 'POST', `${base}/campaigns`, { body, ...init });
	const leadIds = [ids.prospect1, ids.prospect2];
	const draft = data(
		await post({
			starterTemplateId: ids.starterTemplate,
			name: 'Inbound follow-up',
			audienceId: ids.audience1,
			leadIds,
		}),
		201,
	);
	assert.equal(draft.status, 'draft');
	assert.equal(draft.name, 'Inbound follow-up');
	assert.equal(draft.selectedLeadCount, 2);
	assert.deepEqual(
		Object.keys(draft).sort(),
		Object.keys(SEED.accountGroups[0].campaigns[0]).sort(),
	);
	assert.equal(data(await call(sb, 'GET', `${base}/campaigns/${draft.id}`)).status, 'draft');
	const slots = data(await call(sb, 'GET', `${base}/campaigns/${draft.id}/content-slots`)).items;
	assert.deepEqual(
		slots.map((s) => [s.channel, s.label, s.position, s.channelPosition]),
		[
			['direct_message', 'First message', 1, 1],
			['direct_message', 'Follow-up', 2, 2],
		],
	);
	// Without leadIds the draft takes the whole audience.
	const whole = data(
		await post({ starterTemplateId: 'engage-inmail', name: 'All', audienceId: ids.audience2 }),
		201,
	);
	assert.equal(whole.selectedLeadCount, 140);

	const unavailable = refused(
		await post({
			starterTemplateId: ids.unavailableStarterTemplate,
			name: 'x',
			audienceId: ids.audience1,
		}),
		409,
		'STARTER_TEMPLATE_UNAVAILABLE',
	);
	assert.match(unavailable.message, /Starter template connect is not available/);
	const unknown = refused(
		await post({ starterTemplateId: 'blast', name: 'x', audienceId: ids.audience1 }),
		400,
		'VALIDATION_ERROR',
	);
	assert.match(unknown.details, /engage-inmail/);
	refused(
		await post({
			starterTemplateId: ids.starterTemplate,
			name: 'x',
			audienceId: ids.fillingAudience,
		}),
		409,
		'AUDIENCE_NOT_READY',
	);
	const noAudience = refused(
		await post({
			starterTemplateId: ids.starterTemplate,
			name: 'x',
			audienceId: ids.missingCampaign,
		}),
		400,
		'VALIDATION_ERROR',
	);
	assert.match(noAudience.details, /not an audience/);
	const stranger = refused(
		await post({
			starterTemplateId: ids.starterTemplate,
			name: 'x',
			audienceId: ids.audience1,
			leadIds: [ids.audience2Prospect1],
		}),
		400,
		'VALIDATION_ERROR',
	);
	assert.match(stranger.details, new RegExp(`leadIds not in audience ${ids.audience1}`));
	for (const body of [
		{ name: 'x', audienceId: ids.audience1 },
		{ starterTemplateId: ids.starterTemplate, name: ' ', audienceId: ids.audience1 },
		{
			starterTemplateId: ids.starterTemplate,
			name: 'x',
			audienceId: ids.audience1,
			leadIds: 'a,b',
		},
		{ starterTemplateId: ids.starterTemplate, name: 'x', audienceId: ids.audience1, nodes: [] },
	]) {
		refused(await post(body), 400, 'VALIDATION_ERROR');
	}
	refused(await post('not json'), 400, 'VALIDATION_ERROR');
	const forbidden = refused(
		await post(
			{ starterTemplateId: ids.starterTemplate, name: 'x', audienceId: ids.audience1 },
			{ key: READ },
		),
		403,
		'FORBIDDEN',
	);
	assert.match(forbidden.message, /campaigns:write/);
	// Refusals created nothing.
	assert.equal(acme(sb).campaigns.length, SEED.accountGroups[0].campaigns.length + 2);
});

test('duplicate: 201 draft for another audience with the source slots; 404, 400, 409 refusals', async (t) => {
	const sb = await sandbox(t);
	const dup = (campaignId, body, init = {}) =>
		call(sb, 'POST', `${base}/campaigns/${campaignId}/duplicate`, { body, ...init });
	const copy = data(await dup(ids.activeCampaign, { audienceId: ids.audience2 }), 201);
	assert.equal(copy.status, 'draft');
	assert.equal(copy.name, 'Q3 Enterprise Outbound (copy)');
	assert.equal(copy.selectedLeadCount, 140);
	assert.notEqual(copy.id, ids.activeCampaign);
	const sourceSlots = data(
		await call(sb, 'GET', `${base}/campaigns/${ids.activeCampaign}/content-slots`),
	).items;
	const copySlots = data(await call(sb, 'GET', `${base}/campaigns/${copy.id}/content-slots`)).items;
	assert.equal(copySlots.length, 3);
	assert.deepEqual(
		copySlots.map(({ id: _id, ...rest }) => rest),
		sourceSlots.map(({ id: _id, ...rest }) => rest),
	);
	assert.ok(copySlots.every((s) => !sourceSlots.some((o) => o.id === s.id)));

	const named = data(
		await dup(ids.draftCampaign, {
			name: 'Holiday, webinar leads',
			audienceId: ids.audience2,
			leadIds: [ids.audience2Prospect1],
		}),
		201,
	);
	assert.equal(named.name, 'Holiday, webinar leads');
	assert.equal(named.selectedLeadCount, 1);

	// audience1 is worked by the active "Q3 Enterprise Outbound".
	const conflict = refused(
		await dup(ids.draftCampaign, { audienceId: ids.audience1 }),
		409,
		'ACTIVE_WORKFLOW_CONFLICT',
	);
	assert.match(conflict.message, /active workflow conflicts are rejected/);
	assert.deepEqual(conflict.details, { conflictingCampaignId: ids.activeCampaign });
	refused(
		await dup(ids.activeCampaign, { audienceId: ids.audience2, leadIds: [ids.prospect1] }),
		400,
		'VALIDATION_ERROR',
	);
	refused(
		await dup(ids.activeCampaign, { audienceId: ids.fillingAudience }),
		409,
		'AUDIENCE_NOT_READY',
	);
	refused(await dup(ids.activeCampaign, { audienceId: ids.missingCampaign }), 404, 'NOT_FOUND');
	refused(await dup(ids.missingCampaign, { audienceId: ids.audience2 }), 404, 'NOT_FOUND');
	refused(await dup(ids.activeCampaign, {}), 400, 'VALIDATION_ERROR');
	refused(
		await dup(ids.activeCampaign, { audienceId: ids.audience2 }, { key: READ }),
		403,
		'FORBIDDEN',
	);

	// Once the copy is started, audience2 is worked too: a second copy there is a conflict.
	data(await call(sb, 'POST', `${base}/campaigns/${copy.id}/start`));
	refused(
		await dup(ids.activeCampaign, { audienceId: ids.audience2 }),
		409,
		'ACTIVE_WORKFLOW_CONFLICT',
	);
});

test('delete: campaigns:delete; an active campaign is not deletable (409); a draft goes', async (t) => {
	const sb = await sandbox(t);
	const del = (id, init = {}) => call(sb, 'DELETE', `${base}/campaigns/${id}`, init);
	const notDeletable = refused(await del(ids.activeCampaign), 409, 'CAMPAIGN_NOT_DELETABLE');
	assert.match(notDeletable.message, /not in a deletable state/);
	assert.deepEqual(notDeletable.details, { currentStatus: 'active' });
	const forbidden = refused(await del(ids.draftCampaign, { key: READ }), 403, 'FORBIDDEN');
	assert.match(forbidden.message, /campaigns:delete/);
	assert.deepEqual(data(await del(ids.draftCampaign)), { deleted: true });
	refused(await del(ids.draftCampaign), 404, 'NOT_FOUND');
	refused(await call(sb, 'GET', `${base}/campaigns/${ids.draftCampaign}`), 404, 'NOT_FOUND');
	refused(
		await call(sb, 'GET', `${base}/campaigns/${ids.draftCampaign}/content-slots`),
		404,
		'NOT_FOUND',
	);
	assert.equal(sb.requests.at(-4).route, 'deleteCampaign');
	assert.equal(sb.campaign(AG, ids.activeCampaign).status, 'active');
});

test('content slots: list by position; update needs templateId (400), a known one (422), a campaign not active (409)', async (t) => {
	const sb = await sandbox(t);
	const slots = data(
		await call(sb, 'GET', `${base}/campaigns/${ids.activeCampaign}/content-slots`, { key: READ }),
	).items;
	assert.deepEqual(
		slots.map((s) => s.position),
		[1, 2, 3],
	);
	assert.deepEqual(Object.keys(slots[0]).sort(), [
		'channel',
		'channelPosition',
		'id',
		'label',
		'position',
		'templateId',
	]);
	const patch = (campaignId, slotId, body, init = {}) =>
		call(sb, 'PATCH', `${base}/campaigns/${campaignId}/content-slots/${slotId}`, { body, ...init });
	const updated = data(
		await patch(ids.draftCampaign, ids.draftContentSlot1, { templateId: ids.contentTemplate2 }),
	);
	assert.equal(updated.id, ids.draftContentSlot1);
	assert.equal(updated.templateId, ids.contentTemplate2);
	assert.equal(
		data(await call(sb, 'GET', `${base}/campaigns/${ids.draftCampaign}/content-slots`)).items[0]
			.templateId,
		ids.contentTemplate2,
	);
	refused(await patch(ids.draftCampaign, ids.draftContentSlot1, {}), 400, 'VALIDATION_ERROR');
	const unknown = refused(
		await patch(ids.draftCampaign, ids.draftContentSlot1, { templateId: 'nope' }),
		422,
		'VALIDATION_ERROR',
	);
	assert.match(unknown.details, /templateId nope/);
	refused(
		await patch(ids.activeCampaign, ids.contentSlot1, { templateId: ids.contentTemplate2 }),
		409,
		'CAMPAIGN_NOT_EDITABLE',
	);
	refused(
		await patch(ids.draftCampaign, ids.contentSlot1, { templateId: ids.contentTemplate2 }),
		404,
		'NOT_FOUND',
	);
	refused(
		await patch(
			ids.draftCampaign,
			ids.draftContentSlot1,
			{ templateId: ids.contentTemplate2 },
			{ key: READ },
		),
		403,
		'FORBIDDEN',
	);
	assert.equal(sb.requests.at(-1).resourceId, ids.draftContentSlot1);
	assert.equal(sb.requests.at(-1).campaignId, ids.draftCampaign);
});

// --- audiences and folders ---------------------------------------------------------------

test('navigation: folders by position with their ready audiences, ungrouped audiences, none filling', async (t) => {
	const sb = await sandbox(t);
	const nav = data(await call(sb, 'GET', `${base}/audiences/navigation`));
	assert.deepEqual(
		nav.folders.map((f) => [f.id, f.audienceType, f.audiences.map((a) => a.id)]),
		[
			[ids.enterpriseFolder, 'on_demand', [ids.audience1]],
			[ids.monitoringFolder, 'monitoring', []],
		],
	);
	assert.deepEqual(Object.keys(nav.folders[0]).sort(), [
		'audienceType',
		'audiences',
		'createdAt',
		'id',
		'isPinned',
		'name',
		'position',
		'updatedAt',
	]);
	assert.deepEqual(
		nav.ungroupedAudiences.map((a) => a.id),
		[ids.audience2],
	);
	assert.equal('filling' in nav.folders[0].audiences[0], false);
	assert.equal('audienceType' in nav.ungroupedAudiences[0], false);
	const globex = data(
		await call(sb, 'GET', `/v1/accounts/${ids.globexGroup}/audiences/navigation`),
	);
	assert.deepEqual(globex, { folders: [], ungroupedAudiences: [] });
	refused(await call(sb, 'GET', `${base}/audiences/navigation`, { key: READ }), 403, 'FORBIDDEN');
});

test('audiences: create (201), update (400 / 422 / 409), delete (409 while filling, then its prospects go)', async (t) => {
	const sb = await sandbox(t);
	const created = data(
		await call(sb, 'POST', `${base}/audiences`, {
			body: { name: 'Watch: competitors', type: 'monitoring', description: 'Accounts to watch' },
		}),
		201,
	);
	assert.equal(created.type, 'monitoring');
	assert.equal(created.prospectCount, 0);
	assert.equal(created.folderId, null);
	assert.equal(created.description, 'Accounts to watch');
	assert.ok(
		data(await call(sb, 'GET', `${base}/audiences`)).items.some((a) => a.id === created.id),
	);
	refused(
		await call(sb, 'POST', `${base}/audiences`, { body: { name: 'x', type: 'static' } }),
		400,
		'VALIDATION_ERROR',
	);
	refused(
		await call(sb, 'POST', `${base}/audiences`, { body: { type: 'on_demand' } }),
		400,
		'VALIDATION_ERROR',
	);
	const taken = refused(
		await call(sb, 'POST', `${base}/audiences`, {
			body: { name: 'Watch: competitors', type: 'on_demand' },
		}),
		422,
		'VALIDATION_ERROR',
	);
	assert.equal(taken.message, 'Audience cannot be created with the requested configuration');
	refused(
		await call(sb, 'POST', `${base}/audiences`, {
			body: { name: 'y', type: 'on_demand' },
			key: READ,
		}),
		403,
		'FORBIDDEN',
	);

	const patch = (id, body) => call(sb, 'PATCH', `${base}/audiences/${id}`, { body });
	const renamed = data(await patch(created.id, { name: 'Competitor watch' }));
	assert.equal(renamed.name, 'Competitor watch');
	assert.equal(renamed.description, 'Accounts to watch');
	assert.equal(data(await patch(created.id, { description: '' })).description, '');
	const none = refused(await patch(created.id, {}), 400, 'VALIDATION_ERROR');
	assert.match(none.details, /at least one of name or description/);
	refused(await patch(created.id, { name: '  ' }), 422, 'VALIDATION_ERROR');
	refused(await patch(ids.fillingAudience, { name: 'x' }), 409, 'AUDIENCE_NOT_READY');
	refused(await patch(ids.missingCampaign, { name: 'x' }), 404, 'NOT_FOUND');

	refused(
		await call(sb, 'DELETE', `${base}/audiences/${ids.fillingAudience}`),
		409,
		'AUDIENCE_NOT_READY',
	);
	assert.deepEqual(data(await call(sb, 'DELETE', `${base}/audiences/${ids.audience2}`)), {
		deleted: true,
	});
	refused(await call(sb, 'GET', `${base}/audiences/${ids.audience2}`), 404, 'NOT_FOUND');
	assert.equal(acme(sb).prospects.filter((p) => p.audienceId === ids.audience2).length, 0);
	const lookup = data(
		await call(sb, 'GET', `${base}/prospects/by-provider-id/${ids.duplicateProviderId}`),
	);
	assert.equal(lookup.resolution, 'matched');
});

test('folders: create (201), rename (PATCH), move an audience in (type must match: 422) and out', async (t) => {
	const sb = await sandbox(t);
	const folder = data(
		await call(sb, 'POST', `${base}/audiences/folders`, {
			body: { name: 'EMEA', audienceType: 'on_demand' },
		}),
		201,
	);
	assert.equal(folder.position, 3);
	assert.equal(folder.isPinned, false);
	assert.equal(folder.audienceType, 'on_demand');
	refused(
		await call(sb, 'POST', `${base}/audiences/folders`, {
			body: { name: 'x', audienceType: 'other' },
		}),
		400,
		'VALIDATION_ERROR',
	);
	const renamed = data(
		await call(sb, 'PATCH', `${base}/audiences/folders/${folder.id}`, {
			body: { name: 'EMEA 2025' },
		}),
	);
	assert.equal(renamed.name, 'EMEA 2025');
	assert.equal(sb.requests.at(-1).route, 'renameAudienceFolder');
	assert.equal(sb.requests.at(-1).resourceId, folder.id);
	refused(
		await call(sb, 'PATCH', `${base}/audiences/folders/${folder.id}`, { body: { name: '' } }),
		400,
		'VALIDATION_ERROR',
	);
	refused(
		await call(sb, 'PATCH', `${base}/audiences/folders/${ids.missingCampaign}`, {
			body: { name: 'x' },
		}),
		404,
		'NOT_FOUND',
	);

	const move = (audienceId, folderId) =>
		call(sb, 'POST', `${base}/audiences/${audienceId}/move-to-folder`, { body: { folderId } });
	const moved = data(await move(ids.audience2, folder.id));
	assert.equal(moved.folderId, folder.id);
	const mismatch = refused(
		await move(ids.audience2, ids.monitoringFolder),
		422,
		'VALIDATION_ERROR',
	);
	assert.equal(mismatch.message, 'Folder move failed validation');
	assert.match(mismatch.details, /monitoring audiences/);
	refused(await move(ids.audience2, ids.missingCampaign), 404, 'NOT_FOUND');
	refused(await move(ids.fillingAudience, folder.id), 409, 'AUDIENCE_NOT_READY');
	refused(
		await call(sb, 'POST', `${base}/audiences/${ids.audience2}/move-to-folder`, { body: {} }),
		400,
		'VALIDATION_ERROR',
	);
	const nav = data(await call(sb, 'GET', `${base}/audiences/navigation`));
	assert.deepEqual(
		nav.folders.at(-1).audiences.map((a) => a.id),
		[ids.audience2],
	);
	assert.deepEqual(nav.ungroupedAudiences, []);

	const out = data(await call(sb, 'POST', `${base}/audiences/${ids.audience1}/remove-from-folder`));
	assert.equal(out.folderId, null);
	assert.equal(out.id, ids.audience1);
	refused(
		await call(sb, 'POST', `${base}/audiences/${ids.fillingAudience}/remove-from-folder`),
		409,
		'AUDIENCE_NOT_READY',
	);
	assert.deepEqual(
		data(await call(sb, 'GET', `${base}/audiences/navigation`)).ungroupedAudiences.map((a) => a.id),
		[ids.audience1],
	);
});

test('move leads: distinct ready audiences, leads of the source; answers both audiences and movedCount', async (t) => {
	const sb = await sandbox(t);
	const move = (source, body) =>
		call(sb, 'POST', `${base}/audiences/${source}/move-leads`, { body });
	const result = data(
		await move(ids.audience1, {
			targetAudienceId: ids.audience2,
			leadIds: [ids.prospect1, ids.prospect2, ids.prospect1],
		}),
	);
	assert.equal(result.movedCount, 2);
	assert.equal(result.sourceAudience.id, ids.audience1);
	assert.equal(result.sourceAudience.prospectCount, 43);
	assert.equal(result.targetAudience.prospectCount, 142);
	const inTarget = (await walk(sb, `${base}/audiences/${ids.audience2}/prospects?limit=100`)).items;
	assert.equal(inTarget.length, 142);
	assert.ok(inTarget.some((p) => p.id === ids.prospect1));
	assert.equal((await walk(sb, `${base}/audiences/${ids.audience1}/prospects`)).items.length, 43);

	const same = refused(
		await move(ids.audience1, { targetAudienceId: ids.audience1, leadIds: [ids.prospect3] }),
		422,
		'VALIDATION_ERROR',
	);
	assert.equal(same.message, 'Lead move failed validation');
	refused(
		await move(ids.audience1, { targetAudienceId: ids.audience2, leadIds: [ids.prospect1] }),
		422,
		'VALIDATION_ERROR',
	);
	refused(
		await move(ids.audience1, { targetAudienceId: ids.fillingAudience, leadIds: [ids.prospect3] }),
		409,
		'AUDIENCE_NOT_READY',
	);
	refused(
		await move(ids.audience1, { targetAudienceId: ids.audience2, leadIds: [] }),
		400,
		'VALIDATION_ERROR',
	);
	refused(await move(ids.audience1, { leadIds: [ids.prospect3] }), 400, 'VALIDATION_ERROR');
	refused(
		await move(ids.audience1, { targetAudienceId: ids.missingCampaign, leadIds: [ids.prospect3] }),
		404,
		'NOT_FOUND',
	);
});

// --- prospects --------------------------------------------------------------------------

test('audience prospects: keyset pages newest first (45 = 20 + 20 + 5), prospects:read, 409 while filling', async (t) => {
	const sb = await sandbox(t);
	const all = await walk(sb, `${base}/audiences/${ids.audience1}/prospects`);
	assert.deepEqual(all.pages, [20, 20, 5]);
	assert.equal(new Set(all.items.map((p) => p.id)).size, 45);
	assert.equal(all.items.at(-1).id, ids.prospect1);
	const times = all.items.map((p) => p.createdAt);
	assert.deepEqual([...times].sort().reverse(), times);
	assert.deepEqual(Object.keys(all.items.at(-1)).sort(), [
		'about',
		'company',
		'createdAt',
		'firstName',
		'headline',
		'id',
		'lastName',
		'linkedinUrl',
		'name',
		'photoUrl',
		'publicIdentifier',
	]);
	assert.deepEqual(Object.keys(all.items[0].company).sort(), [
		'industry',
		'linkedinIdentifier',
		'linkedinUrl',
		'name',
		'website',
	]);
	assert.equal(all.items.at(-1).name, 'Ada Lovelace');
	refused(
		await call(sb, 'GET', `${base}/audiences/${ids.fillingAudience}/prospects`),
		409,
		'AUDIENCE_NOT_READY',
	);
	refused(
		await call(sb, 'GET', `${base}/audiences/${ids.missingCampaign}/prospects`),
		404,
		'NOT_FOUND',
	);
	const forbidden = refused(
		await call(sb, 'GET', `${base}/audiences/${ids.audience1}/prospects`, { key: READ }),
		403,
		'FORBIDDEN',
	);
	assert.match(forbidden.message, /prospects:read/);
	refused(
		await call(sb, 'GET', `${base}/audiences/${ids.audience1}/prospects?cursor=nope`),
		400,
		'VALIDATION_ERROR',
	);
});

test('an audience with 10,000 prospects (control route) pages through in full', async (t) => {
	const sb = await sandbox(t);
	const r = await call(sb, 'POST', '/__sandbox/audiences', {
		key: null,
		body: { name: 'Benchmark', prospectCount: 10_000 },
	});
	const audience = data(r);
	assert.equal(audience.prospectCount, 10_000);
	const all = await walk(sb, `${base}/audiences/${audience.id}/prospects?limit=100`);
	assert.equal(all.pages.length, 100);
	assert.equal(new Set(all.items.map((p) => p.id)).size, 10_000);
	refused(
		await call(sb, 'POST', '/__sandbox/audiences', { key: null, body: { prospectCount: 100_001 } }),
		400,
		'VALIDATION_ERROR',
	);
});

test('provider-id lookup: one match, two (not guessed between), none; 422 for a malformed id', async (t) => {
	const sb = await sandbox(t);
	const lookup = async (providerId) =>
		data(await call(sb, 'GET', `${base}/prospects/by-provider-id/${providerId}`));
	const one = await lookup(ids.uniqueProviderId);
	assert.equal(one.providerId, ids.uniqueProviderId);
	assert.equal(one.resolution, 'matched');
	assert.deepEqual(one.matches, [
		{
			prospectId: ids.prospect1,
			personId: 'person-00001000',
			publicIdentifier: 'ada-lovelace-initech',
			linkedinUrl: 'https://www.linkedin.com/in/ada-lovelace-initech',
			name: 'Ada Lovelace',
			companyName: 'Initech',
			title: 'VP of Sales',
		},
	]);
	const two = await lookup(ids.duplicateProviderId);
	assert.equal(two.resolution, 'ambiguous');
	assert.deepEqual(
		two.matches.map((m) => m.prospectId),
		[ids.prospect4, ids.audience2Prospect1],
	);
	assert.equal(two.matches[0].personId, two.matches[1].personId);
	assert.deepEqual(await lookup(ids.unknownProviderId), {
		providerId: ids.unknownProviderId,
		resolution: 'none',
		matches: [],
	});
	refused(
		await call(sb, 'GET', `${base}/prospects/by-provider-id/bad.id`),
		422,
		'VALIDATION_ERROR',
	);
	refused(
		await call(sb, 'GET', `${base}/prospects/by-provider-id/${ids.uniqueProviderId}`, {
			key: READ,
		}),
		403,
		'FORBIDDEN',
	);
	assert.equal(sb.requests.at(-1).resourceId, ids.uniqueProviderId);
});

test('prospect signals: pending, evaluated with results, evaluated with none; minScore filters items and groups', async (t) => {
	const sb = await sandbox(t);
	const signals = async (prospectId, query = '') =>
		data(await call(sb, 'GET', `${base}/prospects/${prospectId}/signals${query}`));
	assert.deepEqual(await signals(ids.prospect2), {
		prospectId: ids.prospect2,
		status: 'pending',
		results: [],
	});
	const full = await signals(ids.prospect1);
	assert.equal(full.status, 'evaluated');
	assert.deepEqual(
		full.results.map((g) => [g.type, g.items.map((i) => i.score)]),
		[
			['linkedin_posts', [92]],
			['job_changes', [78]],
			['linkedin_comments', [45]],
		],
	);
	assert.ok(
		['reasoning', 'summary', 'title', 'postedAt', 'postLink'].every(
			(k) => k in full.results[0].items[0],
		),
	);
	const hot = await signals(ids.prospect1, '?minScore=70');
	assert.deepEqual(
		hot.results.map((g) => [g.type, g.items.map((i) => i.score)]),
		[
			['linkedin_posts', [92]],
			['job_changes', [78]],
		],
	);
	assert.deepEqual(await signals(ids.prospect1, '?minScore=95'), {
		prospectId: ids.prospect1,
		status: 'evaluated',
		results: [],
	});
	assert.deepEqual((await signals(ids.prospect3)).results, []);
	assert.equal((await signals(ids.prospect3)).status, 'evaluated');
	refused(
		await call(sb, 'GET', `${base}/prospects/${ids.prospect1}/signals?minScore=7.5`),
		400,
		'VALIDATION_ERROR',
	);
	refused(
		await call(sb, 'GET', `${base}/prospects/${ids.missingCampaign}/signals`),
		404,
		'NOT_FOUND',
	);
	refused(
		await call(sb, 'GET', `${base}/prospects/${ids.prospect1}/signals`, { key: READ }),
		403,
		'FORBIDDEN',
	);
});

test('a completed scan evaluates the prospects it names (or its whole audience)', async (t) => {
	const sb = await sandbox(t);
	const started = data(
		await call(sb, 'POST', `${base}/signals/scans`, {
			body: {
				signalSpecificationId: ids.signalSpecification2,
				audienceId: ids.audience1,
				prospectIds: [ids.prospect2],
			},
		}),
		202,
	);
	const status = async (id) =>
		data(await call(sb, 'GET', `${base}/prospects/${id}/signals`)).status;
	assert.equal(await status(ids.prospect2), 'pending');
	sb.advanceJobs({ id: started.scanId, to: 'completed' });
	assert.equal(await status(ids.prospect2), 'evaluated');
	// Another prospect of the audience was not named: still pending.
	assert.equal(await status(ids.prospect4), 'pending');

	const whole = data(
		await call(sb, 'POST', `${base}/signals/scans`, {
			body: { signalSpecificationId: ids.signalSpecification, audienceId: ids.audience1 },
		}),
		202,
	);
	sb.advanceJobs({ id: whole.scanId });
	sb.advanceJobs({ id: whole.scanId });
	const all = (await walk(sb, `${base}/audiences/${ids.audience1}/prospects`)).items;
	const statuses = await Promise.all(all.map((p) => status(p.id)));
	assert.ok(statuses.every((s) => s === 'evaluated'));
	// The same prospect and specification always give the same results.
	const again = await startSandbox();
	t.after(() => again.close());
	const body = { signalSpecificationId: ids.signalSpecification, audienceId: ids.audience1 };
	const scan = data(await call(again, 'POST', `${base}/signals/scans`, { body }), 202);
	again.advanceJobs({ id: scan.scanId, to: 'completed' });
	const read = async (s, id) => data(await call(s, 'GET', `${base}/prospects/${id}/signals`));
	assert.deepEqual(await read(again, ids.prospect4), await read(sb, ids.prospect4));

	refused(
		await call(sb, 'POST', `${base}/signals/scans`, {
			body: { signalSpecificationId: ids.missingCampaign, audienceId: ids.audience1 },
		}),
		404,
		'NOT_FOUND',
	);
	const stranger = refused(
		await call(sb, 'POST', `${base}/signals/scans`, {
			body: { ...body, prospectIds: [ids.audience2Prospect1] },
		}),
		400,
		'VALIDATION_ERROR',
	);
	assert.match(stranger.details, /prospectIds not in audience/);
});

// --- prospecting jobs: imports and credits -----------------------------------------------

test('a completed prospecting job adds its profile URLs to the audience; a replay adds nothing', async (t) => {
	const sb = await sandbox(t);
	const body = {
		source: 'url_upload',
		profileUrls: [
			'https://www.linkedin.com/in/jane-doe-42',
			'https://www.linkedin.com/in/john-smith',
			'https://www.linkedin.com/in/jane-doe-42',
		],
		audienceId: ids.audience1,
	};
	const started = data(
		await call(sb, 'POST', `${base}/prospecting`, { body, idempotencyKey: 'crm-1' }),
		202,
	);
	// While it runs the audience is being filled.
	refused(
		await call(sb, 'GET', `${base}/audiences/${ids.audience1}/prospects`),
		409,
		'AUDIENCE_NOT_READY',
	);
	// A second job for the same audience (another key) waits its turn; the same key replays.
	refused(
		await call(sb, 'POST', `${base}/prospecting`, { body, idempotencyKey: 'crm-2' }),
		409,
		'AUDIENCE_NOT_READY',
	);
	assert.equal(
		data(await call(sb, 'POST', `${base}/prospecting`, { body, idempotencyKey: 'crm-1' }), 200)
			.jobId,
		started.jobId,
	);
	sb.advanceJobs({ id: started.jobId, to: 'completed' });
	const list = (await walk(sb, `${base}/audiences/${ids.audience1}/prospects`)).items;
	assert.equal(list.length, 47);
	const jane = list.find((p) => p.linkedinUrl === 'https://www.linkedin.com/in/jane-doe-42');
	assert.equal(jane.name, 'Jane Doe');
	assert.equal(jane.publicIdentifier, 'jane-doe-42');
	assert.equal(list[0].id, list.find((p) => p.publicIdentifier === 'john-smith').id);
	assert.equal(data(await call(sb, 'GET', `${base}/audiences/${ids.audience1}`)).prospectCount, 47);
	// Its provider id resolves to it.
	const providerId = acme(sb).prospects.find((p) => p.id === jane.id).providerId;
	const lookup = data(await call(sb, 'GET', `${base}/prospects/by-provider-id/${providerId}`));
	assert.deepEqual(
		lookup.matches.map((m) => m.prospectId),
		[jane.id],
	);

	// The same key and body again: Sonarly's replay, no second job, no new prospects.
	const replay = data(
		await call(sb, 'POST', `${base}/prospecting`, { body, idempotencyKey: 'crm-1' }),
		200,
	);
	assert.deepEqual(replay, {
		jobId: started.jobId,
		status: 'completed',
		createdAt: started.createdAt,
	});
	assert.equal(acme(sb).prospectingJobs.length, 3);
	// A new job with a URL already in the audience skips it.
	const more = data(
		await call(sb, 'POST', `${base}/prospecting`, {
			body: {
				...body,
				profileUrls: ['https://www.linkedin.com/in/john-smith', 'https://linkedin.com/in/new-one'],
			},
		}),
		202,
	);
	sb.advanceJobs({ id: more.jobId, to: 'completed' });
	assert.equal(data(await call(sb, 'GET', `${base}/audiences/${ids.audience1}`)).prospectCount, 48);

	// No profile URLs: maxResults (else 10) generated prospects, in a new audience by name.
	const search = data(
		await call(sb, 'POST', `${base}/prospecting`, {
			body: {
				source: 'linkedin_search',
				searchUrl: 'https://www.linkedin.com/search/results/people/?x',
				maxResults: 7,
				audienceName: 'Search',
			},
		}),
		202,
	);
	sb.advanceJobs({ id: search.jobId, to: 'completed' });
	const made = data(await call(sb, 'GET', `${base}/audiences`)).items.find(
		(a) => a.name === 'Search',
	);
	assert.equal(made.prospectCount, 7);
	assert.equal((await walk(sb, `${base}/audiences/${made.id}/prospects`)).items.length, 7);
	// A failed job adds nothing; the seeded running job adds 10 when it completes.
	const failing = data(
		await call(sb, 'POST', `${base}/prospecting`, {
			body: {
				profileUrls: ['https://www.linkedin.com/in/never-imported'],
				audienceId: ids.audience2,
			},
		}),
		202,
	);
	sb.advanceJobs({ id: failing.jobId, to: 'failed' });
	assert.equal(
		data(await call(sb, 'GET', `${base}/audiences/${ids.audience2}`)).prospectCount,
		140,
	);
	sb.advanceJobs({ id: ids.runningJob, to: 'completed' });
	assert.equal(
		data(await call(sb, 'GET', `${base}/audiences/${ids.fillingAudience}`)).prospectCount,
		10,
	);
	const over = refused(
		await call(sb, 'POST', `${base}/prospecting`, {
			body: {
				profileUrls: Array.from({ length: 1001 }, (_, i) => `https://www.linkedin.com/in/p-${i}`),
			},
		}),
		400,
		'VALIDATION_ERROR',
	);
	assert.match(over.details, /1 to 1000/);
});

test('credits: a job that needs more than are left is a 402 INSUFFICIENT_CREDITS; a started one uses them', async (t) => {
	const sb = await sandbox(t);
	const control = (body) => call(sb, 'POST', '/__sandbox/credits', { key: null, body });
	assert.deepEqual(data(await control({ credits: 3 })), { accountGroupId: AG, credits: 3 });
	const body = {
		source: 'url_upload',
		profileUrls: ['https://www.linkedin.com/in/a-b', 'https://www.linkedin.com/in/c-d'],
		audienceId: ids.audience2,
	};
	const doubled = refused(
		await call(sb, 'POST', `${base}/prospecting`, { body: { ...body, searchEmails: true } }),
		402,
		'INSUFFICIENT_CREDITS',
	);
	assert.match(doubled.message, /needs 4 credits and the account group has 3 left/);
	assert.deepEqual(doubled.details, { requiredCredits: 4, availableCredits: 3 });
	// A refusal stores nothing: the same key may act once credits are there.
	refused(
		await call(sb, 'POST', `${base}/prospecting`, {
			body: { ...body, searchEmails: true },
			idempotencyKey: 'k',
		}),
		402,
		'INSUFFICIENT_CREDITS',
	);
	const started = data(
		await call(sb, 'POST', `${base}/prospecting`, { body, idempotencyKey: 'k2' }),
		202,
	);
	assert.equal(acme(sb).credits, 1);
	// Its replay costs nothing.
	assert.equal(
		data(await call(sb, 'POST', `${base}/prospecting`, { body, idempotencyKey: 'k2' }), 200).jobId,
		started.jobId,
	);
	assert.equal(acme(sb).credits, 1);
	refused(
		await call(sb, 'POST', `${base}/prospecting`, {
			body: { source: 'linkedin_search', maxResults: 2 },
		}),
		402,
		'INSUFFICIENT_CREDITS',
	);
	data(await control({ credits: null }));
	data(
		await call(sb, 'POST', `${base}/prospecting`, {
			body: { source: 'linkedin_search', maxResults: 2 },
		}),
		202,
	);
	refused(await control({ credits: -1 }), 400, 'VALIDATION_ERROR');
	sb.setCredits({ credits: 0 });
	refused(
		await call(sb, 'POST', `${base}/prospecting`, { body: { source: 'linkedin_search' } }),
		402,
		'INSUFFICIENT_CREDITS',
	);
	sb.reset();
	assert.equal(acme(sb).credits, undefined);
});

// --- Sales Navigator and templates ---------------------------------------------------

test('Sales Navigator saved searches and lead lists: { items: [{ id, name }] }, prospecting:read', async (t) => {
	const sb = await sandbox(t);
	assert.deepEqual(data(await call(sb, 'GET', `${base}/sales-navigator/saved-searches`)), {
		items: [
			{ id: ids.savedSearch1, name: 'VP Sales, SaaS, 200-1000 employees' },
			{ id: ids.savedSearch2, name: 'Founders, fintech, France' },
		],
	});
	assert.deepEqual(data(await call(sb, 'GET', `${base}/sales-navigator/lead-lists`)), {
		items: [{ id: ids.leadList1, name: 'Q3 target accounts' }],
	});
	assert.deepEqual(
		data(await call(sb, 'GET', `/v1/accounts/${ids.globexGroup}/sales-navigator/lead-lists`)),
		{ items: [] },
	);
	const forbidden = refused(
		await call(sb, 'GET', `${base}/sales-navigator/saved-searches`, { key: READ }),
		403,
		'FORBIDDEN',
	);
	assert.match(forbidden.message, /prospecting:read/);
});

test('signal specifications: paged list of { id, name, description, sources }, update, delete', async (t) => {
	const sb = await sandbox(t, { faults: { pageSize: 2 } });
	const all = await walk(sb, `${base}/signal-specifications`);
	assert.deepEqual(all.pages, [2, 1]);
	assert.deepEqual(
		all.items.map((s) => s.id),
		[ids.signalSpecification3, ids.signalSpecification2, ids.signalSpecification],
	);
	assert.deepEqual(Object.keys(all.items[0]).sort(), ['description', 'id', 'name', 'sources']);
	const path = `${base}/signal-specifications/${ids.signalSpecification}`;
	const updated = data(
		await call(sb, 'PATCH', path, {
			body: {
				name: 'Hiring SDRs',
				useValueProposition: true,
				valuePropositionIds: [ids.valueProposition2],
			},
		}),
	);
	assert.deepEqual(updated, {
		id: ids.signalSpecification,
		name: 'Hiring SDRs',
		description: 'Company posts sales job openings.',
		sources: ['job_changes'],
	});
	const kept = acme(sb).signalSpecifications.find((s) => s.id === ids.signalSpecification);
	assert.equal(kept.useValueProposition, true);
	assert.deepEqual(kept.valuePropositionIds, [ids.valueProposition2]);
	refused(
		await call(sb, 'PATCH', path, { body: { valuePropositionIds: ['nope'] } }),
		400,
		'VALIDATION_ERROR',
	);
	refused(
		await call(sb, 'PATCH', path, { body: { useValueProposition: 'yes' } }),
		400,
		'VALIDATION_ERROR',
	);
	refused(await call(sb, 'PATCH', path, { body: { sources: ['x'] } }), 400, 'VALIDATION_ERROR');
	const forbidden = refused(
		await call(sb, 'PATCH', path, { body: { name: 'x' }, key: READ }),
		403,
		'FORBIDDEN',
	);
	assert.match(forbidden.message, /templates:write/);
	assert.deepEqual(data(await call(sb, 'DELETE', path)), { deleted: true });
	refused(await call(sb, 'DELETE', path), 404, 'NOT_FOUND');
	assert.equal((await walk(sb, `${base}/signal-specifications`)).items.length, 2);
	refused(await call(sb, 'GET', `${base}/signal-specifications`, { key: READ }), 403, 'FORBIDDEN');
});

test('value propositions: paged list, get, update, delete (specifications stop referring to it)', async (t) => {
	const sb = await sandbox(t, { faults: { pageSize: 1 } });
	const all = await walk(sb, `${base}/value-propositions`);
	assert.deepEqual(
		all.items.map((v) => v.id),
		[ids.valueProposition2, ids.valueProposition1],
	);
	assert.deepEqual(Object.keys(all.items[0]).sort(), [
		'challenges',
		'createdAt',
		'description',
		'id',
		'name',
		'values',
	]);
	const path = `${base}/value-propositions/${ids.valueProposition1}`;
	assert.equal(data(await call(sb, 'GET', path)).name, 'Faster pipeline');
	const updated = data(
		await call(sb, 'PATCH', path, {
			body: { values: ['More meetings, less research'], challenges: [] },
		}),
	);
	assert.deepEqual(updated.values, ['More meetings, less research']);
	assert.deepEqual(updated.challenges, []);
	assert.equal(updated.name, 'Faster pipeline');
	refused(await call(sb, 'PATCH', path, { body: { values: 'a, b' } }), 400, 'VALIDATION_ERROR');
	refused(await call(sb, 'PATCH', path, { body: { name: '' } }), 400, 'VALIDATION_ERROR');
	assert.deepEqual(data(await call(sb, 'DELETE', path)), { deleted: true });
	refused(await call(sb, 'GET', path), 404, 'NOT_FOUND');
	refused(await call(sb, 'PATCH', path, { body: { name: 'x' } }), 404, 'NOT_FOUND');
	assert.deepEqual(
		acme(sb).signalSpecifications.find((s) => s.id === ids.signalSpecification2)
			.valuePropositionIds,
		[],
	);
	assert.equal(sb.requests.at(-1).resourceId, ids.valueProposition1);
});
