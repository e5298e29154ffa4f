import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKinds } from '../helpers/db.ts';
import { startServer, tempDataDir, type TestServer } from '../helpers/server.ts';
import { serverDatabase, boardWithMembers, joinedClient } from '../helpers/board-fixture.ts';
import { stageIds, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { startLocalRedis, type LocalRedis } from '../helpers/local-redis.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import type { Readiness } from '../../server/ready.ts';

/** GET a path; status and body. */
async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
	const res = await fetch(url, { headers });
	return { status: res.status, body: await res.text() };
}

/** One sample of a Prometheus text exposition: `name{labels}` exactly as written (labels in the order given), or undefined. */
function sample(text: string, name: string, labels = ''): number | undefined {
	const key = labels ? `${name}{${labels}}` : name;
	const line = text.split('\n').find((l) => l.startsWith(`${key} `));
	return line === undefined ? undefined : Number(line.slice(key.length + 1));
}

describe.each(dbKinds())('%s: GET /ready and GET /metrics (loopback, no METRICS_TOKEN)', (kind) => {
	let server: TestServer;
	let redis: LocalRedis;
	let env: Record<string, string>;
	let remove: () => Promise<void> | void = () => {};
	let boardId = '';
	let cookies: string[] = [];
	const open: SyncClient[] = [];

	const ready = async () => {
		const res = await get(`${server.url}/ready`);
		return { status: res.status, body: JSON.parse(res.body) as Readiness };
	};
	const metrics = async () => {
		const res = await get(`${server.url}/metrics`);
		expect(res.status, res.body).toBe(200);
		return res.body;
	};

	beforeAll(async () => {
		redis = await startLocalRedis();
		({ env, remove } = await serverDatabase(kind));
		// A long drain: the test ends it with a second SIGTERM once it has seen /ready answer 503.
		server = await startServer({ ...env, REDIS_URL: redis.url, SHUTDOWN_DRAIN_MS: '60000', METRICS_TOKEN: '' });
		({ boardId, cookies } = await boardWithMembers(server.url, ['Mira'], 'Metrics board'));
	}, 90_000);
	afterAll(async () => {
		for (const c of open.splice(0)) c.destroy();
		await server?.stop();
		await redis?.stop();
		await remove();
	});

	it('is ready: database reachable, migrations applied, Redis reachable', async () => {
		expect(await ready()).toEqual({ status: 200, body: { ready: true, draining: false, database: 'reachable', migrations: 'applied', redis: 'reachable' } });
	});

	it('serves metrics to loopback without a token, but not to a request a proxy forwarded', async () => {
		const text = await metrics();
		// Process metrics from prom-client's defaults, and ours.
		expect(text).toContain('process_resident_memory_bytes');
		expect(text).toContain('nodejs_eventloop_lag_seconds');
		expect(text).toContain('# TYPE flowdeck_persist_lag_seconds histogram');
		const forwarded = await get(`${server.url}/metrics`, { 'x-forwarded-for': '203.0.113.9' });
		expect(forwarded.status).toBe(403);
		expect(forwarded.body).not.toContain('flowdeck_');
	});

	it('an edit moves the rooms and connections gauges, the applied updates and stored batches; a deleted card queues its purge', async () => {
		const before = await metrics();
		const appliedBefore = sample(before, 'flowdeck_applied_updates_total') ?? 0;
		const client = await joinedClient(server.url, boardId, cookies[0]!);
		open.push(client);
		const cmd = boardCommands(client.doc, { userId: 'mira', now: () => new Date() });
		const card = cmd.addCard(stageIds(client.doc)[0]!, 'Counted card');
		await waitFor('the update applied and stored', async () => {
			const text = await metrics();
			return (sample(text, 'flowdeck_applied_updates_total') ?? 0) > appliedBefore && (sample(text, 'flowdeck_persist_batches_total', 'history="stored"') ?? 0) >= 1;
		});
		const during = await metrics();
		expect(sample(during, 'flowdeck_rooms_open')).toBe(1);
		expect(sample(during, 'flowdeck_websocket_connections')).toBe(1);
		expect(sample(during, 'flowdeck_persist_lag_seconds_count')).toBeGreaterThanOrEqual(1);
		expect(sample(during, 'flowdeck_http_responses_total', 'status="3xx"')).toBeGreaterThanOrEqual(2);
		expect(sample(during, 'flowdeck_job_queue_depth', 'kind="card.purge",state="later"')).toBeUndefined();
		// Deleting the card schedules the removal of its files for after the undo period: a job waiting in the queue.
		cmd.deleteCard(card);
		await waitFor('the purge job counted', async () => sample(await metrics(), 'flowdeck_job_queue_depth', 'kind="card.purge",state="later"') === 1);
		client.destroy();
		await waitFor('the socket gone from the gauge', async () => sample(await metrics(), 'flowdeck_websocket_connections') === 0);
	});

	it.runIf(kind === 'postgres')('answers 503 while the database refuses connections, and 200 once it is back', async () => {
		const name = new URL(env.DATABASE_URL!).pathname.slice(1);
		const admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
		try {
			await admin.unsafe(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
			await admin`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ${name}`;
			const down = await waitFor('/ready to say the database is unreachable', async () => {
				const r = await ready();
				return r.status === 503 ? r : null;
			});
			expect(down.body).toMatchObject({ ready: false, draining: false, database: 'unreachable', migrations: null });
		} finally {
			await admin.unsafe(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
			await admin.end({ timeout: 1 });
		}
		await waitFor('/ready back to 200', async () => (await ready()).status === 200);
	});

	it('answers 503 while Redis is down, and 200 once it is back', async () => {
		await redis.stop();
		const down = await waitFor('/ready to say Redis is unreachable', async () => {
			const r = await ready();
			return r.status === 503 ? r : null;
		});
		expect(down.body).toMatchObject({ ready: false, database: 'reachable', redis: 'unreachable' });
		await redis.start();
		await waitFor('/ready back to 200', async () => (await ready()).status === 200);
	});

	it('SIGTERM: /ready answers 503 at once while the server still serves; a second signal ends the drain', async () => {
		server.process.kill('SIGTERM');
		await waitFor('the drain to start', () => server.output().includes('SIGTERM: draining'));
		expect(await ready()).toMatchObject({ status: 503, body: { ready: false, draining: true } });
		// Still serving (health, pages) until the drain ends: a load balancer takes it out first.
		expect((await get(`${server.url}/health`)).status).toBe(200);
		expect(await server.stop()).toBe(0);
		expect(server.output()).toContain('SIGTERM: saving and shutting down');
	});
});

describe('GET /metrics with METRICS_TOKEN set (pglite)', () => {
	let server: TestServer;
	const data = tempDataDir();
	const TOKEN = 'metrics-token-for-tests-5f2c';

	beforeAll(async () => {
		server = await startServer({ DATA_DIR: data.dir, DATABASE_URL: '', METRICS_TOKEN: TOKEN });
	}, 90_000);
	afterAll(async () => {
		await server?.stop();
		data.remove();
	});

	it('refuses a request without the token or with a wrong one (401), even from loopback; serves it with the token', async () => {
		const none = await get(`${server.url}/metrics`);
		expect(none.status).toBe(401);
		expect(none.body).not.toContain('flowdeck_');
		expect((await get(`${server.url}/metrics`, { authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
		expect((await get(`${server.url}/metrics`, { authorization: TOKEN })).status).toBe(401);
		const ok = await get(`${server.url}/metrics`, { authorization: `Bearer ${TOKEN}` });
		expect(ok.status).toBe(200);
		expect(sample(ok.body, 'flowdeck_rooms_open')).toBe(0);
		// Without REDIS_URL, readiness does not look at Redis.
		expect(JSON.parse((await get(`${server.url}/ready`)).body)).toEqual({ ready: true, draining: false, database: 'reachable', migrations: 'applied' });
	});
});
