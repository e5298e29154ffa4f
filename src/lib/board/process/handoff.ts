import type * as Y from 'yjs';
import { pickAssignee } from '../plan/assign.ts';
import { placeOf } from '../doc/places.ts';
import { boardMaps, cardKey, mapAt, mapsIn, splitCardKey, valuesIn } from '../doc/schema.ts';
import { isString } from '../doc/shape.ts';
import { readProcess, readStage } from '../doc/snapshot.ts';
import { isHandoff } from './step-settings.ts';
import type { Handoff } from '../types.ts';

/** Open (not archived, not done) cards each user owns on the board: the load a hand-off balances. */
export function openCardsByOwner(doc: Y.Doc): Record<string, number> {
	const { cards, stages, owners } = boardMaps(doc);
	const done = new Set<string>();
	for (const [id, map] of mapsIn(stages)) if (map.get('kind') === 'done') done.add(id);
	const open = new Set<string>();
	for (const [id, map] of mapsIn(cards)) {
		if (map.get('archived') === true) continue;
		const place = placeOf(doc, id, map);
		if (place && !done.has(place.stageId)) open.add(id);
	}
	const load: Record<string, number> = {};
	for (const [key, userId] of valuesIn(owners, isString)) if (open.has(splitCardKey(key)[0])) load[userId] = (load[userId] ?? 0) + 1;
	return load;
}

/**
 * Hands a card that just entered `stageId` to the holder of the stage's owner role: the one with the fewest open
 * cards (ties in turn), replacing whoever the process assigned at the previous step. With nobody holding the role,
 * the hand-off is recorded with no one (the card shows "no one holds <role>"). Call inside a transaction; returns
 * the hand-off, or null when the stage has no owner role (nothing changes).
 */
export function handOffCard(doc: Y.Doc, cardId: string, stageId: string, now: Date): Handoff | null {
	const { cards, stages, owners, handoffs, turns } = boardMaps(doc);
	const stageMap = mapAt(stages, stageId);
	const card = mapAt(cards, cardId);
	if (!stageMap || !card || card.get('archived') === true) return null;
	const role = readStage(stageMap).step?.ownerRole;
	if (!role) return null;
	const holders = readProcess(doc).teamRoles[role] ?? [];
	const load = openCardsByOwner(doc);
	// The card itself is open and may count for its current owners; the previous assignee is about to lose it.
	const previous = handoffs.get(cardId);
	const previousUser = isHandoff(previous) ? previous.userId : null;
	if (previousUser && load[previousUser]) load[previousUser]--;
	const lastTurn = turns.get(role);
	const userId = pickAssignee(holders, load, typeof lastTurn === 'string' ? lastTurn : null);
	if (previousUser && previousUser !== userId) owners.delete(cardKey(cardId, previousUser));
	if (userId) {
		owners.set(cardKey(cardId, userId), userId);
		turns.set(role, userId);
	}
	const handoff: Handoff = { stageId, role, userId, at: now.toISOString(), previous: previousUser !== userId ? previousUser : null };
	handoffs.set(cardId, handoff);
	return handoff;
}
