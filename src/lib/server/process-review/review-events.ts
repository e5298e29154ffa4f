import { sql } from 'drizzle-orm';
import { selectRows, type Db } from '../db/client.ts';
import { inCards } from '../card-subset.ts';
import type { ReviewEvent } from '../../board/metrics/process/attempts.ts';

interface Row {
	card_id: string;
	type: string;
	t: number;
	from_id: string | null;
	to_id: string | null;
	criterion: string | null;
	target: string | null;
	checklist: unknown;
}

/**
 * The board's history the process review replays, in stored order: creations, moves (with the checklist counts of the
 * move), exit criteria checked and target dates set, before `until` (epoch ms), of the cards with an event since
 * `since` — a card without one cannot have left a stage or finished in the periods asked about. Only the fields the
 * replay reads come back, times as epoch ms (parsing 100,000 timestamps and JSON documents was most of the read).
 * `cardIds` keeps only those cards.
 */
export async function readReviewEvents(db: Db, boardId: string, since: number, until: number, cardIds: readonly string[] | null): Promise<ReviewEvent[]> {
	const from = new Date(since).toISOString();
	const to = new Date(until).toISOString();
	const rows = await selectRows<Row>(
		db,
		sql`select card_id, type, (extract(epoch from at) * 1000)::float8 as t, from_stage_id as from_id, to_stage_id as to_id,
				data->>'criterionId' as criterion, data->>'target' as target, data->'checklist' as checklist
			from card_events
			where board_id = ${boardId}${inCards(cardIds)} and type in ('created', 'moved', 'exit_checked', 'target_changed') and at < ${to}::timestamptz
				and card_id in (select card_id from card_events where board_id = ${boardId} and at >= ${from}::timestamptz and at < ${to}::timestamptz)
			order by id`
	);
	return rows.flatMap((r): ReviewEvent[] => {
		const base = { cardId: r.card_id, at: Math.floor(Number(r.t)) };
		if (r.type === 'created') return r.to_id ? [{ ...base, type: 'created', stageId: r.to_id }] : [];
		if (r.type === 'moved') {
			return r.from_id && r.to_id ? [{ ...base, type: 'moved', fromStageId: r.from_id, toStageId: r.to_id, checklist: checklistOf(r.checklist) }] : [];
		}
		if (r.type === 'exit_checked') return r.to_id && r.criterion !== null ? [{ ...base, type: 'exit_checked', stageId: r.to_id, criterionId: r.criterion }] : [];
		return [{ ...base, type: 'target_changed', target: r.target }];
	});
}

/** A move's recorded checklist counts, if it has them (the driver hands jsonb back parsed). */
function checklistOf(value: unknown): { done: number; total: number } | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const { done, total } = value as Record<string, unknown>;
	return typeof done === 'number' && typeof total === 'number' ? { done, total } : undefined;
}
