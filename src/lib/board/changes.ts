import { z } from 'zod';
import './zod-jitless.ts';
import { documentActivityData, type DocumentActivityKind } from './activity.ts';

/** The automation rule whose action made a change (stored), and the depth of its chain (for the loop guard; not stored). */
function ruleFields() {
	return { ruleId: z.string().nullable().optional(), ruleDepth: z.number().optional() };
}

/** Fields every change to a card carries: which card, who did it (null: nobody in particular), the server's time. */
const cardBase = {
	cardId: z.string(),
	actorId: z.string().nullable(),
	at: z.date(),
	fromStageId: z.string().nullable(),
	toStageId: z.string().nullable(),
	...ruleFields()
};

const cardChange = <T extends string, D extends z.ZodType>(type: T, data: D) => z.object({ type: z.literal(type), ...cardBase, data });
const empty = z.object({});
/** Set on what the process did by itself (a hand-off's owner changes), so figures can tell it from people's work. */
const viaProcess = z.literal('process').optional();

/** Fields every audit entry from the document carries: the card or stage it concerns (if any), who, the server's time. */
const activityBase = {
	actorId: z.string().nullable(),
	at: z.date(),
	cardId: z.string().nullable(),
	stageId: z.string().nullable(),
	...ruleFields()
};
const activityChange = <T extends DocumentActivityKind>(type: T) => z.object({ type: z.literal(type), ...activityBase, data: documentActivityData[type] });

/**
 * One change the server applied to a board, derived once per transaction after validation and the policy net
 * settled (server/history/recorder.ts). History, activity and everything that reacts to a board read these; nobody
 * derives changes from raw Yjs events a second time. Card changes are stored as `card_events` rows (their `type`
 * is the row's type), stage changes as `board_stages` rows, and the audit trail's other kinds (stage edits, titles,
 * labels, checklist items, descriptions: src/lib/board/activity.ts) as `board_activity` rows, where no stats query
 * can count them.
 */
export const boardChangeSchema = z.discriminatedUnion('type', [
	cardChange('created', z.object({ title: z.unknown() })),
	cardChange('moved', z.object({ direction: z.enum(['forward', 'backward']).optional(), checklist: z.object({ done: z.number(), total: z.number() }).optional() })),
	cardChange('blocked', z.object({ reason: z.string() })),
	cardChange('unblocked', empty),
	cardChange('due_changed', z.object({ due: z.unknown(), previous: z.unknown() })),
	cardChange('archived', empty),
	cardChange('restored', empty),
	// Deleted from the board (an undo brings it back as `restored`); the title, since the card is gone from the document.
	cardChange('deleted', z.object({ title: z.unknown() })),
	cardChange('owner_added', z.object({ userId: z.string(), via: viaProcess })),
	cardChange('owner_removed', z.object({ userId: z.string(), via: viaProcess })),
	cardChange('exit_checked', z.object({ criterionId: z.string().optional() })),
	cardChange('checklist_completed', z.object({ total: z.number() })),
	cardChange('wip_breach', z.object({ limit: z.number(), count: z.number(), over: z.number() })),
	cardChange('target_changed', z.object({ target: z.string().nullable(), previous: z.string().nullable() })),
	cardChange('handed_off', z.object({ stageId: z.string(), role: z.string(), userId: z.string(), via: z.literal('process') })),
	cardChange('handoff_unstaffed', z.object({ stageId: z.string(), role: z.string(), via: z.literal('process') })),
	cardChange('signoff_decided', z.object({ stageId: z.string(), outcome: z.enum(['approve', 'changes', 'reject']), comment: z.string() })),
	z.object({ type: z.literal('stage'), stageId: z.string(), name: z.string(), kind: z.string(), rank: z.string(), deleted: z.boolean(), at: z.date() }),
	activityChange('stage_added'),
	activityChange('stage_renamed'),
	activityChange('stage_moved'),
	activityChange('stage_deleted'),
	activityChange('stage_kind_changed'),
	activityChange('stage_wip_changed'),
	activityChange('stage_step_changed'),
	activityChange('exit_criterion_added'),
	activityChange('exit_criterion_removed'),
	activityChange('title_changed'),
	activityChange('labels_changed'),
	activityChange('checklist_item_added'),
	activityChange('checklist_item_renamed'),
	activityChange('checklist_item_ticked'),
	activityChange('checklist_item_unticked'),
	activityChange('checklist_item_removed'),
	activityChange('description_edited'),
	activityChange('step_due_set')
]);

/** One change the server applied to a board. */
export type BoardChange = z.infer<typeof boardChangeSchema>;

/** Everything but stage metadata: card events and audit entries (the engine hands both over as `events`). */
export type CardChange = Exclude<BoardChange, { type: 'stage' }>;

/** An audit entry derived from the document (stored in `board_activity`). */
export type ActivityChange = Extract<BoardChange, { type: DocumentActivityKind }>;

/** A card event (stored in `card_events`; the stats read these by type). */
export type CardEventChange = Exclude<CardChange, ActivityChange>;

/** Whether a change is an audit entry for `board_activity`. */
export const isActivityChange = (change: BoardChange): change is ActivityChange => Object.hasOwn(documentActivityData, change.type);

/** A change to a stage's metadata (its latest name, kind, rank, or its deletion). */
export type StageChange = Extract<BoardChange, { type: 'stage' }>;

/** Whether a change is a stage's. */
export const isStageChange = (change: BoardChange): change is StageChange => change.type === 'stage';
