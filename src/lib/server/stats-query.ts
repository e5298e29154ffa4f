import { sql } from 'drizzle-orm';
import type { Db } from './db/client.ts';

/** Where and how finely to count: epoch ms throughout, as the pure metrics use them. */
export interface FlowWindow {
	/** The range [from, to). */
	from: number;
	to: number;
	/** The first bucket's start, the bucket size and how many buckets (see `bucketsFor`). */
	firstBucket: number;
	bucketMs: number;
	buckets: number;
	now: number;
	/** Start of the forecast's sample of daily throughput. */
	forecastFrom: number;
}

/** One card finished in the range: what lead/cycle time, throughput, quality and deadlines need. */
export interface FinishedCardRow {
	cardId: string;
	title: string;
	createdAt: number;
	startedAt: number | null;
	finishedAt: number;
	due: string | null;
	/** Checklist counts recorded on the move that finished it (null when it was created finished). */
	checklist: { done: number; total: number } | null;
	/** Milliseconds spent per stage before it first reached done; only for cards with a due date. */
	msByStage: Record<string, number> | null;
}

/** Everything the stats response is built from, aggregated by the database. */
export interface FlowAggregates {
	/** Net change of each stage's card count, per bucket (bucket 0 also carries everything before the range). */
	cfdDeltas: { stageId: string; bucket: number; delta: number }[];
	/** Visits that ended in the range: count and nearest-rank 50th / 85th percentile of their length (ms). */
	stageVisits: { stageId: string; visits: number; p50: number; p85: number }[];
	/** Moves made in the range, per (from, to) pair. */
	moves: { fromStageId: string; toStageId: string; count: number }[];
	finished: FinishedCardRow[];
	/** Time finished cards spent in active and waiting stages before finishing (ms). */
	activeMs: number;
	waitMs: number;
	/** Unfinished, unarchived cards on the board now, in the order they were first created. */
	ageing: { cardId: string; title: string; stageId: string; createdAt: number; startedAt: number | null }[];
	/** Cards finished per day since `forecastFrom` (day index → count). */
	dailyFinished: { day: number; count: number }[];
	wipBreaches: { at: number; stageId: string | null; cardId: string; actorId: string | null; count: unknown; limit: unknown }[];
}

const DAY_MS = 86_400_000;

/**
 * Reads a board's flow figures in one statement from `card_flow`, each card's replayed history (from its latest
 * `created`, in (at, id) order, as `buildTimelines` does; see card-flow.ts), so only aggregates and the cards the
 * response lists travel back.
 */
export async function readFlowAggregates(db: Db, boardId: string, w: FlowWindow): Promise<FlowAggregates> {
	const ms = (t: number) => sql`${Math.round(t)}::bigint`;
	const iso = (t: number) => sql`${new Date(t).toISOString()}::timestamptz`;
	const query = sql`
	with eff as not materialized (
		-- Each card's replayed history (card-flow.ts keeps it up to date as events are written). Not materialised:
		-- each part below reads only its range through card_flow's indexes.
		select card_id, event_id, type, t, visit, from_id, to_id, stage_kind, checklist, end_t, created_t, finished_t, started_t, due, title, first_t, first_id, gone_t, archived
		from card_flow where board_id = ${boardId}
	), cfd as (
		-- A card counts in a bucket when its visit started at or before the bucket's sample time and had not ended;
		-- an archived unfinished card's visits end when it left. Each visit adds 1 where it starts and -1 where it ends.
		select stage_id, greatest(0, (x - ${ms(w.firstBucket)}) / ${ms(w.bucketMs)}) as bucket, sum(d) as delta
		from (
			select to_id as stage_id, t as x, 1 as d from card_flow
			where board_id = ${boardId} and visit and (gone_t is null or t < gone_t)
			union all
			select to_id, case when gone_t is not null and (end_t is null or end_t > gone_t) then gone_t else end_t end, -1 from card_flow
			where board_id = ${boardId} and visit and (gone_t is null or t < gone_t)
		) change
		where x <= ${ms(w.now)} and x < ${ms(w.firstBucket + w.bucketMs * w.buckets)}
		group by 1, 2
	), tis as (
		select to_id as stage_id, count(*) as visits, percentile_disc(array[0.5, 0.85]) within group (order by end_t - t) as p
		from eff where visit and end_t >= ${ms(w.from)} and end_t < ${ms(w.to)} group by to_id
	), moves as (
		select from_id, to_id, count(*) as n from eff where type = 'moved' and t >= ${ms(w.from)} and t < ${ms(w.to)} group by 1, 2
	), done as (
		select card_id, max(title) as title, max(created_t) as created_t, max(started_t) as started_t, max(finished_t) as finished_t, max(due) as due,
			(array_agg(checklist order by t, event_id) filter (where visit and stage_kind = 'done'))[1] as checklist, max(first_t) as first_t, max(first_id) as first_id
		from eff where finished_t >= ${ms(w.from)} and finished_t < ${ms(w.to)} group by card_id
	), before_finish as (
		-- Time per stage before a card finished in the range first reached done.
		select card_id, to_id as stage_id, stage_kind, due, sum(least(coalesce(end_t, finished_t), finished_t) - t) as ms
		from eff where visit and finished_t >= ${ms(w.from)} and finished_t < ${ms(w.to)} and t < finished_t group by 1, 2, 3, 4
	), breaches as (
		-- A missing figure reads as NaN, as Number(undefined) does in the replay.
		select (date_part('epoch', at) * 1000)::bigint as t, to_stage_id, card_id, actor_id,
			coalesce(data->'count', '"NaN"') as count, coalesce(data->'limit', '"NaN"') as lim, id
		from card_events
		where board_id = ${boardId} and type = 'wip_breach' and at >= ${iso(w.from)} and at < ${iso(w.to)}
	)
	select json_build_object(
		'cfd', (select coalesce(json_agg(json_build_array(stage_id, bucket, delta)), '[]') from cfd),
		'tis', (select coalesce(json_agg(json_build_array(stage_id, visits, p[1], p[2])), '[]') from tis),
		'moves', (select coalesce(json_agg(json_build_array(from_id, to_id, n)), '[]') from moves),
		'done', (select coalesce(json_agg(json_build_array(card_id, title, created_t, started_t, finished_t, due, checklist)
			order by finished_t, first_t, first_id), '[]') from done),
		'split', (select coalesce(json_agg(json_build_array(card_id, stage_id, ms)), '[]') from before_finish where coalesce(due, '') <> ''),
		'flow', (select json_build_array(coalesce(sum(ms) filter (where stage_kind = 'active'), 0), coalesce(sum(ms) filter (where stage_kind = 'wait'), 0))
			from before_finish),
		'ageing', (select coalesce(json_agg(json_build_array(card_id, title, to_id, created_t, started_t) order by first_t, first_id), '[]') from eff
			where visit and finished_t is null and not archived and t <= ${ms(w.now)} and (end_t is null or end_t > ${ms(w.now)})),
		'daily', (select coalesce(json_agg(json_build_array(k, n)), '[]') from (
			select (finished_t - ${ms(w.forecastFrom)}) / ${DAY_MS}::bigint as k, count(*) as n from eff
			where type = 'created' and finished_t >= ${ms(w.forecastFrom)} and finished_t <= ${ms(w.now)} group by 1) f),
		'breaches', (select coalesce(json_agg(json_build_array(t, to_stage_id, card_id, actor_id, count, lim) order by t, id), '[]') from breaches)
	)::text as body`;
	const result = (await db.execute(query)) as unknown;
	const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { body: string }[];
	return parseAggregates(rows[0]!.body);
}

type Tuple = (string | number | null | Record<string, number>)[];

/** The statement's JSON (compact tuples, so a large board's answer stays small) as typed rows. */
function parseAggregates(body: string): FlowAggregates {
	const raw = JSON.parse(body) as Record<'cfd' | 'tis' | 'moves' | 'done' | 'split' | 'ageing' | 'daily' | 'breaches', Tuple[]> & { flow: [number, number] };
	const num = (v: unknown) => (v === null ? null : Number(v));
	const split = new Map<string, Record<string, number>>();
	for (const [cardId, stageId, ms] of raw.split) {
		const card = split.get(String(cardId)) ?? {};
		card[String(stageId)] = Number(ms);
		split.set(String(cardId), card);
	}
	return {
		cfdDeltas: raw.cfd.map(([stageId, bucket, delta]) => ({ stageId: String(stageId), bucket: Number(bucket), delta: Number(delta) })),
		stageVisits: raw.tis.map(([stageId, visits, p50, p85]) => ({ stageId: String(stageId), visits: Number(visits), p50: Number(p50), p85: Number(p85) })),
		moves: raw.moves.map(([fromStageId, toStageId, count]) => ({ fromStageId: String(fromStageId), toStageId: String(toStageId), count: Number(count) })),
		finished: raw.done.map(([cardId, title, createdAt, startedAt, finishedAt, due, checklist]) => ({
			cardId: String(cardId),
			title: String(title),
			createdAt: Number(createdAt),
			startedAt: num(startedAt),
			finishedAt: Number(finishedAt),
			due: due === null ? null : String(due),
			checklist: (checklist ?? null) as FinishedCardRow['checklist'],
			msByStage: split.get(String(cardId)) ?? null
		})),
		activeMs: Number(raw.flow[0]),
		waitMs: Number(raw.flow[1]),
		ageing: raw.ageing.map(([cardId, title, stageId, createdAt, startedAt]) => ({
			cardId: String(cardId),
			title: String(title),
			stageId: String(stageId),
			createdAt: Number(createdAt),
			startedAt: num(startedAt)
		})),
		dailyFinished: raw.daily.map(([day, count]) => ({ day: Number(day), count: Number(count) })),
		wipBreaches: raw.breaches.map(([at, stageId, cardId, actorId, count, limit]) => ({
			at: Number(at),
			stageId: stageId === null ? null : String(stageId),
			cardId: String(cardId),
			actorId: actorId === null ? null : String(actorId),
			count,
			limit
		}))
	};
}
