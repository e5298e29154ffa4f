import { z } from 'zod';
import './zod-jitless.ts';

// The audit trail's entries beyond the card events the stats read (card_events keeps those, unchanged). Each kind has
// its own zod-typed `data`: written by the server (the recorder for document changes, the member services for
// relational ones) and parsed again when the feed reads it, so a row from an older version never breaks the feed.

const text = z.string();
const role = z.enum(['owner', 'editor', 'viewer']);
const wip = { name: text, limit: z.number().nullable(), previous: z.number().nullable(), mode: z.enum(['soft', 'hard']), previousMode: z.enum(['soft', 'hard']) };

/** The `data` of each activity kind the document's changes yield (stage, card text, labels, checklist, description). */
export const documentActivityData = {
	stage_added: z.object({ name: text, kind: text }),
	stage_renamed: z.object({ from: text, to: text }),
	stage_moved: z.object({ name: text, from: z.number(), to: z.number() }),
	stage_deleted: z.object({ name: text }),
	stage_kind_changed: z.object({ name: text, from: text, to: text }),
	/** A stage's step settings (owner team role, due offset, sign-off rule), each side in words (see step-summary.ts). */
	stage_step_changed: z.object({ name: text, from: text, to: text }),
	stage_wip_changed: z.object(wip),
	exit_criterion_added: z.object({ name: text, criterionId: text, text }),
	exit_criterion_removed: z.object({ name: text, criterionId: text, text }),
	title_changed: z.object({ from: text, to: text }),
	labels_changed: z.object({ added: z.array(text), removed: z.array(text), labels: z.array(text) }),
	checklist_item_added: z.object({ itemId: text, text }),
	checklist_item_renamed: z.object({ itemId: text, from: text, to: text }),
	checklist_item_ticked: z.object({ itemId: text, text }),
	checklist_item_unticked: z.object({ itemId: text, text }),
	checklist_item_removed: z.object({ itemId: text, text }),
	/** Edits in one minute by one person on one card, merged as they are stored (`edits` transactions). */
	description_edited: z.object({ edits: z.number(), inserted: z.number(), deleted: z.number() }),
	/** A step's due date set by hand (YYYY-MM-DD), or reset to the plan (null). */
	step_due_set: z.object({ stageId: text, due: text.nullable() })
} as const;

/** The `data` of each activity kind the board and member services write. */
export const relationalActivityData = {
	member_invited: z.object({ inviteId: text, role, days: z.number() }),
	invite_revoked: z.object({ inviteId: text }),
	member_joined: z.object({ role }),
	member_role_changed: z.object({ userId: text, from: role, to: role }),
	member_removed: z.object({ userId: text, role }),
	member_left: z.object({ role }),
	board_renamed: z.object({ from: text, to: text }),
	/** A standup's summary, posted by its facilitator when it ended (src/lib/server/standup/), with the filter it walked. */
	standup_summary: z.object({ standupId: text, finished: z.number(), newlyBlocked: z.number(), overdue: z.number(), wipBreaches: z.number(), waitingForApproval: z.number(), text, filter: text.optional() }),
	// Comments and files on a card (written by their services; no text kept, so a deleted comment leaves none here).
	comment_added: z.object({ commentId: text }),
	comment_edited: z.object({ commentId: text }),
	comment_deleted: z.object({ commentId: text }),
	attachment_added: z.object({ attachmentId: text, fileName: text }),
	attachment_removed: z.object({ attachmentId: text, fileName: text })
} as const;

/** Every activity kind's data schema. */
export const activityData = { ...documentActivityData, ...relationalActivityData } as const;

/** An audit entry kind derived from the board document. */
export type DocumentActivityKind = keyof typeof documentActivityData;
/** An audit entry kind written by the board and member services. */
export type RelationalActivityKind = keyof typeof relationalActivityData;
/** Any audit entry kind stored in `board_activity`. */
export type ActivityKind = DocumentActivityKind | RelationalActivityKind;
/** The data of one activity kind. */
export type ActivityData<K extends ActivityKind> = z.infer<(typeof activityData)[K]>;

/** The kinds of card events (`card_events`, which the stats read by type). */
export const CARD_EVENT_TYPES = [
	'created',
	'moved',
	'blocked',
	'unblocked',
	'due_changed',
	'archived',
	'restored',
	'deleted',
	'owner_added',
	'owner_removed',
	'exit_checked',
	'checklist_completed',
	'wip_breach',
	// The process (issue 12): card events, so notifications and process figures can query them by type.
	'target_changed',
	'handed_off',
	'handoff_unstaffed',
	'signoff_decided'
] as const;

/** Whether a kind is one the document side of the audit derives. */
export const isDocumentActivityKind = (kind: string): kind is DocumentActivityKind => Object.hasOwn(documentActivityData, kind);

/** Whether a kind is stored in `board_activity`. */
export const isActivityKind = (kind: string): kind is ActivityKind => Object.hasOwn(activityData, kind);

/** What an entry is about, for the feed's kind filter. */
export type ActivityGroup = 'card' | 'stage' | 'member' | 'board';

/** The filter group of any entry kind (card events are all card entries). */
export function activityGroup(kind: string): ActivityGroup {
	if (kind.startsWith('stage_') || kind.startsWith('exit_criterion_')) return 'stage';
	if (kind.startsWith('member_') || kind === 'invite_revoked') return 'member';
	if (kind === 'board_renamed' || kind === 'standup_summary') return 'board';
	return 'card';
}

/** Every kind the feed knows, card events first. */
export const ALL_KINDS: readonly string[] = [...CARD_EVENT_TYPES, ...Object.keys(activityData)];

/** The kinds of a filter group (or of a single kind's name), split by the table that holds them. */
export function kindsFor(filter: string): { events: string[]; activity: string[] } {
	const match = (k: string) => k === filter || activityGroup(k) === filter;
	return { events: CARD_EVENT_TYPES.filter(match), activity: Object.keys(activityData).filter(match) };
}

/** Parses a stored entry's data for its kind; null when it does not fit (then the entry reads generically). */
export function parseActivityData<K extends ActivityKind>(kind: K, data: unknown): ActivityData<K> | null {
	const parsed = activityData[kind].safeParse(data);
	return parsed.success ? (parsed.data as ActivityData<K>) : null;
}
