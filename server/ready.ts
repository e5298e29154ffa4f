import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { selectRows, type Db } from '../src/lib/server/db/client.ts';
import type { RedisProbe } from './redis-probe.ts';

/** What GET /ready answers: whether this instance should get traffic now, and why not (no content of any board). */
export interface Readiness {
	ready: boolean;
	/** SIGTERM arrived: the instance is finishing its work and wants no new traffic. */
	draining: boolean;
	database: 'reachable' | 'unreachable';
	/** Whether the database has this build's newest migration (null while the database is unreachable). */
	migrations: 'applied' | 'missing' | null;
	/** Present only with REDIS_URL. */
	redis?: 'reachable' | 'unreachable';
}

/** What readiness looks at. */
export interface ReadinessSources {
	db: Db;
	migrationsFolder: string;
	/** The Redis ping (REDIS_URL set), or null. */
	redis: RedisProbe | null;
	/** True once the instance is shutting down. */
	draining(): boolean;
}

/** How long one probe is reused: a load balancer polling every instance often costs one small query a second. */
const CACHE_MS = 1000;
/** A database or Redis that does not answer within this is reported unreachable. */
const PROBE_TIMEOUT_MS = 1500;

/** The `when` of the newest migration in drizzle's journal: drizzle records it as `created_at` once applied. */
function newestMigration(folder: string): number {
	const journal = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number }[] };
	return Math.max(0, ...journal.entries.map((e) => e.when));
}

/** Builds the GET/HEAD /ready handler; returns false for any other request. 200 only when every check passes. */
export function readinessEndpoint(sources: ReadinessSources): (req: IncomingMessage, res: ServerResponse) => boolean {
	const newest = newestMigration(sources.migrationsFolder);
	const database = async (): Promise<Pick<Readiness, 'database' | 'migrations'>> => {
		try {
			const [row] = await selectRows<{ latest: string | number | null }>(sources.db, sql`select max(created_at) as latest from drizzle.__drizzle_migrations`);
			return { database: 'reachable', migrations: Number(row?.latest ?? 0) >= newest ? 'applied' : 'missing' };
		} catch {
			return { database: 'unreachable', migrations: null };
		}
	};
	const probe = async (): Promise<Omit<Readiness, 'ready' | 'draining'>> => {
		const unreachable = { database: 'unreachable', migrations: null } as const;
		let timer: ReturnType<typeof setTimeout> | undefined;
		const late = new Promise<typeof unreachable>((resolve) => (timer = setTimeout(() => resolve(unreachable), PROBE_TIMEOUT_MS)));
		const [db, redis] = await Promise.all([Promise.race([database(), late]), sources.redis?.ping(PROBE_TIMEOUT_MS)]).finally(() => clearTimeout(timer));
		return redis === undefined ? db : { ...db, redis: redis ? 'reachable' : 'unreachable' };
	};
	let cached: { at: number; result: Promise<Omit<Readiness, 'ready' | 'draining'>> } | null = null;
	return (req, res) => {
		if ((req.url ?? '').split('?')[0] !== '/ready' || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
		const now = Date.now();
		if (!cached || now - cached.at > CACHE_MS) cached = { at: now, result: probe() };
		void cached.result.then((checks) => {
			// Read after the probe: a SIGTERM during it must not be answered with a stale "ready".
			const draining = sources.draining();
			const ready = !draining && checks.database === 'reachable' && checks.migrations === 'applied' && checks.redis !== 'unreachable';
			const body: Readiness = { ready, draining, ...checks };
			res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
			res.end(req.method === 'HEAD' ? undefined : JSON.stringify(body));
		});
		return true;
	};
}
