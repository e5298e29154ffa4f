import { and, asc, eq, lte } from 'drizzle-orm';
import type { Db } from '../../src/lib/server/db/client.ts';
import type { Clock } from '../../src/lib/server/clock.ts';
import { boardSnapshots, boardUpdates } from '../../src/lib/server/db/schema/documents.ts';
import { cardEvents } from '../../src/lib/server/db/schema/history.ts';
import { BoardGoneError, type DocumentStore, type StoredDocument } from './document-store.ts';
import { historyRows, insertCardEvents, upsertStages } from '../../src/lib/server/history.ts';
import { setAsideHistory } from '../../src/lib/server/history-set-aside.ts';
import { insertActivity } from '../../src/lib/server/activity/write.ts';
import { classifyFailure, describeFailure } from '../../src/lib/server/db/failures.ts';
import { checkFence, type OwnerFences } from './owner-fence.ts';

const FOREIGN_KEY_VIOLATION = '23503';

/**
 * A DocumentStore over the `board_updates` and `board_snapshots` tables (PostgreSQL or PGlite). With `fences`
 * (several instances), every write checks this instance's owner token in its transaction (owner-fence.ts).
 */
export function drizzleDocumentStore(db: Db, clock: Clock, fences?: OwnerFences): DocumentStore {
	return {
		async load(boardId): Promise<StoredDocument> {
			// Rows first, then the snapshot. PostgreSQL's default isolation (read committed) lets a compaction by
			// another server commit between the two reads; in this order it can only make the snapshot newer (it holds
			// every row it deleted), where the other order would pair the old snapshot with the rows already deleted.
			return db.transaction(async (tx) => {
				const rows = await tx
					.select({ id: boardUpdates.id, data: boardUpdates.data })
					.from(boardUpdates)
					.where(eq(boardUpdates.boardId, boardId))
					.orderBy(asc(boardUpdates.id));
				const [snap] = await tx.select({ data: boardSnapshots.data }).from(boardSnapshots).where(eq(boardSnapshots.boardId, boardId));
				return {
					snapshot: snap?.data ?? null,
					updates: rows.map((r) => r.data),
					lastUpdateId: rows.length > 0 ? Number(rows[rows.length - 1]!.id) : null
				};
			});
		},

		async append(boardId, update) {
			try {
				return await db.transaction(async (tx) => {
					await checkFence(tx, boardId, fences);
					const [row] = await tx.insert(boardUpdates).values({ boardId, data: update, createdAt: clock.now() }).returning({ id: boardUpdates.id });
					return Number(row!.id);
				});
			} catch (err) {
				throw isForeignKeyViolation(err) ? new BoardGoneError(boardId) : err;
			}
		},

		async write(boardId, update, changes) {
			const { events, stages, activity } = historyRows(boardId, changes);
			try {
				return await db.transaction(async (tx) => {
					await checkFence(tx, boardId, fences);
					let id: number | null = null;
					if (update) {
						const [row] = await tx.insert(boardUpdates).values({ boardId, data: update, createdAt: clock.now() }).returning({ id: boardUpdates.id });
						id = Number(row!.id);
					}
					if (events.length === 0 && stages.length === 0 && activity.length === 0) return { id, historySetAside: null };
					try {
						// A savepoint: history the database refuses must not cost the update its place.
						await tx.transaction(async (inner) => {
							// Stages first: history rows refer to them by id.
							await upsertStages(inner, stages);
							await insertCardEvents(inner, events);
							// The audit trail's other entries, with the same update and in the same transaction.
							await insertActivity(inner, activity);
						});
						return { id, historySetAside: null };
					} catch (err) {
						if (classifyFailure(err) !== 'permanent') throw err;
						// Something in the batch is refused: write row by row, so only what the database refuses is set
						// aside and the rest of the board's history is recorded as usual.
						const refused = { events: [] as typeof events, stages: [] as typeof stages, activity: [] as typeof activity, error: describeFailure(err) };
						for (const stage of stages) {
							await tx.transaction((inner) => upsertStages(inner, [stage])).catch((e: unknown) => refuse(e, () => refused.stages.push(stage)));
						}
						for (const event of events) {
							await tx.transaction((inner) => insertCardEvents(inner, [event])).catch((e: unknown) => refuse(e, () => refused.events.push(event)));
						}
						for (const entry of activity) {
							await tx.transaction((inner) => insertActivity(inner, [entry])).catch((e: unknown) => refuse(e, () => refused.activity.push(entry)));
						}
						function refuse(e: unknown, keep: () => void): void {
							if (classifyFailure(e) !== 'permanent') throw e;
							refused.error = describeFailure(e);
							keep();
						}
						const refusedRows = refused.events.length + refused.stages.length + refused.activity.length;
						if (refusedRows === 0) return { id, historySetAside: null };
						await setAsideHistory(tx, { boardId, events: refused.events, stages: refused.stages, activity: refused.activity, error: refused.error, attempts: 1, at: clock.now() });
						return { id, historySetAside: `${refusedRows} of ${events.length + stages.length + activity.length} rows: ${refused.error}` };
					}
				});
			} catch (err) {
				throw isForeignKeyViolation(err) ? new BoardGoneError(boardId) : err;
			}
		},

		async reconcileCreated(boardId, cards) {
			if (cards.length === 0) return 0;
			const known = await db.select({ cardId: cardEvents.cardId }).from(cardEvents).where(and(eq(cardEvents.boardId, boardId), eq(cardEvents.type, 'created')));
			const have = new Set(known.map((r) => r.cardId));
			const now = clock.now();
			const missing = cards.filter((c) => !have.has(c.cardId));
			await insertCardEvents(
				db,
				missing.map((c) => ({ boardId, cardId: c.cardId, type: 'created', at: now, actorId: null, fromStageId: null, toStageId: c.stageId, data: { title: c.title, reconciled: true } }))
			);
			return missing.length;
		},

		async compact(boardId, fullState, throughUpdateId) {
			try {
				await db.transaction(async (tx) => {
					await checkFence(tx, boardId, fences);
					const now = clock.now();
					await tx
						.insert(boardSnapshots)
						.values({ boardId, data: fullState, updatedAt: now })
						.onConflictDoUpdate({ target: boardSnapshots.boardId, set: { data: fullState, updatedAt: now } });
					await tx.delete(boardUpdates).where(and(eq(boardUpdates.boardId, boardId), lte(boardUpdates.id, throughUpdateId)));
				});
			} catch (err) {
				throw isForeignKeyViolation(err) ? new BoardGoneError(boardId) : err;
			}
		}
	};
}

/** Both drivers report the SQLSTATE as `code`; drizzle may wrap the driver's error in `cause`. */
function isForeignKeyViolation(err: unknown): boolean {
	for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
		if ((e as { code?: unknown }).code === FOREIGN_KEY_VIOLATION) return true;
	}
	return false;
}
