import type { Db } from '../db/client.ts';
import { readStages } from '../history.ts';
import { DomainError } from '../errors.ts';
import { getTemplate } from '../templates/templates.ts';
import { cardTimes, type Range } from '../../board/metrics/flow.ts';
import { complianceOf } from '../../board/metrics/process/compliance.ts';
import { planVsActualOf } from '../../board/metrics/process/plan-actual.ts';
import { efficiencyAgainst } from '../../board/metrics/process/efficiency.ts';
import type { Stage } from '../../board/types.ts';
import { readFinishedCards, readStoredAttempts } from './stored-attempts.ts';
import { readProcessSettings } from './owner.ts';
import { reviewSteps } from './plan-actual.ts';
import { automationTrend } from './efficiency.ts';

/** What the review needs of the board's live document: its stages (criteria, step settings) and time zone. */
export interface ReviewWorkflow {
	stages: readonly Stage[];
	timeZone: string;
}

/** How a review is asked for beyond its range. */
export interface ReviewOptions {
	workflow: ReviewWorkflow;
	/** The period to compare lead and cycle time with; by default the same length just before the range. */
	baseline?: Range;
	/** Count only these cards (a filter's matches); null or absent: every card. */
	cardIds?: readonly string[] | null;
}

/** The process review's answer (see docs/process-review.md). */
export type ProcessReview = Awaited<ReturnType<typeof processReview>>;

/**
 * The process figures of a board over `range` from its recorded history (`stage_attempts` and `card_flow`, kept on
 * write, so a request counts along indexes rather than replaying history): compliance (first attempts at each stage, and
 * quality) against the board's target, plan against actual per step with suggestions, lead and cycle time per month
 * against a baseline, and the automation share per month. Missed deadlines and due-date risk live in their own modules.
 */
export async function processReview(db: Db, boardId: string, range: Range, options: ReviewOptions) {
	const [figures, automation] = await Promise.all([stepFigures(db, boardId, range, options), automationTrend(db, boardId, range, options.cardIds ?? null)]);
	return { ...figures, automation };
}

/** The review without its automation trend (what the portfolio reads of each board): see `processReview`. */
export async function stepFigures(db: Db, boardId: string, range: Range, options: ReviewOptions) {
	const baseline = options.baseline ?? { from: range.from - (range.to - range.from), to: range.from };
	const cardIds = options.cardIds ?? null;
	const { stages, timeZone } = options.workflow;
	const criteria = new Map(stages.map((s) => [s.id, s.exitCriteria.map((c) => c.id)]));
	const both = { from: Math.min(range.from, baseline.from), to: Math.max(range.to, baseline.to) };
	const [{ counts, days }, finished, stageRows, settings] = await Promise.all([
		readStoredAttempts(db, boardId, range, timeZone, criteria, cardIds),
		readFinishedCards(db, boardId, both, cardIds),
		readStages(db, boardId),
		readProcessSettings(db, boardId)
	]);
	const names = new Map(stageRows.map((s) => [s.stageId, s.name]));
	for (const s of stages) names.set(s.id, s.name);
	const figures = complianceOf(counts, finished, range, stageRows.map((s) => s.stageId), settings.target);
	const day = (t: number) => new Date(t).toISOString().slice(0, 10);
	return {
		range: { from: day(range.from), to: day(range.to - 1) },
		template: await templateOf(db, settings.templateId),
		compliance: { ...figures, perStage: figures.perStage.map((s) => ({ ...s, name: names.get(s.stageId) ?? 'Deleted stage' })) },
		planVsActual: { timeZone, steps: planVsActualOf(days, reviewSteps(stages)) },
		efficiency: efficiencyAgainst(cardTimes(finished, both), range, baseline)
	};
}

/** The board's template by id and name (null: none, or no longer there). */
async function templateOf(db: Db, templateId: string | null): Promise<{ id: string; name: string } | null> {
	if (!templateId) return null;
	try {
		return { id: templateId, name: (await getTemplate(db, templateId)).template.name };
	} catch (err) {
		if (err instanceof DomainError && err.code === 'not_found') return null;
		throw err;
	}
}
