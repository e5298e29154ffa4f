import * as Y from 'yjs';
import { HEAL } from './origins.ts';
import { BOARD_ROOTS, childShape, fitsShape, type TypeShape } from './shape.ts';

/** One entry a board document held that no reader can use, and where it was. */
export interface Unreadable {
	/** Where it was, e.g. `stages["x"]` or `places[3]`. */
	where: string;
	/** What belongs there. */
	expected: string;
}

/** A place in the document to remove, found by `findUnreadable`. */
interface Removal extends Unreadable {
	remove(): void;
}

/**
 * Lists the entries of `doc` that do not fit the board's shapes (src/lib/board/doc/shape.ts): values of the wrong
 * type under known keys, malformed list entries, wrong Y types. Keys a board does not have are left alone:
 * nobody reads them. Never throws, whatever the document holds.
 */
export function findUnreadable(doc: Y.Doc): Removal[] {
	const found: Removal[] = [];
	for (const [name, shape] of Object.entries(BOARD_ROOTS)) {
		// Only roots this document has: asking for one creates it.
		if (!doc.share.has(name)) continue;
		try {
			const root = shape.kind === 'map' ? doc.getMap(name) : shape.kind === 'array' ? doc.getArray(name) : doc.getText(name);
			walk(root as Y.AbstractType<unknown>, shape, name, found);
		} catch {
			// A root already in use as another kind of type (only in a document this code did not make): nothing of ours to read there.
		}
	}
	return found;
}

/**
 * Removes every unreadable entry of `doc` in one transaction (origin HEAL: stored and relayed like any change,
 * never undone, never history) and says what was removed. A document written before the server checked the
 * types of client updates can hold such entries; after this every reader can read it.
 */
export function healBoard(doc: Y.Doc): Unreadable[] {
	const found = findUnreadable(doc);
	if (found.length === 0) return [];
	// Array entries go last to first, so earlier indexes stay valid.
	doc.transact(() => {
		for (const removal of [...found].reverse()) removal.remove();
	}, HEAL);
	return found.map(({ where, expected }) => ({ where, expected }));
}

function walk(type: Y.AbstractType<unknown>, shape: TypeShape, where: string, found: Removal[]): void {
	if (shape.kind === 'map' && type instanceof Y.Map) {
		for (const [key, value] of type.entries()) {
			const slot = childShape(shape, key);
			const at = `${where}[${JSON.stringify(key.slice(0, 40))}]`;
			if (!slot) continue;
			if (!fitsShape(slot, value)) found.push({ where: at, expected: slot.what, remove: () => type.delete(key) });
			else if (slot.kind !== 'value') walk(value as Y.AbstractType<unknown>, slot, at, found);
		}
	} else if (shape.kind === 'array' && type instanceof Y.Array) {
		type.toArray().forEach((value, index) => {
			if (!shape.item.test(value)) found.push({ where: `${where}[${index}]`, expected: shape.item.what, remove: () => type.delete(index, 1) });
		});
	}
}
