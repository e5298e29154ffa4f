import type { Db } from './db/client.ts';
import { readCardEvents, readStages } from './history.ts';
import { buildTimelines, stageAt, type FlowEvent, type StageInfo } from '../board/metrics/history.ts';
import {
	cardTimes,
	cumulativeFlow,
	dailyThroughput,
	dueDateHitRate,
	flowEfficiency,
	leadAndCycle,
	quality,
	rework,
	throughputByWeek,
	timeInStage,
	wipOverTime,
	type Range
} from '../board/metrics/flow.ts';
import { forecastHowMany, forecastWhen } from '../board/metrics/forecast.ts';
import { DomainError } from './errors.ts';
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

/** Parses and checks a stats query; defaults to the last 30 days. Throws invalid_input with a clear message. */
export function parseStatsQuery(params: URLSearchParams, now: Date): StatsQuery & { range: Range } {
	const today = now.toISOString().slice(0, 10);
	// Empty form fields count as absent.
	const param = (name: string) => params.get(name) || undefined;
	const to = param('to') ?? today;
	const from = param('from') ?? new Date(Date.parse(`${to}T00:00:00Z`) - 29 * DAY).toISOString().slice(0, 10);
	const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));
	if (!isDate(from) || !isDate(to)) throw new DomainError('invalid_input', 'Dates must look like 2026-11-22.');
	const range = { from: Date.parse(`${from}T00:00:00Z`), to: Date.parse(`${to}T00:00:00Z`) + DAY };
	if (range.from >= range.to) throw new DomainError('invalid_input', '"from" must be on or before "to".');
	if (range.to - range.from > 731 * DAY) throw new DomainError('invalid_input', 'Choose a range of at most two years.');
	const forecastBy = param('forecastBy');
	if (forecastBy !== undefined && !isDate(forecastBy)) throw new DomainError('invalid_input', 'forecastBy must look like 2026-12-31.');
	const countParam = param('forecastCount');
	const forecastCount = countParam === undefined ? undefined : Number(countParam);
	if (forecastCount !== undefined && (!Number.isInteger(forecastCount) || forecastCount < 1 || forecastCount > 10_000)) {
		throw new DomainError('invalid_input', 'forecastCount must be a whole number from 1 to 10000.');
	}
	return { from, to, forecastBy, forecastCount, range };
}

/** Turns stored rows into the metrics' event shape. */
function toFlowEvent(row: Awaited<ReturnType<typeof readCardEvents>>[number]): FlowEvent | null {
	const at = row.at.getTime();
	switch (row.type) {
		case 'created':
			return { type: 'created', cardId: row.cardId, at, stageId: row.toStageId ?? '' };
		case 'moved':
			return {
				type: 'moved',
				cardId: row.cardId,
				at,
				fromStageId: row.fromStageId ?? '',
				toStageId: row.toStageId ?? '',
				checklist: (row.data.checklist as { done: number; total: number } | undefined) ?? undefined
			};
		case 'archived':
		case 'restored':
			return { type: row.type, cardId: row.cardId, at };
		case 'due_changed':
			return { type: 'due_changed', cardId: row.cardId, at, due: (row.data.due as string | null) ?? null };
		default:
			return null;
	}
}

/** The stats response (see docs/stats.md). */
export type BoardStats = Awaited<ReturnType<typeof boardStats>>;

/** Every flow figure of a board over a date range (durations in hours), computed from its recorded history. */
export async function boardStats(db: Db, boardId: string, query: StatsQuery & { range: Range }, now: Date) {
	const [rows, stageRows] = await Promise.all([readCardEvents(db, boardId), readStages(db, boardId)]);
	const stages: StageInfo[] = stageRows.map((s, order) => ({ id: s.stageId, name: s.name, kind: s.kind as StageKind, order }));
	const events = rows.flatMap((r) => toFlowEvent(r) ?? []);
	const timelines = buildTimelines(events, stages);
	const nowMs = now.getTime();
	const times = cardTimes(timelines, query.range);
	const { leadTime, cycleTime } = leadAndCycle(times);
	const samples = dailyThroughput(timelines, nowMs, FORECAST_WEEKS * 7);
	const titles = new Map(rows.filter((r) => r.type === 'created').map((r) => [r.cardId, String(r.data.title ?? 'Untitled')]));
	const ageing = timelines.flatMap((card) => {
		const stageId = stageAt(card, nowMs);
		if (stageId === null || card.finishedAt !== null || card.archivedAt !== null) return [];
		const since = card.startedAt ?? card.createdAt;
		return [{ cardId: card.cardId, title: titles.get(card.cardId) ?? 'Untitled', stageId, ageHours: (nowMs - since) / 3_600_000, started: card.startedAt !== null }];
	});
	const wipBreaches = rows
		.filter((r) => r.type === 'wip_breach' && r.at.getTime() >= query.range.from && r.at.getTime() < query.range.to)
		.map((r) => ({ at: r.at.toISOString(), stageId: r.toStageId, cardId: r.cardId, actorId: r.actorId, count: Number(r.data.count), limit: Number(r.data.limit) }));
	return {
		titles: Object.fromEntries(titles),
		wipBreaches,
		ageing,
		range: { from: query.from, to: query.to },
		stages: stages.map((s) => ({ id: s.id, name: s.name, kind: s.kind, deleted: stageRows[s.order]!.deletedAt !== null })),
		cfd: cumulativeFlow(timelines, stages, query.range, nowMs),
		leadTime: { ...leadTime, cards: times.map((t) => ({ cardId: t.cardId, finishedAt: new Date(t.finishedAt).toISOString(), hours: t.leadHours })) },
		cycleTime: {
			...cycleTime,
			cards: times.flatMap((t) => (t.cycleHours === null ? [] : [{ cardId: t.cardId, finishedAt: new Date(t.finishedAt).toISOString(), hours: t.cycleHours }]))
		},
		throughput: throughputByWeek(times, query.range),
		wip: wipOverTime(timelines, stages, query.range, nowMs),
		timeInStage: timeInStage(timelines, stages, query.range),
		flowEfficiency: flowEfficiency(timelines, stages, query.range),
		dueDateHitRate: dueDateHitRate(timelines, query.range),
		rework: rework(timelines, query.range),
		quality: quality(timelines, query.range),
		forecast: {
			basedOnDays: samples.length,
			howMany: query.forecastBy ? { by: query.forecastBy, ...forecastHowMany(samples, nowMs, Date.parse(`${query.forecastBy}T23:59:59Z`)) } : null,
			when: query.forecastCount ? { count: query.forecastCount, ...forecastWhen(samples, nowMs, query.forecastCount) } : null
		}
	};
}
