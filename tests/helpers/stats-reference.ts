// The stats response computed the slow, obvious way: every event of the board replayed in memory by the pure
// metrics (src/lib/board/metrics), which the hand-worked unit tests pin down. The SQL path must match it exactly.
import type { Db } from '../../src/lib/server/db/client.ts';
import { readCardEvents, readStages } from '../../src/lib/server/history.ts';
import type { StatsQuery } from '../../src/lib/server/stats.ts';
import { buildTimelines, stageAt, type FlowEvent, type StageInfo } from '../../src/lib/board/metrics/history.ts';
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
} from '../../src/lib/board/metrics/flow.ts';
import { forecastHowMany, forecastWhen } from '../../src/lib/board/metrics/forecast.ts';
import type { StageKind } from '../../src/lib/board/types.ts';

const DAY = 86_400_000;

type EventRow = Awaited<ReturnType<typeof readCardEvents>>[number];

/** A stored row in the metrics' event shape (null for types the figures ignore). */
function toFlowEvent(row: EventRow): FlowEvent | null {
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

/** The stats response from all of a board's events, replayed in memory. */
export async function referenceStats(db: Db, boardId: string, query: StatsQuery & { range: Range }, now: Date) {
	const [rows, stageRows] = await Promise.all([readCardEvents(db, boardId), readStages(db, boardId)]);
	const stages: StageInfo[] = stageRows.map((s, order) => ({ id: s.stageId, name: s.name, kind: s.kind as StageKind, order }));
	const timelines = buildTimelines(
		rows.flatMap((r) => toFlowEvent(r) ?? []),
		stages
	);
	const nowMs = now.getTime();
	const kinds = new Map(stages.map((s) => [s.id, s.kind]));
	const times = cardTimes(timelines, query.range);
	const { leadTime, cycleTime } = leadAndCycle(times);
	const samples = dailyThroughput(timelines, nowMs, 6 * 7);
	const allTitles = new Map(rows.filter((r) => r.type === 'created').map((r) => [r.cardId, String(r.data.title ?? 'Untitled')]));
	const ageing = timelines.flatMap((card) => {
		const stageId = stageAt(card, nowMs);
		// Work outside done now is unfinished, whether or not it finished once (a reopened card); stageAt leaves out
		// a card archived now (and counts it again once it was restored).
		if (stageId === null || kinds.get(stageId) === 'done') return [];
		const since = card.startedAt ?? card.createdAt;
		return [{ cardId: card.cardId, title: allTitles.get(card.cardId) ?? 'Untitled', stageId, ageHours: (nowMs - since) / 3_600_000, started: card.startedAt !== null }];
	});
	const listed = [...times.map((t) => t.cardId), ...ageing.map((a) => a.cardId)];
	return {
		titles: Object.fromEntries(listed.map((id) => [id, allTitles.get(id) ?? 'Untitled'])),
		wipBreaches: rows
			.filter((r) => r.type === 'wip_breach' && r.at.getTime() >= query.range.from && r.at.getTime() < query.range.to)
			.map((r) => ({ at: r.at.toISOString(), stageId: r.toStageId, cardId: r.cardId, actorId: r.actorId, count: Number(r.data.count), limit: Number(r.data.limit) })),
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

/** Days before `now` as YYYY-MM-DD (for building queries). */
export function daysBefore(now: Date, days: number): string {
	return new Date(now.getTime() - days * DAY).toISOString().slice(0, 10);
}
