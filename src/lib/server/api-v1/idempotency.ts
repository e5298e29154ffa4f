import { and, eq, lt } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { apiIdempotency } from '../db/schema/api-tokens.ts';
import { hashToken } from '../ids.ts';
import { ApiProblem } from './problem.ts';
import type { EndpointResult } from './endpoint.ts';

/** How long a key's answer is replayed. */
const KEEP_MS = 24 * 60 * 60_000;
/** The longest key accepted (a UUID is 36). */
const MAX_KEY = 200;

/** What claiming a key gives: run the request (and `finish` or `release` it), or the stored answer to replay. */
export type IdempotencyClaim = { kind: 'run'; finish(result: EndpointResult): Promise<void>; release(): Promise<void> } | { kind: 'replay'; result: EndpointResult };

/**
 * Claims `key` for this token and request (its method, path and body). The first request with a key runs; a repeat
 * with the same request within 24 h replays the stored answer; with a different request it is a 422 problem; while
 * the first is still running, a 409. Only successful answers are kept: a refused request leaves nothing behind and
 * can be retried with the same key once the cause is fixed.
 */
export async function claimIdempotencyKey(db: Db, tokenId: string, key: string, fingerprint: string, now: Date): Promise<IdempotencyClaim> {
	if (key.length === 0 || key.length > MAX_KEY || !/^[\x21-\x7e]+$/.test(key)) {
		throw new ApiProblem(400, 'invalid_request', `An Idempotency-Key is 1 to ${MAX_KEY} visible ASCII characters (a UUID is a good one).`);
	}
	const requestHash = hashToken(fingerprint);
	await db.delete(apiIdempotency).where(and(eq(apiIdempotency.tokenId, tokenId), lt(apiIdempotency.createdAt, new Date(now.getTime() - KEEP_MS))));
	const inserted = await db.insert(apiIdempotency).values({ tokenId, key, requestHash, createdAt: now }).onConflictDoNothing().returning({ key: apiIdempotency.key });
	const where = and(eq(apiIdempotency.tokenId, tokenId), eq(apiIdempotency.key, key));
	if (inserted.length > 0) {
		return {
			kind: 'run',
			async finish(result) {
				if (result.status >= 200 && result.status < 300) await db.update(apiIdempotency).set({ responseStatus: result.status, responseBody: result.body ?? null }).where(where);
				else await db.delete(apiIdempotency).where(where);
			},
			async release() {
				await db.delete(apiIdempotency).where(where);
			}
		};
	}
	const [row] = await db.select().from(apiIdempotency).where(where);
	// Released between our insert and read: a rare race; asking again is the honest answer.
	if (!row) throw new ApiProblem(409, 'idempotency_in_flight', 'A request with this Idempotency-Key just finished without an answer to replay. Send it again.');
	if (row.requestHash !== requestHash) throw new ApiProblem(422, 'idempotency_mismatch', 'This Idempotency-Key was used for a different request in the last 24 hours. Use a new key for a new request.');
	if (row.responseStatus === null) throw new ApiProblem(409, 'idempotency_in_flight', 'A request with this Idempotency-Key is still running. Wait for it, then retry to get its answer.', {}, { 'retry-after': '1' });
	return { kind: 'replay', result: { status: row.responseStatus, body: row.responseBody ?? undefined } };
}
