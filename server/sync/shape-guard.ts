import * as Y from 'yjs';
import { childShape, rootShape, type Shape, type TypeShape } from '../../src/lib/board/doc/shape.ts';
import { CLOSE, ProtocolError } from './protocol.ts';

/**
 * Checks what a client's update would write into a board document, before Yjs integrates any of it.
 *
 * Why: Yjs emits `update` (relayed and stored) even when an observer throws, so a value of the wrong type —
 * `stages.x = 5`, a `null` place — used to be in the board for good and crash every later reader. Here the
 * update is decoded into its structs without integrating them; each new item's parent is found in the update
 * itself or in the document (an item inserted next to another takes that one's parent and key), and its
 * content is checked against the board's shapes (src/lib/board/doc/shape.ts). Items whose neighbours the server
 * has not seen yet wait in Yjs's pending store; they are checked with the update that completes them.
 * (update-guard.ts has already checked the bytes, and bounded concurrent inserts at one spot.)
 */

type Struct = Y.Item | Y.GC | Y.Skip;

/**
 * Most earlier values a map key may have for an update to write it afresh (with no left neighbour). Yjs places
 * such a write by walking from the key's current value past every earlier one, so writes racing for one key
 * cost the number already there each: accepted 64 at a time, thousands stalled the server for seconds. A real
 * client writes a key afresh only when it has never seen it (a new id), so the key has no history.
 */
export const MAX_KEY_HISTORY_FOR_A_FRESH_WRITE = 128;
/** Where an item goes: the shape of its parent type and its key (null in arrays and texts), or why that is not known yet. */
type Placement = { shape: TypeShape; key: string | null } | 'pending' | 'collected';

/** Throws ProtocolError (1007) if `update` would put anything of the wrong type or shape into `doc`. */
export function assertUpdateShape(doc: Y.Doc, update: Uint8Array): void {
	new ShapeCheck(doc, [{ update, v2: false }]).run();
}

/**
 * Like `assertUpdateShape`, but also checks the doc's pending changes, which Yjs integrates together with the
 * update that completes them. Returns 'drop-pending' when the pending part is what fails (the update alone is
 * fine): the caller forgets the pending part, whose sender resends it if it was real.
 */
export function checkWithPending(doc: Y.Doc, update: Uint8Array): 'ok' | 'drop-pending' {
	const pending = doc.store.pendingStructs;
	if (!pending) {
		assertUpdateShape(doc, update);
		return 'ok';
	}
	assertUpdateShape(doc, update);
	try {
		// Checked as one: the pending part's parents may be in the update, and the other way round.
		// Yjs keeps the pending part V2-encoded.
		new ShapeCheck(doc, [
			{ update: pending.update, v2: true },
			{ update, v2: false }
		]).run();
		return 'ok';
	} catch (err) {
		if (err instanceof ProtocolError) return 'drop-pending';
		throw err;
	}
}

class ShapeCheck {
	/** The update's structs per client, in clock order (as Yjs encodes them). */
	private readonly byClient = new Map<number, Struct[]>();
	private readonly placements = new Map<Y.Item, Placement>();
	private readonly typeShapes = new Map<Y.AbstractType<unknown>, TypeShape | null>();

	constructor(
		private readonly doc: Y.Doc,
		updates: { update: Uint8Array; v2: boolean }[]
	) {
		for (const { update, v2 } of updates) {
			let decoded: { structs: Struct[] };
			try {
				decoded = (v2 ? Y.decodeUpdateV2(update) : Y.decodeUpdate(update)) as { structs: Struct[] };
			} catch (err) {
				throw refused(`does not decode (${(err as Error).message})`);
			}
			for (const struct of decoded.structs) {
				const list = this.byClient.get(struct.id.client);
				if (list) list.push(struct);
				else this.byClient.set(struct.id.client, [struct]);
			}
		}
		// Two updates may hold parts of one client's run: look-ups search each client's structs by clock.
		if (updates.length > 1) for (const list of this.byClient.values()) list.sort((a, b) => a.id.clock - b.id.clock);
	}

	run(): void {
		const walked = new Set<string>();
		for (const structs of this.byClient.values()) {
			for (const struct of structs) {
				if (!(struct instanceof Y.Item)) continue;
				this.checkContent(struct, this.placementOf(struct));
				if (struct.origin === null && struct.parentSub !== null) this.checkKeyHistory(struct, walked);
			}
		}
	}

	/** Throws when the map key an item writes afresh already has too many values for Yjs to walk past cheaply. */
	private checkKeyHistory(item: Y.Item, walked: Set<string>): void {
		const parent = item.parent as unknown;
		const key = item.parentSub!;
		const spot = `${typeof parent === 'string' ? parent : parent instanceof Y.ID ? `${parent.client}:${parent.clock}` : ''}|${key}`;
		if (walked.has(spot)) return;
		walked.add(spot);
		const type = typeof parent === 'string' ? this.doc.share.get(parent) : parent instanceof Y.ID ? this.storedType(parent) : undefined;
		let value = type?._map.get(key) ?? null;
		for (let n = 0; value !== null; n++, value = value.left) {
			if (n >= MAX_KEY_HISTORY_FOR_A_FRESH_WRITE) throw refused(`"${key.slice(0, 40)}" already holds ${MAX_KEY_HISTORY_FOR_A_FRESH_WRITE}+ concurrent values`);
		}
	}

	/** The Y type the stored item `id` made, if the document has it. */
	private storedType(id: Y.ID): Y.AbstractType<unknown> | undefined {
		const item = this.findInDoc(id);
		return item instanceof Y.Item && item.content instanceof Y.ContentType ? item.content.type : undefined;
	}

	/** Throws unless the item's content may go where it goes. */
	private checkContent(item: Y.Item, placement: Placement): void {
		if (placement === 'pending' || placement === 'collected') return;
		const content = item.content;
		if (content instanceof Y.ContentDeleted) return;
		const { shape: parent, key } = placement;
		if (parent.kind === 'text') {
			if (key === null && content instanceof Y.ContentString) return;
			throw refused(`${parent.what} may hold only plain text`);
		}
		const shape = childShape(parent, key);
		if (!shape) throw refused(key === null ? `${parent.what} has no list entries` : `${parent.what} has no field "${key.slice(0, 40)}"`);
		if (content instanceof Y.ContentAny) {
			if (shape.kind !== 'value') throw refused(`${describe(parent, key)} must be ${shape.what}`);
			for (const v of content.arr) if (!shape.test(v)) throw refused(`${describe(parent, key)} must be ${shape.what}`);
			return;
		}
		if (content instanceof Y.ContentType) {
			if (!typeMatches(shape, content.type)) throw refused(`${describe(parent, key)} must be ${shape.what}`);
			return;
		}
		throw refused(`${describe(parent, key)} must be ${shape.what} (got ${content.constructor.name})`);
	}

	/** Where an item of this update goes, resolved through the update itself and the document. */
	private placementOf(item: Y.Item): Placement {
		const known = this.placements.get(item);
		if (known) return known;
		let placement: Placement;
		// Decoded, not integrated: the parent is a root's name or the id of the item that made the parent type.
		const parent = item.parent as unknown;
		if (typeof parent === 'string') {
			const shape = rootShape(parent);
			if (!shape) throw refused(`"${parent.slice(0, 40)}" is not part of a board`);
			placement = { shape, key: item.parentSub };
		} else if (parent instanceof Y.ID) {
			placement = this.insideTypeOf(parent, item.parentSub);
		} else {
			// Inserted next to a neighbour: Yjs copies the neighbour's parent and key.
			const neighbour = item.origin ?? item.rightOrigin;
			placement = neighbour ? this.besideStruct(neighbour) : 'pending';
		}
		this.placements.set(item, placement);
		return placement;
	}

	/** The placement of a child (under `key`) of the Y type that the item `id` created. */
	private insideTypeOf(id: Y.ID, key: string | null): Placement {
		const own = this.findInUpdate(id);
		if (own && !(own instanceof Y.Skip)) {
			if (!(own instanceof Y.Item) || !(own.content instanceof Y.ContentType)) throw refused('a parent that is not a map, list or text');
			const placement = this.placementOf(own);
			if (placement === 'pending' || placement === 'collected') return placement;
			const shape = childShape(placement.shape, placement.key);
			if (!shape || shape.kind === 'value') throw refused(`${describe(placement.shape, placement.key)} is not a map, list or text`);
			return { shape, key };
		}
		const stored = this.findInDoc(id);
		if (stored === undefined) return 'pending';
		if (!(stored instanceof Y.Item)) return 'collected';
		if (!(stored.content instanceof Y.ContentType)) throw refused('a parent that is not a map, list or text');
		const shape = this.shapeOfType(stored.content.type);
		if (!shape) throw refused('a parent that is not part of a board');
		return { shape, key };
	}

	/** The placement of an item inserted next to the struct `id`: the same parent and key. */
	private besideStruct(id: Y.ID): Placement {
		const own = this.findInUpdate(id);
		if (own instanceof Y.Item) return this.placementOf(own);
		if (own instanceof Y.GC) return 'collected';
		const stored = this.findInDoc(id);
		if (stored === undefined) return 'pending';
		// Next to garbage-collected content: Yjs collects the new item too.
		if (!(stored instanceof Y.Item) || !(stored.parent instanceof Y.AbstractType)) return 'collected';
		const shape = this.shapeOfType(stored.parent);
		if (!shape) throw refused('an entry that is not part of a board');
		return { shape, key: stored.parentSub };
	}

	/** The shape of a type already in the document (null when the board has no such place). */
	private shapeOfType(type: Y.AbstractType<unknown>): TypeShape | null {
		const known = this.typeShapes.get(type);
		if (known !== undefined) return known;
		let shape: TypeShape | null = null;
		const item = type._item;
		if (item === null) {
			shape = rootShape(Y.findRootTypeKey(type)) ?? null;
		} else if (item.parent instanceof Y.AbstractType) {
			const parent = this.shapeOfType(item.parent);
			const own = parent ? childShape(parent, item.parentSub) : undefined;
			shape = own && own.kind !== 'value' && typeMatches(own, type) ? own : null;
		}
		this.typeShapes.set(type, shape);
		return shape;
	}

	private findInUpdate(id: Y.ID): Struct | undefined {
		const list = this.byClient.get(id.client);
		if (!list) return undefined;
		let lo = 0;
		let hi = list.length - 1;
		while (lo <= hi) {
			const mid = (lo + hi) >> 1;
			const s = list[mid]!;
			if (id.clock < s.id.clock) hi = mid - 1;
			else if (id.clock >= s.id.clock + s.length) lo = mid + 1;
			else return s;
		}
		return undefined;
	}

	private findInDoc(id: Y.ID): Y.Item | Y.GC | undefined {
		const structs = this.doc.store.clients.get(id.client);
		if (!structs || structs.length === 0) return undefined;
		const last = structs[structs.length - 1]!;
		if (id.clock >= last.id.clock + last.length) return undefined;
		return structs[Y.findIndexSS(structs, id.clock)];
	}
}

function typeMatches(shape: Shape, type: Y.AbstractType<unknown>): boolean {
	switch (shape.kind) {
		case 'map':
			return type.constructor === Y.Map;
		case 'array':
			return type.constructor === Y.Array;
		case 'text':
			return type.constructor === Y.Text;
		default:
			return false;
	}
}

function describe(parent: TypeShape, key: string | null): string {
	return key === null ? `an entry of ${parent.what}` : `"${key.slice(0, 40)}" in ${parent.what}`;
}

function refused(why: string): ProtocolError {
	return new ProtocolError(`Update rejected: ${why}`, CLOSE.invalidPayload);
}
