import type { StageKind } from '../types.ts';
import { deadlineOf } from './deadline.ts';

/** A stage as history knows it (kept after renames and deletions). */
export interface StageInfo {
	id: string;
	name: string;
	kind: StageKind;
	/** Position in the workflow (lower = earlier). */
	order: number;
}

/** One recorded fact about a card, stamped with the server's clock (epoch ms). */
export type FlowEvent =
	| { type: 'created'; cardId: string; at: number; stageId: string; due?: string | null }
	| { type: 'moved'; cardId: string; at: number; fromStageId: string; toStageId: string; checklist?: { done: number; total: number } }
	// A deleted card counts as archived (out of the figures, finished work kept) until an undo restores it.
	| { type: 'archived' | 'deleted' | 'restored'; cardId: string; at: number }
	| { type: 'due_changed'; cardId: string; at: number; due: string | null };

/** A stretch of time a card spent in one stage; `end` null while it is still there. */
export interface Visit {
	stageId: string;
	start: number;
	end: number | null;
	/** The stage is a done stage (finished work keeps counting there while archived). */
	done?: boolean;
}

/** Everything the metrics need about one card, derived from its events. */
export interface CardTimeline {
	cardId: string;
	createdAt: number;
	visits: Visit[];
	/** First time the card entered a done stage (lead and cycle time end here). */
	finishedAt: number | null;
	/** First time the card entered an active stage. */
	startedAt: number | null;
	/** The due date now (the latest change). */
	due: string | null;
	/** The due date in force when the card first reached done (null when it had none then, or never finished). */
	dueAtFinish: string | null;
	/** Before it finished, the card's due date was set to more than one real calendar date (it was moved). */
	dueMoved: boolean;
	/** When it was archived, if it is archived at the end of its history (null once restored). */
	archivedAt: number | null;
	/** Every archive and restore, in order: the card is out of the figures while archived (see `stageAt`). */
	archives: { at: number; archived: boolean }[];
	/** Checklist state on the move that finished the card, if recorded. */
	checklistAtFinish: { done: number; total: number } | null;
	/** Backward moves: the stage the card left, and when. */
	backwardFrom: { stageId: string; at: number }[];
}

/** Replays events (any order) into one timeline per card. */
export function buildTimelines(events: readonly FlowEvent[], stages: readonly StageInfo[]): CardTimeline[] {
	const kind = new Map(stages.map((s) => [s.id, s.kind]));
	const order = new Map(stages.map((s) => [s.id, s.order]));
	const sorted = [...events].sort((a, b) => a.at - b.at);
	const cards = new Map<string, CardTimeline>();
	// The real due dates each card held before it finished: two different ones mean its due date was moved.
	const heldDue = new Map<string, string>();
	const holdDue = (card: CardTimeline, due: string | null) => {
		if (card.finishedAt !== null || deadlineOf(due) === null) return;
		const before = heldDue.get(card.cardId);
		if (before !== undefined && before !== due) card.dueMoved = true;
		heldDue.set(card.cardId, due!);
	};
	const enter = (card: CardTimeline, stageId: string, at: number) => {
		card.visits.push({ stageId, start: at, end: null, done: kind.get(stageId) === 'done' });
		if (kind.get(stageId) === 'done' && card.finishedAt === null) {
			card.finishedAt = at;
			card.dueAtFinish = card.due;
		}
		if (kind.get(stageId) === 'active' && card.startedAt === null) card.startedAt = at;
	};
	for (const event of sorted) {
		if (event.type === 'created') {
			const card: CardTimeline = {
				cardId: event.cardId,
				createdAt: event.at,
				visits: [],
				finishedAt: null,
				startedAt: null,
				due: event.due ?? null,
				dueAtFinish: null,
				dueMoved: false,
				archivedAt: null,
				archives: [],
				checklistAtFinish: null,
				backwardFrom: []
			};
			cards.set(event.cardId, card);
			heldDue.delete(event.cardId);
			holdDue(card, card.due);
			enter(card, event.stageId, event.at);
			continue;
		}
		const card = cards.get(event.cardId);
		if (!card) continue;
		if (event.type === 'moved') {
			const last = card.visits[card.visits.length - 1];
			if (last && last.end === null) last.end = event.at;
			const wasFinished = card.finishedAt !== null;
			enter(card, event.toStageId, event.at);
			if (!wasFinished && card.finishedAt !== null) card.checklistAtFinish = event.checklist ?? null;
			if ((order.get(event.toStageId) ?? 0) < (order.get(event.fromStageId) ?? 0)) card.backwardFrom.push({ stageId: event.fromStageId, at: event.at });
		} else if (event.type === 'archived' || event.type === 'deleted' || event.type === 'restored') {
			const archived = event.type !== 'restored';
			card.archivedAt = archived ? event.at : null;
			card.archives.push({ at: event.at, archived });
		} else if (event.type === 'due_changed') {
			card.due = event.due;
			holdDue(card, event.due);
		}
	}
	return [...cards.values()];
}

/** Whether the card was archived at time `t`: its latest archive or restore by then was an archive. */
export function archivedAt(card: Pick<CardTimeline, 'archives'>, t: number): boolean {
	for (let i = card.archives.length - 1; i >= 0; i--) if (card.archives[i]!.at <= t) return card.archives[i]!.archived;
	return false;
}

/**
 * The stage a card was in at time `t`, or null if it did not exist or was archived then. Archive and restore are
 * events in time: a card archived at t₁ and restored at t₂ is out between them and back after, so restoring a card
 * never rewrites the past. A card archived from a done stage keeps counting there: archiving finished work is
 * tidying up, and the finished band of the cumulative flow must not shrink when people tidy.
 */
export function stageAt(card: CardTimeline, t: number): string | null {
	if (t < card.createdAt) return null;
	for (let i = card.visits.length - 1; i >= 0; i--) {
		const v = card.visits[i]!;
		if (v.start > t) continue;
		return v.done !== true && archivedAt(card, t) ? null : v.stageId;
	}
	return null;
}
