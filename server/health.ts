import type { IncomingMessage, ServerResponse } from 'node:http';
import { sql } from 'drizzle-orm';
import type { Db } from '../src/lib/server/db/client.ts';
import { countSetAsideHistory } from '../src/lib/server/history-set-aside.ts';

/** What GET /health answers: counts only, nothing of any board's content (anyone may ask). */
export interface Health {
	ok: boolean;
	database: 'reachable' | 'unreachable';
	/** History batches the server could not write and kept in `history_set_aside` (null while the database is unreachable). */
	historySetAside: number | null;
}

/** How long one answer is reused: a caller polling in a loop costs at most two small queries a second. */
const CACHE_MS = 1000;
/** A database that does not answer within this is reported unreachable (the probe goes on in the background). */
const PROBE_TIMEOUT_MS = 2000;

/** Builds the GET/HEAD /health handler over the server's database; returns false for any other request. */
export function healthEndpoint(db: Db): (req: IncomingMessage, res: ServerResponse) => boolean {
	let cached: { at: number; health: Promise<Health> } | null = null;
	const probe = async (): Promise<Health> => {
		try {
			await db.execute(sql`select 1`);
			const historySetAside = await countSetAsideHistory(db);
			return { ok: historySetAside === 0, database: 'reachable', historySetAside };
		} catch {
			return { ok: false, database: 'unreachable', historySetAside: null };
		}
	};
	let inflight: Promise<Health> | null = null;
	const withTimeout = (health: Promise<Health>) =>
		Promise.race([
			health,
			new Promise<Health>((resolve) => setTimeout(() => resolve({ ok: false, database: 'unreachable', historySetAside: null }), PROBE_TIMEOUT_MS).unref())
		]);
	return (req, res) => {
		if ((req.url ?? '').split('?')[0] !== '/health' || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
		const now = Date.now();
		// A probe still running (a hung database) is waited on again, never joined by another.
		if (!cached || now - cached.at > CACHE_MS) cached = { at: now, health: withTimeout((inflight ??= probe().finally(() => (inflight = null)))) };
		void cached.health.then((health) => {
			const body = JSON.stringify(health);
			// 503 lets a load balancer or supervisor act on it without parsing the body.
			res.writeHead(health.database === 'reachable' ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
			res.end(req.method === 'HEAD' ? undefined : body);
		});
		return true;
	};
}
