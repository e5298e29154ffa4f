import { and, eq, inArray, ne } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { sessions, users } from '../db/schema/accounts.ts';
import { hashToken, newSecretToken } from '../ids.ts';
import { inChunks } from '../db/batches.ts';
import { judgeSession, newSessionTimes } from './session-rules.ts';

/** The signed-in person as the rest of the app sees them. */
export interface SessionUser {
	id: string;
	email: string;
	name: string;
}

/** A live session record (never holds the token). */
export interface Session {
	id: string;
	userId: string;
	expiresAt: Date;
}

/** Starts a session for `userId`; returns the token for the cookie (stored only as its hash). */
export async function createSession(db: Db, userId: string, now: Date): Promise<{ token: string; session: Session }> {
	const token = newSecretToken();
	const times = newSessionTimes(now);
	const row = { id: hashToken(token), userId, ...times };
	await db.insert(sessions).values(row);
	return { token, session: { id: row.id, userId, expiresAt: times.expiresAt } };
}

/** Resolves a cookie token to its session and user, renewing or deleting it per the session rules; null if invalid. */
export async function validateSessionToken(
	db: Db,
	token: string,
	now: Date
): Promise<{ session: Session; user: SessionUser; renewed: boolean } | null> {
	const id = hashToken(token);
	const [row] = await db
		.select({
			id: sessions.id,
			userId: sessions.userId,
			expiresAt: sessions.expiresAt,
			absoluteExpiresAt: sessions.absoluteExpiresAt,
			email: users.email,
			name: users.name
		})
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.where(eq(sessions.id, id))
		.limit(1);
	if (!row) return null;
	const judgement = judgeSession(row, now);
	if (judgement.verdict === 'expired') {
		await db.delete(sessions).where(eq(sessions.id, id));
		return null;
	}
	let expiresAt = row.expiresAt;
	if (judgement.verdict === 'renew') {
		expiresAt = judgement.expiresAt;
		await db.update(sessions).set({ expiresAt }).where(eq(sessions.id, id));
	}
	return {
		session: { id, userId: row.userId, expiresAt },
		user: { id: row.userId, email: row.email, name: row.name },
		renewed: judgement.verdict === 'renew'
	};
}

/** Ends one session (sign-out). */
export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
	await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends every session of a user except `keepSessionId` (after a password change). */
export async function invalidateOtherSessions(db: Db, userId: string, keepSessionId: string): Promise<void> {
	await db.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)));
}

/** Whether a session id still exists; the sync server uses it to close sockets of signed-out users. */
export async function sessionExists(db: Db, sessionId: string): Promise<boolean> {
	const [row] = await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.id, sessionId)).limit(1);
	return !!row;
}

/** Ids per query when reading many sessions: far below the drivers' 65,535 bind parameters. */
const SESSION_IDS_PER_QUERY = 5_000;

/**
 * When each session among `ids` that is still valid at `now` expires (as renewed by HTTP requests so far);
 * deleted and expired sessions are absent. One query per 5,000 ids; it never renews or deletes anything.
 */
export async function liveSessionExpiries(db: Db, ids: readonly string[], now: Date): Promise<Map<string, Date>> {
	const live = new Map<string, Date>();
	for (const chunk of inChunks(ids, SESSION_IDS_PER_QUERY)) {
		const rows = await db
			.select({ id: sessions.id, expiresAt: sessions.expiresAt, absoluteExpiresAt: sessions.absoluteExpiresAt })
			.from(sessions)
			.where(inArray(sessions.id, chunk));
		for (const row of rows) {
			if (judgeSession(row, now).verdict === 'expired') continue;
			live.set(row.id, row.expiresAt < row.absoluteExpiresAt ? row.expiresAt : row.absoluteExpiresAt);
		}
	}
	return live;
}
