import { sql } from 'drizzle-orm';
import { selectRows, type Db } from './db/client.ts';
import { inCardList } from './card-subset.ts';
import { stageAttempts, type ReviewEvent } from '../board/metrics/process/attempts.ts';
import { isCalendarDate } from '../board/limits.ts';

const DAY = 86_400_000;

interface VisitRow {
	card_id: string;
	event_id: string | number;
	type: 'created' | 'moved';
	t: string | number;
	from_id: string;
	to_id: string;
}

interface MarkRow {
	card_id: string;
	id: string | number;
	type: 'exit_checked' | 'target_changed';
	stage_id: string | null;
	criterion: string | null;
	target: string | null;
	t: string | number;
}

/**
 * Rewrites the `stage_attempts` rows of some cards of a board (all of them for null) from their replayed visits in
 * `card_flow` (rebuild those first) and their exit checks and target dates, by `stageAttempts`, the review's own
 * replay, in the workflow's order now. Call it in the transaction that wrote what it reads.
 */
export async function refreshStageAttempts(db: Db, boardId: string, cardIds: readonly string[] | null): Promise<void> {
	if (cardIds !== null && cardIds.length === 0) return;
	// Called with card_flow's chunks (CARDS_PER_STATEMENT at most): a plain list the planner reads by index.
	const cards = inCardList(cardIds);
	const [stages, visits, marks] = await Promise.all([
		selectRows<{ stage_id: string }>(db, sql`select stage_id from board_stages where board_id = ${boardId} order by rank collate "C", stage_id`),
		selectRows<VisitRow>(db, sql`select card_id, event_id, type, t, from_id, to_id from card_flow where board_id = ${boardId} and type in ('created', 'moved')${cards}`),
		selectRows<MarkRow>(
			db,
			sql`select card_id, id, type, to_stage_id as stage_id, data->>'criterionId' as criterion, data->>'target' as target, (date_part('epoch', at) * 1000)::bigint as t
				from card_events where board_id = ${boardId} and type in ('exit_checked', 'target_changed')${cards}`
		)
	]);
	// The replay's order is (time, event id); stageAttempts keeps the order of equal times.
	const ordered: { id: number; event: ReviewEvent }[] = [];
	for (const v of visits) {
		const base = { cardId: v.card_id, at: Number(v.t) };
		ordered.push({ id: Number(v.event_id), event: v.type === 'created' ? { ...base, type: 'created', stageId: v.to_id } : { ...base, type: 'moved', fromStageId: v.from_id, toStageId: v.to_id } });
	}
	for (const m of marks) {
		const base = { cardId: m.card_id, at: Number(m.t) };
		if (m.type === 'target_changed') ordered.push({ id: Number(m.id), event: { ...base, type: 'target_changed', target: m.target } });
		else if (m.stage_id !== null && m.criterion !== null) ordered.push({ id: Number(m.id), event: { ...base, type: 'exit_checked', stageId: m.stage_id, criterionId: m.criterion } });
	}
	ordered.sort((a, b) => a.event.at - b.event.at || a.id - b.id);
	const order = stages.map((s, i) => ({ id: s.stage_id, name: '', kind: 'queue' as const, order: i }));
	const attempts = stageAttempts(
		ordered.map((o) => o.event),
		order,
		new Map()
	);
	await db.execute(sql`delete from stage_attempts where board_id = ${boardId}${cards}`);
	if (attempts.length === 0) return;
	const rows = attempts.map((a) => ({
		card_id: a.cardId,
		stage_id: a.stageId,
		entered_t: a.enteredAt,
		left_t: a.leftAt,
		sent_back: a.sentBack,
		checked: a.checked,
		target_day: a.target !== null && isCalendarDate(a.target) ? Date.parse(`${a.target}T00:00:00Z`) / DAY : null
	}));
	// One JSON parameter for the lot: a whole board's rebuild is one statement, and a batch's few rows cost no more.
	await db.execute(sql`insert into stage_attempts (board_id, card_id, stage_id, entered_t, left_t, sent_back, checked, target_day)
		select ${boardId}, card_id, stage_id, entered_t, left_t, sent_back, checked, target_day
		from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
			as r(card_id text, stage_id text, entered_t bigint, left_t bigint, sent_back boolean, checked jsonb, target_day int)`);
}

/**
 * Fills `stage_attempts` for every board that has moves in `card_flow` but no attempts (a migration added the table,
 * or cleared it), one board per transaction; returns the boards filled.
 */
export async function rebuildMissingStageAttempts(db: Db): Promise<string[]> {
	const rows = await selectRows<{ id: string }>(
		db,
		sql`select b.id from boards b
		where exists (select 1 from card_flow f where f.board_id = b.id and f.type = 'moved')
			and not exists (select 1 from stage_attempts a where a.board_id = b.id)`
	);
	for (const { id } of rows) await db.transaction((tx) => refreshStageAttempts(tx, id, null));
	return rows.map((r) => r.id);
}
