import { setImmediate } from 'node:timers/promises';
import type { Db } from '../db/client.ts';
import { readStages } from '../history.ts';
import { DomainError } from '../errors.ts';
import { getTemplate } from '../templates/templates.ts';
import { buildTimelines, type FlowEvent, type StageInfo } from '../../board/metrics/history.ts';
import { cardTimes, type Range } from '../../board/metrics/flow.ts';
import { stageAttempts } from '../../board/metrics/process/attempts.ts';
import { compliance } from '../../board/metrics/process/compliance.ts';
import { planVsActual } from '../../board/metrics/process/plan-actual.ts';
import { efficiencyAgainst } from '../../board/metrics/process/efficiency.ts';
import type { Stage, StageKind } from '../../board/types.ts';
import { readReviewEvents } from './review-events.ts';
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
 * The process figures of a board over `range` from its recorded history: compliance (first attempts at each stage, and
 * quality) against the board's target, plan against actual per step with suggestions, lead and cycle time per month
 * against a baseline, and the automation share per month. Missed deadlines and due-date risk live in their own modules.
 */
export async function processReview(db: Db, boardId: string, range: Range, options: ReviewOptions) {
	const baseline = options.baseline ?? { from: range.from - (range.to - range.from), to: range.from };
	const cardIds = options.cardIds ?? null;
	const until = Math.max(range.to, baseline.to);
	const [events, stageRows, settings, automation] = await Promise.all([
		readReviewEvents(db, boardId, Math.min(range.from, baseline.from), until, cardIds),
		readStages(db, boardId),
		readProcessSettings(db, boardId),
		automationTrend(db, boardId, range, cardIds)
	]);
	const stages: StageInfo[] = stageRows.map((s, order) => ({ id: s.stageId, name: s.name, kind: s.kind as StageKind, order }));
	const names = new Map(stages.map((s) => [s.id, s.name]));
	for (const s of options.workflow.stages) names.set(s.id, s.name);
	const criteria = new Map(options.workflow.stages.map((s) => [s.id, s.exitCriteria.map((c) => c.id)]));
	// Each replay below holds the thread for a while on a big board: the server's sockets go first, between them.
	await setImmediate();
	const attempts = stageAttempts(events, stages, criteria);
	await setImmediate();
	const timelines = buildTimelines(
		events.filter((e): e is FlowEvent => e.type === 'created' || e.type === 'moved'),
		stages
	);
	await setImmediate();
	const figures = compliance(attempts, timelines, range, stages.map((s) => s.id), settings.target);
	const times = cardTimes(timelines, { from: Math.min(range.from, baseline.from), to: until });
	const day = (t: number) => new Date(t).toISOString().slice(0, 10);
	return {
		range: { from: day(range.from), to: day(range.to - 1) },
		template: await templateOf(db, settings.templateId),
		compliance: { ...figures, perStage: figures.perStage.map((s) => ({ ...s, name: names.get(s.stageId) ?? 'Deleted stage' })) },
		planVsActual: { timeZone: options.workflow.timeZone, steps: planVsActual(attempts, reviewSteps(options.workflow.stages), range, options.workflow.timeZone) },
		efficiency: efficiencyAgainst(times, range, baseline),
		automation
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
