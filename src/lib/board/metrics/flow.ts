import { stageAt, type CardTimeline, type StageInfo } from './history.ts';
import { median, summarize, type Summary } from './stats.ts';
import { deadlineOf } from './deadline.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A time range [from, to) in epoch ms. */
export interface Range {
	from: number;
	to: number;
}

/** One point of a time series: the bucket's label and when it starts and ends. */
export interface Bucket {
	date: string;
	start: number;
	end: number;
}

/** The bucket length for a range: an hour for ranges under three days, else a day (ms). */
export function bucketSize(range: Range): number {
	return range.to - range.from < 3 * DAY ? HOUR : DAY;
}

/** Buckets covering the range: hours for ranges under three days, else UTC days. */
export function bucketsFor(range: Range): Bucket[] {
	const size = bucketSize(range);
	const first = Math.floor(range.from / size) * size;
	const out: Bucket[] = [];
	for (let t = first; t < range.to; t += size) {
		const iso = new Date(t).toISOString();
		out.push({ date: size === DAY ? iso.slice(0, 10) : iso.slice(0, 13) + ':00Z', start: t, end: t + size });
	}
	return out;
}

/** Cards per stage at the end of each bucket (finished cards keep counting in their done stage). */
export function cumulativeFlow(cards: readonly CardTimeline[], stages: readonly StageInfo[], range: Range, now: number) {
	return bucketsFor(range).map((bucket) => {
		const at = Math.min(bucket.end - 1, now);
		const counts: Record<string, number> = Object.fromEntries(stages.map((s) => [s.id, 0]));
		for (const card of cards) {
			const stage = stageAt(card, at);
			if (stage !== null && stage in counts) counts[stage]!++;
		}
		return { date: bucket.date, counts };
	});
}

/** Cards in active or waiting stages at the end of each bucket. */
export function wipOverTime(cards: readonly CardTimeline[], stages: readonly StageInfo[], range: Range, now: number) {
	const inProgress = new Set(stages.filter((s) => s.kind === 'active' || s.kind === 'wait').map((s) => s.id));
	return bucketsFor(range).map((bucket) => {
		const at = Math.min(bucket.end - 1, now);
		let wip = 0;
		for (const card of cards) {
			const stage = stageAt(card, at);
			if (stage !== null && inProgress.has(stage)) wip++;
		}
		return { date: bucket.date, wip };
	});
}

/** Lead time (created → first done) and cycle time (first active → first done) of one finished card, in hours. */
export interface CardTimes {
	cardId: string;
	finishedAt: number;
	leadHours: number;
	cycleHours: number | null;
}

/** Per-card lead and cycle times for cards finished within the range. */
export function cardTimes(cards: readonly Pick<CardTimeline, 'cardId' | 'createdAt' | 'startedAt' | 'finishedAt'>[], range: Range): CardTimes[] {
	const out: CardTimes[] = [];
	for (const card of cards) {
		if (card.finishedAt === null || card.finishedAt < range.from || card.finishedAt >= range.to) continue;
		const cycle = card.startedAt !== null && card.startedAt <= card.finishedAt ? (card.finishedAt - card.startedAt) / HOUR : null;
		out.push({ cardId: card.cardId, finishedAt: card.finishedAt, leadHours: (card.finishedAt - card.createdAt) / HOUR, cycleHours: cycle });
	}
	return out.sort((a, b) => a.finishedAt - b.finishedAt);
}

/** Lead and cycle time summaries (hours). */
export function leadAndCycle(times: readonly CardTimes[]): { leadTime: Summary; cycleTime: Summary } {
	return {
		leadTime: summarize(times.map((t) => t.leadHours)),
		cycleTime: summarize(times.flatMap((t) => (t.cycleHours === null ? [] : [t.cycleHours])))
	};
}

/** Start (epoch ms) of the Monday (UTC) of the week containing `t`. Day 0, 1970-01-01, was a Thursday. */
export function mondayOf(t: number): number {
	const day = Math.floor(t / DAY);
	return (day - ((((day + 3) % 7) + 7) % 7)) * DAY;
}

/** Monday (UTC) of the week containing `t`, as YYYY-MM-DD. */
export function weekOf(t: number): string {
	return new Date(mondayOf(t)).toISOString().slice(0, 10);
}

/** Cards finished per week (every week of the range, zeros included). */
export function throughputByWeek(times: readonly CardTimes[], range: Range): { week: string; count: number }[] {
	// Keyed by the Monday's time, so a card costs arithmetic rather than a date string.
	const weeks = new Map<number, number>();
	for (let t = mondayOf(range.from); t < range.to; t += 7 * DAY) weeks.set(t, 0);
	for (const time of times) {
		const monday = mondayOf(time.finishedAt);
		weeks.set(monday, (weeks.get(monday) ?? 0) + 1);
	}
	return [...weeks.entries()].sort(([a], [b]) => a - b).map(([monday, count]) => ({ week: weekOf(monday), count }));
}

/** Cards finished per UTC day over `days` days ending at `now` (the forecast's sample). */
export function dailyThroughput(cards: readonly CardTimeline[], now: number, days: number): number[] {
	const start = Math.floor(now / DAY) * DAY - (days - 1) * DAY;
	const counts = new Array<number>(days).fill(0);
	for (const card of cards) {
		if (card.finishedAt === null || card.finishedAt < start || card.finishedAt > now) continue;
		counts[Math.floor((card.finishedAt - start) / DAY)]!++;
	}
	return counts;
}

/** Median and 85th percentile of time spent per visit in each stage (hours), and the slowest non-done stage. */
export function timeInStage(cards: readonly CardTimeline[], stages: readonly StageInfo[], range: Range) {
	const durations = new Map<string, number[]>(stages.map((s) => [s.id, []]));
	for (const card of cards) {
		for (const visit of card.visits) {
			if (visit.end === null || visit.end < range.from || visit.end >= range.to) continue;
			durations.get(visit.stageId)?.push((visit.end - visit.start) / HOUR);
		}
	}
	return withBottleneck(
		stages.map((s) => {
			const summary = summarize(durations.get(s.id) ?? []);
			return { stageId: s.id, median: summary.p50, p85: summary.p85, visits: summary.count };
		}),
		stages
	);
}

/** One stage's time-in-stage figures (hours per visit). */
export interface StageTime {
	stageId: string;
	median: number | null;
	p85: number | null;
	visits: number;
}

/** Per-stage figures with the bottleneck: the non-done stage with the highest median (ties: the earlier stage). */
export function withBottleneck(perStage: StageTime[], stages: readonly StageInfo[]): { perStage: StageTime[]; bottleneck: string | null } {
	let bottleneck: string | null = null;
	let worst = -1;
	for (const entry of perStage) {
		const stage = stages.find((s) => s.id === entry.stageId)!;
		if (stage.kind === 'done' || entry.median === null) continue;
		if (entry.median > worst) {
			worst = entry.median;
			bottleneck = entry.stageId;
		}
	}
	return { perStage, bottleneck };
}

/** Time in active stages ÷ time in active + waiting stages, over cards finished in the range (null if none). */
export function flowEfficiency(cards: readonly CardTimeline[], stages: readonly StageInfo[], range: Range): number | null {
	const kind = new Map(stages.map((s) => [s.id, s.kind]));
	let active = 0;
	let waiting = 0;
	for (const card of cards) {
		if (card.finishedAt === null || card.finishedAt < range.from || card.finishedAt >= range.to) continue;
		for (const visit of card.visits) {
			if (visit.start >= card.finishedAt) break;
			const end = Math.min(visit.end ?? card.finishedAt, card.finishedAt);
			if (kind.get(visit.stageId) === 'active') active += end - visit.start;
			else if (kind.get(visit.stageId) === 'wait') waiting += end - visit.start;
		}
	}
	return efficiency(active, waiting);
}

/** Active ÷ (active + waiting) time, or null when there was neither. */
export function efficiency(activeMs: number, waitMs: number): number | null {
	return activeMs + waitMs > 0 ? activeMs / (activeMs + waitMs) : null;
}

/** Milliseconds a finished card spent in each stage before it first reached done. */
export function msBeforeFinish(card: Pick<CardTimeline, 'visits' | 'finishedAt'>): Record<string, number> {
	const out: Record<string, number> = {};
	if (card.finishedAt === null) return out;
	for (const visit of card.visits) {
		if (visit.start >= card.finishedAt) break;
		const end = Math.min(visit.end ?? card.finishedAt, card.finishedAt);
		out[visit.stageId] = (out[visit.stageId] ?? 0) + (end - visit.start);
	}
	return out;
}

/** What the deadline figures need of a card; `msByStage` (see `msBeforeFinish`) is read only for late cards. */
export interface DeadlineFacts {
	finishedAt: number | null;
	/** The due date in force when the card finished: moving it afterwards changes nothing. */
	due: string | null;
	msByStage: Record<string, number> | null;
	/** The due date was moved before the card finished (see `CardTimeline.dueMoved`). */
	dueMoved?: boolean;
}

/**
 * Share of finished cards with a due date that finished by the end of that day (UTC), judged by the due date in
 * force when each finished; where late cards' time went; and how many of them had their due date moved first.
 */
export function dueDateHitRate(cards: readonly CardTimeline[], range: Range) {
	return deadlines(
		cards.map((card) => ({ finishedAt: card.finishedAt, due: card.dueAtFinish, msByStage: msBeforeFinish(card), dueMoved: card.dueMoved })),
		range
	);
}

/** `dueDateHitRate` from per-card facts. Hours are summed as whole milliseconds first, so card order cannot change them. */
export function deadlines(cards: readonly DeadlineFacts[], range: Range) {
	let onTime = 0;
	let withDue = 0;
	let dueMoved = 0;
	const lateMs: Record<string, number> = {};
	for (const card of cards) {
		if (card.finishedAt === null || card.finishedAt < range.from || card.finishedAt >= range.to) continue;
		const deadline = deadlineOf(card.due);
		if (deadline === null) continue;
		withDue++;
		if (card.dueMoved === true) dueMoved++;
		if (card.finishedAt <= deadline) {
			onTime++;
			continue;
		}
		for (const [stageId, ms] of Object.entries(card.msByStage ?? {})) lateMs[stageId] = (lateMs[stageId] ?? 0) + ms;
	}
	return deadlineFigures(withDue, onTime, lateMs, dueMoved);
}

/** The deadline figures from their counts, the late cards' milliseconds per stage and how many had their due date moved. */
export function deadlineFigures(withDue: number, onTime: number, lateMsByStage: Record<string, number>, dueMoved: number) {
	const lateHoursByStage = Object.fromEntries(Object.entries(lateMsByStage).map(([stageId, ms]) => [stageId, ms / HOUR]));
	return { rate: withDue ? onTime / withDue : null, onTime, withDue, dueMoved, lateHoursByStage };
}

/** Backward moves per stage (the stage left) within the range. */
export function rework(cards: readonly CardTimeline[], range: Range): Record<string, number> {
	const out: Record<string, number> = {};
	for (const card of cards) for (const back of card.backwardFrom) if (back.at >= range.from && back.at < range.to) out[back.stageId] = (out[back.stageId] ?? 0) + 1;
	return out;
}

/** Share of cards finished in the range whose quality checklist was complete when they finished. */
export function quality(cards: readonly Pick<CardTimeline, 'finishedAt' | 'checklistAtFinish'>[], range: Range) {
	let complete = 0;
	let withChecklist = 0;
	for (const card of cards) {
		if (card.finishedAt === null || card.finishedAt < range.from || card.finishedAt >= range.to) continue;
		const list = card.checklistAtFinish;
		if (!list || list.total === 0) continue;
		withChecklist++;
		if (list.done === list.total) complete++;
	}
	return { rate: withChecklist ? complete / withChecklist : null, complete, withChecklist };
}

/** Median of a list, re-exported for callers that summarise per-card figures. */
export { median };
