import { sql, type SQL } from 'drizzle-orm';
import type { Db } from './db/client.ts';

/** ` and card_id in (…)` for the given cards, or nothing for all of them. */
function cardFilter(cardIds: readonly string[] | null): SQL {
	return cardIds === null ? sql`` : sql` and card_id in (${sql.join(cardIds.map((id) => sql`${id}`), sql`, `)})`;
}

/**
 * The replay of a board's events (or some of its cards'), as rows of `card_flow`: each card's history from its
 * latest `created`, in (at, id) order as `buildTimelines` does, with the end of each visit and the card's own
 * figures. The stages' kinds are read now, so the rows must be rebuilt when a kind changes (`upsertStages` does).
 */
function replay(boardId: string, cardIds: readonly string[] | null): SQL {
	const kindOf = (kind: string) => sql`array(select stage_id from board_stages where board_id = ${boardId} and kind = ${kind})`;
	const cards = cardFilter(cardIds);
	return sql`
	with ev as (
		-- Times as epoch milliseconds (the recorder stores JavaScript dates), so all arithmetic is exact; and only the
		-- details the figures read: a created card's title, a due date, the checklist on a finishing move.
		select id, card_id, type, (date_part('epoch', at) * 1000)::bigint as t, visit, coalesce(from_stage_id, '') as from_id, to_id, stage_kind,
			case type when 'created' then coalesce(data->>'title', 'Untitled') when 'due_changed' then data->>'due' end as detail,
			case when type = 'moved' and stage_kind = 'done' then data->'checklist' end as checklist
		from (
			select *, type in ('created', 'moved') as visit, coalesce(to_stage_id, '') as to_id, case
				when type not in ('created', 'moved') then null
				when to_stage_id = any(${kindOf('done')}) then 'done'
				when to_stage_id = any(${kindOf('active')}) then 'active'
				when to_stage_id = any(${kindOf('wait')}) then 'wait'
			end as stage_kind
			from card_events
			where board_id = ${boardId} and type in ('created', 'moved', 'archived', 'restored', 'due_changed')${cards}
		) rows
	), ordered as (
		-- One sort of the events by card, newest first, serves every window below; (t, id) is the replay's order.
		-- "later" counts what comes after a row in that order, so the latest of a kind is the one with none later.
		select ev.*,
			count(*) filter (where type = 'created') over later as later_created,
			count(*) filter (where type = 'due_changed') over later as later_dues,
			count(*) filter (where type in ('archived', 'restored')) over later as later_archives,
			min(t) filter (where visit) over later as end_t
		from ev
		window later as (partition by card_id order by t desc, id desc rows between unbounded preceding and 1 preceding)
	)
	-- A card's history starts at its latest 'created' (a replay starts it over there and ignores what came before).
	select ${boardId}::text, card_id, id, type, t, visit, from_id, to_id, stage_kind, checklist, end_t, created_t, finished_t, started_t, due, title, first_t, first_id,
		-- An archived card leaves the board then, unless it had finished before: finished work keeps counting as done.
		case when archived_t is not null and (finished_t is null or finished_t > archived_t) then archived_t end as gone_t,
		archived_t is not null as archived
	from (
		select id, card_id, type, t, visit, from_id, to_id, stage_kind, checklist, end_t, later_created,
			max(t) filter (where type = 'created' and later_created = 0) over card as created_t,
			-- Where the card first appeared, to list cards in the replay's order (only a card created twice has two).
			min(t) filter (where type = 'created') over card as first_t,
			min(id) filter (where type = 'created') over card as first_id,
			min(t) filter (where later_created = 0 and visit and stage_kind = 'done') over card as finished_t,
			min(t) filter (where later_created = 0 and visit and stage_kind = 'active') over card as started_t,
			max(t) filter (where later_created = 0 and type = 'archived' and later_archives = 0) over card as archived_t,
			max(detail) filter (where later_created = 0 and type = 'due_changed' and later_dues = 0) over card as due,
			max(detail) filter (where type = 'created' and later_created = 0) over card as title
		from ordered
		window card as (partition by card_id)
	) e
	where later_created = 0 and created_t is not null`;
}

const COLUMNS = sql.raw(
	'board_id, card_id, event_id, type, t, visit, from_id, to_id, stage_kind, checklist, end_t, created_t, finished_t, started_t, due, title, first_t, first_id, gone_t, archived'
);

/**
 * Rebuilds a board's `card_flow` rows from its events: all of them (`cardIds` null) or those of the given cards.
 * Call it in the transaction that wrote the events or the stage kinds it depends on.
 */
export async function refreshCardFlow(db: Db, boardId: string, cardIds: readonly string[] | null): Promise<void> {
	if (cardIds !== null && cardIds.length === 0) return;
	const cards = cardFilter(cardIds);
	await db.execute(sql`delete from card_flow where board_id = ${boardId}${cards}`);
	await db.execute(sql`insert into card_flow (${COLUMNS}) ${replay(boardId, cardIds)}`);
}
