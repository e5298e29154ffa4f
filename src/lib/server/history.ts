import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from './db/client.ts';
import { isActivityChange, type BoardChange } from '../board/changes.ts';
import type { ActivityRow } from './activity/write.ts';
import { boardStages, cardEvents } from './db/schema/history.ts';
import { CARDS_PER_STATEMENT, refreshCardFlow } from './card-flow.ts';
import { refreshStageAttempts } from './stage-attempts.ts';
import { inChunks, MAX_BIND_PARAMETERS } from './db/batches.ts';

/** Bind parameters one `card_events` row takes (every column but the generated id). */
const EVENT_PARAMETERS = 9;

/** A history row to insert (the server writes these; nobody else). */
export interface CardEventRow {
	boardId: string;
	cardId: string;
	type: string;
	at: Date;
	actorId: string | null;
	fromStageId: string | null;
	toStageId: string | null;
	data: Record<string, unknown>;
	/** The automation rule that made it (null or absent: a person, the server, or the process: see data.via). */
	ruleId?: string | null;
}

/**
 * The `card_events`, `board_stages` and `board_activity` rows of a board's changes (the change feed,
 * src/lib/board/changes.ts). Audit kinds never become `card_events` rows: the stats read those by type.
 */
export function historyRows(boardId: string, changes: readonly BoardChange[]): { events: CardEventRow[]; stages: StageRow[]; activity: ActivityRow[] } {
	const events: CardEventRow[] = [];
	const stages: StageRow[] = [];
	const activity: ActivityRow[] = [];
	for (const change of changes) {
		if (change.type === 'stage') stages.push({ boardId, stageId: change.stageId, name: change.name, kind: change.kind, rank: change.rank, deleted: change.deleted, at: change.at });
		else if (isActivityChange(change))
			activity.push({ boardId, at: change.at, actorId: change.actorId, kind: change.type, cardId: change.cardId, stageId: change.stageId, data: change.data, ruleId: change.ruleId ?? null });
		else
			events.push({ boardId, cardId: change.cardId, type: change.type, at: change.at, actorId: change.actorId, fromStageId: change.fromStageId, toStageId: change.toStageId, data: change.data, ruleId: change.ruleId ?? null });
	}
	return { events, stages, activity };
}

/** A stage's latest metadata to upsert. */
export interface StageRow {
	boardId: string;
	stageId: string;
	name: string;
	kind: string;
	rank: string;
	deleted: boolean;
	at: Date;
}

/**
 * Appends history rows and replays the cards they touch into `card_flow`, all in one transaction (so a retry never
 * doubles rows); big batches go in several statements, each within the drivers' bind-parameter limit.
 */
export async function insertCardEvents(db: Db, rows: readonly CardEventRow[]): Promise<void> {
	if (rows.length === 0) return;
	const cardsByBoard = new Map<string, Set<string>>();
	for (const r of rows) cardsByBoard.set(r.boardId, (cardsByBoard.get(r.boardId) ?? new Set()).add(r.cardId));
	await db.transaction(async (tx) => {
		await lockBoards(tx, [...cardsByBoard.keys()]);
		for (const chunk of inChunks(rows, MAX_BIND_PARAMETERS / EVENT_PARAMETERS)) await tx.insert(cardEvents).values(chunk.map((r) => ({ ...r, ruleId: r.ruleId ?? null })));
		for (const [boardId, cards] of cardsByBoard) await refreshCardFlow(tx, boardId, [...cards]);
	});
}

/**
 * Inserts or updates stage metadata (a deletion keeps the row, marked deleted). When a stage's kind is new or
 * changes, the cards that ever entered it are replayed again into `card_flow` (their figures depend on it).
 */
export async function upsertStages(db: Db, rows: readonly StageRow[]): Promise<void> {
	if (rows.length === 0) return;
	await db.transaction(async (tx) => {
		const boardIds = [...new Set(rows.map((r) => r.boardId))];
		await lockBoards(tx, boardIds);
		const kindBefore = new Map<string, string>();
		const orderBefore = new Map<string, string[]>();
		for (const boardId of boardIds) orderBefore.set(boardId, (await readStages(tx, boardId)).map((s) => s.stageId));
		for (const s of await tx.select().from(boardStages).where(inArray(boardStages.boardId, boardIds))) kindBefore.set(`${s.boardId}\u0000${s.stageId}`, s.kind);
		await writeStages(tx, rows);
		for (const boardId of boardIds) {
			const after = await readStages(tx, boardId);
			// Which move is forward follows the workflow's order: a stage moved among the others replays the attempts.
			if (reordered(orderBefore.get(boardId) ?? [], after.map((s) => s.stageId))) await refreshStageAttempts(tx, boardId, null);
			const changed = after.filter((s) => kindBefore.get(`${boardId}\u0000${s.stageId}`) !== s.kind).map((s) => s.stageId);
			if (changed.length === 0) continue;
			const cards = await tx
				.selectDistinct({ cardId: cardEvents.cardId })
				.from(cardEvents)
				.where(and(eq(cardEvents.boardId, boardId), inArray(cardEvents.toStageId, changed)));
			// Beyond a few thousand cards one statement would not hold the list: replaying the whole board is cheaper.
			await refreshCardFlow(tx, boardId, cards.length > CARDS_PER_STATEMENT ? null : cards.map((c) => c.cardId));
		}
	});
}

/**
 * Serialises history writes per board for the rest of the transaction: events replay against the stages' kinds and
 * order, and stage changes replay the events, so two writers at once (a room's stages and a batch of events) must not
 * each miss what the other is committing. Boards in sorted order, so two writers never wait on each other in a circle.
 */
async function lockBoards(tx: Db, boardIds: readonly string[]): Promise<void> {
	for (const id of [...boardIds].sort()) await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${id}))`);
}

/** Whether the stages in both lists come in a different order in `after` (stages only in `after` are new: no change). */
function reordered(before: readonly string[], after: readonly string[]): boolean {
	const known = new Set(before);
	const kept = after.filter((id) => known.has(id));
	return kept.some((id, i) => id !== before[i]);
}

async function writeStages(db: Db, rows: readonly StageRow[]): Promise<void> {
	for (const r of rows) {
		const values = { boardId: r.boardId, stageId: r.stageId, name: r.name, kind: r.kind, rank: r.rank, updatedAt: r.at, deletedAt: r.deleted ? r.at : null };
		await db
			.insert(boardStages)
			.values(values)
			.onConflictDoUpdate({
				target: [boardStages.boardId, boardStages.stageId],
				// A deleted stage's last known name/kind is kept; only undeleted writes overwrite them.
				set: r.deleted ? { deletedAt: r.at, updatedAt: r.at } : { name: r.name, kind: r.kind, rank: r.rank, updatedAt: r.at, deletedAt: null }
			});
	}
}

/** A board's history, oldest first. */
export async function readCardEvents(db: Db, boardId: string) {
	return db.select().from(cardEvents).where(eq(cardEvents.boardId, boardId)).orderBy(asc(cardEvents.at), asc(cardEvents.id));
}

/** Every stage a board has had (deleted ones included), in workflow order. */
export async function readStages(db: Db, boardId: string) {
	return db
		.select()
		.from(boardStages)
		.where(eq(boardStages.boardId, boardId))
		.orderBy(sql`${boardStages.rank} collate "C"`, asc(boardStages.stageId));
}
