import { computePlan, type PlannedStep, type StageVisit } from '../plan/plan.ts';
import type { ApprovalState } from '../plan/approval.ts';
import type { BoardProcess, Card, Stage, StoredDecision } from '../types.ts';
import { signoffState } from './signoff.ts';

/** A step of a card's plan as people see it: its dates and status, who owns it, and its sign-off. */
export type CardPlanStep = PlannedStep & {
	/** The card's owners for the step it is in; the role's holders for the others. */
	owners: string[];
	/** The step has an owner role nobody holds. */
	unstaffed: boolean;
	approval: { required: true; quorum: 'all' | number; state: ApprovalState; decisions: StoredDecision[] } | { required: false };
};

/** A card's plan: its target date, the board's time zone and each step in workflow order. */
export interface CardPlan {
	targetDate: string | null;
	timeZone: string;
	steps: CardPlanStep[];
}

/** What a plan is computed from. */
export interface CardPlanInput {
	stages: readonly Stage[];
	card: Card;
	process: BoardProcess;
	/** The card's stays in stages (from history); without them, only its current stay is known. */
	visits?: readonly StageVisit[];
	now: Date;
}

/** Whether the board runs a process: some stage is a step (owner role, due offset or sign-off). */
export function hasProcess(stages: readonly Stage[]): boolean {
	return stages.some((s) => s.step !== null);
}

/**
 * The card's plan, or null on a board without steps. Dates count back from the card's target date in the board's
 * time zone (src/lib/board/plan); finished steps keep their actual dates, hand-set dates win until reset.
 */
export function planForCard({ stages, card, process, visits, now }: CardPlanInput): CardPlan | null {
	const steps = stages.filter((s) => s.step !== null);
	if (steps.length === 0) return null;
	const planned = computePlan({
		steps: steps.map((s) => ({ stageId: s.id, name: s.name, ownerRole: s.step!.ownerRole, offset: s.step!.offset, unit: s.step!.unit })),
		targetDate: card.target?.day ?? null,
		targetSetAt: card.target ? new Date(card.target.at) : now,
		timeZone: process.timeZone,
		visits: visits ?? staysFromPlace(stages, steps, card),
		currentStageId: card.archived ? null : card.stageId,
		handSet: Object.fromEntries(Object.entries(card.stepDues).filter(([stageId]) => steps.some((s) => s.id === stageId))),
		now
	});
	return {
		targetDate: card.target?.day ?? null,
		timeZone: process.timeZone,
		steps: planned.map((step, i) => {
			const stage = steps[i]!;
			const holders = stage.step!.ownerRole ? (process.teamRoles[stage.step!.ownerRole] ?? []) : [];
			const state = signoffState(stage, card, process.teamRoles);
			const rule = stage.step!.approval;
			return {
				...step,
				owners: stage.id === card.stageId ? card.owners : [...holders],
				unstaffed: stage.step!.ownerRole !== null && holders.length === 0,
				approval: rule && state ? { required: true, quorum: rule.quorum, state, decisions: card.signoffs[stage.id]?.decisions ?? [] } : { required: false }
			};
		})
	};
}

/**
 * What the card's place alone says of its stays, without history: it is in its stage since it moved there, and when
 * that stage is not a step but comes after some, it has left the last step before it (a card in Done finished them
 * all). The exact exit time is unknown: the card's arrival where it is now stands in for it.
 */
function staysFromPlace(stages: readonly Stage[], steps: readonly Stage[], card: Card): StageVisit[] {
	const enteredAt = new Date(card.movedAt);
	const stays: StageVisit[] = [{ stageId: card.stageId, enteredAt, leftAt: null }];
	if (steps.some((s) => s.id === card.stageId)) return stays;
	const at = stages.findIndex((s) => s.id === card.stageId);
	const before = at < 0 ? [] : steps.filter((s) => stages.indexOf(s) < at);
	const last = before.at(-1);
	if (last) stays.push({ stageId: last.id, enteredAt: null, leftAt: enteredAt });
	return stays;
}

/** The step the card is in, if it is a step of the plan. */
export function currentStep(plan: CardPlan | null, card: Pick<Card, 'stageId'>): CardPlanStep | null {
	return plan?.steps.find((s) => s.stageId === card.stageId) ?? null;
}
