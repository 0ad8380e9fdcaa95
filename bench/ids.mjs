// The benchmark's own sandbox seed: enough active campaigns that every stop of every
// scenario hits an active one (a second stop of the same campaign is a 409).
//
// Campaign index i (0 ≤ i < MEASURED + WARMUP) lives in account group floor(i / PER_GROUP).
// Indices [0, MEASURED) are for measured runs, [MEASURED, MEASURED + WARMUP) for warm-ups.
// Groups of 100 keep the sandbox's linear id lookups short.

export const API_KEY = 'sk_test_full_access';
export const MEASURED = 10_000;
export const WARMUP = 200;
export const PER_GROUP = 100;
export const WARMUP_START = MEASURED;

/** A 24-hex id in the style of Sonarly's ids (the sandbox only needs [A-Za-z0-9_-]). */
function hexId(prefix, n) {
	return prefix + n.toString(16).padStart(24 - prefix.length, '0');
}

export function campaignRef(index) {
	return {
		accountGroupId: hexId('b0', Math.floor(index / PER_GROUP)),
		campaignId: hexId('c0', index),
	};
}

/** Items { accountGroupId, campaignId } for campaign indices [start, start + count). */
export function refs(start, count) {
	return Array.from({ length: count }, (_, k) => campaignRef(start + k));
}

export function stopPath({ accountGroupId, campaignId }) {
	return `/v1/accounts/${accountGroupId}/campaigns/${campaignId}/stop`;
}

/** The sandbox seed: MEASURED + WARMUP active campaigns. */
export function benchSeed() {
	const total = MEASURED + WARMUP;
	const accountGroups = [];
	for (let index = 0; index < total; index++) {
		const { accountGroupId, campaignId } = campaignRef(index);
		if (index % PER_GROUP === 0) {
			accountGroups.push({
				id: accountGroupId,
				name: `Bench group ${accountGroups.length}`,
				createdAt: '2025-01-15T09:00:00.000Z',
				campaigns: [],
			});
		}
		accountGroups.at(-1).campaigns.push({
			id: campaignId,
			name: `Bench campaign ${index}`,
			description: 'Benchmark campaign.',
			status: 'active',
			selectedLeadCount: 25,
			includeConversationHistory: true,
			autoCancelOnMessageReceived: true,
			outreachLanguage: 'en',
			createdAt: '2025-06-02T08:30:00.000Z',
			updatedAt: '2025-06-03T10:00:00.000Z',
			startedAt: '2025-06-03T10:00:00.000Z',
			rateLimitedUntil: null,
		});
	}
	return { accountGroups, instances: {} };
}
