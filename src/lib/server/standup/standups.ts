import { and, desc, eq, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { BoardDocuments } from '../board-documents.ts';
import { standups } from '../db/schema/standups.ts';
import { boards } from '../db/schema/boards.ts';
import { requireBoardAction } from '../boards/boards.ts';
import { DomainError } from '../errors.ts';
import { newId } from '../ids.ts';
import { insertActivity, relationalEntry } from '../activity/write.ts';
import { standupWindowStart } from '../../board/standup/window.ts';
import { standupSummary, summaryText, type StandupSummary } from '../../board/standup/summary.ts';
import { dayInZone } from '../../board/plan/working-days.ts';
import { readWindowHistory } from './window-history.ts';
import { filterScope } from '../filter/card-filter.ts';

/** A standup as the page and the API see it. */
export interface StandupInfo {
	id: string;
	facilitatorId: string;
	startedAt: string;
	since: string;
	endedAt: string | null;
	/** The filter it walks (null: every card), and the cards it matched when the standup started. */
	query: string | null;
	cardIds: string[] | null;
}

const info = (row: typeof standups.$inferSelect): StandupInfo => ({
	id: row.id,
	facilitatorId: row.facilitatorId,
	startedAt: row.startedAt.toISOString(),
	since: row.since.toISOString(),
	endedAt: row.endedAt?.toISOString() ?? null,
	query: row.query,
	cardIds: row.cardIds
});

/** When the board's last standup ended (null: it never had one). */
export async function lastStandupEnd(db: Db, boardId: string): Promise<Date | null> {
	const [row] = await db
		.select({ endedAt: standups.endedAt })
		.from(standups)
		.where(and(eq(standups.boardId, boardId), isNotNull(standups.endedAt)))
		.orderBy(desc(standups.endedAt))
		.limit(1);
	return row?.endedAt ?? null;
}

/** The board's running standup (started, neither ended nor replaced), if any. */
export async function runningStandup(db: Db, boardId: string): Promise<StandupInfo | null> {
	const [row] = await db
		.select()
		.from(standups)
		.where(and(eq(standups.boardId, boardId), isNull(standups.endedAt), isNull(standups.abandonedAt)))
		.orderBy(desc(standups.startedAt))
		.limit(1);
	return row ? info(row) : null;
}

/** Where a standup starting `now` would look back to: the last one's end, or the previous working day (board's zone). */
export async function windowStartFor(db: Db, documents: BoardDocuments, boardId: string, now: Date): Promise<{ since: Date; timeZone: string }> {
	const { process } = await documents.readBoard(boardId, { kind: 'workflow' });
	return { since: standupWindowStart(now, process.timeZone, await lastStandupEnd(db, boardId)), timeZone: process.timeZone };
}

/**
 * Starts a standup on the board with `userId` facilitating (owners and editors; viewers follow), walking the cards
 * `query` (the board's filter language) matches now, or every card. A standup still running is replaced (marked
 * abandoned: it never moves the window), so a facilitator who closed the tab never blocks the next one. A filter
 * with a mistake throws FilterQueryError (with its place) and starts nothing.
 */
export async function startStandup(db: Db, documents: BoardDocuments, boardId: string, userId: string, now: Date, query = ''): Promise<StandupInfo> {
	await requireBoardAction(db, boardId, userId, 'edit_content');
	const scope = await filterScope(db, documents, boardId, userId, query, now);
	const { since } = await windowStartFor(db, documents, boardId, now);
	const row = { id: newId(), boardId, facilitatorId: userId, startedAt: now, since, endedAt: null, abandonedAt: null, summary: null, query: scope?.query ?? null, cardIds: scope?.cardIds ?? null };
	await db.transaction(async (tx) => {
		await tx
			.update(standups)
			.set({ abandonedAt: now })
			.where(and(eq(standups.boardId, boardId), isNull(standups.endedAt), isNull(standups.abandonedAt)));
		await tx.insert(standups).values(row);
	});
	return info(row);
}

/** What a summary covers: the filter a standup walks and the cards it matched (null: every card). */
export interface SummaryScope {
	query: string | null;
	cardIds: readonly string[] | null;
}

/** The summary of the board now against a window, over the standup's cards (its filter's), and its text. */
export async function summarize(db: Db, documents: BoardDocuments, boardId: string, since: Date, now: Date, scope: SummaryScope = { query: null, cardIds: null }): Promise<{ summary: StandupSummary; text: string }> {
	const reading = await documents.readBoard(boardId, { kind: 'cards' });
	const history = await readWindowHistory(db, boardId, since);
	const covered = scope.cardIds && new Set(scope.cardIds);
	const summary = standupSummary({
		stages: reading.stages,
		cards: covered ? reading.cards.filter((c) => covered.has(c.id)) : reading.cards,
		changes: history.changes,
		// A breach belongs to the card that pushed the stage over: the filtered summary names those of its cards.
		breaches: covered ? history.breaches.filter((b) => covered.has(b.cardId)) : history.breaches,
		today: dayInZone(now, reading.process.timeZone),
		teamRoles: reading.process.teamRoles,
		stageNames: new Map([...history.stages].map(([id, s]) => [id, s.name])),
		filter: scope.query
	});
	// The board's name as its members see it (the settings page renames the row; the document's copy can lag or be empty).
	const [board] = await db.select({ name: boards.name }).from(boards).where(eq(boards.id, boardId)).limit(1);
	return { summary, text: summaryText(summary, `Standup on ${board?.name || reading.name || 'the board'}`) };
}

/** Standup `standupId` of the board as stored; not_found when the board has none by that id. */
export async function standupRow(db: Db, boardId: string, standupId: string): Promise<typeof standups.$inferSelect> {
	const [row] = await db
		.select()
		.from(standups)
		.where(and(eq(standups.id, standupId), eq(standups.boardId, boardId)))
		.limit(1);
	if (!row) throw new DomainError('not_found', 'That standup does not exist on this board.');
	return row;
}

/**
 * Ends the running standup `standupId` (its facilitator only): stores its end, which starts the next standup's
 * window, and its summary; with `post`, the summary goes to the board's activity as a `standup_summary` entry.
 */
export async function endStandup(db: Db, documents: BoardDocuments, boardId: string, userId: string, standupId: string, post: boolean, now: Date): Promise<{ standup: StandupInfo; summary: StandupSummary; text: string }> {
	await requireBoardAction(db, boardId, userId, 'edit_content');
	const row = await standupRow(db, boardId, standupId);
	if (row.facilitatorId !== userId) throw new DomainError('forbidden', 'Only the person running the standup can end it.');
	if (row.endedAt) throw new DomainError('conflict', 'This standup has already ended.');
	if (row.abandonedAt) throw new DomainError('conflict', 'Someone started a newer standup on this board; this one can no longer end.');
	const { summary, text } = await summarize(db, documents, boardId, row.since, now, row);
	const ended = await db.transaction(async (tx) => {
		// Only a standup still running ends: a second click, or a newer standup meanwhile, changes nothing.
		const done = await tx
			.update(standups)
			.set({ endedAt: now, summary: storable({ ...summary, text }) })
			.where(and(eq(standups.id, standupId), isNull(standups.endedAt), isNull(standups.abandonedAt)))
			.returning();
		if (done.length === 0) return null;
		if (post) {
			const counts = { finished: summary.finished.length, newlyBlocked: summary.newlyBlocked.length, overdue: summary.overdue.length, wipBreaches: summary.wipBreaches.length, waitingForApproval: summary.waitingForApproval.length };
			await insertActivity(tx as unknown as Db, [relationalEntry(boardId, userId, 'standup_summary', { standupId, ...counts, ...(row.query ? { filter: row.query } : {}), text }, now)]);
		}
		return done[0]!;
	});
	if (!ended) throw new DomainError('conflict', 'This standup has already ended or was replaced by a newer one.');
	return { standup: info(ended), summary, text };
}

/** PostgreSQL's jsonb cannot hold U+0000 (a hostile client can put it in a card title): the stored copy drops it. */
function storable(summary: StandupSummary & { text: string }): Record<string, unknown> {
	return JSON.parse(JSON.stringify(summary, (_key, value: unknown) => (typeof value === 'string' ? value.replaceAll('\u0000', '') : value))) as Record<string, unknown>;
}
