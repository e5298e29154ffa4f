// The same figures as flow.ts, from what a database aggregated instead of from every card's timeline: the server
// counts in SQL, and these turn its small answers into the response's shapes (checked against flow.ts in tests).
import { bucketsFor, withBottleneck, type Range, type StageTime } from './flow.ts';
import type { StageInfo } from './history.ts';

const HOUR = 3_600_000;

/** Cumulative flow from net count changes per (stage, bucket): a running sum per stage over the range's buckets. */
export function cumulativeFlowFromDeltas(deltas: readonly { stageId: string; bucket: number; delta: number }[], stages: readonly StageInfo[], range: Range) {
	const buckets = bucketsFor(range);
	const change = new Map(stages.map((s) => [s.id, new Array<number>(buckets.length).fill(0)]));
	for (const d of deltas) {
		const series = change.get(d.stageId);
		if (series && d.bucket >= 0 && d.bucket < buckets.length) series[d.bucket]! += d.delta;
	}
	const running = new Map(stages.map((s) => [s.id, 0]));
	return buckets.map((bucket, i) => {
		const counts: Record<string, number> = {};
		for (const s of stages) {
			const n = running.get(s.id)! + change.get(s.id)![i]!;
			running.set(s.id, n);
			counts[s.id] = n;
		}
		return { date: bucket.date, counts };
	});
}

/** Work in progress per bucket: the cumulative-flow counts of active and waiting stages, added up. */
export function wipFromFlow(cfd: readonly { date: string; counts: Record<string, number> }[], stages: readonly StageInfo[]) {
	const inProgress = stages.filter((s) => s.kind === 'active' || s.kind === 'wait').map((s) => s.id);
	return cfd.map((d) => ({ date: d.date, wip: inProgress.reduce((n, id) => n + (d.counts[id] ?? 0), 0) }));
}

/** Time in stage from per-stage visit counts and nearest-rank percentiles in milliseconds. */
export function timeInStageFromVisits(rows: readonly { stageId: string; visits: number; p50: number; p85: number }[], stages: readonly StageInfo[]) {
	const byStage = new Map(rows.map((r) => [r.stageId, r]));
	const perStage: StageTime[] = stages.map((s) => {
		const r = byStage.get(s.id);
		return r ? { stageId: s.id, median: r.p50 / HOUR, p85: r.p85 / HOUR, visits: r.visits } : { stageId: s.id, median: null, p85: null, visits: 0 };
	});
	return withBottleneck(perStage, stages);
}

/** Backward moves (to an earlier stage in workflow order) per stage left, from move counts per (from, to). */
export function reworkFromMoves(moves: readonly { fromStageId: string; toStageId: string; count: number }[], stages: readonly StageInfo[]): Record<string, number> {
	// Unknown stages sit at position 0, as buildTimelines places them.
	const order = new Map(stages.map((s) => [s.id, s.order]));
	const out: Record<string, number> = {};
	for (const m of moves) if ((order.get(m.toStageId) ?? 0) < (order.get(m.fromStageId) ?? 0)) out[m.fromStageId] = (out[m.fromStageId] ?? 0) + m.count;
	return out;
}

/** Cards finished per day as a dense list of `days` counts (the forecast's sample), from sparse (day, count) rows. */
export function dailyCounts(rows: readonly { day: number; count: number }[], days: number): number[] {
	const counts = new Array<number>(days).fill(0);
	for (const r of rows) if (r.day >= 0 && r.day < days) counts[r.day] = r.count;
	return counts;
}
