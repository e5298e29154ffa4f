import type { Card, Stage } from '../types.ts';
import { deadlineOf } from '../metrics/deadline.ts';
import type { RuleCondition, RuleTrigger } from './definition.ts';

/** The part of a change (BoardChange, or a stored history row) that triggers read. */
export interface TriggerEvent {
	type: string;
	cardId: string | null;
	fromStageId?: string | null;
	toStageId?: string | null;
}

/** Whether change `event` fires an event trigger (timed triggers never match a change). */
export function triggerMatches(trigger: RuleTrigger, event: TriggerEvent): boolean {
	if (!event.cardId) return false;
	switch (trigger.kind) {
		case 'card_created':
			return event.type === 'created';
		case 'entered_stage':
			return (event.type === 'moved' || event.type === 'created') && event.toStageId === trigger.stageId;
		case 'left_stage':
			return event.type === 'moved' && event.fromStageId === trigger.stageId && event.toStageId !== trigger.stageId;
		case 'owner_changed':
			return event.type === 'owner_added' || event.type === 'owner_removed';
		case 'due_changed':
			return event.type === 'due_changed';
		case 'labels_changed':
			return event.type === 'labels_changed';
		case 'blocked_changed':
			return event.type === 'blocked' || event.type === 'unblocked';
		case 'checklist_completed':
			return event.type === 'checklist_completed';
		case 'approval_decided':
			return event.type === 'signoff_decided';
		default:
			return false;
	}
}

/** What conditions read besides the card: the stages and each team role's holders (by role id). */
export interface ConditionScope {
	stages: readonly Pick<Stage, 'id' | 'name' | 'step'>[];
	roleHolders: Readonly<Record<string, readonly string[]>>;
}

/** Why the card fails the first condition it fails (for the run log), or null when it meets them all. */
export function failedCondition(conditions: readonly RuleCondition[], card: Card, scope: ConditionScope): string | null {
	const stageName = (id: string) => scope.stages.find((s) => s.id === id)?.name ?? 'a deleted stage';
	for (const c of conditions) {
		switch (c.kind) {
			case 'in_stage':
				if (card.stageId !== c.stageId) return `The card is not in ${stageName(c.stageId)}.`;
				break;
			case 'step_is':
				if (card.stageId !== c.stageId || !scope.stages.find((s) => s.id === c.stageId)?.step) return `The card is not at the step ${stageName(c.stageId)}.`;
				break;
			case 'has_label':
				if (!card.labels.some((l) => l.name.toLowerCase() === c.label.toLowerCase())) return `The card has no label “${c.label}”.`;
				break;
			case 'owner_is':
				if (!card.owners.includes(c.userId)) return 'The card’s owner is someone else.';
				break;
			case 'owner_holds_role': {
				const holders = scope.roleHolders[c.roleId] ?? [];
				if (!card.owners.some((o) => holders.includes(o))) return 'No owner of the card holds the team role.';
				break;
			}
			case 'blocked':
				if (Boolean(card.blocked) !== c.value) return c.value ? 'The card is not blocked.' : 'The card is blocked.';
				break;
			case 'has_target':
				if (Boolean(card.target) !== c.value) return c.value ? 'The card has no target date.' : 'The card has a target date.';
				break;
		}
	}
	return null;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;

/**
 * Whether timed trigger `trigger` holds for `card` at `now`, and the key that makes it fire once for this state of
 * the card (a new due date, a new move or a new day fires again); null when it does not hold. `localNow` is the
 * board's wall clock ("YYYY-MM-DD", "HH:MM", weekday 0 = Sunday) for schedules.
 */
export function timedOccurrence(trigger: RuleTrigger, card: Card, now: Date, localNow: { day: string; time: string; weekday: number }): string | null {
	if (card.archived) return null;
	switch (trigger.kind) {
		case 'due_within': {
			const deadline = deadlineOf(card.due);
			if (deadline === null || deadline < now.getTime() || deadline - now.getTime() > trigger.hours * HOUR) return null;
			return `due:${card.due}`;
		}
		case 'overdue_by': {
			const deadline = deadlineOf(card.due);
			if (deadline === null || now.getTime() - deadline < trigger.hours * HOUR) return null;
			return `due:${card.due}`;
		}
		case 'no_move': {
			const moved = Date.parse(card.movedAt);
			if (Number.isNaN(moved) || now.getTime() - moved < trigger.days * DAY) return null;
			return `moved:${card.movedAt}`;
		}
		case 'schedule': {
			if (trigger.every === 'week' && trigger.weekday !== localNow.weekday) return null;
			if (localNow.time < trigger.time) return null;
			return `day:${localNow.day}`;
		}
		default:
			return null;
	}
}

/** The wall clock in `timeZone` at `now`: day, HH:MM and weekday (0 = Sunday). */
export function wallClock(now: Date, timeZone: string): { day: string; time: string; weekday: number } {
	const parts = Object.fromEntries(
		new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', weekday: 'short' })
			.formatToParts(now)
			.map((p) => [p.type, p.value])
	);
	const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday ?? '');
	return { day: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}`, weekday };
}
