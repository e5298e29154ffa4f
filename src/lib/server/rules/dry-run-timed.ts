import type { RuleTrigger } from '../../board/rules/definition.ts';
import { timedOccurrence, wallClock } from '../../board/rules/match.ts';
import type { Card } from '../../board/types.ts';

/** A stored card event, as much of it as the timed replay reads. */
export interface ReplayEvent {
	type: string;
	cardId: string;
	toStageId: string | null;
	at: Date;
	data: Record<string, unknown>;
}

/** A moment the timed rule would have fired on a card, with the card as it then was. */
export interface TimedFiring {
	at: Date;
	card: Card;
}

const HOUR = 3_600_000;

/** What history says of a card at a moment: the fields timed triggers and stage conditions read. */
type CardThen = Pick<Card, 'stageId' | 'due' | 'movedAt' | 'archived'>;

/**
 * When a timed trigger (due within, overdue by, no move for, a schedule) would have fired between `from` and `to`:
 * the board's history replayed hour by hour (the live sweep runs every 5 minutes; an hour is close enough for a
 * preview and keeps 30 days cheap), each card taken as it then was — its stage, due date, last move and whether it
 * was archived — and every other field as it is now. Once per occasion, as the engine keys its firings.
 */
export function timedFirings(trigger: RuleTrigger, events: readonly ReplayEvent[], cardsNow: ReadonlyMap<string, Card>, timeZone: string, from: number, to: number): TimedFiring[] {
	const sorted = [...events].sort((a, b) => a.at.getTime() - b.at.getTime());
	const state = new Map<string, CardThen>();
	const fired = new Set<string>();
	const out: TimedFiring[] = [];
	let next = 0;
	// Every whole hour of the window, and its end (the changes of the last minutes count too).
	const moments: number[] = [];
	for (let t = Math.ceil(from / HOUR) * HOUR; t < to; t += HOUR) moments.push(t);
	moments.push(to);
	for (const t of moments) {
		for (; next < sorted.length && sorted[next]!.at.getTime() <= t; next++) apply(state, sorted[next]!);
		const now = new Date(t);
		const local = wallClock(now, timeZone);
		for (const [cardId, then] of state) {
			const current = cardsNow.get(cardId);
			if (!current) continue;
			const card: Card = { ...current, ...then };
			const occasion = timedOccurrence(trigger, card, now, local);
			if (!occasion || fired.has(`${cardId}:${occasion}`)) continue;
			fired.add(`${cardId}:${occasion}`);
			out.push({ at: now, card });
		}
	}
	return out;
}

/** Folds one stored event into the cards' replayed state. */
function apply(state: Map<string, CardThen>, e: ReplayEvent): void {
	const at = e.at.toISOString();
	const card = state.get(e.cardId);
	switch (e.type) {
		case 'created':
			state.set(e.cardId, { stageId: e.toStageId ?? '', due: null, movedAt: at, archived: false });
			return;
		case 'moved':
			if (card) state.set(e.cardId, { ...card, stageId: e.toStageId ?? card.stageId, movedAt: at });
			return;
		case 'due_changed':
			if (card) state.set(e.cardId, { ...card, due: (e.data.due as string | null | undefined) ?? null });
			return;
		// A deleted card is out of reach like an archived one until an undo restores it.
		case 'archived':
		case 'deleted':
		case 'restored':
			if (card) state.set(e.cardId, { ...card, archived: e.type !== 'restored' });
			return;
	}
}
