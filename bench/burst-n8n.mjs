// The burst through a real `n8n start` (n8n 2.41.1, regular mode, SQLite): 200 POSTs to a
// Webhook → Sonarly workflow (a bounded local loop, 50 at a time), then the same 200 to a
// Webhook → HTTP Request workflow (n8n's own node, defaults), each against a freshly reset
// sandbox limited to 20 requests/s with Retry-After. The sandbox log says which campaigns were
// stopped and how often. Used by bench/burst.mjs (skipped with --skip-n8n).
import * as e2e from '../test/e2e/n8n.mjs';
import * as q from '../test/e2e/queue.mjs';
import { BURST_N, BURST_PER_SECOND, figures } from './burst.mjs';
import { API_KEY, refs, WARMUP_START } from './ids.mjs';

/**
 * A second, lower limit for the real n8n: on a loaded 2-core machine one n8n runs fewer than
 * 20 executions/s, so at 20 requests/s Sonarly's limit is never reached there.
 */
export const REAL_N8N_LOW_PER_SECOND = 5;

const SONARLY_WF = 'sonarlyBurstWf001';
const HTTP_WF = 'sonarlyBurstWf002';

async function fire(server, sandbox, webhookPath, perSecond) {
	// A warm-up campaign: the sandbox is reset before the measured burst.
	await q.waitForWebhook(`${server.url}/webhook/${webhookPath}`, refs(WARMUP_START, 1)[0]);
	// Let the warm-up execution finish before the sandbox is reset.
	await new Promise((r) => setTimeout(r, 3000));
	await sandbox.reset();
	await sandbox.setFaults({ rateLimit: { perSecond, retryAfter: 'seconds' } });
	const statuses = await q.fireWebhooks(`${server.url}/webhook/${webhookPath}`, refs(0, BURST_N), {
		concurrency: 50,
	});
	const started = Date.now();
	const summary = await q.settle(
		() => sandbox.summary(),
		(s) => s.distinctStopped >= BURST_N,
		{ quietMs: 15_000, timeoutMs: 240_000 },
	);
	const accepted = statuses.filter((s) => s === 200).length;
	const stopped200 = summary.byStatus['200'] ?? 0;
	return figures(
		{
			perSecond,
			webhookCallsAccepted: accepted,
			webhookCallsRefused: statuses.filter((s) => s !== 200).slice(0, 5),
			failed: BURST_N - summary.distinctStopped,
			wallMs: Date.now() - started,
			// Exactly once: every campaign one 200, none a second stop (a 409 here).
			stoppedExactlyOnce:
				summary.distinctStopped === BURST_N && stopped200 === BURST_N && !summary.byStatus['409'],
			sandbox: summary,
		},
		summary.spanMs,
		summary,
		perSecond,
	);
}

export async function realN8nBurst({ sandbox, note }) {
	const session = await e2e.openSession({ version: e2e.N8N_V2 });
	let server;
	try {
		await session.importCredentials(e2e.sonarlyCredential({ apiKey: API_KEY, baseUrl: sandbox.url }));
		await session.importWorkflows([
			q.webhookStopWorkflow({ id: SONARLY_WF, name: 'bench: burst → Sonarly', webhookPath: 'burst-sonarly' }),
			q.webhookHttpRequestWorkflow({
				id: HTTP_WF,
				name: 'bench: burst → HTTP Request',
				webhookPath: 'burst-http',
				sandboxUrl: sandbox.url,
				apiKey: API_KEY,
			}),
		]);
		await q.publishWorkflow(session, SONARLY_WF);
		await q.publishWorkflow(session, HTTP_WF);
		server = await e2e.startN8nServer(session);
		const result = {};
		for (const perSecond of [BURST_PER_SECOND, REAL_N8N_LOW_PER_SECOND]) {
			note(`burst, real n8n: ${BURST_N} webhook calls → Sonarly node, sandbox at ${perSecond} req/s`);
			const sonarly = await fire(server, sandbox, 'burst-sonarly', perSecond);
			sonarly.stoppedExactlyOnce = sonarly.details.stoppedExactlyOnce;
			sonarly.rssMb = q.rssMb(server.child.pid);
			note(`burst, real n8n: ${BURST_N} webhook calls → HTTP Request node, sandbox at ${perSecond} req/s`);
			const httpRequest = await fire(server, sandbox, 'burst-http', perSecond);
			result[perSecond] = { sonarly, httpRequest };
		}
		return result;
	} finally {
		await server?.stop();
		await session.close();
	}
}
