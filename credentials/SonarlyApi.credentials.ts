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

	documentationUrl = 'https://github.com/sonarly/n8n-nodes-sonarly#credentials';

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

	// Same rules as the node's transport (resolveBaseUrl): empty or blank means the default;
	// only http(s) without user info, query or fragment is accepted, else the test fails
	// without sending anything (axios refuses the made-up scheme); trailing slashes and a
	// typed /v1 suffix are dropped.
	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ /^https?:\\/\\/[^\\/\\\\?#@\\s]+([\\/\\\\][^?#]*)?$/i.test(String($credentials.baseUrl || "").trim() || "https://api.sonarly.io") ? (String($credentials.baseUrl || "").trim() || "https://api.sonarly.io").replace(/\\/+$/, "").replace(/\\/v1$/i, "") : "invalid-sonarly-base-url:" }}',
			url: '/v1/accounts',
			method: 'GET',
		},
	};
}
