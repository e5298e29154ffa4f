import { setImmediate } from 'node:timers/promises';
import type { Db } from './db/client.ts';
import { readStages } from './history.ts';
import { readFlowAggregates } from './stats-query.ts';
import { readAutomationShare } from './automation-share.ts';
import type { StageInfo } from '../board/metrics/history.ts';
import { bucketSize, bucketsFor, cardTimes, deadlineFigures, efficiency, leadAndCycle, quality, throughputByWeek, type Range } from '../board/metrics/flow.ts';
import { cumulativeFlowFromDeltas, dailyCounts, reworkFromMoves, timeInStageFromVisits, wipFromFlow } from '../board/metrics/aggregates.ts';
import { forecastHowMany, forecastWhen } from '../board/metrics/forecast.ts';
import { DomainError } from './errors.ts';
import { deadlineOf } from '../board/metrics/deadline.ts';
import type { StageKind } from '../board/types.ts';

const DAY = 86_400_000;
/** Weeks of past throughput the forecast samples from. */
const FORECAST_WEEKS = 6;

/** What the stats endpoint accepts: an inclusive date range, and optional forecast questions. */
export interface StatsQuery {
	from: string;
	to: string;
	/** "How many cards by this date?" (YYYY-MM-DD). */
	forecastBy?: string;
	/** "When will this many cards be done?" */
	forecastCount?: number;
}

/** Whether a query parameter is a real calendar date, YYYY-MM-DD: 2026-02-30 and 2026-13-01 are not. */
function isCalendarDate(s: string): boolean {
	// deadlineOf accepts exactly the dates that exist (a round trip through Date, which would roll 02-30 over to March).
	return deadlineOf(s) !== null;
}

/** Parses and checks a stats query; defaults to the last 30 days. Throws invalid_input with a clear message. */
export function parseStatsQuery(params: URLSearchParams, now: Date): StatsQuery & { range: Range } {
	const today = now.toISOString().slice(0, 10);
	// Empty form fields count as absent.
	const param = (name: string) => params.get(name) || undefined;
	const date = (name: string) => {
		const value = param(name);
		if (value !== undefined && !isCalendarDate(value)) {
			throw new DomainError('invalid_input', `"${name}" must be a real date written like 2026-11-22; got ${JSON.stringify(value.slice(0, 40))}.`);
		}
		return value;
	};
	const to = date('to') ?? today;
	const from = date('from') ?? new Date(Date.parse(`${to}T00:00:00Z`) - 29 * DAY).toISOString().slice(0, 10);
	const range = { from: Date.parse(`${from}T00:00:00Z`), to: Date.parse(`${to}T00:00:00Z`) + DAY };
	if (range.from >= range.to) throw new DomainError('invalid_input', `"from" (${from}) must be on or before "to" (${to}).`);
	if (range.to - range.from > 731 * DAY) throw new DomainError('invalid_input', 'Choose a range of at most two years.');
	const forecastBy = date('forecastBy');
	const countParam = param('forecastCount');
	const forecastCount = countParam === undefined ? undefined : Number(countParam);
	if (forecastCount !== undefined && (!Number.isInteger(forecastCount) || forecastCount < 1 || forecastCount > 10_000)) {
		throw new DomainError('invalid_input', 'forecastCount must be a whole number from 1 to 10000.');
	}
	return { from, to, forecastBy, forecastCount, range };
}

/** The stats response (see docs/stats.md). */
export type BoardStats = Awaited<ReturnType<typeof boardStats>>;

/**
 * Every flow figure of a board over a date range (durations in hours), computed from its recorded history: the
 * database does the per-event work (see stats-query.ts) and the same figures as the pure metrics come back.
 * `cardIds` restricts every figure to those cards (a filter's matches); null counts every card.
 */
export async function boardStats(db: Db, boardId: string, query: StatsQuery & { range: Range }, now: Date, cardIds: readonly string[] | null = null) {
	const nowMs = now.getTime();
	const buckets = bucketsFor(query.range);
	const forecastDays = FORECAST_WEEKS * 7;
	const forecastFrom = Math.floor(nowMs / DAY) * DAY - (forecastDays - 1) * DAY;
	const window = { ...query.range, firstBucket: buckets[0]!.start, bucketMs: bucketSize(query.range), buckets: buckets.length, now: nowMs, forecastFrom };
	const [agg, stageRows, automation] = await Promise.all([readFlowAggregates(db, boardId, window, cardIds), readStages(db, boardId), readAutomationShare(db, boardId, query.range, cardIds)]);
	// Building the response is the next long stretch of this thread's time; the server's sockets go first.
	await setImmediate();
	const stages: StageInfo[] = stageRows.map((s, order) => ({ id: s.stageId, name: s.name, kind: s.kind as StageKind, order }));
	const times = cardTimes(agg.finished, query.range);
	const { leadTime, cycleTime } = leadAndCycle(times);
	const samples = dailyCounts(agg.dailyFinished, forecastDays);
	const cfd = cumulativeFlowFromDeltas(agg.cfdDeltas, stages, query.range);
	const ageing = agg.ageing.map((c) => ({ cardId: c.cardId, title: c.title, stageId: c.stageId, ageHours: (nowMs - (c.startedAt ?? c.createdAt)) / 3_600_000, started: c.startedAt !== null }));
	// Titles of the cards the response lists (not every card the board ever had).
	const titles: Record<string, string> = {};
	for (const c of agg.finished) titles[c.cardId] = c.title;
	for (const c of ageing) titles[c.cardId] = c.title;
	// Each finished card's time as ISO text, once: the lead and cycle lists both carry it.
	const finishedIso = times.map((t) => new Date(t.finishedAt).toISOString());
	return {
		titles,
		wipBreaches: agg.wipBreaches.map((b) => ({ at: new Date(b.at).toISOString(), stageId: b.stageId, cardId: b.cardId, actorId: b.actorId, count: Number(b.count), limit: Number(b.limit) })),
		ageing,
		range: { from: query.from, to: query.to },
		stages: stages.map((s) => ({ id: s.id, name: s.name, kind: s.kind, deleted: stageRows[s.order]!.deletedAt !== null })),
		cfd,
		leadTime: { ...leadTime, cards: times.map((t, i) => ({ cardId: t.cardId, finishedAt: finishedIso[i]!, hours: t.leadHours })) },
		cycleTime: {
			...cycleTime,
			cards: times.flatMap((t, i) => (t.cycleHours === null ? [] : [{ cardId: t.cardId, finishedAt: finishedIso[i]!, hours: t.cycleHours }]))
		},
		throughput: throughputByWeek(times, query.range),
		wip: wipFromFlow(cfd, stages),
		timeInStage: timeInStageFromVisits(agg.stageVisits, stages),
		flowEfficiency: efficiency(agg.activeMs, agg.waitMs),
		dueDateHitRate: deadlineFigures(agg.deadlines.withDue, agg.deadlines.onTime, agg.deadlines.lateMsByStage, agg.deadlines.dueMoved),
		rework: reworkFromMoves(agg.moves, stages),
		quality: quality(agg.finished, query.range),
		automation,
		forecast: {
			basedOnDays: samples.length,
			howMany: query.forecastBy ? { by: query.forecastBy, ...forecastHowMany(samples, nowMs, Date.parse(`${query.forecastBy}T23:59:59Z`)) } : null,
			when: query.forecastCount ? { count: query.forecastCount, ...forecastWhen(samples, nowMs, query.forecastCount) } : null
		}
	};
}
