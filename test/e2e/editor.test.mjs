// What the n8n editor does with our package, through the REST API of a real `n8n start`:
// - the credential's "Test" button (POST /rest/credentials/test): a valid key passes whatever
//   its permissions, a bad key fails, the Base URL may end in "/" or "/v1/";
// - the "From List" mode of the Account Group and Campaign fields (listSearch methods).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import * as h from './n8n.mjs';

const { startSandbox, SEED } = h.sandboxModule();
const ids = SEED.ids;
const OWNER = {
	email: 'e2e@example.com',
	firstName: 'Sonarly',
	lastName: 'E2E',
	password: 'Sonarly-e2e-1',
};

for (const version of h.testedVersions()) {
	describe(`n8n ${version}: editor (credential test, From List search)`, () => {
		let sb;
		let session;
		let server;
		let rest;

		before(async () => {
			await h.ensureBuilt();
			sb = await startSandbox({ port: 0 });
			session = await h.openSession({ version });
			// The editor tests a saved credential with the form's values: save one first.
			await session.importCredentials(
				h.sonarlyCredential({ apiKey: 'sk_test_full_access', baseUrl: sb.url }),
			);
			server = await h.startN8nServer(session);
			rest = await h.ownerLogin(server, OWNER);
		});

		after(async () => {
			await server?.stop();
			await session?.close();
			await sb?.close();
		});

		async function testCredential(apiKey, baseUrl) {
			const response = await rest('POST', '/credentials/test', {
				credentials: {
					id: h.CREDENTIAL_ID,
					name: h.CREDENTIAL_NAME,
					type: h.CREDENTIAL_TYPE,
					data: { apiKey, baseUrl },
				},
			});
			assert.equal(response.status, 200, response.text);
			return response.json.data;
		}

		it('credential test passes for any valid key (full access, read-only, no permissions)', async () => {
			sb.reset();
			assert.equal((await testCredential('sk_test_full_access', sb.url)).status, 'OK');
			assert.equal((await testCredential('sk_test_read_only', sb.url)).status, 'OK');
			assert.equal((await testCredential('sk_test_no_permissions', sb.url)).status, 'OK');
			const calls = sb.requests.filter((entry) => entry.route === 'listAccounts');
			assert.equal(calls.length, 3);
			assert.ok(calls.every((entry) => entry.method === 'GET' && entry.authorized));
		});

		it('credential test fails for an unknown key', async () => {
			const result = await testCredential('sk_test_not_a_key', sb.url);
			assert.equal(result.status, 'Error');
			if (version.startsWith('1.')) {
				// n8n 1.x's credential test does not reach the credential's responseCode rules for
				// this answer: it shows its own generic 401 text.
				assert.match(result.message, /Authorization failed/);
			} else {
				// The credential's 401 rule, not n8n's bare "Unauthorized".
				assert.match(result.message, /^Sonarly did not accept this API key\./);
			}
		});

		it('credential test accepts a Base URL ending in "/" or "/v1/"', async () => {
			sb.reset();
			assert.equal((await testCredential('sk_test_full_access', `${sb.url}/`)).status, 'OK');
			assert.equal((await testCredential('sk_test_full_access', `${sb.url}/v1/`)).status, 'OK');
			assert.deepEqual(
				sb.requests.map((entry) => entry.path),
				['/v1/accounts', '/v1/accounts'],
			);
		});

		async function listSearch(methodName, accountGroupValue, filter) {
			const response = await rest('POST', '/dynamic-node-parameters/resource-locator-results', {
				path:
					methodName === 'searchAccountGroups'
						? 'parameters.accountGroupId'
						: 'parameters.campaignId',
				nodeTypeAndVersion: { name: h.NODE_TYPE, version: 1 },
				methodName,
				filter,
				currentNodeParameters: {
					resource: 'campaign',
					operation: 'stop',
					accountGroupId: { __rl: true, mode: 'list', value: accountGroupValue },
					campaignId: { __rl: true, mode: 'list', value: '' },
					options: {},
				},
				credentials: { [h.CREDENTIAL_TYPE]: { id: h.CREDENTIAL_ID, name: h.CREDENTIAL_NAME } },
			});
			return response;
		}

		it('From List: Account Group lists the account groups', async () => {
			const response = await listSearch('searchAccountGroups', '');
			assert.equal(response.status, 200, response.text);
			const results = response.json.data.results;
			assert.deepEqual(
				results.map((r) => r.value),
				SEED.accountGroups.map((g) => g.id),
			);
			assert.deepEqual(
				results.map((r) => r.name),
				SEED.accountGroups.map((g) => g.name),
			);
		});

		it('From List: Campaign lists the campaigns of the chosen group by name, and filters', async () => {
			sb.reset();
			const response = await listSearch('searchCampaigns', ids.acmeGroup);
			assert.equal(response.status, 200, response.text);
			const acme = SEED.accountGroups.find((g) => g.id === ids.acmeGroup);
			const results = response.json.data.results;
			assert.deepEqual(
				results.map((r) => r.value),
				acme.campaigns.map((c) => c.id),
			);
			// The label is the name only (a status in it would be saved with the choice and go stale).
			assert.deepEqual(
				results.map((r) => r.name),
				acme.campaigns.map((c) => c.name),
			);
			const filtered = await listSearch('searchCampaigns', ids.acmeGroup, 'webinar');
			assert.deepEqual(
				filtered.json.data.results.map((r) => r.value),
				[ids.activeCampaign2],
			);
			assert.ok(
				sb.requests.every((entry) => entry.method === 'GET'),
				'a list search only reads',
			);
		});

		it('From List: Campaign without an account group explains what to do, without a server error', async () => {
			const response = await listSearch('searchCampaigns', '');
			assert.equal(response.status, 200, response.text);
			// One entry the editor cannot pick (its value is a boolean).
			assert.deepEqual(response.json.data.results, [
				{ name: 'Choose an account group first', value: false },
			]);
		});
	});
}
