import type { RuleAction, RuleCondition, RuleTrigger } from './definition.ts';
import { withArticle } from './article.ts';

/** Names for ids, so a summary reads as words. */
export interface RuleNames {
	stage(id: string): string;
	role(id: string): string;
	user(id: string): string;
	board(id: string): string;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** The trigger as a short sentence ("When a card enters Review"). */
export function describeTrigger(t: RuleTrigger, n: RuleNames): string {
	switch (t.kind) {
		case 'card_created': return 'When a card is created';
		case 'entered_stage': return `When a card enters ${n.stage(t.stageId)}`;
		case 'left_stage': return `When a card leaves ${n.stage(t.stageId)}`;
		case 'owner_changed': return 'When a card’s owner changes';
		case 'due_changed': return 'When a card’s due date changes';
		case 'labels_changed': return 'When a card’s labels change';
		case 'blocked_changed': return 'When a card is blocked or unblocked';
		case 'checklist_completed': return 'When a card’s checklist is completed';
		case 'approval_decided': return 'When a sign-off is decided';
		case 'due_within': return `When a card is due within ${t.hours} h`;
		case 'overdue_by': return `When a card is overdue by ${t.hours} h`;
		case 'no_move': return `When a card has not moved for ${t.days} day(s)`;
		case 'schedule': return t.every === 'day' ? `Every day at ${t.time}` : `Every ${WEEKDAYS[t.weekday ?? 1]} at ${t.time}`;
	}
}

/** A condition as words. */
export function describeCondition(c: RuleCondition, n: RuleNames): string {
	switch (c.kind) {
		case 'in_stage': return `in ${n.stage(c.stageId)}`;
		case 'has_label': return `labelled ${c.label}`;
		case 'owner_is': return `owned by ${n.user(c.userId)}`;
		case 'owner_holds_role': return `owned by ${withArticle(n.role(c.roleId))}`;
		case 'blocked': return c.value ? 'blocked' : 'not blocked';
		case 'has_target': return c.value ? 'has a target date' : 'has no target date';
		case 'step_is': return `at the step ${n.stage(c.stageId)}`;
	}
}

/** An action as words. */
export function describeAction(a: RuleAction, n: RuleNames): string {
	switch (a.kind) {
		case 'assign_user': return `assign ${n.user(a.userId)}`;
		case 'assign_role': return `assign the ${n.role(a.roleId)}`;
		case 'unassign': return 'unassign everyone';
		case 'move': return `move to ${n.stage(a.stageId)}`;
		case 'set_due': return `set due ${a.offsetDays >= 0 ? '+' : ''}${a.offsetDays} day(s) from ${a.base === 'now' ? 'now' : 'the target date'}`;
		case 'add_label': return `add label ${a.label}`;
		case 'remove_label': return `remove label ${a.label}`;
		case 'add_checklist': return `add ${a.items.length} checklist item(s)`;
		case 'notify': return `notify ${a.to.kind === 'user' ? n.user(a.to.userId) : a.to.kind === 'role' ? `the ${n.role(a.to.roleId)}` : a.to.kind === 'owners' ? 'the owners' : 'the process owner'}`;
		case 'webhook': return `send a webhook to ${a.url}`;
		case 'create_linked_card': return `create a linked card on ${n.board(a.boardId)}`;
		case 'archive': return 'archive the card';
	}
}

/** A validation path ("actions.1.stageId") in words ("Then, action 2"). */
export function describeRulePath(path: string): string {
	const [part, index] = path.split('.');
	if (part === 'trigger') return 'When';
	if (part === 'conditions') return `If, condition ${Number(index) + 1}`;
	if (part === 'actions') return `Then, action ${Number(index) + 1}`;
	return 'The rule';
}
