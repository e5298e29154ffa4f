import { asc, count, eq } from 'drizzle-orm';
import type { Db } from './db/client.ts';
import { historySetAside } from './db/schema/history-set-aside.ts';
import { describeFailure } from './db/failures.ts';
import { insertCardEvents, upsertStages, type CardEventRow, type StageRow } from './history.ts';
import { insertActivity, type ActivityRow } from './activity/write.ts';

/** A history batch the writer gave up on, with why. */
export interface SetAsideBatch {
	boardId: string;
	events: readonly CardEventRow[];
	stages: readonly StageRow[];
	/** Audit entries of the batch (none from the history writer's older callers). */
	activity?: readonly ActivityRow[];
	/** The short description of the last failure (`describeFailure`). */
	error: string;
	attempts: number;
	at: Date;
}

/** Keeps a batch that cannot be written in `history_set_aside`, whole, for an operator to replay. */
export async function setAsideHistory(db: Db, batch: SetAsideBatch): Promise<void> {
	await db.insert(historySetAside).values({
		boardId: batch.boardId,
		events: batch.events.map((e) => ({ ...e, at: e.at.toISOString() })),
		stages: batch.stages.map((s) => ({ ...s, at: s.at.toISOString() })),
		activity: (batch.activity ?? []).map((a) => ({ ...a, at: a.at.toISOString() })),
		error: batch.error,
		attempts: batch.attempts,
		setAsideAt: batch.at
	});
}

/** How many batches are set aside (for /health: a count, nothing of their content). */
export async function countSetAsideHistory(db: Db): Promise<number> {
	const [row] = await db.select({ n: count() }).from(historySetAside);
	return Number(row?.n ?? 0);
}

/** What a replay did: batches written (and removed), and those that failed again (kept, with the new error). */
export interface ReplayOutcome {
	written: number;
	failed: { id: number; boardId: string; error: string }[];
}

/**
 * Writes every set-aside batch again, oldest first, each in one transaction with its removal from the table; a
 * batch that fails again stays, with its error and attempt count updated.
 */
export async function replaySetAsideHistory(db: Db): Promise<ReplayOutcome> {
	const outcome: ReplayOutcome = { written: 0, failed: [] };
	const rows = await db.select().from(historySetAside).orderBy(asc(historySetAside.id));
	for (const row of rows) {
		const events = row.events.map((e) => ({ ...e, at: new Date(String(e.at)) }) as unknown as CardEventRow);
		const stages = row.stages.map((s) => ({ ...s, at: new Date(String(s.at)) }) as unknown as StageRow);
		const activity = row.activity.map((a) => ({ ...a, at: new Date(String(a.at)) }) as unknown as ActivityRow);
		try {
			await db.transaction(async (tx) => {
				// Stages first: history rows refer to them by id (as the writer does).
				await upsertStages(tx, stages);
				await insertCardEvents(tx, events);
				await insertActivity(tx, activity);
				await tx.delete(historySetAside).where(eq(historySetAside.id, row.id));
			});
			outcome.written++;
		} catch (err) {
			const error = describeFailure(err);
			await db.update(historySetAside).set({ error, attempts: row.attempts + 1 }).where(eq(historySetAside.id, row.id));
			outcome.failed.push({ id: row.id, boardId: row.boardId, error });
		}
	}
	return outcome;
}
