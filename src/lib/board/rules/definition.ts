import { z } from 'zod';
import '../zod-jitless.ts';

const id = z.string().min(1, 'Choose one.').max(64);
const hours = z.number({ message: 'Enter a number of hours.' }).int('Use whole hours.').min(0, 'Hours cannot be negative.').max(24 * 365, 'At most a year.');
const days = z.number({ message: 'Enter a number of days.' }).int('Use whole days.').min(0, 'Days cannot be negative.').max(365, 'At most a year.');
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use a time like 09:00.');

/** What makes a rule fire: a change to a card (from the change feed) or a time (from the job queue). */
export const triggerSchema = z.discriminatedUnion('kind', [
	z.object({ kind: z.literal('card_created') }),
	z.object({ kind: z.literal('entered_stage'), stageId: id }),
	z.object({ kind: z.literal('left_stage'), stageId: id }),
	z.object({ kind: z.literal('owner_changed') }),
	z.object({ kind: z.literal('due_changed') }),
	z.object({ kind: z.literal('labels_changed') }),
	z.object({ kind: z.literal('blocked_changed') }),
	z.object({ kind: z.literal('checklist_completed') }),
	z.object({ kind: z.literal('approval_decided') }),
	z.object({ kind: z.literal('due_within'), hours }),
	z.object({ kind: z.literal('overdue_by'), hours }),
	z.object({ kind: z.literal('no_move'), days: days.min(1, 'At least one day.') }),
	z.object({ kind: z.literal('schedule'), every: z.enum(['day', 'week']), weekday: z.number().int().min(0).max(6).optional(), time })
]);

/** What must hold of the card for the rule to act (all of them). */
export const conditionSchema = z.discriminatedUnion('kind', [
	z.object({ kind: z.literal('in_stage'), stageId: id }),
	z.object({ kind: z.literal('has_label'), label: z.string().min(1, 'Choose a label.').max(100) }),
	z.object({ kind: z.literal('owner_is'), userId: id }),
	z.object({ kind: z.literal('owner_holds_role'), roleId: id }),
	z.object({ kind: z.literal('blocked'), value: z.boolean() }),
	z.object({ kind: z.literal('has_target'), value: z.boolean() }),
	z.object({ kind: z.literal('step_is'), stageId: id })
]);

/** Who a notify action tells. */
export const recipientSchema = z.discriminatedUnion('kind', [
	z.object({ kind: z.literal('user'), userId: id }),
	z.object({ kind: z.literal('role'), roleId: id }),
	z.object({ kind: z.literal('process_owner') }),
	z.object({ kind: z.literal('owners') })
]);

/** What the rule does to the card (in order). */
export const actionSchema = z.discriminatedUnion('kind', [
	z.object({ kind: z.literal('assign_user'), userId: id }),
	z.object({ kind: z.literal('assign_role'), roleId: id }),
	z.object({ kind: z.literal('unassign') }),
	z.object({ kind: z.literal('move'), stageId: id }),
	z.object({ kind: z.literal('set_due'), base: z.enum(['now', 'target']), offsetDays: z.number({ message: 'Enter a number of days.' }).int('Use whole days.').min(-365).max(365) }),
	z.object({ kind: z.literal('add_label'), label: z.string().min(1, 'Choose a label.').max(100) }),
	z.object({ kind: z.literal('remove_label'), label: z.string().min(1, 'Choose a label.').max(100) }),
	z.object({ kind: z.literal('add_checklist'), items: z.array(z.string().trim().min(1).max(500)).min(1, 'Add at least one item.').max(50) }),
	z.object({ kind: z.literal('notify'), to: recipientSchema, message: z.string().trim().min(1, 'Write a message.').max(2000) }),
	z.object({ kind: z.literal('webhook'), url: z.string().max(2000) }),
	z.object({ kind: z.literal('create_linked_card'), boardId: id, stageId: id.optional(), title: z.string().max(500).optional() }),
	z.object({ kind: z.literal('archive') })
]);

/** A rule as the form saves it: when → if → then. */
export const ruleDefinitionSchema = z.object({
	trigger: triggerSchema,
	conditions: z.array(conditionSchema).max(20),
	actions: z.array(actionSchema).min(1, 'Add at least one action.').max(20),
	/** Whether what this rule does may make rules fire (itself included); chains stop at depth 10 anyway. */
	allowRetrigger: z.boolean()
});

/** A rule's trigger. */
export type RuleTrigger = z.infer<typeof triggerSchema>;
/** One of a rule's conditions. */
export type RuleCondition = z.infer<typeof conditionSchema>;
/** One of a rule's actions. */
export type RuleAction = z.infer<typeof actionSchema>;
/** Who a notify action tells. */
export type RuleRecipient = z.infer<typeof recipientSchema>;
/** A rule's definition. */
export type RuleDefinition = z.infer<typeof ruleDefinitionSchema>;

/** Triggers the job queue fires (the rest come from the change feed). */
export const TIMED_TRIGGERS = ['due_within', 'overdue_by', 'no_move', 'schedule'] as const;

/** Whether a trigger is fired by time rather than by a change. */
export const isTimedTrigger = (t: RuleTrigger): boolean => (TIMED_TRIGGERS as readonly string[]).includes(t.kind);

/** How deep a chain of rules may go before it is stopped as a loop. */
export const MAX_RULE_DEPTH = 10;

/** The placeholders a message may use. */
export const PLACEHOLDERS = ['card.title', 'card.url', 'stage', 'owner', 'due', 'board'] as const;
