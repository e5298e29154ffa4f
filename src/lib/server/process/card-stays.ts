import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { cardEvents } from '../db/schema/history.ts';
import type { Card } from '../../board/types.ts';

/** One stay of a card in a stage as history recorded it, with who owned the card when it left (or now). */
export interface CardStay {
	stageId: string;
	enteredAt: Date;
	leftAt: Date | null;
	/** The card's owners as the stay ended (for the stay it is in: now). */
	owners: string[];
}

/** The events a card's stays and owners are replayed from. */
const STAY_EVENTS = ['created', 'moved', 'archived', 'deleted', 'restored', 'owner_added', 'owner_removed'];

/** What a stay replay reads of an event (in `(at, id)` order). */
export interface StayEvent {
	type: string;
	at: Date;
	toStageId: string | null;
	data: Record<string, unknown>;
}

/**
 * Replays a card's events into its stays: each `created`/`moved` starts a stay in its stage and ends the one before,
 * an archive ends the stay, a restore starts one. History starts over at the card's latest `created`. Owners are
 * replayed alongside, so each finished stay knows who held the card as it left (a hand-off to the next step is
 * recorded after the move, so it does not count for the step being left).
 */
export function replayStays(events: readonly StayEvent[]): CardStay[] {
	let stays: CardStay[] = [];
	let owners = new Set<string>();
	let open: CardStay | null = null;
	let lastStage: string | null = null;
	const close = (at: Date) => {
		if (!open) return;
		open.leftAt = at;
		open.owners = [...owners];
		open = null;
	};
	const enter = (stageId: string | null, at: Date) => {
		if (!stageId) return;
		open = { stageId, enteredAt: at, leftAt: null, owners: [] };
		stays.push(open);
		lastStage = stageId;
	};
	for (const event of events) {
		const userId = typeof event.data.userId === 'string' ? event.data.userId : null;
		switch (event.type) {
			case 'created':
				stays = [];
				owners = new Set();
				open = null;
				enter(event.toStageId, event.at);
				break;
			case 'moved':
				close(event.at);
				enter(event.toStageId, event.at);
				break;
			// A deleted card, like an archived one, is in no stage until it is restored.
			case 'archived':
			case 'deleted':
				close(event.at);
				break;
			case 'restored':
				if (!open) enter(event.toStageId ?? lastStage, event.at);
				break;
			case 'owner_added':
				if (userId) owners.add(userId);
				break;
			case 'owner_removed':
				if (userId) owners.delete(userId);
				break;
		}
	}
	const current = open as CardStay | null;
	if (current) current.owners = [...owners];
	return stays;
}

/**
 * The card's stays from history, squared with the live card: history is stored a moment after the document
 * changes, so a move it has not recorded yet is taken from the card itself (its stage and arrival time).
 */
export async function cardStays(db: Db, boardId: string, card: Pick<Card, 'id' | 'stageId' | 'movedAt' | 'archived' | 'owners'>): Promise<CardStay[]> {
	const events = await db
		.select({ type: cardEvents.type, at: cardEvents.at, toStageId: cardEvents.toStageId, data: cardEvents.data })
		.from(cardEvents)
		.where(and(eq(cardEvents.boardId, boardId), eq(cardEvents.cardId, card.id), inArray(cardEvents.type, STAY_EVENTS)))
		.orderBy(asc(cardEvents.at), asc(cardEvents.id));
	const stays = replayStays(events);
	if (card.archived) return stays;
	const last = stays.at(-1);
	if (!last || last.leftAt !== null || last.stageId !== card.stageId) {
		const movedAt = new Date(card.movedAt);
		if (last && last.leftAt === null) {
			// The card's place keeps whole seconds, history milliseconds: a move within the second of the last one
			// must not leave before it entered.
			last.leftAt = movedAt.getTime() < last.enteredAt.getTime() ? last.enteredAt : movedAt;
		}
		const enteredAt = last?.leftAt && movedAt.getTime() < last.leftAt.getTime() ? last.leftAt : movedAt;
		stays.push({ stageId: card.stageId, enteredAt, leftAt: null, owners: [...card.owners] });
	} else {
		last.owners = [...card.owners];
	}
	return stays;
}
