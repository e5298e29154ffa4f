import { setImmediate } from 'node:timers/promises';
import { sql, type SQL } from 'drizzle-orm';
import { selectRows, type Db } from './db/client.ts';
import { inCards } from './card-subset.ts';

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

/** One card finished in the range: what lead/cycle time, throughput and quality need. */
export interface FinishedCardRow {
	cardId: string;
	title: string;
	createdAt: number;
	startedAt: number | null;
	finishedAt: number;
	/** Checklist counts recorded on the move that finished it (null when it was created finished). */
	checklistAtFinish: { done: number; total: number } | null;
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
	/**
	 * Finished cards with a due date when they finished, those finished by it, those whose due date had been moved,
	 * and where the late ones' time went before finishing (ms per stage).
	 */
	deadlines: { withDue: number; onTime: number; dueMoved: number; lateMsByStage: Record<string, number> };
	/** Cards outside done stages now and not archived now (reopened ones included), in the order they were first created. */
	ageing: { cardId: string; title: string; stageId: string; createdAt: number; startedAt: number | null }[];
	/** Cards finished per day since `forecastFrom` (day index → count). */
	dailyFinished: { day: number; count: number }[];
	wipBreaches: { at: number; stageId: string | null; cardId: string; actorId: string | null; count: unknown; limit: unknown }[];
}

const DAY_MS = 86_400_000;

/** A time as the bigint the columns hold, and as a timestamp for `card_events`. */
const ms = (t: number) => sql`${Math.round(t)}::bigint`;
const iso = (t: number) => sql`${new Date(t).toISOString()}::timestamptz`;

/**
 * Reads a board's flow figures from `card_flow`, each card's replayed visits with their figures worked out on
 * write (see card-flow.ts): every part is a count or sum along one of its indexes, so only aggregates and the
 * cards the response lists travel back. Four statements run side by side on their own connections (PostgreSQL),
 * so together they take about the longest; PGlite runs them in turn, serving sockets in between. `cardIds` limits
 * every part to those cards (a filter's matches); null reads them all.
 */
export async function readFlowAggregates(db: Db, boardId: string, w: FlowWindow, cardIds: readonly string[] | null = null): Promise<FlowAggregates> {
	const cards = inCards(cardIds);
	const statements = [flowStatement(boardId, w, cards), stageTimesStatement(boardId, w, cards), finishedStatement(boardId, w, cards), nowStatement(boardId, w, cards)];
	const bodies = await Promise.all(statements.map((statement) => readJson(db, statement)));
	return parseAggregates(Object.assign({}, ...bodies) as RawAggregates);
}

/** Runs a statement that answers one `body` of JSON text, planned for index-only scans. */
function readJson(db: Db, statement: SQL): Promise<object> {
	return db.transaction(async (tx) => {
		// Every part is meant as an index-only scan over pages in memory; PostgreSQL's default random_page_cost
		// (4, for spinning disks) makes a one-board table's sequential scan look cheaper, at 3–4 × the time. The
		// statements already share the cores, so parallel workers would only add their start-up.
		await tx.execute(sql`select set_config('random_page_cost', '1.1', true), set_config('max_parallel_workers_per_gather', '0', true)`);
		// PGlite runs statements on this thread, one after another: let the server serve sockets between them.
		await setImmediate();
		const [row] = await selectRows<{ body: string }>(tx, statement);
		return JSON.parse(row!.body) as object;
	});
}

/** Cumulative flow: net changes per (stage, bucket) as `cfd`. */
function flowStatement(boardId: string, w: FlowWindow, cards: SQL): SQL {
	const end = w.firstBucket + w.bucketMs * w.buckets;
	// Daily buckets group by the stored day numbers, in index order; hourly ones (short ranges) by the hour.
	const daily = w.bucketMs === DAY_MS;
	const bucketOf = (t: SQL, day: SQL) => (daily ? day : sql`greatest(0, (${t} - ${ms(w.firstBucket)}) / ${ms(w.bucketMs)})`);
	const bucket = daily ? sql`greatest(0, k - ${Math.floor(w.firstBucket / DAY_MS)})` : sql`k`;
	return sql`
	with cfd as (
		-- A card counts in a bucket when its visit started at or before the bucket's sample time and had not stopped
		-- counting (see flow_end_t). Each visit adds 1 where it starts and -1 where it stops.
		select stage_id, ${bucket} as bucket, sum(n) as delta
		from (
			select to_id as stage_id, ${bucketOf(sql`t`, sql`start_day`)} as k, count(*) as n from card_flow
			where board_id = ${boardId}${cards} and counted and t <= ${ms(w.now)} and t < ${ms(end)}
			group by 1, 2
			union all
			select to_id, ${bucketOf(sql`flow_end_t`, sql`flow_end_day`)}, -count(*) from card_flow
			where board_id = ${boardId}${cards} and counted and flow_end_t <= ${ms(w.now)} and flow_end_t < ${ms(end)}
			group by 1, 2
		) change
		group by 1, 2
	)
	select json_build_object('cfd', (select coalesce(json_agg(json_build_array(stage_id, bucket, delta)), '[]') from cfd))::text as body`;
}

/** Time in stage of the visits that ended in the range, and the moves made in it: `tis`, `moves`. */
function stageTimesStatement(boardId: string, w: FlowWindow, cards: SQL): SQL {
	return sql`
	with tis as (
		select to_id as stage_id, count(*) as visits, percentile_disc(array[0.5, 0.85]) within group (order by end_t - t) as p
		from card_flow where board_id = ${boardId}${cards} and end_t >= ${ms(w.from)} and end_t < ${ms(w.to)} group by to_id
	), moves as (
		select from_id, to_id, count(*) as n from card_flow
		where board_id = ${boardId}${cards} and type = 'moved' and t >= ${ms(w.from)} and t < ${ms(w.to)} group by 1, 2
	)
	select json_build_object(
		'tis', (select coalesce(json_agg(json_build_array(stage_id, visits, p[1], p[2])), '[]') from tis),
		'moves', (select coalesce(json_agg(json_build_array(from_id, to_id, n)), '[]') from moves)
	)::text as body`;
}

/** The cards finished in the range, their sums and the late ones' time per stage: `done`, `sums`, `late`. */
function finishedStatement(boardId: string, w: FlowWindow, cards: SQL): SQL {
	return sql`
	with done as (
		-- One row per card finished in the range: its first arrival in done.
		select card_id, title, created_t, started_t, finished_t, checklist, first_t, first_id, active_ms, wait_ms, deadline_t, due_moved from card_flow
		where board_id = ${boardId}${cards} and finishing and finished_t >= ${ms(w.from)} and finished_t < ${ms(w.to)}
	), late as (
		-- Time per stage before they finished, of the cards finished in the range after their due date.
		select to_id, sum(pre_finish_ms) as ms from card_flow
		where board_id = ${boardId}${cards} and finished_t > deadline_t and pre_finish_ms is not null and finished_t >= ${ms(w.from)} and finished_t < ${ms(w.to)}
		group by to_id
	)
	select json_build_object(
		'done', (select coalesce(json_agg(json_build_array(card_id, title, created_t, started_t, finished_t, checklist) order by finished_t, first_t, first_id), '[]') from done),
		'sums', (select json_build_array(coalesce(sum(active_ms), 0), coalesce(sum(wait_ms), 0), count(deadline_t), count(*) filter (where finished_t <= deadline_t),
			count(*) filter (where deadline_t is not null and due_moved)) from done),
		'late', (select coalesce(json_agg(json_build_array(to_id, ms)), '[]') from late)
	)::text as body`;
}

/** Work on the board now, recent daily throughput and the range's WIP breaches: `ageing`, `daily`, `breaches`. */
function nowStatement(boardId: string, w: FlowWindow, cards: SQL): SQL {
	return sql`
	with breaches as (
		-- A missing figure reads as NaN, as Number(undefined) does in the replay.
		select (date_part('epoch', at) * 1000)::bigint as t, to_stage_id, card_id, actor_id,
			coalesce(data->'count', '"NaN"') as count, coalesce(data->'limit', '"NaN"') as lim, id
		from card_events
		where board_id = ${boardId}${cards} and type = 'wip_breach' and at >= ${iso(w.from)} and at < ${iso(w.to)}
	)
	select json_build_object(
		'ageing', (select coalesce(json_agg(json_build_array(card_id, title, to_id, created_t, started_t) order by first_t, first_id), '[]') from card_flow
			-- Where each card is now, outside done and not archived now: a card reopened after finishing is unfinished
			-- work again, and one restored is back.
			where board_id = ${boardId}${cards} and (flow_end_t is null or flow_end_t > ${ms(w.now)}) and t <= ${ms(w.now)} and counted and stage_kind is distinct from 'done'),
		'daily', (select coalesce(json_agg(json_build_array(k, n)), '[]') from (
			select (finished_t - ${ms(w.forecastFrom)}) / ${DAY_MS}::bigint as k, count(*) as n from card_flow
			where board_id = ${boardId}${cards} and finishing and finished_t >= ${ms(w.forecastFrom)} and finished_t <= ${ms(w.now)} group by 1) f),
		'breaches', (select coalesce(json_agg(json_build_array(t, to_stage_id, card_id, actor_id, count, lim) order by t, id), '[]') from breaches)
	)::text as body`;
}

type Tuple = (string | number | null | Record<string, number>)[];

/** What the statements answer: compact tuples, so a large board's answer stays small. */
type RawAggregates = Record<'cfd' | 'tis' | 'moves' | 'done' | 'late' | 'ageing' | 'daily' | 'breaches', Tuple[]> & {
	sums: [number, number, number, number, number];
};

/** The statements' tuples as typed rows. */
function parseAggregates(raw: RawAggregates): FlowAggregates {
	const num = (v: unknown) => (v === null ? null : Number(v));
	return {
		cfdDeltas: raw.cfd.map(([stageId, bucket, delta]) => ({ stageId: String(stageId), bucket: Number(bucket), delta: Number(delta) })),
		stageVisits: raw.tis.map(([stageId, visits, p50, p85]) => ({ stageId: String(stageId), visits: Number(visits), p50: Number(p50), p85: Number(p85) })),
		moves: raw.moves.map(([fromStageId, toStageId, count]) => ({ fromStageId: String(fromStageId), toStageId: String(toStageId), count: Number(count) })),
		finished: raw.done.map(([cardId, title, createdAt, startedAt, finishedAt, checklist]) => ({
			cardId: String(cardId),
			title: String(title),
			createdAt: Number(createdAt),
			startedAt: num(startedAt),
			finishedAt: Number(finishedAt),
			checklistAtFinish: (checklist ?? null) as FinishedCardRow['checklistAtFinish']
		})),
		activeMs: Number(raw.sums[0]),
		waitMs: Number(raw.sums[1]),
		deadlines: {
			withDue: Number(raw.sums[2]),
			onTime: Number(raw.sums[3]),
			dueMoved: Number(raw.sums[4]),
			lateMsByStage: Object.fromEntries(raw.late.map(([stageId, ms]) => [String(stageId), Number(ms)]))
		},
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
