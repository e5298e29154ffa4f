import type { StageKind } from '../types.ts';

/** What a standup says changed on a card since the last one. */
export type StandupChange =
	| { kind: 'created'; cardId: string; at: number; actorId: string | null; stage: string | null }
	| { kind: 'moved'; cardId: string; at: number; actorId: string | null; from: string | null; to: string | null }
	| { kind: 'finished'; cardId: string; at: number; actorId: string | null; to: string | null }
	| { kind: 'blocked'; cardId: string; at: number; actorId: string | null; reason: string }
	| { kind: 'unblocked'; cardId: string; at: number; actorId: string | null }
	| { kind: 'due_moved'; cardId: string; at: number; actorId: string | null; from: string | null; to: string | null }
	| { kind: 'approval'; cardId: string; at: number; actorId: string | null; outcome: 'approve' | 'changes' | 'reject'; stage: string | null; comment: string }
	| { kind: 'renamed'; cardId: string; at: number; actorId: string | null; from: string; to: string }
	| { kind: 'comment'; cardId: string; at: number; actorId: string | null; excerpt: string };

/** A history row (a `card_events` row, or a `board_activity` row with `type` = its kind and no stages). */
export interface HistoryRow {
	type: string;
	cardId: string | null;
	at: Date;
	actorId: string | null;
	fromStageId: string | null;
	toStageId: string | null;
	data: Record<string, unknown>;
}

/** A stage as history names it (deleted stages too: board_stages keeps their last name and kind). */
export interface HistoryStage {
	name: string;
	kind: StageKind | string;
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * Turns history rows into what a standup shows, oldest first: moves (a move into a done stage reads "finished"),
 * blocks and unblocks, sign-off decisions, due dates moved, renames and new cards. Rows of other kinds (owners,
 * checklists, stage edits) are left out: a standup talks about progress, not bookkeeping.
 */
export function standupChanges(rows: readonly HistoryRow[], stages: ReadonlyMap<string, HistoryStage>): StandupChange[] {
	const name = (id: string | null) => (id ? (stages.get(id)?.name ?? null) : null);
	const out: StandupChange[] = [];
	for (const r of rows) {
		if (!r.cardId) continue;
		const base = { cardId: r.cardId, at: r.at.getTime(), actorId: r.actorId };
		switch (r.type) {
			case 'created':
				out.push({ kind: 'created', ...base, stage: name(r.toStageId) });
				break;
			case 'moved':
				if (r.toStageId && stages.get(r.toStageId)?.kind === 'done' && stages.get(r.fromStageId ?? '')?.kind !== 'done') out.push({ kind: 'finished', ...base, to: name(r.toStageId) });
				else out.push({ kind: 'moved', ...base, from: name(r.fromStageId), to: name(r.toStageId) });
				break;
			case 'blocked':
				out.push({ kind: 'blocked', ...base, reason: text(r.data.reason) ?? '' });
				break;
			case 'unblocked':
				out.push({ kind: 'unblocked', ...base });
				break;
			case 'due_changed':
				out.push({ kind: 'due_moved', ...base, from: text(r.data.previous), to: text(r.data.due) });
				break;
			case 'step_due_set':
				out.push({ kind: 'due_moved', ...base, from: null, to: text(r.data.due) });
				break;
			case 'signoff_decided': {
				const outcome = r.data.outcome;
				if (outcome === 'approve' || outcome === 'changes' || outcome === 'reject') out.push({ kind: 'approval', ...base, outcome, stage: name(text(r.data.stageId) ?? r.toStageId), comment: text(r.data.comment) ?? '' });
				break;
			}
			case 'title_changed':
				out.push({ kind: 'renamed', ...base, from: text(r.data.from) ?? '', to: text(r.data.to) ?? '' });
				break;
		}
	}
	return out.sort((a, b) => a.at - b.at);
}

/** A comment as the comments table stores it (`card_comments`, built alongside the standup). */
export interface CommentRow {
	boardId: string;
	cardId: string;
	authorId: string;
	body: string;
	createdAt: Date;
}

/** How much of a comment the standup shows. */
export const COMMENT_EXCERPT = 140;

/**
 * SEAM for comments (wired in when `card_comments` is merged): the new-comment changes of rows already read for the
 * window. Shown as plain text (never as HTML), shortened to COMMENT_EXCERPT characters on one line.
 */
export function commentChanges(rows: readonly CommentRow[]): StandupChange[] {
	return rows.map((r) => {
		const flat = r.body.replace(/\s+/g, ' ').trim();
		const excerpt = flat.length > COMMENT_EXCERPT ? `${flat.slice(0, COMMENT_EXCERPT - 1)}…` : flat;
		return { kind: 'comment' as const, cardId: r.cardId, at: r.createdAt.getTime(), actorId: r.authorId, excerpt };
	});
}

/** Changes grouped by card, each card's oldest first. */
export function changesByCard(changes: readonly StandupChange[]): Record<string, StandupChange[]> {
	const out: Record<string, StandupChange[]> = {};
	for (const c of [...changes].sort((a, b) => a.at - b.at)) (out[c.cardId] ??= []).push(c);
	return out;
}

/** One line of plain text for a change ("Moved from Doing to Review"), with `person` naming its actor. */
export function changeSentence(change: StandupChange, person: (userId: string | null) => string): string {
	const who = person(change.actorId);
	switch (change.kind) {
		case 'created':
			return `${who} added it${change.stage ? ` to ${change.stage}` : ''}`;
		case 'moved':
			return `${who} moved it${change.from ? ` from ${change.from}` : ''}${change.to ? ` to ${change.to}` : ''}`;
		case 'finished':
			return `${who} finished it${change.to ? ` (${change.to})` : ''}`;
		case 'blocked':
			return `${who} blocked it${change.reason ? `: ${change.reason}` : ''}`;
		case 'unblocked':
			return `${who} unblocked it`;
		case 'due_moved':
			return change.to ? `${who} moved the due date${change.from ? ` from ${change.from}` : ''} to ${change.to}` : `${who} cleared the due date`;
		case 'approval': {
			const verb = change.outcome === 'approve' ? 'approved it' : change.outcome === 'reject' ? 'rejected it' : 'asked for changes';
			return `${who} ${verb}${change.stage ? ` in ${change.stage}` : ''}${change.comment ? `: “${change.comment}”` : ''}`;
		}
		case 'renamed':
			return `${who} renamed it from “${change.from}”`;
		case 'comment':
			return `${who} commented: “${change.excerpt}”`;
	}
}
