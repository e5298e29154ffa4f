import { addDays, daysBetween, subtractWorkingDays, type Day } from '../../plan/working-days.ts';
import type { PlanStep } from '../../plan/plan.ts';
import { dayEndIn } from './day-end.ts';

/** A step of the board's process as the review reads it: the plan's step and whether it needs a sign-off. */
export type ReviewStep = PlanStep & { approval: boolean };

/** One stay of the card in a stage (epoch ms), with who owned the card as it left. */
export interface ReviewStay {
	stageId: string;
	enteredAt: number;
	leftAt: number | null;
	owners: readonly string[];
}

/** What the review needs of one finished card, replayed from its history. */
export interface MissedCardInput {
	cardId: string;
	title: string;
	/** The target date in force when the card first reached done. */
	target: Day;
	/** When the card first reached done. */
	finishedAt: number;
	stays: readonly ReviewStay[];
	/** Stretches the card was blocked (`to` null: still blocked). */
	blocked: readonly { from: number; to: number | null }[];
	/** Sign-off decisions, by the stage they were made in. */
	decisions: readonly { stageId: string; at: number }[];
}

/** Where a late card's time went in one step (or, `stageId` null, after its last step). */
export interface MissedStep {
	stageId: string | null;
	name: string;
	ownerRole: string | null;
	/** Who owned the card as it left the step. */
	owners: string[];
	/** The step's date on the plan counted back from the target, null when the step has none. */
	plannedDue: Day | null;
	/** Calendar days the plan gives the step (from the previous dated step's date to its own); null when unknown. */
	plannedDays: number | null;
	/** Time the card spent in the step before it finished (ms). */
	actualMs: number;
	blockedMs: number;
	/** Time in a sign-off step before the decision that let it go (ms). */
	signoffWaitMs: number;
	/** The lateness this step added (ms, negative when it caught up): the steps' shares sum to the card's lateness. */
	lateMs: number;
}

/** A card that finished after its target date, and where the time went. */
export interface MissedCard {
	cardId: string;
	title: string;
	target: Day;
	finishedAt: number;
	/** How long after the end of its target day (in the board's time zone) the card reached done (ms, > 0). */
	lateMs: number;
	steps: MissedStep[];
}

/** Name of the pseudo-step after a card's last dated step: the time from leaving it to reaching done. */
export const AFTER_LAST_STEP = 'After the last step';

/** Overlap in ms of [a0, a1) with [b0, b1). */
const overlap = (a0: number, a1: number, b0: number, b1: number) => Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));

/** The step's planned date for `target`: target minus its offset, in its unit; null without an offset. */
function plannedDueOf(step: PlanStep, target: Day): Day | null {
	if (step.offset === null) return null;
	return step.unit === 'working' ? subtractWorkingDays(target, step.offset) : addDays(target, -step.offset);
}

/**
 * The review of one finished card: null when it had no real target or finished by the end of its target day.
 *
 * The lateness split (documented in docs/process-deadlines.md): each dated step the card left before finishing is a
 * checkpoint whose delay is (when it left) − (the end of its planned day). A step's share is its delay minus the
 * previous checkpoint's delay (the first checkpoint's share is its whole delay), and the time after the last
 * checkpoint gets the rest: the card's lateness minus the last delay. The shares telescope, so they sum to the
 * card's lateness exactly. Undated or skipped steps are no checkpoints: their time counts to the next dated step.
 */
export function reviewMissedCard(card: MissedCardInput, steps: readonly ReviewStep[], timeZone: string): MissedCard | null {
	const lateMs = card.finishedAt - dayEndIn(card.target, timeZone);
	if (!(lateMs > 0)) return null;
	const before = (t: number | null) => Math.min(t ?? card.finishedAt, card.finishedAt);
	const result: MissedStep[] = [];
	let previousDelay = 0;
	let previousDue: Day | null = null;
	for (const step of steps) {
		const stays = card.stays.filter((s) => s.stageId === step.stageId && s.enteredAt < card.finishedAt);
		const plannedDue = plannedDueOf(step, card.target);
		const plannedDays = plannedDue !== null && previousDue !== null ? daysBetween(previousDue, plannedDue) : null;
		if (plannedDue !== null) previousDue = plannedDue;
		if (stays.length === 0) continue;
		let actualMs = 0;
		let blockedMs = 0;
		let signoffWaitMs = 0;
		for (const stay of stays) {
			const end = before(stay.leftAt);
			actualMs += end - stay.enteredAt;
			for (const b of card.blocked) blockedMs += overlap(stay.enteredAt, end, b.from, b.to ?? Infinity);
			if (step.approval) {
				// Waiting ends with the last decision made during the stay (the one that let it go), else when it left.
				const decided = card.decisions.filter((d) => d.stageId === step.stageId && d.at >= stay.enteredAt && d.at <= end).map((d) => d.at);
				signoffWaitMs += (decided.length > 0 ? Math.max(...decided) : end) - stay.enteredAt;
			}
		}
		const last = stays[stays.length - 1]!;
		const left = last.leftAt !== null && last.leftAt <= card.finishedAt ? last.leftAt : null;
		let share = 0;
		if (plannedDue !== null && left !== null) {
			const delay = left - dayEndIn(plannedDue, timeZone);
			share = delay - previousDelay;
			previousDelay = delay;
		}
		result.push({ stageId: step.stageId, name: step.name, ownerRole: step.ownerRole, owners: [...last.owners], plannedDue, plannedDays, actualMs, blockedMs, signoffWaitMs, lateMs: share });
	}
	result.push({
		stageId: null,
		name: AFTER_LAST_STEP,
		ownerRole: null,
		owners: [],
		plannedDue: card.target,
		plannedDays: previousDue !== null ? daysBetween(previousDue, card.target) : null,
		actualMs: 0,
		blockedMs: 0,
		signoffWaitMs: 0,
		lateMs: lateMs - previousDelay
	});
	return { cardId: card.cardId, title: card.title, target: card.target, finishedAt: card.finishedAt, lateMs, steps: result };
}

/** One line of "who and what account for the lateness": its summed share (ms) and how many late cards it touched. */
export interface LatenessShare<K> {
	key: K;
	lateMs: number;
	cards: number;
}

/** Over a range's late cards: the lateness by step, by owner role and by person, each largest first. */
export interface LatenessBreakdown {
	byStep: (LatenessShare<string | null> & { name: string })[];
	byRole: LatenessShare<string | null>[];
	/** A step's share is split evenly among its owners (null: a step nobody owned), so the people's shares sum to the total too. */
	byPerson: LatenessShare<string | null>[];
	totalLateMs: number;
}

function tally<K>(into: Map<K, { lateMs: number; cards: Set<string> }>, key: K, ms: number, cardId: string) {
	const entry = into.get(key) ?? { lateMs: 0, cards: new Set<string>() };
	entry.lateMs += ms;
	entry.cards.add(cardId);
	into.set(key, entry);
}

const largestFirst = <K>(m: Map<K, { lateMs: number; cards: Set<string> }>): LatenessShare<K>[] =>
	[...m].map(([key, v]) => ({ key, lateMs: v.lateMs, cards: v.cards.size })).sort((a, b) => b.lateMs - a.lateMs || String(a.key).localeCompare(String(b.key)));

/** Sums the late cards' step shares by step, role and person, largest first; each list sums to the cards' total lateness. */
export function latenessBreakdown(cards: readonly MissedCard[]): LatenessBreakdown {
	const steps = new Map<string | null, { lateMs: number; cards: Set<string> }>();
	const names = new Map<string | null, string>();
	const roles = new Map<string | null, { lateMs: number; cards: Set<string> }>();
	const people = new Map<string | null, { lateMs: number; cards: Set<string> }>();
	let totalLateMs = 0;
	for (const card of cards) {
		totalLateMs += card.lateMs;
		for (const step of card.steps) {
			names.set(step.stageId, step.name);
			tally(steps, step.stageId, step.lateMs, card.cardId);
			tally(roles, step.ownerRole, step.lateMs, card.cardId);
			const owners = step.owners.length > 0 ? step.owners : [null];
			for (const owner of owners) tally(people, owner, step.lateMs / owners.length, card.cardId);
		}
	}
	return {
		byStep: largestFirst(steps).map((s) => ({ ...s, name: names.get(s.key) ?? '' })),
		byRole: largestFirst(roles),
		byPerson: largestFirst(people),
		totalLateMs
	};
}
