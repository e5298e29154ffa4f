import type { StageKind } from '../types.ts';

/** The stage kinds in the order a standup walks them: finished work first, the queue last. */
export const STANDUP_KIND_ORDER: readonly StageKind[] = ['done', 'active', 'wait', 'queue'];

/** A stage as the standup order needs it, listed in board order (left to right). */
export interface OrderStage {
	id: string;
	kind: StageKind;
}

/** A card as the standup order needs it, listed in board order within its stage. */
export interface OrderCard {
	id: string;
	stageId: string;
	blocked: boolean;
	/** When the card last entered its stage (epoch ms; NaN when unknown). */
	movedAt: number;
	/** The card's owners (user ids), for the by-person walk. */
	owners?: readonly string[];
}

/**
 * The cards of a standup, in the order it walks them: stage kinds done → active → wait → queue, within a kind the
 * rightmost stage first, and within a stage blocked cards and cards that have not moved since `since` before the
 * rest (each group in board order). Cards of stages not listed are left out.
 */
export function standupOrder(stages: readonly OrderStage[], cards: readonly OrderCard[], since: number): string[] {
	const byStage = new Map<string, OrderCard[]>();
	for (const card of cards) byStage.set(card.stageId, [...(byStage.get(card.stageId) ?? []), card]);
	const rank = (card: OrderCard) => (card.blocked || !(card.movedAt >= since) ? 0 : 1);
	const order: string[] = [];
	for (const kind of STANDUP_KIND_ORDER) {
		const ofKind = stages.filter((s) => s.kind === kind).reverse();
		for (const stage of ofKind) {
			const list = byStage.get(stage.id) ?? [];
			// Stable sort: board order stays within each group.
			order.push(...[...list].sort((a, b) => rank(a) - rank(b)).map((c) => c.id));
		}
	}
	return order;
}

/** One person's turn in a by-person standup: their cards in standup order (null: cards nobody owns). */
export interface PersonTurn {
	userId: string | null;
	cardIds: string[];
}

/**
 * The by-person walk: each owner's cards in turn (people in `people` order, then any other owners by id), then the
 * cards nobody owns. A card with several owners comes up in each owner's turn.
 */
export function turnsByPerson(order: readonly string[], cards: readonly OrderCard[], people: readonly string[]): PersonTurn[] {
	const ownersOf = new Map(cards.map((c) => [c.id, c.owners ?? []]));
	const turns = new Map<string, string[]>();
	const nobody: string[] = [];
	for (const cardId of order) {
		const owners = ownersOf.get(cardId) ?? [];
		if (owners.length === 0) nobody.push(cardId);
		for (const owner of owners) turns.set(owner, [...(turns.get(owner) ?? []), cardId]);
	}
	const rest = [...turns.keys()].filter((id) => !people.includes(id)).sort();
	const result: PersonTurn[] = [...people, ...rest].filter((id) => turns.has(id)).map((userId) => ({ userId, cardIds: turns.get(userId)! }));
	if (nobody.length > 0) result.push({ userId: null, cardIds: nobody });
	return result;
}
