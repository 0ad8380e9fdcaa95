import type {
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/** How long the Test button waits for Sonarly's answer (n8n's own default is 300 s). */
export const CREDENTIAL_TEST_TIMEOUT_MS = 15_000;

/** The request the Test button sends, under the Base URL. */
const TEST_PATH = '/v1/accounts';

const NOT_SONARLY =
	'The Base URL answered, but not like the Sonarly API (no Sonarly answer at /v1/accounts). Set Base URL to https://api.sonarly.io, or to the address of your proxy or test server.';

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

	/**
	 * Adds the key as a Bearer token to every request made with this credential. For the Test
	 * button's request it also sets the timeout: n8n's credential tester overwrites any
	 * `timeout` in `test.request` with its own 300 s (RoutingNode, n8n 1.x and 2.x), and this is
	 * the one step that runs after that. The node sets its own timeout on every request.
	 * A field, not a method: n8n copies the credential's own properties when it decides to add
	 * "Custom API Call" to the node, and a method (on the prototype) would not be copied.
	 */
	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		const options: IHttpRequestOptions = {
			...requestOptions,
			headers: { ...requestOptions.headers, Authorization: `Bearer ${String(credentials.apiKey ?? '')}` },
			// A redirect to another host never takes the key along, from any node using this
			// credential (the HTTP Request node follows redirects by default).
			sendCredentialsOnCrossOriginRedirect: false,
		};
		// Only the Test button's request has a separate baseURL: the node sends full URLs, and
		// n8n's HTTP Request node (Custom API Call) sends `uri`.
		if (options.baseURL !== undefined && options.url === TEST_PATH) {
			options.timeout = CREDENTIAL_TEST_TIMEOUT_MS;
			options.disableFollowRedirect = true;
		}
		return options;
	};

	// GET /v1/accounts answers for any valid key, whatever its permissions. The rules word the
	// answers a user can act on; n8n reports failures without an answer (connection refused,
	// unknown host, an invalid Base URL) by their error code, which no rule can change.
	test: ICredentialTestRequest = {
		request: {
			// n8n expressions have no `URL`, so this is a pattern: blank means the default; an
			// http(s) URL without user info, query, fragment, spaces or "." / ".." segments (which
			// URL would resolve first) is used without trailing slashes or a typed /v1; anything
			// else becomes a URL no HTTP client accepts, so the test fails without sending the key
			// anywhere. It mirrors resolveBaseUrl in
			// nodes/Sonarly/transport/index.ts: test/credential-base-url.test.ts holds both to the
			// same inputs.
			baseURL:
				'={{ ((url) => /^(?!.*[\\/\\\\](\\.|%2e)+([\\/\\\\]|$))https?:\\/\\/[^\\/\\\\?#@\\s]+([\\/\\\\][^?#\\s]*)?$/i.test(url) ? url.replace(/[\\/\\\\]+$/, "").replace(/^(https?:\\/\\/[^\\/\\\\]+.*)[\\/\\\\]v1$/i, "$1") : "http://invalid base url")(($credentials.baseUrl || "").trim() || "https://api.sonarly.io") }}',
			url: TEST_PATH,
			method: 'GET',
			// Never follow a redirect: n8n would send the key along to wherever it points (also to
			// another host), and the node refuses a 3xx. authenticate() sets this again.
			disableFollowRedirect: true,
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
			...[301, 302, 303, 307, 308].map((value) => ({
				type: 'responseCode' as const,
				properties: {
					value,
					message: `The Base URL redirects (HTTP ${value}): set it to the API itself, https://api.sonarly.io, or your proxy's address.`,
				},
			})),
			// A 2xx the node would refuse as not Sonarly's: every Sonarly answer is an envelope
			// with success: true and data. (An HTML page or another API behind the Base URL.)
			...(['success', 'data'] as const).flatMap((key) =>
				[undefined, null, false].map(
					(value): IAuthenticateRuleResponseSuccessBody => ({
						type: 'responseSuccessBody',
						properties: { key, value, message: NOT_SONARLY },
					}),
				),
			),
			// n8n's type lists the two kinds of rule as separate arrays; its tester reads a mixed
			// one rule by rule (responseCode on a failed request, responseSuccessBody on a 2xx).
		] as Array<IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody> as IAuthenticateRuleResponseCode[],
	};
}
