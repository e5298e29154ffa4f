import type { BoardChange } from '../board/changes.ts';

/** The event kinds an endpoint may subscribe to, with the label the webhooks page (and the rules form) shows. */
export const WEBHOOK_EVENT_KINDS = {
	'card.created': 'A card was created',
	'card.moved': 'A card moved to another stage',
	'card.updated': 'A card’s title, labels, due or target date, or description changed',
	'card.assigned': 'Someone became an owner of a card (by hand, a hand-off or a rule)',
	'card.unassigned': 'Someone stopped being an owner of a card',
	'card.blocked': 'A card was blocked',
	'card.unblocked': 'A card was unblocked',
	'card.checklist_completed': 'A card’s checklist was completed',
	'card.archived': 'A card was archived',
	'card.deleted': 'A card was deleted (an undo sends card.restored)',
	'card.restored': 'An archived or deleted card was restored',
	'approval.decided': 'A sign-off was decided (approved, changes requested, rejected)',
	'stage.changed': 'A stage was added, renamed, moved, deleted or reconfigured',
	'wip.breached': 'A stage went over its WIP limit'
} as const;

/** An event kind an endpoint may subscribe to. */
export type WebhookEventKind = keyof typeof WEBHOOK_EVENT_KINDS;

/** Every subscribable kind, in the page's order. */
export const webhookEventKinds = Object.keys(WEBHOOK_EVENT_KINDS) as WebhookEventKind[];

/** The kind of the "Send test event" message (sent to one endpoint whatever it subscribed to). */
export const WEBHOOK_TEST_KIND = 'webhook.test';

/** Whether a string is a subscribable event kind. */
export const isWebhookEventKind = (value: string): value is WebhookEventKind => Object.hasOwn(WEBHOOK_EVENT_KINDS, value);

const KIND_OF_CHANGE: Partial<Record<BoardChange['type'], WebhookEventKind>> = {
	created: 'card.created',
	moved: 'card.moved',
	title_changed: 'card.updated',
	labels_changed: 'card.updated',
	due_changed: 'card.updated',
	target_changed: 'card.updated',
	description_edited: 'card.updated',
	owner_added: 'card.assigned',
	handed_off: 'card.assigned',
	owner_removed: 'card.unassigned',
	blocked: 'card.blocked',
	unblocked: 'card.unblocked',
	checklist_completed: 'card.checklist_completed',
	archived: 'card.archived',
	deleted: 'card.deleted',
	restored: 'card.restored',
	signoff_decided: 'approval.decided',
	stage_added: 'stage.changed',
	stage_renamed: 'stage.changed',
	stage_moved: 'stage.changed',
	stage_deleted: 'stage.changed',
	stage_kind_changed: 'stage.changed',
	stage_wip_changed: 'stage.changed',
	stage_step_changed: 'stage.changed',
	wip_breach: 'wip.breached'
};

/** One webhook event derived from a board change: its kind and the `data` its payload carries (besides boardId). */
export interface WebhookEvent {
	kind: WebhookEventKind;
	data: Record<string, unknown>;
}

/**
 * The webhook event a board change yields, or null for changes no endpoint can subscribe to (checklist items,
 * exit checks, the stage metadata rows the history keeps). `change` names the precise change inside a broad kind.
 */
export function webhookEventOf(change: BoardChange): WebhookEvent | null {
	const kind = KIND_OF_CHANGE[change.type];
	if (!kind || change.type === 'stage') return null;
	const common: Record<string, unknown> = { change: change.type, actorId: change.actorId ?? null, at: change.at.toISOString() };
	if ('cardId' in change && change.cardId) common.cardId = change.cardId;
	if ('stageId' in change && change.stageId) common.stageId = change.stageId;
	if ('fromStageId' in change) {
		common.fromStageId = change.fromStageId;
		common.toStageId = change.toStageId;
	}
	if ('ruleId' in change && change.ruleId) common.ruleId = change.ruleId;
	return { kind, data: { ...common, details: change.data } };
}
