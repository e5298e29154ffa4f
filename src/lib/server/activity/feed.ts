import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { selectRows, type Db } from '../db/client.ts';
import { inChunks } from '../db/batches.ts';
import { boardActivity } from '../db/schema/activity.ts';
import { cardEvents } from '../db/schema/history.ts';
import { kindsFor } from '../../board/activity.ts';

/** Which entries a feed shows: by whose doing, of which kind (a group such as `stage`, or one kind), on which card. */
export interface FeedFilter {
	actorId?: string;
	kind?: string;
	cardId?: string;
}

/** Where a page starts: strictly older than this entry (`src` tells the two tables apart). */
export interface FeedCursor {
	atMs: number;
	src: 'a' | 'e';
	id: number;
}

/** One entry of the feed: a card event (`e`) or an audit entry (`a`), ids unresolved. */
export interface FeedRow {
	src: 'a' | 'e';
	id: number;
	at: Date;
	kind: string;
	actorId: string | null;
	cardId: string | null;
	stageId: string | null;
	fromStageId: string | null;
	toStageId: string | null;
	data: Record<string, unknown>;
	/** The automation rule that made the change (null: a person, the server or the process). */
	ruleId?: string | null;
}

/** The cursor of an entry as text for a URL ("<ms>.<src>.<id>"). */
export function encodeCursor(row: Pick<FeedRow, 'at' | 'src' | 'id'>): string {
	return `${row.at.getTime()}.${row.src}.${row.id}`;
}

/** Reads a cursor from a URL; null when it is not one. */
export function decodeCursor(text: string): FeedCursor | null {
	const m = /^(\d{1,15})\.([ae])\.(\d{1,15})$/.exec(text);
	return m ? { atMs: Number(m[1]), src: m[2] as 'a' | 'e', id: Number(m[3]) } : null;
}

/** Newest first: time, then the table (`e` after `a` at the same instant), then id; the order cursors follow. */
const newestFirst = (a: FeedRow, b: FeedRow) => b.at.getTime() - a.at.getTime() || (a.src === b.src ? b.id - a.id : a.src === 'e' ? -1 : 1);

/**
 * One page of a board's activity, newest first: its card events (`card_events`) and its other audit entries
 * (`board_activity`) merged. Each table is read along its board-and-time index for at most `limit + 1` rows older
 * than the cursor, and the two are merged here, so a page costs two short index reads however long the history.
 */
export async function readFeed(db: Db, boardId: string, filter: FeedFilter, page: { before?: FeedCursor | null; limit: number }): Promise<{ rows: FeedRow[]; next: FeedCursor | null }> {
	const kinds = filter.kind ? kindsFor(filter.kind) : null;
	const take = page.limit + 1;
	const before = page.before;
	const older = (at: AnyPgColumn, id: AnyPgColumn, src: 'a' | 'e'): SQL | undefined => {
		if (!before) return undefined;
		const iso = new Date(before.atMs).toISOString();
		// Row comparison in the feed's order; the plain bound on `at` lets the index do the work.
		return sql`${at} <= ${iso}::timestamptz and (${at}, ${src}::text, ${id}) < (${iso}::timestamptz, ${before.src}::text, ${before.id}::bigint)`;
	};

	const eventRows =
		kinds && kinds.events.length === 0
			? []
			: await db
					.select()
					.from(cardEvents)
					.where(
						and(
							eq(cardEvents.boardId, boardId),
							filter.actorId ? eq(cardEvents.actorId, filter.actorId) : undefined,
							filter.cardId ? eq(cardEvents.cardId, filter.cardId) : undefined,
							kinds ? inArray(cardEvents.type, kinds.events) : undefined,
							older(cardEvents.at, cardEvents.id, 'e')
						)
					)
					.orderBy(desc(cardEvents.at), desc(cardEvents.id))
					.limit(take);
	const activityRows =
		kinds && kinds.activity.length === 0
			? []
			: await db
					.select()
					.from(boardActivity)
					.where(
						and(
							eq(boardActivity.boardId, boardId),
							filter.actorId ? eq(boardActivity.actorId, filter.actorId) : undefined,
							filter.cardId ? eq(boardActivity.cardId, filter.cardId) : undefined,
							kinds ? inArray(boardActivity.kind, kinds.activity) : undefined,
							older(boardActivity.at, boardActivity.id, 'a')
						)
					)
					.orderBy(desc(boardActivity.at), desc(boardActivity.id))
					.limit(take);

	const merged: FeedRow[] = [
		...eventRows.map((e) => ({ src: 'e' as const, id: e.id, at: e.at, kind: e.type, actorId: e.actorId, cardId: e.cardId, stageId: null, fromStageId: e.fromStageId, toStageId: e.toStageId, data: e.data, ruleId: e.ruleId })),
		...activityRows.map((a) => ({ src: 'a' as const, id: a.id, at: a.at, kind: a.kind, actorId: a.actorId, cardId: a.cardId, stageId: a.stageId, fromStageId: null, toStageId: null, data: a.data, ruleId: a.ruleId }))
	].sort(newestFirst);
	const rows = merged.slice(0, page.limit);
	const last = rows.at(-1);
	return { rows, next: merged.length > page.limit && last ? { atMs: last.at.getTime(), src: last.src, id: last.id } : null };
}

/** The latest known title of each card (its `created` title, or the last rename), from history alone. */
export async function cardTitles(db: Db, boardId: string, cardIds: readonly string[]): Promise<Map<string, string>> {
	const titles = new Map<string, { title: string; at: number }>();
	if (cardIds.length === 0) return new Map();
	const ids = [...new Set(cardIds)];
	const keep = (cardId: string | null, title: unknown, at: Date) => {
		if (!cardId || typeof title !== 'string') return;
		const seen = titles.get(cardId);
		if (!seen || seen.at <= at.getTime()) titles.set(cardId, { title, at: at.getTime() });
	};
	for (const chunk of inChunks(ids, 1000)) {
		const created = await db
			.select({ cardId: cardEvents.cardId, data: cardEvents.data, at: cardEvents.at })
			.from(cardEvents)
			.where(and(eq(cardEvents.boardId, boardId), eq(cardEvents.type, 'created'), inArray(cardEvents.cardId, chunk)));
		for (const r of created) keep(r.cardId, r.data.title, r.at);
		const renamed = await db
			.select({ cardId: boardActivity.cardId, data: boardActivity.data, at: boardActivity.at })
			.from(boardActivity)
			.where(and(eq(boardActivity.boardId, boardId), eq(boardActivity.kind, 'title_changed'), inArray(boardActivity.cardId, chunk)));
		for (const r of renamed) keep(r.cardId, r.data.to, r.at);
	}
	return new Map([...titles].map(([id, t]) => [id, t.title]));
}

/** Everyone who ever acted on the board (for the person filter: people who left included). */
export async function boardActors(db: Db, boardId: string): Promise<string[]> {
	const rows = await selectRows<{ actor_id: string }>(
		db,
		sql`select actor_id from ${cardEvents} where board_id = ${boardId} and actor_id is not null
			union select actor_id from ${boardActivity} where board_id = ${boardId} and actor_id is not null`
	);
	return rows.map((r) => r.actor_id);
}
