import { mondayOf, quality, weekOf, type Range } from '../flow.ts';
import type { CardTimeline } from '../history.ts';
import { isClean, type StageAttempt } from './attempts.ts';

const WEEK = 7 * 86_400_000;

/** What the process owner aims for unless they set their own: 95 % of exits clean at the first attempt. */
export const DEFAULT_COMPLIANCE_TARGET = 0.95;

/** First attempts that left a stage, how many were clean, and why the others were not. */
export interface ComplianceCount {
	exits: number;
	clean: number;
	/** clean ÷ exits; null without exits. */
	rate: number | null;
	/** Left with an exit criterion not checked. */
	criteriaMissed: number;
	/** Sent back into the stage afterwards. */
	sentBack: number;
}

/** The quality part: finished cards with a checklist, and how many had it complete when they finished. */
export type QualityCount = ReturnType<typeof quality>;

/** The compliance figures of a range (see docs/process-review.md). */
export interface Compliance extends ComplianceCount {
	target: number;
	/** Whether the range's rate meets the target (null without exits). */
	met: boolean | null;
	quality: QualityCount;
	perStage: (ComplianceCount & { stageId: string })[];
	/** Every ISO week (Monday, UTC) of the range, empty ones included. */
	weekly: (ComplianceCount & { week: string; quality: QualityCount })[];
}

/** First attempts of one stage that left in one week (Monday, UTC, epoch ms), counted: how the database hands them over. */
export interface AttemptCount {
	stageId: string;
	monday: number;
	exits: number;
	clean: number;
	criteriaMissed: number;
	sentBack: number;
}

/** Counts the first attempts that left in `range` per stage and week (what the database's grouping gives). */
export function countAttempts(attempts: readonly StageAttempt[], range: Range): AttemptCount[] {
	const counts = new Map<string, AttemptCount>();
	for (const a of attempts) {
		if (a.leftAt < range.from || a.leftAt >= range.to) continue;
		const monday = mondayOf(a.leftAt);
		const key = `${a.stageId}\u0000${monday}`;
		const c = counts.get(key) ?? { stageId: a.stageId, monday, exits: 0, clean: 0, criteriaMissed: 0, sentBack: 0 };
		c.exits++;
		if (isClean(a)) c.clean++;
		if (!a.criteriaMet) c.criteriaMissed++;
		if (a.sentBack) c.sentBack++;
		counts.set(key, c);
	}
	return [...counts.values()];
}

function total(counts: readonly AttemptCount[]): ComplianceCount {
	let exits = 0;
	let clean = 0;
	let criteriaMissed = 0;
	let sentBack = 0;
	for (const c of counts) {
		exits += c.exits;
		clean += c.clean;
		criteriaMissed += c.criteriaMissed;
		sentBack += c.sentBack;
	}
	return { exits, clean, rate: exits ? clean / exits : null, criteriaMissed, sentBack };
}

/**
 * Compliance over a range: of the first attempts that left a stage in the range (dated by when they left), the share
 * that were clean (`isClean`), per stage (in `stageOrder`, then any other stage) and per week; and the quality share
 * of the cards finished in the range (`quality` of the stats), per week too.
 */
export function compliance(
	attempts: readonly StageAttempt[],
	cards: readonly Pick<CardTimeline, 'finishedAt' | 'checklistAtFinish'>[],
	range: Range,
	stageOrder: readonly string[],
	target: number = DEFAULT_COMPLIANCE_TARGET
): Compliance {
	return complianceOf(countAttempts(attempts, range), cards, range, stageOrder, target);
}

/** `compliance` from attempts already counted per stage and week (`countAttempts`, or the database's grouping of the range). */
export function complianceOf(
	counts: readonly AttemptCount[],
	cards: readonly Pick<CardTimeline, 'finishedAt' | 'checklistAtFinish'>[],
	range: Range,
	stageOrder: readonly string[],
	target: number = DEFAULT_COMPLIANCE_TARGET
): Compliance {
	const byStage = new Map<string, AttemptCount[]>(stageOrder.map((id) => [id, []]));
	const byWeek = new Map<number, AttemptCount[]>();
	for (const c of counts) {
		const list = byStage.get(c.stageId);
		if (list) list.push(c);
		else byStage.set(c.stageId, [c]);
		byWeek.set(c.monday, [...(byWeek.get(c.monday) ?? []), c]);
	}
	const weekly: Compliance['weekly'] = [];
	for (let monday = mondayOf(range.from); monday < range.to; monday += WEEK) {
		const week = { from: Math.max(monday, range.from), to: Math.min(monday + WEEK, range.to) };
		weekly.push({ week: weekOf(monday), ...total(byWeek.get(monday) ?? []), quality: quality(cards, week) });
	}
	const all = total(counts);
	return {
		...all,
		target,
		met: all.rate === null ? null : all.rate >= target,
		quality: quality(cards, range),
		perStage: [...byStage.entries()].filter(([, list]) => list.length > 0).map(([stageId, list]) => ({ stageId, ...total(list) })),
		weekly
	};
}
