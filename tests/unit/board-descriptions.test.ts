import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { carryOver, descriptionText, ensureDescriptionText } from '../../src/lib/board/doc/descriptions.ts';
import { LOCAL } from '../../src/lib/board/doc/origins.ts';
import { boardMaps, seedBoard } from '../../src/lib/board/doc/schema.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';

const now = () => new Date('2026-01-05T09:00:00.000Z');

/** Two replicas of a seeded board with one card, and fixed client ids (the higher id wins concurrent map writes). */
function pair() {
	const a = new Y.Doc();
	a.clientID = 1;
	seedBoard(a);
	const todo = readSnapshot(a).stages.find((s) => s.name === 'To do')!.id;
	const cardId = boardCommands(a, { userId: 'ann', now }).addCard(todo, 'Launch email');
	const b = new Y.Doc();
	b.clientID = 2;
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
	return { a, b, cardId };
}

function sync(a: Y.Doc, b: Y.Doc): void {
	const fromA = Y.encodeStateAsUpdate(a);
	const fromB = Y.encodeStateAsUpdate(b);
	Y.applyUpdate(b, fromA);
	Y.applyUpdate(a, fromB);
}

describe('card description texts for the collaborative editor', () => {
	it('creates a card’s text once and then returns the same one', () => {
		const { a, cardId } = pair();
		expect(descriptionText(a, cardId)).toBeUndefined();
		const text = ensureDescriptionText(a, cardId);
		expect(ensureDescriptionText(a, cardId)).toBe(text);
		expect(descriptionText(a, cardId)).toBe(text);
	});

	it('the board’s undo does not take back creating the text (that would delete everything typed into it)', () => {
		const { a, cardId } = pair();
		const { descriptions } = boardMaps(a);
		const undo = new Y.UndoManager([descriptions], { trackedOrigins: new Set([LOCAL]) });
		const text = ensureDescriptionText(a, cardId);
		text.insert(0, 'Typed in the editor.');
		undo.undo();
		expect(descriptionText(a, cardId)?.toString()).toBe('Typed in the editor.');
	});

	it('two people opening a card without a description at once: the one whose text lost carries its words over', () => {
		const { a, b, cardId } = pair();
		ensureDescriptionText(a, cardId).insert(0, 'Ann wrote this.');
		ensureDescriptionText(b, cardId).insert(0, 'Bob wrote that.');
		sync(a, b);
		// One text won on both replicas; the other's words are nowhere to be seen.
		const shared = descriptionText(a, cardId)!.toString();
		expect(descriptionText(b, cardId)!.toString()).toBe(shared);
		expect(shared).toMatch(/^(Ann wrote this\.|Bob wrote that\.)$/);
		const [loser, lostWords] = shared === 'Ann wrote this.' ? [b, 'Bob wrote that.'] : [a, 'Ann wrote this.'];
		expect(carryOver(lostWords, descriptionText(loser, cardId)!)).toBe(true);
		sync(a, b);
		for (const doc of [a, b]) expect(descriptionText(doc, cardId)!.toString()).toBe(`${shared}\n${lostWords}`);
	});

	it('carries nothing over twice, and nothing that is only whitespace', () => {
		const { a, cardId } = pair();
		const text = ensureDescriptionText(a, cardId);
		text.insert(0, 'Kept. Lost words.');
		expect(carryOver('Lost words.', text)).toBe(false);
		expect(carryOver('  \n', text)).toBe(false);
		expect(text.toString()).toBe('Kept. Lost words.');
	});
});
