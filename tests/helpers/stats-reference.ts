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
import { automationShare, type AutomationDay } from '../../src/lib/board/metrics/automation.ts';
import { notifications } from '../../src/lib/server/db/schema/notifications.ts';
import { eq } from 'drizzle-orm';

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

/** Card events the automation share counts: assignments, moves and due dates set. */
const ROUTINE = new Set(['owner_added', 'moved', 'due_changed', 'target_changed']);

/** The automation share counted one row at a time: every event and notification of the board, sorted by who did it. */
async function referenceAutomation(db: Db, boardId: string, rows: readonly EventRow[], range: Range) {
	const days = new Map<number, AutomationDay>();
	const count = (at: Date, by: 'rules' | 'process' | 'people') => {
		if (at.getTime() < range.from || at.getTime() >= range.to) return;
		const day = Math.floor(at.getTime() / DAY);
		const d = days.get(day) ?? { day, total: 0, byRules: 0, byProcess: 0 };
		d.total++;
		if (by === 'rules') d.byRules++;
		if (by === 'process') d.byProcess++;
		days.set(day, d);
	};
	for (const r of rows) if (ROUTINE.has(r.type)) count(r.at, r.ruleId ? 'rules' : r.data.via === 'process' ? 'process' : 'people');
	for (const n of await db.select().from(notifications).where(eq(notifications.boardId, boardId))) {
		count(n.createdAt, n.ruleId && n.ruleId !== 'process' ? 'rules' : n.kind === 'mention' ? 'people' : 'process');
	}
	return automationShare([...days.values()], range);
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
		automation: await referenceAutomation(db, boardId, rows, query.range),
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
