import type * as Y from 'yjs';
import type { Actor } from '../types.ts';
import { CommandError } from './command-error.ts';
import type { TxOrigin } from './origins.ts';
import { placesOf } from './places.ts';
import { boardMaps, cardKey, mapAt } from './schema.ts';

/**
 * The per-card roots a browser writes, keyed `cardId/…`. Exit checks and the server's roots (hand-offs, sign-offs)
 * are not among them on purpose: the server restamps an exit check written by a socket and reverts any socket write
 * to its roots, so an undo that put them back would change who checked, or be refused. They stay until the
 * deleted card's grace period ends (`purgeDeletedCard`), so an undo finds them as they were.
 */
const BROWSER_KEYED = ['checklists', 'owners', 'stepDues'] as const;

/** The keys of `map` that belong to `cardId` (`cardId/…`). */
function keysOf(map: Y.Map<unknown>, cardId: string): string[] {
	const prefix = cardKey(cardId, '');
	return [...map.keys()].filter((key) => key.startsWith(prefix));
}

/**
 * Removes a card and everything a browser keeps under its id (place, checklist, owners, step dates, description),
 * inside the caller's transaction, so one undo step brings all of it back.
 */
export function removeCardEntries(doc: Y.Doc, cardId: string): void {
	const maps = boardMaps(doc);
	for (const root of BROWSER_KEYED) for (const key of keysOf(maps[root], cardId)) maps[root].delete(key);
	maps.descriptions.delete(cardId);
	placesOf(doc).delete(cardId);
	maps.cards.delete(cardId);
}

/**
 * Writes only the server makes about deleted cards: once a deleted card's grace period is over, what was kept for an
 * undo (its exit checks, hand-off and sign-offs) goes too.
 */
export function serverCardCommands(doc: Y.Doc, _actor: Actor, origin: TxOrigin) {
	const { cards, exitChecks, handoffs, signoffs } = boardMaps(doc);
	return {
		/** Removes what the board still keeps of a deleted card; refuses while the card is on the board. Returns whether anything went. */
		purgeDeletedCard(cardId: string): boolean {
			if (mapAt(cards, cardId) || cards.has(cardId)) throw new CommandError('That card is on the board; only a deleted card’s leftovers are removed.');
			const checks = keysOf(exitChecks, cardId);
			const signed = keysOf(signoffs, cardId);
			if (checks.length === 0 && signed.length === 0 && !handoffs.has(cardId)) return false;
			doc.transact(() => {
				for (const key of checks) exitChecks.delete(key);
				for (const key of signed) signoffs.delete(key);
				handoffs.delete(cardId);
			}, origin);
			return true;
		}
	};
}
