import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { boardMaps } from '../../src/lib/board/doc/schema.ts';

/** One hostile edit: raw Yjs writes of the wrong type into a board document, as a modified client could make. */
export interface Poison {
	what: string;
	/** Makes the edit on `doc` (a client's copy of the board). */
	write(doc: Y.Doc): void;
}

/** The id of the board's first stage that is still a stage map (earlier poisons may have replaced some). */
const firstKey = (map: Y.Map<unknown>): string => {
	for (const [key, value] of map) if (value instanceof Y.Map) return key;
	throw new Error('the board has no entry to overwrite');
};

/** The wrong-type writes found by the security review (issue 10), and a few of their cousins. */
export const POISONS: Poison[] = [
	{ what: 'a stage that is a number', write: (doc) => boardMaps(doc).stages.set('x', 5) },
	{ what: 'a null place', write: (doc) => boardMaps(doc).places.push([null as never]) },
	{ what: 'a checklist entry that is a number', write: (doc) => boardMaps(doc).checklists.set('c/i', 7) },
	{
		what: 'schemaVersion 1 beside a card that is a number',
		write: (doc) =>
			doc.transact(() => {
				boardMaps(doc).meta.set('schemaVersion', 1);
				boardMaps(doc).cards.set('n', 42);
			})
	},
	{ what: 'a card that is text', write: (doc) => boardMaps(doc).cards.set('x', 'text') },
	{ what: 'a null description', write: (doc) => boardMaps(doc).descriptions.set('x', null) },
	{
		what: 'a label list [null] on a card',
		write: (doc) => {
			const card = new Y.Map<unknown>();
			card.set('title', 'Labelled');
			card.set('labels', [null]);
			boardMaps(doc).cards.set('labelled', card);
		}
	},
	{
		what: 'an existing stage replaced by a string (overwrite of a key)',
		write: (doc) => boardMaps(doc).stages.set(firstKey(boardMaps(doc).stages), 'gone')
	},
	{
		what: "an existing stage's name set to a map (nested overwrite)",
		write: (doc) => (boardMaps(doc).stages.get(firstKey(boardMaps(doc).stages)) as Y.Map<unknown>).set('name', new Y.Map())
	},
	{ what: 'a place of the wrong shape', write: (doc) => boardMaps(doc).places.push([{ key: 'c', val: ['s', 1, 'x'] } as never]) },
	{ what: 'a description that is a map', write: (doc) => boardMaps(doc).descriptions.set('x', new Y.Map() as never) },
	{ what: 'text formatting in a description', write: (doc) => {
		const text = new Y.Text();
		boardMaps(doc).descriptions.set('fmt', text);
		text.insert(0, 'bold', { bold: true });
	} },
	{ what: 'a root the board does not have', write: (doc) => doc.getMap('evil').set('x', 1) },
	{ what: 'binary content in a card', write: (doc) => boardMaps(doc).cards.set('bin', new Uint8Array([1, 2, 3]) as never) },
	{
		what: 'a card title with a NUL character (PostgreSQL refuses it in history)',
		write: (doc) => {
			const card = new Y.Map<unknown>();
			card.set('title', 'before\u0000after');
			boardMaps(doc).cards.set('nul', card);
		}
	},
	{ what: 'an owner that is a number', write: (doc) => boardMaps(doc).owners.set('c/u', 12) },
	{ what: 'an exit check without its fields', write: (doc) => boardMaps(doc).exitChecks.set('c/s:k', { by: 1 }) },
	{ what: 'a wip limit that is text', write: (doc) => (boardMaps(doc).stages.get(firstKey(boardMaps(doc).stages)) as Y.Map<unknown>).set('wipLimit', 'ten') }
];

/** The update that takes `base`'s state to `base` + `poison` (made on a copy; `base` is unchanged). */
export function poisonUpdate(base: Y.Doc, poison: Poison): Uint8Array {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(base));
	const before = Y.encodeStateVector(copy);
	poison.write(copy);
	const update = Y.encodeStateAsUpdate(copy, before);
	copy.destroy();
	return update;
}

/**
 * One update holding `n` inserts at the same spot by `n` different clients (concurrent in Yjs's eyes): a new card
 * under the same key of `cards`. Integrating each walks past all the others (Yjs starts from the key's current
 * entry and goes left to the first), so the update costs n². Encoded by hand (V1), as an attacker would: ~12 bytes
 * per insert, 48 KB for 4,000.
 */
export function concurrentInserts(n: number, firstClient = 1_000_000): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, n);
	for (let i = 0; i < n; i++) {
		encoding.writeVarUint(e, 1); // one struct
		encoding.writeVarUint(e, firstClient + i); // client
		encoding.writeVarUint(e, 0); // clock
		encoding.writeUint8(e, 7 | 32); // ContentType, with a map key, no neighbours
		encoding.writeVarUint(e, 1); // parent is a root type…
		encoding.writeVarString(e, 'cards'); // …named cards
		encoding.writeVarString(e, 'x'); // the key
		encoding.writeVarUint(e, 1); // a Y.Map
	}
	encoding.writeVarUint(e, 0); // empty delete set
	return encoding.toUint8Array(e);
}
