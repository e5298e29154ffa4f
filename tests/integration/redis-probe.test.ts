import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisProbe, type RedisProbe } from '../../server/redis-probe.ts';
import { freePort } from '../helpers/server.ts';
import { startLocalRedis, type LocalRedis } from '../helpers/local-redis.ts';
import { waitFor } from '../helpers/sync-client.ts';

describe('the readiness check’s Redis ping (a real redis-server)', () => {
	let redis: LocalRedis;
	let probe: RedisProbe;

	beforeAll(async () => {
		redis = await startLocalRedis();
		probe = redisProbe(redis.url);
	});
	afterAll(async () => {
		probe?.close();
		await redis?.stop();
	});

	it('answers true while Redis is up, false at once while it is down, true again once it is back', async () => {
		await waitFor('the first connection', () => probe.ping(500));
		await redis.stop();
		await waitFor('the ping to fail', async () => !(await probe.ping(500)));
		const started = Date.now();
		expect(await probe.ping(1_000)).toBe(false);
		// Not connected: refused at once, not after the timeout.
		expect(Date.now() - started).toBeLessThan(500);
		await redis.start();
		await waitFor('the client to reconnect', () => probe.ping(500), 10_000);
	});

	it('answers false for a port where nothing listens, within its timeout', async () => {
		const nowhere = redisProbe(`redis://127.0.0.1:${await freePort()}`);
		try {
			const started = Date.now();
			expect(await nowhere.ping(300)).toBe(false);
			expect(Date.now() - started).toBeLessThan(1_000);
		} finally {
			nowhere.close();
		}
	});
});
