import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class SonarlyApi implements ICredentialType {
	name = 'sonarlyApi';

	displayName = 'Sonarly API';

	icon: Icon = { light: 'file:../icons/sonarly.svg', dark: 'file:../icons/sonarly.dark.svg' };

	// No "#anchor": n8n appends its own query string to this URL.
	documentationUrl = 'https://github.com/sonarly/n8n-nodes-sonarly';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'An API key from Sonarly. Stopping campaigns needs the campaigns:execute permission, reading them campaigns:read.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.sonarly.io',
			placeholder: 'https://api.sonarly.io',
			description:
				'Where the Sonarly API lives. Change it only for a proxy or a test server; a trailing slash or /v1 is fine.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	// GET /v1/accounts answers for any valid key, whatever its permissions. The rules word the
	// answers a user can act on; n8n reports failures without an answer (connection refused,
	// unknown host, an invalid Base URL) by their error code, which no rule can change.
	test: ICredentialTestRequest = {
		request: {
			// n8n expressions have no `URL`, so this is a pattern: blank means the default; an
			// http(s) URL without user info, query or fragment is used without trailing slashes
			// or a typed /v1; anything else becomes a URL no HTTP client accepts, so the test fails
			// without sending the key anywhere. It mirrors resolveBaseUrl in
			// nodes/Sonarly/transport/index.ts: test/credential-base-url.test.ts holds both to the
			// same inputs.
			baseURL:
				'={{ ((url) => /^https?:\\/\\/[^\\/\\\\?#@\\s]+([\\/\\\\][^?#]*)?$/i.test(url) ? url.replace(/[\\/\\\\]+$/, "").replace(/[\\/\\\\]v1$/i, "") : "http://invalid base url")(($credentials.baseUrl || "").trim() || "https://api.sonarly.io") }}',
			url: '/v1/accounts',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Sonarly did not accept this API key. Copy the key again from Sonarly (it may be mistyped, revoked or expired) and paste it into API Key.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Sonarly recognised this API key but refused it access. Check in Sonarly that the key is active and allowed to use the API, or create a new key.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'The Base URL answered, but not like the Sonarly API (nothing found at /v1/accounts). Set Base URL to https://api.sonarly.io, or to the address of your proxy or test server.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 429,
					message:
						'Sonarly is limiting requests for this key right now. Wait a minute, then test again.',
				},
			},
			...[500, 502, 503, 504].map((value) => ({
				type: 'responseCode' as const,
				properties: {
					value,
					message: `Sonarly could not answer right now (HTTP ${value}). Test again in a few minutes; if it keeps failing, check the Base URL or contact Sonarly support.`,
				},
			})),
		],
	};
}
