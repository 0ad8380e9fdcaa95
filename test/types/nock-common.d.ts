/** nock's internal timer helpers (nock/lib/common.js), which the mocked responses are scheduled with. */
declare module 'nock/lib/common' {
	type Timer = (callback: (...args: unknown[]) => void, ...args: unknown[]) => unknown;
	const common: { setTimeout: Timer; setImmediate: Timer };
	export default common;
}
