import { planForCard } from '../board/process/card-plan.ts';
import { addDays } from '../board/plan/working-days.ts';
import type { BoardProcess, Card, Stage } from '../board/types.ts';

/** Which due date of a card a reminder is about: the card's own (`'card'`) or the step of the stage it is in. */
export type DueSubject = 'card' | { stageId: string };

/** One due date a card's owners are reminded of. */
export interface DueItem {
	/** `'card'` or the step's stage id (the job and notification keys use it). */
	step: string;
	/** The step's name, or null for the card's own due date. */
	stepName: string | null;
	/** YYYY-MM-DD in the board's time zone. */
	day: string;
	/** The moment it falls due: the end of that day in the board's time zone. */
	dueAt: Date;
}

/** The UTC offset (ms) of `timeZone` at `instant`. */
function offsetAt(instant: Date, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(instant);
	const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
	const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
	return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The first instant of the day after `day` in `timeZone`: a date is due until its day ends (daylight saving included). */
export function endOfDayIn(day: string, timeZone: string): Date {
	const next = addDays(day, 1);
	const [y, m, d] = next.split('-').map(Number);
	const naive = Date.UTC(y!, m! - 1, d!);
	// Two passes settle the offset on either side of a daylight-saving change.
	let guess = naive - offsetAt(new Date(naive), timeZone);
	guess = naive - offsetAt(new Date(guess), timeZone);
	return new Date(guess);
}

/**
 * What a card is due by, as reminders see it: its own due date, and the planned due date of the step it is in (a
 * card's owners own its current step). A done or archived card is due nothing.
 */
export function dueItems(card: Card, stages: readonly Stage[], process: BoardProcess, now: Date): DueItem[] {
	if (card.archived) return [];
	const stage = stages.find((s) => s.id === card.stageId);
	if (!stage || stage.kind === 'done') return [];
	const items: DueItem[] = [];
	const timeZone = process.timeZone || 'UTC';
	if (card.due) items.push({ step: 'card', stepName: null, day: card.due, dueAt: endOfDayIn(card.due, timeZone) });
	if (stage.step) {
		try {
			const plan = planForCard({ stages, card, process, now });
			const step = plan?.steps.find((s) => s.stageId === stage.id);
			if (step?.plannedDue) items.push({ step: stage.id, stepName: stage.name, day: step.plannedDue, dueAt: endOfDayIn(step.plannedDue, timeZone) });
		} catch {
			// A plan that cannot be computed (a broken step setting) has no due date to remind of.
		}
	}
	return items;
}

/** The due item `step` of a card now (null: it has none, or is done, archived or moved on). */
export function currentDue(card: Card, stages: readonly Stage[], process: BoardProcess, now: Date, step: string): DueItem | null {
	return dueItems(card, stages, process, now).find((item) => item.step === step) ?? null;
}
