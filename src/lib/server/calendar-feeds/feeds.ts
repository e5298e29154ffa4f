import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { calendarFeeds } from '../db/schema/calendar-feeds.ts';
import { failureCode } from '../db/failures.ts';
import { requireBoardAction } from '../boards/boards.ts';
import { DomainError } from '../errors.ts';
import { hashToken, newId, newSecretToken } from '../ids.ts';

/** Which feed: one board's, or the person's own steps on all their boards. */
export type FeedScope = { kind: 'board'; boardId: string } | { kind: 'person' };

/** A live feed as its owner sees it (never its secret: only its hash is stored). */
export interface FeedStatus {
	createdAt: Date;
	lastFetchedAt: Date | null;
}

/** A live feed found by its secret: whose it is and what it covers. */
export interface LiveFeed {
	id: string;
	kind: 'board' | 'person';
	boardId: string | null;
	userId: string;
}

/** A secret is newSecretToken's: 32 base32 characters. Anything else is not looked up at all. */
const SECRET = /^[a-z2-7]{32}$/;

function live(userId: string, scope: FeedScope) {
	return and(
		eq(calendarFeeds.userId, userId),
		eq(calendarFeeds.kind, scope.kind),
		scope.kind === 'board' ? eq(calendarFeeds.boardId, scope.boardId) : isNull(calendarFeeds.boardId),
		isNull(calendarFeeds.revokedAt)
	);
}

/** A board feed is for members only (any role may read the board); others are told the board is not found. */
async function checkScope(db: Db, userId: string, scope: FeedScope): Promise<void> {
	if (scope.kind === 'board') await requireBoardAction(db, scope.boardId, userId, 'view');
}

/** The person's live feed of `scope`, or null when they have none (or turned it off). */
export async function feedStatus(db: Db, userId: string, scope: FeedScope): Promise<FeedStatus | null> {
	await checkScope(db, userId, scope);
	const [row] = await db.select({ createdAt: calendarFeeds.createdAt, lastFetchedAt: calendarFeeds.lastFetchedAt }).from(calendarFeeds).where(live(userId, scope)).limit(1);
	return row ?? null;
}

/**
 * Makes a new secret link for `scope`, turning off the person's previous one (a reset: the old link answers 404 from
 * now on). Returns the secret, shown once: only its hash is kept.
 */
export async function resetFeed(db: Db, userId: string, scope: FeedScope, now: Date): Promise<{ secret: string; status: FeedStatus }> {
	await checkScope(db, userId, scope);
	const secret = newSecretToken();
	try {
		await db.transaction(async (tx) => {
			await tx.update(calendarFeeds).set({ revokedAt: now }).where(live(userId, scope));
			await tx.insert(calendarFeeds).values({
				id: newId(),
				kind: scope.kind,
				boardId: scope.kind === 'board' ? scope.boardId : null,
				userId,
				secretHash: hashToken(secret),
				createdAt: now
			});
		});
	} catch (err) {
		// Two resets at once: the unique index lets one live link through; the other is told, and nothing changed.
		if (failureCode(err) === '23505') throw new DomainError('conflict', 'Another link was being made at the same moment. Try again.');
		throw err;
	}
	return { secret, status: { createdAt: now, lastFetchedAt: null } };
}

/** Turns the person's feed of `scope` off (its link answers 404); true if there was one. */
export async function turnOffFeed(db: Db, userId: string, scope: FeedScope, now: Date): Promise<boolean> {
	await checkScope(db, userId, scope);
	const rows = await db.update(calendarFeeds).set({ revokedAt: now }).where(live(userId, scope)).returning({ id: calendarFeeds.id });
	return rows.length > 0;
}

/** The live feed a secret opens, or null (malformed, unknown or turned off: all look the same to the caller). */
export async function findLiveFeed(db: Db, secret: string): Promise<LiveFeed | null> {
	if (!SECRET.test(secret)) return null;
	const [row] = await db
		.select({
			id: calendarFeeds.id,
			kind: calendarFeeds.kind,
			boardId: calendarFeeds.boardId,
			userId: calendarFeeds.userId
		})
		.from(calendarFeeds)
		.where(and(eq(calendarFeeds.secretHash, hashToken(secret)), isNull(calendarFeeds.revokedAt)))
		.limit(1);
	if (!row || (row.kind !== 'board' && row.kind !== 'person')) return null;
	return { ...row, kind: row.kind };
}

/**
 * Records a fetch and what the feed said; returns since when it says that (its Last-Modified): the time of this fetch
 * when the content differs from the last fetch's, else the earlier time. One statement, so parallel fetches agree.
 */
export async function recordFetch(db: Db, feedId: string, contentHash: string, now: Date): Promise<Date> {
	const stamp = now.toISOString();
	const [row] = await db
		.update(calendarFeeds)
		.set({
			lastFetchedAt: now,
			contentChangedAt: sql`case when ${calendarFeeds.contentHash} is not distinct from ${contentHash} and ${calendarFeeds.contentChangedAt} is not null then ${calendarFeeds.contentChangedAt} else ${stamp}::timestamptz end`,
			contentHash
		})
		.where(eq(calendarFeeds.id, feedId))
		.returning({ changedAt: calendarFeeds.contentChangedAt });
	return row?.changedAt ?? now;
}
