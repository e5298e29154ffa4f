import type { Day } from '../board/plan/working-days.ts';
import type { StepStatus } from '../board/plan/plan.ts';
import { currentStep, type CardPlan } from '../board/process/card-plan.ts';
import { planOrProblem } from '../board/process/plan-view.ts';
import type { BoardSnapshot, Card } from '../board/types.ts';

/**
 * What the calendar shows, as plain data: each card on its target date and a marker on each unfinished step's
 * planned date, the filters by owner and team role, and a person's steps due this week. Pure: the page passes the
 * board snapshot and the time.
 */

/** A card on its target date. */
export interface CardChip {
	kind: 'card';
	/** Unique among the calendar's items. */
	key: string;
	cardId: string;
	day: Day;
	title: string;
	/** The stage the card is in now (its colour). */
	stageId: string;
	stageName: string;
	/** The card's owners. */
	ownerIds: string[];
	/** The owner role of the step the card is in, if that stage is a step with one. */
	role: string | null;
}

/** An unfinished step of a card's plan, on its planned date. */
export interface StepMarker {
	kind: 'step';
	key: string;
	cardId: string;
	day: Day;
	title: string;
	/** The step's stage (its colour). */
	stageId: string;
	stageName: string;
	status: Exclude<StepStatus, 'done'>;
	/** Who the step falls to: the card's owners for the step it is in, the role's holders for the others. */
	ownerIds: string[];
	role: string | null;
	/** "Outline — Blog: 10 tips (due)". */
	label: string;
}

/** One thing on a calendar day. */
export type CalendarItem = CardChip | StepMarker;

/** The words a marker's label ends with, by status. */
const STATUS_WORDS: Record<StepMarker['status'], string> = { upcoming: 'due', current: 'due', late: 'late', cannot_fit: 'cannot fit' };

/** "Outline — Blog: 10 tips (due)". */
export function markerLabel(stageName: string, cardTitle: string, status: StepMarker['status']): string {
	return `${stageName} — ${cardTitle} (${STATUS_WORDS[status]})`;
}

/** Each live card's plan, or null for every card on a board without steps. */
export function plansOf(snapshot: BoardSnapshot, now: Date): Map<string, CardPlan | null> {
	const plans = new Map<string, CardPlan | null>();
	for (const cards of Object.values(snapshot.cardsByStage)) {
		// A card whose dates fall outside the calendar (year 0 or 9999) has no plan to show; the others still do.
		for (const card of cards) plans.set(card.id, planOrProblem({ stages: snapshot.stages, card, process: snapshot.process, now }).plan);
	}
	return plans;
}

function liveCards(snapshot: BoardSnapshot): Card[] {
	// cardsByStage holds the non-archived cards of existing stages, in board order.
	return snapshot.stages.flatMap((s) => snapshot.cardsByStage[s.id] ?? []);
}

/** Every card with a target date, and every unfinished step with a planned date, of the board's live cards. */
export function calendarItems(snapshot: BoardSnapshot, plans: Map<string, CardPlan | null>): CalendarItem[] {
	const stageNames = new Map(snapshot.stages.map((s) => [s.id, s.name]));
	const items: CalendarItem[] = [];
	for (const card of liveCards(snapshot)) {
		const plan = plans.get(card.id) ?? null;
		if (card.target) {
			items.push({
				kind: 'card',
				key: `card:${card.id}`,
				cardId: card.id,
				day: card.target.day,
				title: card.title,
				stageId: card.stageId,
				stageName: stageNames.get(card.stageId) ?? 'a stage',
				ownerIds: card.owners,
				role: currentStep(plan, card)?.ownerRole ?? null
			});
		}
		for (const step of plan?.steps ?? []) {
			if (step.status === 'done' || step.plannedDue === null) continue;
			items.push({
				kind: 'step',
				key: `step:${card.id}:${step.stageId}`,
				cardId: card.id,
				day: step.plannedDue,
				title: card.title,
				stageId: step.stageId,
				stageName: step.name,
				status: step.status,
				ownerIds: step.owners,
				role: step.ownerRole,
				label: markerLabel(step.name, card.title, step.status)
			});
		}
	}
	return items;
}

/** Who and what the calendar shows: a member's items (their cards, the steps that fall to them) and one team role's. */
export interface CalendarFilter {
	/** A user id; null: everyone. */
	ownerId: string | null;
	/** A team role name; null: every role. */
	role: string | null;
	/** The cards a filter-language query matches; null or absent: every card. */
	cardIds?: ReadonlySet<string> | null;
}

/**
 * Whether an item passes the filter. A card matches an owner who owns it and a role when the step it is in has that
 * owner role; a step marker matches the people the step falls to and its own owner role.
 */
export function matchesFilter(item: CalendarItem, filter: CalendarFilter): boolean {
	if (filter.ownerId !== null && !item.ownerIds.includes(filter.ownerId)) return false;
	if (filter.role !== null && item.role !== filter.role) return false;
	if (filter.cardIds && !filter.cardIds.has(item.cardId)) return false;
	return true;
}

/**
 * The items of each day from `start` to `end` (inclusive), filtered: cards before markers, then in board order of
 * their stage, then by title. Days without items are absent.
 */
export function itemsByDay(items: readonly CalendarItem[], stageOrder: readonly string[], range: { start: Day; end: Day }, filter: CalendarFilter): Map<Day, CalendarItem[]> {
	const order = new Map(stageOrder.map((id, i) => [id, i]));
	const byDay = new Map<Day, CalendarItem[]>();
	for (const item of items) {
		if (item.day < range.start || item.day > range.end || !matchesFilter(item, filter)) continue;
		let list = byDay.get(item.day);
		if (!list) byDay.set(item.day, (list = []));
		list.push(item);
	}
	for (const list of byDay.values()) {
		list.sort(
			(a, b) =>
				(a.kind === b.kind ? 0 : a.kind === 'card' ? -1 : 1) ||
				(order.get(a.stageId) ?? Infinity) - (order.get(b.stageId) ?? Infinity) ||
				a.title.localeCompare(b.title) ||
				a.key.localeCompare(b.key)
		);
	}
	return byDay;
}

/** A step in "My steps due this week". */
export interface MyStep {
	cardId: string;
	title: string;
	stageId: string;
	stageName: string;
	day: Day;
	/** Due before today and not finished. */
	late: boolean;
	/** The step the card is in now (not one still to come). */
	current: boolean;
}

/**
 * `userId`'s unfinished steps due in the week (Monday–Sunday) that holds `today`, with every overdue one (due before
 * today, however long ago) first. A step is theirs when they own the card in the step it is in, or hold the owner role
 * of a step still to come (what `planForCard` reports as the step's owners).
 */
export function myStepsThisWeek(snapshot: BoardSnapshot, plans: Map<string, CardPlan | null>, userId: string, today: Day, week: { start: Day; end: Day }): MyStep[] {
	const mine: MyStep[] = [];
	for (const card of liveCards(snapshot)) {
		for (const step of plans.get(card.id)?.steps ?? []) {
			if (step.status === 'done' || step.plannedDue === null || !step.owners.includes(userId)) continue;
			const late = step.plannedDue < today;
			if (!late && (step.plannedDue < week.start || step.plannedDue > week.end)) continue;
			mine.push({ cardId: card.id, title: card.title, stageId: step.stageId, stageName: step.name, day: step.plannedDue, late, current: step.stageId === card.stageId });
		}
	}
	return mine.sort((a, b) => Number(b.late) - Number(a.late) || a.day.localeCompare(b.day) || a.title.localeCompare(b.title) || a.stageName.localeCompare(b.stageName));
}
