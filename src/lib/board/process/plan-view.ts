import { z } from 'zod';
import '../zod-jitless.ts';
import type { StageVisit } from '../plan/plan.ts';
import { addDays, daysBetween, dayInZone, subtractWorkingDays, workingDaysBetween } from '../plan/working-days.ts';
import { isCalendarDate } from '../limits.ts';
import type { Card } from '../types.ts';
import { PlanError } from '../plan/errors.ts';
import { planForCard, type CardPlan, type CardPlanInput, type CardPlanStep } from './card-plan.ts';

const isoOrNull = z
	.string()
	.refine((s) => !Number.isNaN(Date.parse(s)))
	.nullable();

/** The part of `GET /api/boards/<id>/cards/<id>/plan` the browser reads: when the card entered and left each step. */
const serverPlanSchema = z.object({
	steps: z.array(z.object({ stageId: z.string(), enteredAt: isoOrNull.optional(), leftAt: isoOrNull.optional() }).passthrough()).max(200)
});

/** The card's stays in steps as the server's history knows them. */
export type ServerStays = { stageId: string; enteredAt: string | null; leftAt: string | null }[];

/** The stays of a plan answer, or null when the answer is not one (a browser then keeps its local plan). */
export function parseServerStays(json: unknown): ServerStays | null {
	const parsed = serverPlanSchema.safeParse(json);
	if (!parsed.success) return null;
	return parsed.data.steps.map((s) => ({ stageId: s.stageId, enteredAt: s.enteredAt ?? null, leftAt: s.leftAt ?? null }));
}

/**
 * The visits to plan a card with: the server's record of earlier stays, and the stay the card is in now as this
 * browser sees it (fresher than an answer fetched before the card last moved).
 */
export function visitsFor(card: Pick<Card, 'stageId' | 'movedAt' | 'archived'>, stays: ServerStays | null): StageVisit[] {
	const current: StageVisit = { stageId: card.stageId, enteredAt: new Date(card.movedAt), leftAt: null };
	if (!stays) return card.archived ? [] : [current];
	const earlier = stays
		.filter((s) => s.stageId !== card.stageId || card.archived)
		.filter((s) => s.enteredAt !== null || s.leftAt !== null)
		.map((s) => ({ stageId: s.stageId, enteredAt: s.enteredAt ? new Date(s.enteredAt) : null, leftAt: s.leftAt ? new Date(s.leftAt) : null }));
	return card.archived ? earlier : [...earlier, current];
}

/** "3 working days" / "1 calendar day". */
export function dayCount(n: number, unit: 'working' | 'calendar'): string {
	return `${n} ${unit} day${n === 1 ? '' : 's'}`;
}

/** The words of a step's status badge: Done, Current, Upcoming, Late, or "Can't fit — N working days short". */
export function stepStatusText(step: Pick<CardPlanStep, 'status' | 'shortBy' | 'unit'>): string {
	switch (step.status) {
		case 'done':
			return 'Done';
		case 'current':
			return 'Current';
		case 'upcoming':
			return 'Upcoming';
		case 'late':
			return 'Late';
		case 'cannot_fit':
			return `Can't fit — ${dayCount(step.shortBy ?? 0, step.unit)} short`;
	}
}

/** The date the plan gave a step before the card finished it: set by hand, else the target date minus the offset. */
export function originalDue(step: Pick<CardPlanStep, 'stageId' | 'offset' | 'unit'>, card: Pick<Card, 'target' | 'stepDues'>): string | null {
	const byHand = card.stepDues[step.stageId];
	if (byHand && isCalendarDate(byHand)) return byHand;
	if (!card.target || step.offset === null) return null;
	return step.unit === 'working' ? subtractWorkingDays(card.target.day, step.offset) : addDays(card.target.day, -step.offset);
}

/**
 * Whether a finished step was left by its planned date: `{ late: 0 }` on time, `{ late: n }` n days (in the step's
 * unit) after it; null when it had no date or no recorded exit.
 */
export function finishedLateBy(step: CardPlanStep, card: Pick<Card, 'target' | 'stepDues'>, timeZone: string): { late: number } | null {
	if (step.status !== 'done' || !step.leftAt) return null;
	try {
		const due = originalDue(step, card);
		if (!due) return null;
		const left = dayInZone(step.leftAt, timeZone);
		const late = step.unit === 'working' ? workingDaysBetween(due, left) : daysBetween(due, left);
		return { late: Math.max(0, late) };
	} catch (err) {
		// A date the rules cannot count with (beyond year 9999) has no "on time".
		if (err instanceof PlanError) return null;
		throw err;
	}
}

/**
 * The team role nobody holds for the card's current step, or null: the process's last hand-off found no one, or
 * the plan's current step has an owner role without holders.
 */
export function unstaffedRole(card: Pick<Card, 'stageId' | 'handoff'>, plan: CardPlan | null): string | null {
	if (card.handoff && card.handoff.stageId === card.stageId && card.handoff.userId === null) return card.handoff.role;
	const step = plan?.steps.find((s) => s.stageId === card.stageId);
	return step?.unstaffed ? step.ownerRole : null;
}

/**
 * planForCard for a screen: a plan the rules refuse (a target date so far back that a step falls before year 0000,
 * say) gives its message instead of throwing, so one odd card never breaks the board.
 */
export function planOrProblem(input: CardPlanInput): { plan: CardPlan | null; problem: string | null } {
	try {
		return { plan: planForCard(input), problem: null };
	} catch (err) {
		if (err instanceof PlanError) return { plan: null, problem: err.message };
		throw err;
	}
}
