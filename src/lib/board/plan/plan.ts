import { PlanError } from './errors.ts';
import {
	addDays,
	assertDay,
	assertInstant,
	assertTimeZone,
	daysBetween,
	dayInZone,
	isWorkingDay,
	subtractWorkingDays,
	workingDaysBetween,
	type Day
} from './working-days.ts';

/** How a step's offset is counted: Monday–Friday only, or every calendar day. */
export type OffsetUnit = 'working' | 'calendar';

/** A workflow step of a process template: a stage with an owner role and a due date relative to the target date. */
export interface PlanStep {
	stageId: string;
	name: string;
	ownerRole: string | null;
	/** Days before the card's target date (negative: after it); null when the step has no due date. */
	offset: number | null;
	unit: OffsetUnit;
}

/** One stay of the card in a stage, as history recorded it. */
export interface StageVisit {
	stageId: string;
	enteredAt: Date | null;
	leftAt: Date | null;
}

/** Everything a card's plan depends on. */
export interface PlanInput {
	/** The steps in workflow order. */
	steps: readonly PlanStep[];
	/** The card's target (publish) date, or null when it has none yet. */
	targetDate: Day | null;
	/** When the target date was last set: a step already past on that day never fitted (cannot_fit), not late. */
	targetSetAt: Date;
	/** The board's IANA time zone: "today" and the days of visits are read there. */
	timeZone: string;
	/** The card's stays in stages, any order; a stage may have several (the card went back). */
	visits: readonly StageVisit[];
	/** The stage the card is in now (it may be a stage that is not a step, or null). */
	currentStageId: string | null;
	/** Due dates a person set by hand, by stage id; they win over the computed date until reset. */
	handSet: Readonly<Record<string, Day>>;
	now: Date;
}

/** Where a step stands. */
export type StepStatus = 'done' | 'current' | 'upcoming' | 'late' | 'cannot_fit';

/** A step of a card's plan, with its date and status. */
export type PlannedStep = PlanStep & {
	/**
	 * The step's date on the plan: for a finished step the day it was finished (a fact no re-plan moves); otherwise
	 * the hand-set date, else target date minus offset; null when none applies (no offset, or no target date).
	 */
	plannedDue: Day | null;
	/** Whether `plannedDue` is a date a person set (it survives re-plans until reset). */
	setByHand: boolean;
	/** The latest stay in the step's stage. */
	enteredAt: Date | null;
	leftAt: Date | null;
} & ({ status: Exclude<StepStatus, 'cannot_fit'>; shortBy: null } | { status: 'cannot_fit'; shortBy: number });

function validate(input: PlanInput): void {
	const seen = new Set<string>();
	for (const step of input.steps) {
		if (seen.has(step.stageId)) throw new PlanError('invalid_plan', `The stage "${step.name}" appears twice in the process.`);
		seen.add(step.stageId);
		if (step.unit !== 'working' && step.unit !== 'calendar') {
			throw new PlanError('invalid_plan', `The step "${step.name}" counts its offset in ${String(step.unit)}; use working or calendar days.`);
		}
		if (step.offset !== null && !Number.isSafeInteger(step.offset)) {
			throw new PlanError('invalid_plan', `The step "${step.name}" needs a whole number of days as its offset.`);
		}
	}
	if (input.targetDate !== null) assertDay(input.targetDate, 'The target date');
	for (const [stageId, day] of Object.entries(input.handSet)) assertDay(day, `The hand-set date of stage ${stageId}`);
	for (const visit of input.visits) {
		if (visit.enteredAt !== null) assertInstant(visit.enteredAt, 'A stage visit’s entry time');
		if (visit.leftAt !== null) assertInstant(visit.leftAt, 'A stage visit’s exit time');
	}
	assertTimeZone(input.timeZone);
	assertInstant(input.now, 'Now');
	assertInstant(input.targetSetAt, 'The time the target date was set');
}

/** The latest stay per stage: the one entered last (a stay with no entry time counts as the earliest). */
function latestVisits(visits: readonly StageVisit[]): Map<string, StageVisit> {
	const latest = new Map<string, StageVisit>();
	for (const visit of visits) {
		const known = latest.get(visit.stageId);
		if (!known || (visit.enteredAt?.getTime() ?? -Infinity) >= (known.enteredAt?.getTime() ?? -Infinity)) latest.set(visit.stageId, visit);
	}
	return latest;
}

/** Index of the last step that counts as finished. */
function lastDoneIndex(steps: readonly PlanStep[], currentStageId: string | null, latest: Map<string, StageVisit>): number {
	const current = steps.findIndex((s) => s.stageId === currentStageId);
	// Steps before the current one are behind the card, even if it skipped them.
	if (current >= 0) return current - 1;
	// The card is outside the process (not started, or past its last step): it finished as far as it has left.
	let last = -1;
	steps.forEach((step, index) => {
		if (latest.get(step.stageId)?.leftAt) last = index;
	});
	return last;
}

function computedDue(step: PlanStep, targetDate: Day | null): Day | null {
	if (targetDate === null || step.offset === null) return null;
	return step.unit === 'working' ? subtractWorkingDays(targetDate, step.offset) : addDays(targetDate, -step.offset);
}

/** Days from a missed due date to the earliest day the step can now be done, in the step's unit (at least 1). */
function daysShort(due: Day, today: Day, unit: OffsetUnit): number {
	if (unit === 'calendar') return daysBetween(due, today);
	// On a weekend the earliest working day is the Monday: count up to it.
	return workingDaysBetween(due, isWorkingDay(today) ? today : subtractWorkingDays(today, -1));
}

/**
 * A card's plan: each step's due date and status. Re-planning is calling this again with the new target date:
 * finished steps keep their actual dates, hand-set dates stay, and the other steps move with the target.
 */
export function computePlan(input: PlanInput): PlannedStep[] {
	validate(input);
	const { steps, targetDate, timeZone, handSet } = input;
	const today = dayInZone(input.now, timeZone);
	const plannedOn = dayInZone(input.targetSetAt.getTime() < input.now.getTime() ? input.targetSetAt : input.now, timeZone);
	const latest = latestVisits(input.visits);
	const lastDone = lastDoneIndex(steps, input.currentStageId, latest);
	const current = steps.findIndex((s) => s.stageId === input.currentStageId);

	return steps.map((step, index): PlannedStep => {
		const visit = latest.get(step.stageId);
		const enteredAt = visit?.enteredAt ?? null;
		const leftAt = visit?.leftAt ?? null;
		const base = { ...step, enteredAt, leftAt };
		const byHand = Object.hasOwn(handSet, step.stageId) ? (handSet[step.stageId] ?? null) : null;
		const planned = byHand ?? computedDue(step, targetDate);

		if (index <= lastDone) {
			if (leftAt) return { ...base, plannedDue: dayInZone(leftAt, timeZone), setByHand: false, status: 'done', shortBy: null };
			return { ...base, plannedDue: planned, setByHand: byHand !== null, status: 'done', shortBy: null };
		}
		const setByHand = byHand !== null;
		if (planned !== null && planned < today) {
			// A computed date already past when the target was set never fitted; one that passed since is late.
			if (!setByHand && planned < plannedOn) {
				return { ...base, plannedDue: planned, setByHand, status: 'cannot_fit', shortBy: daysShort(planned, today, step.unit) };
			}
			return { ...base, plannedDue: planned, setByHand, status: 'late', shortBy: null };
		}
		return { ...base, plannedDue: planned, setByHand, status: index === current ? 'current' : 'upcoming', shortBy: null };
	});
}
