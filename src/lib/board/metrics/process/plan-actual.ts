import { summarize } from '../stats.ts';
import type { Range } from '../flow.ts';
import { deadlineOf } from '../deadline.ts';
import { addDays, daysBetween, dayInZone, subtractWorkingDays, workingDaysBetween, type Day } from '../../plan/working-days.ts';
import { MAX_OFFSET_DAYS } from '../../process/step-settings.ts';
import type { OffsetUnit } from '../../types.ts';
import type { StageAttempt } from './attempts.ts';

/** The fewest first attempts a step needs before the review suggests changing its allowance. */
export const MIN_SAMPLES_FOR_SUGGESTION = 3;

/** A step of the board's process as the review reads it: a stage with a due offset (days before the target date). */
export interface ReviewStep {
	stageId: string;
	name: string;
	offset: number | null;
	unit: OffsetUnit;
}

/** One step's plan against actual over a range. */
export interface StepReview {
	stageId: string;
	name: string;
	unit: OffsetUnit;
	/** First attempts that left the step in the range. */
	left: number;
	/** Of those, the ones whose card had a target date when it left (a planned date to compare with). */
	planned: number;
	/** Of the planned ones, those that left on or before their planned day (in the board's time zone). */
	onTime: number;
	/** onTime ÷ planned; null when none was planned. */
	onTimeRate: number | null;
	/** Days in the step (in its unit, from the day it entered to the day it left, board time zone), nearest rank. */
	p50: number | null;
	p85: number | null;
	/** Days the plan allows: the previous step's offset minus this one's (same unit); null for the first step. */
	allowance: number | null;
	suggestion: { days: number; message: string } | null;
}

/** The planned day of a step for a card with this target date (null without one, or without an offset). */
export function plannedDay(step: Pick<ReviewStep, 'offset' | 'unit'>, target: string | null): Day | null {
	if (target === null || step.offset === null || deadlineOf(target) === null) return null;
	return step.unit === 'working' ? subtractWorkingDays(target, step.offset) : addDays(target, -step.offset);
}

/** Days from `from` to `to` in a step's unit. */
function daysIn(unit: OffsetUnit, from: Day, to: Day): number {
	return unit === 'working' ? workingDaysBetween(from, to) : daysBetween(from, to);
}

/** Each step's allowance: the previous step with an offset, minus this step's offset, when both count the same unit. */
export function allowances(steps: readonly ReviewStep[]): Map<string, number | null> {
	const out = new Map<string, number | null>();
	let previous: ReviewStep | null = null;
	for (const step of steps) {
		if (step.offset === null) continue;
		out.set(step.stageId, previous && previous.unit === step.unit ? previous.offset! - step.offset : null);
		previous = step;
	}
	return out;
}

/** Days the first attempts of a range spent in each stage: from the day they entered to the day they left (local days). */
export interface SpanCount {
	stageId: string;
	entered: Day;
	left: Day;
	count: number;
}

/** When first attempts with a target date left each stage: the target and the day they left (local days). */
export interface LeftCount {
	stageId: string;
	target: Day;
	left: Day;
	count: number;
}

/** What plan against actual reads of a range's first attempts, in the board's time zone. */
export interface AttemptDays {
	spans: SpanCount[];
	lefts: LeftCount[];
}

/** Counts a range's first attempts by their days in `timeZone` (what the database's grouping gives). */
export function attemptDays(attempts: readonly StageAttempt[], range: Range, timeZone: string): AttemptDays {
	const spans = new Map<string, SpanCount>();
	const lefts = new Map<string, LeftCount>();
	const add = <T extends { count: number }>(into: Map<string, T>, key: string, make: () => T) => {
		const c = into.get(key) ?? make();
		c.count++;
		into.set(key, c);
	};
	for (const a of attempts) {
		if (a.leftAt < range.from || a.leftAt >= range.to) continue;
		const entered = dayInZone(new Date(a.enteredAt), timeZone);
		const left = dayInZone(new Date(a.leftAt), timeZone);
		add(spans, `${a.stageId} ${entered} ${left}`, () => ({ stageId: a.stageId, entered, left, count: 0 }));
		const target = a.target;
		if (target !== null && deadlineOf(target) !== null) add(lefts, `${a.stageId} ${target} ${left}`, () => ({ stageId: a.stageId, target, left, count: 0 }));
	}
	return { spans: [...spans.values()], lefts: [...lefts.values()] };
}

/**
 * Plan against actual per step (steps with an offset, in workflow order): the share of first attempts that left by
 * their planned day, time in the step at p50/p85 against its allowance, and a suggestion where p85 (at least one day)
 * differs from the allowance and at least MIN_SAMPLES_FOR_SUGGESTION attempts left the step in the range.
 */
export function planVsActual(attempts: readonly StageAttempt[], steps: readonly ReviewStep[], range: Range, timeZone: string): StepReview[] {
	return planVsActualOf(attemptDays(attempts, range, timeZone), steps);
}

/** `planVsActual` from a range's first attempts counted by day (`attemptDays`, or the database's grouping). */
export function planVsActualOf(days: AttemptDays, steps: readonly ReviewStep[]): StepReview[] {
	const allowed = allowances(steps);
	return steps.flatMap((step) => {
		if (step.offset === null) return [];
		let left = 0;
		const samples: number[] = [];
		for (const s of days.spans) {
			if (s.stageId !== step.stageId) continue;
			left += s.count;
			const inStep = daysIn(step.unit, s.entered, s.left);
			for (let i = 0; i < s.count; i++) samples.push(inStep);
		}
		let planned = 0;
		let onTime = 0;
		for (const l of days.lefts) {
			if (l.stageId !== step.stageId) continue;
			const due = plannedDay(step, l.target);
			if (due === null) continue;
			planned += l.count;
			if (l.left <= due) onTime += l.count;
		}
		const { p50, p85 } = summarize(samples);
		const allowance = allowed.get(step.stageId) ?? null;
		return [{ stageId: step.stageId, name: step.name, unit: step.unit, left, planned, onTime, onTimeRate: planned ? onTime / planned : null, p50, p85, allowance, suggestion: suggest(step, allowance, p85, left) }];
	});
}

function suggest(step: ReviewStep, allowance: number | null, p85: number | null, samples: number): StepReview['suggestion'] {
	if (allowance === null || p85 === null || samples < MIN_SAMPLES_FOR_SUGGESTION) return null;
	const days = Math.max(1, p85);
	if (days === allowance) return null;
	const unit = step.unit === 'working' ? 'working days' : 'days';
	return { days, message: `“${step.name}” takes ${p85} ${unit} at p85; the plan allows ${allowance} — change it to ${days}?` };
}

/** Why an allowance cannot be changed; the message is shown as is. */
export class AllowanceError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'AllowanceError';
	}
}

/**
 * The step offsets after giving `stageId` an allowance of `days`: the steps before it start earlier (or later) by the
 * difference, so the target date, this step's due day and every later step stay as they were. Returns the changed
 * offsets by stage id. Throws AllowanceError for a stage without an allowance or offsets beyond the limit.
 */
export function offsetsForAllowance(steps: readonly ReviewStep[], stageId: string, days: number): Map<string, number> {
	const step = steps.find((s) => s.stageId === stageId);
	if (!step) throw new AllowanceError('That stage is not a step of this board’s process any more.');
	const allowance = allowances(steps).get(stageId) ?? null;
	if (allowance === null) throw new AllowanceError(`“${step.name}” has no allowance to change: it needs an earlier step with a due offset counted in the same days.`);
	if (!Number.isSafeInteger(days) || days < 0 || days > MAX_OFFSET_DAYS) throw new AllowanceError(`Give “${step.name}” a whole number of days from 0 to ${MAX_OFFSET_DAYS}.`);
	const delta = days - allowance;
	const changed = new Map<string, number>();
	if (delta === 0) return changed;
	for (const s of steps) {
		if (s.stageId === stageId) break;
		if (s.offset === null) continue;
		const offset = s.offset + delta;
		if (Math.abs(offset) > MAX_OFFSET_DAYS) throw new AllowanceError(`That would put “${s.name}” more than ${MAX_OFFSET_DAYS} days from the target date.`);
		changed.set(s.stageId, offset);
	}
	return changed;
}
