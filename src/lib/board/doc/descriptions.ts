import * as Y from 'yjs';
import type { TxOrigin } from './origins.ts';
import { boardMaps } from './schema.ts';

/**
 * The origin of the collaborative editor's own structural writes (creating a card's text, carrying text over).
 * It is a local edit, but a separate object from `LOCAL`: the board's undo manager tracks `LOCAL` by identity, and
 * undoing "created the description" would delete the text with everything typed into it since.
 */
export const DESCRIPTION_EDITOR: TxOrigin = Object.freeze({ kind: 'local' });

/** The card's description text, or undefined while it has none (or holds something that is not a text). */
export function descriptionText(doc: Y.Doc, cardId: string): Y.Text | undefined {
	const value = boardMaps(doc).descriptions.get(cardId);
	return value instanceof Y.Text ? value : undefined;
}

/**
 * The card's description text, created (empty) when it has none yet. An editor binds to a text, so it needs one
 * before the first keystroke; creating it when the editor opens rather than on that keystroke makes two people
 * racing to create it rare (see `carryOver` for when they still do).
 */
export function ensureDescriptionText(doc: Y.Doc, cardId: string, origin: TxOrigin = DESCRIPTION_EDITOR): Y.Text {
	const existing = descriptionText(doc, cardId);
	if (existing) return existing;
	const text = new Y.Text();
	doc.transact(() => boardMaps(doc).descriptions.set(cardId, text), origin);
	return text;
}

/**
 * Appends `words` — what was typed into a card's text that a concurrent first write then replaced, so nobody sees
 * it any more (a replaced text reads as empty: keep its words from the editor) — to `kept`, the text everyone now
 * shares. Returns whether anything was added. Only the client that created the lost text should call it, or the
 * words would arrive once per client.
 */
export function carryOver(words: string, kept: Y.Text, origin: TxOrigin = DESCRIPTION_EDITOR): boolean {
	if (!words.trim() || !kept.doc) return false;
	const current = kept.toString();
	if (current.includes(words)) return false;
	kept.doc.transact(() => kept.insert(current.length, current && !current.endsWith('\n') ? `\n${words}` : words), origin);
	return true;
}
