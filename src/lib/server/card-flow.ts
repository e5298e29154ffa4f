import { sql, type SQL } from 'drizzle-orm';
import { selectRows, type Db } from './db/client.ts';
import { inChunks } from './db/batches.ts';
import { inCardList } from './card-subset.ts';
import { refreshStageAttempts } from './stage-attempts.ts';

/** Cards whose rows one statement rebuilds (a card is a bind parameter; a statement may have 65,534 at most). */
export const CARDS_PER_STATEMENT = 5_000;


/** The end (epoch ms) of a due date's UTC day, or null when it is not a real calendar date: as `deadlineOf` does. */
export function deadlineSql(due: SQL): SQL {
	const part = (from: number, length: number) => sql`substr(${due}, ${sql.raw(String(from))}, ${sql.raw(String(length))})::int`;
	const [year, month, day] = [part(1, 4), part(6, 2), part(9, 2)];
	// Nested CASEs, not ANDs: make_date must only see a month and day that exist.
	return sql`case when ${due} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' then
		case when ${year} >= 1 and ${month} between 1 and 12 then
			case when ${day} between 1 and extract(day from make_date(${year}, ${month}, 1) + interval '1 month' - interval '1 day')::int
			then (make_date(${year}, ${month}, ${day}) - date '1970-01-01')::bigint * 86400000 + 86399999 end
		end
	end`;
}

/**
 * The replay of a board's events (or some of its cards'), as rows of `card_flow`: each card's visits from its
 * latest `created`, in (at, id) order as `buildTimelines` does, with the end of each visit and the card's own
 * figures, and a row for each archive, deletion and restore after it (a deleted card counts as an archived one). Every row starts a stretch of the cumulative flow that
 * lasts until the card's next row (`flow_end_t`), in the stage, due date and archived state in force then. The
 * stages' kinds are read now, so the rows must be rebuilt when a kind changes (`upsertStages` does).
 */
function replay(boardId: string, cardIds: readonly string[] | null): SQL {
	const kindOf = (kind: string) => sql`array(select stage_id from board_stages where board_id = ${boardId} and kind = ${kind})`;
	const cards = inCardList(cardIds);
	return sql`
	with ev as (
		-- Times as epoch milliseconds (the recorder stores JavaScript dates), so all arithmetic is exact; and only the
		-- details the figures read: a created card's title, a due date, the checklist on a finishing move.
		select id, card_id, type, (date_part('epoch', at) * 1000)::bigint as t, visit, type in ('archived', 'deleted', 'restored') as toggle,
			coalesce(from_stage_id, '') as from_id, to_id, stage_kind,
			case type when 'created' then coalesce(data->>'title', 'Untitled') when 'due_changed' then data->>'due' end as detail,
			case when type = 'due_changed' then ${deadlineSql(sql`(data->>'due')`)} end as due_deadline,
			case when type = 'moved' and stage_kind = 'done' then data->'checklist' end as checklist
		from (
			select *, type in ('created', 'moved') as visit, coalesce(to_stage_id, '') as to_id, case
				when type not in ('created', 'moved') then null
				when to_stage_id = any(${kindOf('done')}) then 'done'
				when to_stage_id = any(${kindOf('active')}) then 'active'
				when to_stage_id = any(${kindOf('wait')}) then 'wait'
			end as stage_kind
			from card_events
			where board_id = ${boardId} and type in ('created', 'moved', 'archived', 'deleted', 'restored', 'due_changed')${cards}
		) rows
	), ordered as (
		-- One sort of the events by card, newest first, serves the windows here; (t, id) is the replay's order.
		-- "later" counts what comes after a row in that order, so the latest of a kind is the one with none later,
		-- and the rows sharing a count of later visits (due changes, archives) are one visit (due date, archived state).
		select ev.*,
			count(*) filter (where type = 'created') over later as later_created,
			count(*) filter (where type = 'due_changed') over later as later_dues,
			count(*) filter (where toggle) over later as later_toggles,
			count(*) filter (where visit) over later as later_visits,
			min(t) filter (where visit) over later as end_t,
			min(t) filter (where visit or toggle) over later as next_t
		from ev
		window later as (partition by card_id order by t desc, id desc rows between unbounded preceding and 1 preceding)
	), in_force as (
		-- What was in force at each row: the stage of the visit it belongs to, the due date set last, whether the
		-- card was archived; and the real due dates held so far (two different ones: the due date was moved).
		select ordered.*,
			max(to_id) filter (where visit) over (partition by card_id, later_created, later_visits) as stage_id,
			max(stage_kind) filter (where visit) over (partition by card_id, later_created, later_visits) as kind_now,
			max(detail) filter (where type = 'due_changed') over (partition by card_id, later_created, later_dues) as due_now,
			coalesce(max(type) filter (where toggle) over (partition by card_id, later_created, later_toggles) in ('archived', 'deleted'), false) as archived_now,
			min(due_deadline) over held <> max(due_deadline) over held as due_moved_now
		from ordered
		window held as (partition by card_id, later_created order by t, id rows between unbounded preceding and current row)
	), cards as (
		select id, card_id, type, t, visit, toggle, from_id, stage_id, kind_now, checklist, end_t, next_t, later_created, due_now, archived_now, due_moved_now,
			max(t) filter (where type = 'created' and later_created = 0) over card as created_t,
			-- Where the card first appeared, to list cards in the replay's order (only a card created twice has two).
			min(t) filter (where type = 'created') over card as first_t,
			min(id) filter (where type = 'created') over card as first_id,
			min(t) filter (where later_created = 0 and visit and kind_now = 'done') over card as finished_t,
			min(t) filter (where later_created = 0 and visit and kind_now = 'active') over card as started_t,
			max(detail) filter (where type = 'due_changed' and later_created = 0 and later_dues = 0) over card as due_last,
			max(detail) filter (where type = 'created' and later_created = 0) over card as title
		from in_force
		window card as (partition by card_id)
	), visits as (
		-- A card's history starts at its latest 'created' (a replay starts it over there and ignores what came before).
		select *,
			case when visit and finished_t is not null and t < finished_t then least(coalesce(end_t, finished_t), finished_t) - t end as pre_finish_ms,
			-- The first arrival in done, in (t, id) order; ties at the same instant go to the lower event id.
			visit and kind_now = 'done' and t = finished_t as arrives_done
		from cards
		where later_created = 0 and created_t is not null and (visit or toggle)
	), figures as (
		select *,
			coalesce(arrives_done and id = min(id) filter (where arrives_done) over card, false) as finishing,
			coalesce(sum(pre_finish_ms) filter (where kind_now = 'active') over card, 0) as card_active_ms,
			coalesce(sum(pre_finish_ms) filter (where kind_now = 'wait') over card, 0) as card_wait_ms
		from visits
		window card as (partition by card_id)
	), judged as (
		-- A finished card is judged by the due date in force when it finished; moving it later changes nothing.
		select *, case when finished_t is null then due_last else max(due_now) filter (where finishing) over card end as due
		from figures
		window card as (partition by card_id)
	)
	select ${boardId}::text, card_id, id, type, t, from_id, stage_id, kind_now, checklist, case when visit then end_t end, created_t, finished_t, started_t,
		due, ${deadlineSql(sql`due`)}, title, first_t, first_id, archived_now, finishing, pre_finish_ms,
		case when finishing then card_active_ms end, case when finishing then card_wait_ms end,
		case when finishing then coalesce(due_moved_now, false) end,
		-- Archived (or deleted), a card is out of every figure until restored; finished work archived from a done stage stays counted.
		coalesce(kind_now = 'done', false) or not archived_now, next_t, floor(t / 86400000.0)::int, floor(next_t / 86400000.0)::int
	from judged`;
}

const COLUMNS = sql.raw(
	'board_id, card_id, event_id, type, t, from_id, to_id, stage_kind, checklist, end_t, created_t, finished_t, started_t, due, deadline_t, ' +
		'title, first_t, first_id, archived, finishing, pre_finish_ms, active_ms, wait_ms, due_moved, counted, flow_end_t, start_day, flow_end_day'
);

/**
 * Rebuilds a board's `card_flow` rows from its events: all of them (`cardIds` null) or those of the given cards.
 * Call it in the transaction that wrote the events or the stage kinds it depends on.
 */
export async function refreshCardFlow(db: Db, boardId: string, cardIds: readonly string[] | null): Promise<void> {
	if (cardIds !== null && cardIds.length === 0) return;
	// Each card is one bind parameter of the `in (…)` lists: keep a statement well within the drivers' limit.
	if (cardIds !== null && cardIds.length > CARDS_PER_STATEMENT) {
		for (const chunk of inChunks(cardIds, CARDS_PER_STATEMENT)) await refreshCardFlow(db, boardId, chunk);
		return;
	}
	const cards = inCardList(cardIds);
	await db.execute(sql`delete from card_flow where board_id = ${boardId}${cards}`);
	await db.execute(sql`insert into card_flow (${COLUMNS}) ${replay(boardId, cardIds)}`);
	// The process review's first attempts are replayed from these rows.
	await refreshStageAttempts(db, boardId, cardIds);
}

/**
 * Replays every board that has history but no `card_flow` rows (a migration that reshapes the table clears it),
 * one board per transaction; returns the boards rebuilt. Cheap when there is nothing to do: one lookup per board.
 */
export async function rebuildMissingCardFlow(db: Db): Promise<string[]> {
	const rows = await selectRows<{ id: string }>(
		db,
		sql`select b.id from boards b
		where exists (select 1 from card_events e where e.board_id = b.id and e.type = 'created')
			and not exists (select 1 from card_flow f where f.board_id = b.id)`
	);
	for (const { id } of rows) await db.transaction((tx) => refreshCardFlow(tx, id, null));
	return rows.map((r) => r.id);
}
