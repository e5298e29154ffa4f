import type { StageKind } from '../types.ts';

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
	| { type: 'archived' | 'restored'; cardId: string; at: number }
	| { type: 'due_changed'; cardId: string; at: number; due: string | null };

/** A stretch of time a card spent in one stage; `end` null while it is still there. */
export interface Visit {
	stageId: string;
	start: number;
	end: number | null;
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
	due: string | null;
	archivedAt: number | null;
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
	const enter = (card: CardTimeline, stageId: string, at: number) => {
		card.visits.push({ stageId, start: at, end: null });
		if (kind.get(stageId) === 'done' && card.finishedAt === null) card.finishedAt = at;
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
				archivedAt: null,
				checklistAtFinish: null,
				backwardFrom: []
			};
			cards.set(event.cardId, card);
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
		} else if (event.type === 'archived') card.archivedAt = event.at;
		else if (event.type === 'restored') card.archivedAt = null;
		else if (event.type === 'due_changed') card.due = event.due;
	}
	return [...cards.values()];
}

/** The stage a card was in at time `t`, or null if it did not exist (or was archived unfinished). */
export function stageAt(card: CardTimeline, t: number): string | null {
	if (t < card.createdAt) return null;
	// An archived card leaves the board, unless it had finished: finished work keeps counting as done.
	if (card.archivedAt !== null && t >= card.archivedAt && (card.finishedAt === null || card.finishedAt > card.archivedAt)) return null;
	for (let i = card.visits.length - 1; i >= 0; i--) {
		const v = card.visits[i]!;
		if (v.start <= t) return v.stageId;
	}
	return null;
}
