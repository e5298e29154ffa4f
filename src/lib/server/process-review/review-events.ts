import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { cardEvents } from '../db/schema/history.ts';
import { inCards } from '../card-subset.ts';
import type { ReviewEvent } from '../../board/metrics/process/attempts.ts';

const TYPES = ['created', 'moved', 'exit_checked', 'target_changed'];

/**
 * The board's history the process review replays, up to `until` (epoch ms), in stored order: creations, moves (with
 * the checklist counts of the move), exit criteria checked and target dates set. `cardIds` keeps only those cards.
 */
export async function readReviewEvents(db: Db, boardId: string, until: number, cardIds: readonly string[] | null): Promise<ReviewEvent[]> {
	const rows = await db
		.select({ cardId: cardEvents.cardId, type: cardEvents.type, at: cardEvents.at, from: cardEvents.fromStageId, to: cardEvents.toStageId, data: cardEvents.data })
		.from(cardEvents)
		.where(and(eq(cardEvents.boardId, boardId), inArray(cardEvents.type, TYPES), lt(cardEvents.at, new Date(until)), sql`true${inCards(cardIds, sql`${cardEvents.cardId}`)}`))
		.orderBy(asc(cardEvents.id));
	return rows.flatMap((r): ReviewEvent[] => {
		const base = { cardId: r.cardId, at: r.at.getTime() };
		if (r.type === 'created') return r.to ? [{ ...base, type: 'created', stageId: r.to }] : [];
		if (r.type === 'moved') return r.from && r.to ? [{ ...base, type: 'moved', fromStageId: r.from, toStageId: r.to, checklist: checklistOf(r.data.checklist) }] : [];
		if (r.type === 'exit_checked') return r.to && typeof r.data.criterionId === 'string' ? [{ ...base, type: 'exit_checked', stageId: r.to, criterionId: r.data.criterionId }] : [];
		return [{ ...base, type: 'target_changed', target: typeof r.data.target === 'string' ? r.data.target : null }];
	});
}

/** A move's recorded checklist counts, if it has them. */
function checklistOf(value: unknown): { done: number; total: number } | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const { done, total } = value as Record<string, unknown>;
	return typeof done === 'number' && typeof total === 'number' ? { done, total } : undefined;
}
