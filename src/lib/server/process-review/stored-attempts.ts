import { sql, type SQL } from 'drizzle-orm';
import { selectRows, type Db } from '../db/client.ts';
import { inCards } from '../card-subset.ts';
import type { AttemptCount } from '../../board/metrics/process/compliance.ts';
import type { AttemptDays } from '../../board/metrics/process/plan-actual.ts';
import { zoneOffsets } from '../../board/plan/zone-offsets.ts';
import type { Day } from '../../board/plan/working-days.ts';
import type { CardTimeline } from '../../board/metrics/history.ts';
import type { Range } from '../../board/metrics/flow.ts';

const DAY = 86_400_000;

/** A day number (days since 1970-01-01) as YYYY-MM-DD. */
const dayOf = (n: number): Day => new Date(Number(n) * DAY).toISOString().slice(0, 10);

/** How far before a range its attempts' entries are worked out by arithmetic; earlier ones ask the database's zone data. */
const OFFSETS_BEFORE_MS = 2 * 366 * DAY;

/**
 * The day number of `column` (epoch ms) in `timeZone`, from the zone's offsets over the range and two years before it
 * (`z.starts`, `z.offsets`, `zoneOffsets`), so most rows cost integer arithmetic; an earlier time asks PostgreSQL's
 * zone data.
 */
function localDay(column: SQL, timeZone: string): SQL {
	return sql`coalesce((${column} + z.offsets[width_bucket(${column}, z.starts)]) / ${DAY},
		((to_timestamp(${column} / 1000.0) at time zone ${timeZone})::date - date '1970-01-01'))::int`;
}

/** A range's first attempts as the review reads them: counted per stage and week, and by their days. */
export interface StoredAttempts {
	counts: AttemptCount[];
	days: AttemptDays;
}

/**
 * The first attempts that left within `range`, in one pass over their rows: counted per stage and week as
 * `countAttempts` does in memory (clean: every criterion the stage has now, `criteria` by stage, was checked before it
 * left, and the card never came back into the stage); and by their days in `timeZone` as `attemptDays` does, in few
 * rows: working and calendar days between two days depend only on the first one's weekday and the days between, so
 * each group keeps one pair of days standing for every pair with the same weekday and distance.
 */
export async function readStoredAttempts(
	db: Db,
	boardId: string,
	range: Range,
	timeZone: string,
	criteria: ReadonlyMap<string, readonly string[]>,
	cardIds: readonly string[] | null
): Promise<StoredAttempts> {
	const needed = JSON.stringify(Object.fromEntries(criteria));
	const zone = zoneOffsets(timeZone, range.from - OFFSETS_BEFORE_MS, range.to);
	const rows = await selectRows<{ kind: 'count' | 'span' | 'left'; stage_id: string; monday: number | null; met: boolean | null; sent_back: boolean | null; a: number | null; b: number | null; count: number }>(
		db,
		// The parameters are cast once, in z: a cast in the select list would run for every row. Three hash
		// aggregates over the materialised rows cost half what one sort for grouping sets does.
		sql`with z as materialized (
				select ${`{${zone.starts.join(',')}}`}::bigint[] as starts, ${`{${zone.offsets.join(',')}}`}::bigint[] as offsets, ${needed}::jsonb as needed
			), a as materialized (
				select stage_id, (left_t / ${DAY})::int as day, sent_back, checked @> coalesce(z.needed -> stage_id, '[]'::jsonb) as met,
					target_day as target, ${localDay(sql`entered_t`, timeZone)} as entered, ${localDay(sql`left_t`, timeZone)} as left_day
				from z, stage_attempts
				where board_id = ${boardId} and left_t >= ${range.from} and left_t < ${range.to}${inCards(cardIds)}
			)
			-- Day numbers: (n + 3) % 7 is the weekday (0: Monday), as 1970-01-01 was a Thursday.
			select 'count' as kind, stage_id, day - (day + 3) % 7 as monday, met, sent_back, null::int as a, null::int as b, count(*)::int as count
			from a group by stage_id, day - (day + 3) % 7, met, sent_back
			union all
			select 'span', stage_id, null, null, null, min(entered), min(entered) + (left_day - entered), count(*)::int
			from a group by stage_id, (entered + 3) % 7, left_day - entered
			union all
			select 'left', stage_id, null, null, null, min(target), min(target) - (target - left_day), count(*)::int
			from a where target is not null group by stage_id, (target + 3) % 7, target - left_day`
	);
	const out: StoredAttempts = { counts: [], days: { spans: [], lefts: [] } };
	const counts = new Map<string, AttemptCount>();
	for (const r of rows) {
		if (r.kind === 'span') out.days.spans.push({ stageId: r.stage_id, entered: dayOf(r.a!), left: dayOf(r.b!), count: r.count });
		else if (r.kind === 'left') out.days.lefts.push({ stageId: r.stage_id, target: dayOf(r.a!), left: dayOf(r.b!), count: r.count });
		else {
			const monday = Number(r.monday) * DAY;
			const key = `${r.stage_id}\u0000${monday}`;
			const c = counts.get(key) ?? { stageId: r.stage_id, monday, exits: 0, clean: 0, criteriaMissed: 0, sentBack: 0 };
			c.exits += r.count;
			if (r.met && !r.sent_back) c.clean += r.count;
			if (!r.met) c.criteriaMissed += r.count;
			if (r.sent_back) c.sentBack += r.count;
			counts.set(key, c);
		}
	}
	out.counts = [...counts.values()];
	return out;
}

/** What the review reads of a finished card: when it was created, started and finished, and its checklist then. */
export type FinishedCard = Pick<CardTimeline, 'cardId' | 'createdAt' | 'startedAt' | 'finishedAt' | 'checklistAtFinish'>;

/** The cards that first reached done within `range`, from their finishing rows in `card_flow`. */
export async function readFinishedCards(db: Db, boardId: string, range: Range, cardIds: readonly string[] | null): Promise<FinishedCard[]> {
	const rows = await selectRows<{ card_id: string; created_t: string | number; started_t: string | number | null; finished_t: string | number; done: number | null; total: number | null }>(
		db,
		sql`select card_id, created_t, started_t, finished_t, (checklist->>'done')::int as done, (checklist->>'total')::int as total from card_flow
			where board_id = ${boardId} and finishing and finished_t >= ${range.from} and finished_t < ${range.to}${inCards(cardIds)}`
	);
	return rows.map((r) => ({
		cardId: r.card_id,
		createdAt: Number(r.created_t),
		startedAt: r.started_t === null ? null : Number(r.started_t),
		finishedAt: Number(r.finished_t),
		checklistAtFinish: r.done === null || r.total === null ? null : { done: r.done, total: r.total }
	}));
}
