/** Base URLs a user may type into the credential, with where requests must go or why it is refused. */
import { DEFAULT_BASE_URL } from '../../nodes/Sonarly/transport';

export interface BaseUrlCase {
	label: string;
	baseUrl: unknown;
	/** The origin + path prefix requests must go to, or why the Base URL is refused. */
	expect: { base: string } | { refused: RegExp };
}

export const BASE_URL_CASES: BaseUrlCase[] = [
	{
		label: 'the default',
		baseUrl: 'https://api.sonarly.io',
		expect: { base: 'https://api.sonarly.io' },
	},
	{
		label: 'a trailing slash',
		baseUrl: 'https://api.sonarly.io/',
		expect: { base: 'https://api.sonarly.io' },
	},
	{
		label: 'several trailing slashes',
		baseUrl: 'https://api.sonarly.io///',
		expect: { base: 'https://api.sonarly.io' },
	},
	{
		label: 'a /v1 suffix',
		baseUrl: 'https://api.sonarly.io/v1',
		expect: { base: 'https://api.sonarly.io' },
	},
	{
		label: 'a /v1/ suffix',
		baseUrl: 'https://api.sonarly.io/v1/',
		expect: { base: 'https://api.sonarly.io' },
	},
	{
		label: 'an upper-case /V1 suffix',
		baseUrl: 'https://api.sonarly.io/V1',
		expect: { base: 'https://api.sonarly.io' },
	},
	{
		label: 'surrounding whitespace',
		baseUrl: ' \t https://api.sonarly.io/v1/ \n',
		expect: { base: 'https://api.sonarly.io' },
	},
	{ label: 'empty', baseUrl: '', expect: { base: DEFAULT_BASE_URL } },
	{ label: 'only whitespace', baseUrl: '   ', expect: { base: DEFAULT_BASE_URL } },
	{ label: 'not set at all', baseUrl: undefined, expect: { base: DEFAULT_BASE_URL } },
	{
		label: 'upper-case scheme and host, default port',
		baseUrl: 'HTTPS://API.SONARLY.IO:443/',
		expect: { base: 'https://api.sonarly.io' },
	},
	{
		label: 'a path prefix',
		baseUrl: 'https://proxy.example.com/sonarly',
		expect: { base: 'https://proxy.example.com/sonarly' },
	},
	{
		label: 'a path prefix with slash',
		baseUrl: 'https://proxy.example.com/sonarly/',
		expect: { base: 'https://proxy.example.com/sonarly' },
	},
	{
		label: 'a path prefix with /v1/',
		baseUrl: 'https://proxy.example.com/sonarly/v1/',
		expect: { base: 'https://proxy.example.com/sonarly' },
	},
	{
		label: 'plain http with a port',
		baseUrl: 'http://localhost:8080',
		expect: { base: 'http://localhost:8080' },
	},
	{
		label: 'user and password',
		baseUrl: 'https://user:pa55word@api.sonarly.io',
		expect: { refused: /must not contain a user name or password/ },
	},
	{
		label: 'a user name only',
		baseUrl: 'https://user@api.sonarly.io',
		expect: { refused: /must not contain a user name or password/ },
	},
	{
		label: 'ftp:',
		baseUrl: 'ftp://api.sonarly.io',
		expect: { refused: /must start with https:\/\/ or http:\/\// },
	},
	{
		label: 'file:',
		baseUrl: 'file:///etc/passwd',
		expect: { refused: /must start with https:\/\/ or http:\/\// },
	},
	{
		label: 'javascript:',
		baseUrl: 'javascript:alert(1)',
		expect: { refused: /must start with https:\/\/ or http:\/\// },
	},
	{ label: 'no scheme', baseUrl: 'api.sonarly.io', expect: { refused: /is not a valid URL/ } },
	{
		label: 'a query',
		baseUrl: 'https://api.sonarly.io/?debug=1',
		expect: { refused: /must not contain a query/ },
	},
	{
		label: 'a fragment',
		baseUrl: 'https://api.sonarly.io/#top',
		expect: { refused: /must not contain a query \(\?\) or fragment/ },
	},
];
