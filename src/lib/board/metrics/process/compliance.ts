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

function count(attempts: readonly StageAttempt[]): ComplianceCount {
	let clean = 0;
	let criteriaMissed = 0;
	let sentBack = 0;
	for (const a of attempts) {
		if (isClean(a)) clean++;
		if (!a.criteriaMet) criteriaMissed++;
		if (a.sentBack) sentBack++;
	}
	return { exits: attempts.length, clean, rate: attempts.length ? clean / attempts.length : null, criteriaMissed, sentBack };
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
	const inRange = attempts.filter((a) => a.leftAt >= range.from && a.leftAt < range.to);
	const total = count(inRange);
	const byStage = new Map<string, StageAttempt[]>(stageOrder.map((id) => [id, []]));
	for (const a of inRange) {
		const list = byStage.get(a.stageId);
		if (list) list.push(a);
		else byStage.set(a.stageId, [a]);
	}
	const weekly: Compliance['weekly'] = [];
	for (let monday = mondayOf(range.from); monday < range.to; monday += WEEK) {
		const week = { from: Math.max(monday, range.from), to: Math.min(monday + WEEK, range.to) };
		weekly.push({ week: weekOf(monday), ...count(inRange.filter((a) => a.leftAt >= week.from && a.leftAt < week.to)), quality: quality(cards, week) });
	}
	return {
		...total,
		target,
		met: total.rate === null ? null : total.rate >= target,
		quality: quality(cards, range),
		perStage: [...byStage.entries()].filter(([, list]) => list.length > 0).map(([stageId, list]) => ({ stageId, ...count(list) })),
		weekly
	};
}
