import { isActivityKind, parseActivityData, type ActivityData, type ActivityKind } from './activity.ts';
import { formatDate } from '../format/dates.ts';

/** One feed entry as the sentence needs it: a card event or an audit entry, ids unresolved. */
export interface SentenceInput {
	kind: string;
	actorId: string | null;
	cardId: string | null;
	fromStageId: string | null;
	toStageId: string | null;
	data: Record<string, unknown>;
}

/** How ids read in a sentence. */
export interface SentenceNames {
	/** A user's name; for a deleted account, "someone who left". */
	person(userId: string): string;
	/** A stage's current name; for one that is gone, "a deleted stage". */
	stage(stageId: string): string;
}

/** Who did it, as a sentence starts: a person's name, "Someone who left", or "Flowdeck" for the server on its own. */
export function actorLabel(actorId: string | null, names: SentenceNames): string {
	if (actorId === null) return 'Flowdeck';
	const name = names.person(actorId);
	return name === SOMEONE_WHO_LEFT ? 'Someone who left' : name;
}

/** How a deleted account reads in the feed. */
export const SOMEONE_WHO_LEFT = 'someone who left';

const q = (text: unknown) => `“${String(text)}”`;
const roleNoun: Record<string, string> = { owner: 'an owner', editor: 'an editor', viewer: 'a viewer' };
const kindNoun: Record<string, string> = { queue: 'a queue', active: 'an active', wait: 'a waiting', done: 'a done' };
const list = (items: string[]) => items.map(q).join(', ');

/** How an entry reads: who the sentence is about, what they did, and whether that already names the card. */
export interface EntryDescription {
	/**
	 * Who the sentence starts with: the actor ("Priya", "Flowdeck"), or what the process did by itself ("Process"
	 * handed it on, "No one" holds a role), where the actor who moved the card is named in `what`.
	 */
	subject: string;
	what: string;
	namesCard: boolean;
}

/**
 * What the actor did, after the subject ("moved it from Ready to Backlog", "removed the WIP limit of Review (was
 * 3)"). `namesCard` says the predicate already names its card (`card`, its title, when known), so a board-wide list
 * need not add "on “title”".
 */
export function describeEntry(entry: SentenceInput, names: SentenceNames, card: string | null = null): EntryDescription {
	const subject = actorLabel(entry.actorId, names);
	if (isActivityKind(entry.kind)) {
		const data = parseActivityData(entry.kind, entry.data);
		if (data) return { subject, ...describeActivity(entry.kind, data, names) };
		return { subject, what: `made a change (${entry.kind.replaceAll('_', ' ')})`, namesCard: false };
	}
	return describeProcessEvent(entry, names, card) ?? { subject, what: describeCardEvent(entry, names), namesCard: false };
}

/** The whole sentence: "Priya on “Launch post” added Sam as owner", or without the card when `card` is null. */
export function entrySentence(entry: SentenceInput, names: SentenceNames, card: string | null): string {
	const { subject, what, namesCard } = describeEntry(entry, names, card);
	const on = card !== null && entry.cardId !== null && !namesCard ? ` on ${q(card)}` : '';
	return `${subject}${on} ${what}`;
}

/**
 * Sentences of the process's card events, which read differently from a person's edits: the process hands a card
 * on "(moved by Alex)", "No one holds SEO strategist…", an approver's decision names the card and the step.
 * Null for every other kind (and for data that does not fit, which then reads generically).
 */
function describeProcessEvent(e: SentenceInput, names: SentenceNames, card: string | null): EntryDescription | null {
	const d = e.data;
	const text = (v: unknown) => (typeof v === 'string' ? v : null);
	const cardRef = card !== null ? q(card) : 'the card';
	const stage = text(d.stageId) !== null ? names.stage(d.stageId as string) : null;
	const movedBy = e.actorId !== null ? ` (moved by ${actorLabel(e.actorId, names)})` : '';
	switch (e.kind) {
		case 'handed_off': {
			const user = text(d.userId);
			if (user === null || stage === null) return null;
			return { subject: 'Process', what: `handed ${cardRef} to ${names.person(user)} for ${stage}${movedBy}`, namesCard: true };
		}
		case 'handoff_unstaffed':
			if (text(d.role) === null || stage === null) return null;
			return { subject: 'No one', what: `holds ${String(d.role)} for ${stage} on ${cardRef}`, namesCard: true };
		case 'signoff_decided': {
			const comment = text(d.comment)?.trim() ?? '';
			const because = comment ? `: ${comment}` : '';
			const subject = actorLabel(e.actorId, names);
			if (d.outcome === 'approve') return { subject, what: `approved ${cardRef}${stage ? ` in ${stage}` : ''}${because}`, namesCard: true };
			if (d.outcome === 'changes') return { subject, what: `requested changes on ${cardRef}${because}`, namesCard: true };
			if (d.outcome === 'reject') return { subject, what: `rejected ${cardRef}${stage ? ` in ${stage}` : ''}${because}`, namesCard: true };
			return null;
		}
		case 'owner_added':
		case 'owner_removed': {
			const user = text(d.userId);
			if (d.via !== 'process' || user === null) return null;
			const verb = e.kind === 'owner_added' ? 'added' : 'removed';
			return { subject: 'Process', what: `${verb} ${names.person(user)} as owner${movedBy}`, namesCard: false };
		}
		default:
			return null;
	}
}

function describeCardEvent(e: SentenceInput, names: SentenceNames): string {
	const d = e.data;
	const from = e.fromStageId ? names.stage(e.fromStageId) : 'nowhere';
	const to = e.toStageId ? names.stage(e.toStageId) : 'nowhere';
	const user = typeof d.userId === 'string' ? names.person(d.userId) : 'someone';
	switch (e.kind) {
		case 'created':
			return `created it in ${to}`;
		case 'moved':
			return `moved it from ${from} to ${to}${d.direction === 'backward' ? ' (sent back)' : ''}`;
		case 'blocked':
			return `marked it blocked: ${String(d.reason ?? '')}`;
		case 'unblocked':
			return 'unblocked it';
		case 'owner_added':
			return `added ${user} as owner`;
		case 'owner_removed':
			return `removed ${user} as owner`;
		case 'due_changed':
			return d.due ? `set the due date to ${formatDate(String(d.due))}` : 'cleared the due date';
		case 'checklist_completed':
			return 'completed the checklist';
		case 'exit_checked':
			return `checked an exit criterion of ${to}`;
		case 'archived':
			return 'archived it';
		case 'restored':
			return 'restored it';
		case 'deleted':
			return 'deleted it';
		case 'wip_breach':
			return `pushed ${to} over its WIP limit (${String(d.count)} / ${String(d.limit)})`;
		case 'target_changed':
			if (typeof d.target !== 'string') return 'cleared the target date';
			return `set the target date to ${formatDate(d.target)}${typeof d.previous === 'string' ? ` (was ${formatDate(d.previous)})` : ''}`;
		default:
			return `made a change (${e.kind.replaceAll('_', ' ')})`;
	}
}

/** One sentence per audit kind, each reading its own data shape; `true` beside it: the sentence names its card. */
const RENDER: { [K in ActivityKind]: (d: ActivityData<K>, names: SentenceNames) => string | [string, true] } = {
	stage_added: (d) => `added the stage ${d.name}`,
	stage_renamed: (d) => `renamed the stage ${d.from} to ${d.to}`,
	stage_moved: (d) => `moved the stage ${d.name} from position ${d.from} to ${d.to}`,
	stage_deleted: (d) => `deleted the stage ${d.name}`,
	stage_kind_changed: (d) => `made ${d.name} ${kindNoun[d.to] ?? d.to} stage (was ${d.from})`,
	stage_wip_changed: (d) => wipSentence(d),
	stage_step_changed: (d) => `set the step of ${d.name} to ${d.to} (was ${d.from})`,
	exit_criterion_added: (d) => `added the exit criterion ${q(d.text)} to ${d.name}`,
	exit_criterion_removed: (d) => `removed the exit criterion ${q(d.text)} from ${d.name}`,
	title_changed: (d) => [`renamed the card ${q(d.from)} to ${q(d.to)}`, true],
	labels_changed: (d) => labelsSentence(d),
	checklist_item_added: (d) => `added the checklist item ${q(d.text)}`,
	checklist_item_renamed: (d) => `renamed the checklist item ${q(d.from)} to ${q(d.to)}`,
	checklist_item_ticked: (d) => `ticked ${q(d.text)}`,
	checklist_item_unticked: (d) => `unticked ${q(d.text)}`,
	checklist_item_removed: (d) => `removed the checklist item ${q(d.text)}`,
	description_edited: (d) => `edited the description (${d.inserted} characters added, ${d.deleted} removed)`,
	step_due_set: (d, names) => (d.due ? `set the due date of ${names.stage(d.stageId)} to ${formatDate(d.due)}` : `reset the due date of ${names.stage(d.stageId)} to the plan`),
	member_invited: (d) => `created an invite link for ${d.role}s (valid ${d.days} ${d.days === 1 ? 'day' : 'days'})`,
	invite_revoked: () => 'revoked an invite link',
	member_joined: (d) => `joined the board as ${roleNoun[d.role]}`,
	member_role_changed: (d, names) => `made ${names.person(d.userId)} ${roleNoun[d.to]} (was ${d.from})`,
	member_removed: (d, names) => `removed ${names.person(d.userId)} from the board`,
	member_left: () => 'left the board',
	board_renamed: (d) => `renamed the board ${q(d.from)} to ${q(d.to)}`,
	standup_summary: (d) => `ran a standup${d.filter ? ` on the cards matching ${d.filter}` : ''}: ${d.finished} finished, ${d.newlyBlocked} newly blocked, ${d.overdue} overdue, ${d.wipBreaches} WIP breaches, ${d.waitingForApproval} waiting for approval`,
	comment_added: () => 'commented',
	comment_edited: () => 'edited a comment',
	comment_deleted: () => 'deleted a comment',
	attachment_added: (d) => `attached ${q(d.fileName)}`,
	attachment_removed: (d) => `removed the attachment ${q(d.fileName)}`
};

function describeActivity<K extends ActivityKind>(kind: K, data: ActivityData<K>, names: SentenceNames): { what: string; namesCard: boolean } {
	const said = (RENDER[kind] as (d: ActivityData<K>, names: SentenceNames) => string | [string, true])(data, names);
	return typeof said === 'string' ? { what: said, namesCard: false } : { what: said[0], namesCard: said[1] };
}

function wipSentence(d: ActivityData<'stage_wip_changed'>): string {
	const mode = d.mode !== d.previousMode ? `, ${d.mode}` : '';
	if (d.limit === null && d.previous === null) return `made the WIP limit of ${d.name} ${d.mode} (was ${d.previousMode})`;
	if (d.limit === null) return `removed the WIP limit of ${d.name} (was ${d.previous})`;
	if (d.previous === null) return `set a ${d.mode} WIP limit of ${d.limit} on ${d.name}`;
	if (d.limit === d.previous) return `made the WIP limit of ${d.name} ${d.mode} (was ${d.previousMode})`;
	const was = mode ? `${d.previous}, ${d.previousMode}` : `${d.previous}`;
	return `changed the WIP limit of ${d.name} to ${d.limit}${mode} (was ${was})`;
}

function labelsSentence(d: ActivityData<'labels_changed'>): string {
	if (d.added.length === 1 && d.removed.length === 0) return `added the label ${q(d.added[0])}`;
	if (d.removed.length === 1 && d.added.length === 0) return `removed the label ${q(d.removed[0])}`;
	if (d.added.length + d.removed.length === 0) return d.labels.length > 0 ? `changed the colours of the labels ${list(d.labels)}` : 'changed the labels';
	const parts = [d.added.length > 0 ? `added ${list(d.added)}` : '', d.removed.length > 0 ? `removed ${list(d.removed)}` : ''].filter(Boolean);
	return `changed the labels: ${parts.join('; ')}`;
}
