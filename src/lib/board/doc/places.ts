import * as Y from 'yjs';
import { YKeyValue } from 'y-utility/y-keyvalue';
import { boardMaps, mapAt, mapsIn, SCHEMA_VERSION, type StoredPlace } from './schema.ts';
import { HEAL } from './origins.ts';
import { isPlaceEntry } from './shape.ts';

/** Where a card sits: its stage, its rank within the stage, and when it entered the stage (ms since the epoch). */
export interface Place {
	stageId: string;
	rank: string;
	enteredAt: number;
}

/** What changed for one card's place in a transaction. */
export type PlaceChange =
	| { action: 'add'; newValue: Place }
	| { action: 'update'; oldValue: Place; newValue: Place }
	| { action: 'delete'; oldValue: Place };

type StoredChange =
	| { action: 'add'; newValue: StoredPlace }
	| { action: 'update'; oldValue: StoredPlace; newValue: StoredPlace }
	| { action: 'delete'; oldValue: StoredPlace };

/**
 * Every card's place in a board document, as a last-writer-wins key-value store over the `places` array
 * (y-utility's `YKeyValue`). A move appends the new entry and deletes the old one; runs of deleted entries
 * merge into a few bytes, where an overwritten `Y.Map` key keeps an item per old value. Concurrent moves of
 * one card leave two entries: the rightmost wins on every replica and the others are deleted by whoever
 * notices. Stage, rank and time are one value, so a card never gets one move's stage and another's rank.
 */
export class PlaceStore {
	private readonly kv: YKeyValue<StoredPlace>;
	/**
	 * Places set in the transaction in progress. YKeyValue indexes entries only after a transaction, so without
	 * this a second command in the same transaction would not see the first one's card (two cards added in
	 * one transaction would get the same rank).
	 */
	private readonly written = new Map<string, StoredPlace>();

	constructor(doc: Y.Doc) {
		dropMalformedEntries(doc);
		this.kv = new YKeyValue<StoredPlace>(boardMaps(doc).places);
		doc.on('afterTransaction', () => this.written.clear());
	}

	/** The card's place, if it has a well-formed one (documents are edited by clients we do not control). */
	get(cardId: string): Place | undefined {
		return decodePlace(this.written.get(cardId) ?? this.kv.get(cardId));
	}

	/** Whether the card has a place entry. */
	has(cardId: string): boolean {
		return this.written.has(cardId) || this.kv.has(cardId);
	}

	/** Sets the card's place (within the caller's transaction, if any). */
	set(cardId: string, place: Place): void {
		const stored: StoredPlace = [place.stageId, place.rank, Math.round(place.enteredAt / 1000)];
		// One transaction (the caller's, if any), so `written` is cleared when it ends, never before.
		this.kv.doc.transact(() => {
			if (this.written.has(cardId)) {
				// Set already in this transaction: replace that entry (YKeyValue's index does not know it yet).
				this.kv.delete(cardId);
				this.kv.yarray.push([{ key: cardId, val: stored }]);
			} else this.kv.set(cardId, stored);
			this.written.set(cardId, stored);
		});
	}

	/** Removes the card's place (within the caller's transaction, if any); a card without one is left as it is. */
	delete(cardId: string): void {
		this.kv.doc.transact(() => {
			if (this.written.delete(cardId)) {
				// Set earlier in this transaction: YKeyValue's index does not know that entry yet, so find it by key.
				const entries = this.kv.yarray.toArray();
				for (let i = entries.length - 1; i >= 0; i--) if (entries[i]?.key === cardId) this.kv.yarray.delete(i, 1);
			} else this.kv.delete(cardId);
		});
	}

	/** Calls `listener` after each transaction that changed places; returns a function that stops it. */
	onChange(listener: (changes: Map<string, PlaceChange>, tr: Y.Transaction) => void): () => void {
		const relay = (stored: Map<string, StoredChange>, tr: Y.Transaction) => {
			const changes = new Map<string, PlaceChange>();
			for (const [cardId, change] of stored) {
				const oldValue = 'oldValue' in change ? decodePlace(change.oldValue) : undefined;
				const newValue = 'newValue' in change ? decodePlace(change.newValue) : undefined;
				if (oldValue && newValue) changes.set(cardId, { action: 'update', oldValue, newValue });
				else if (newValue) changes.set(cardId, { action: 'add', newValue });
				else if (oldValue) changes.set(cardId, { action: 'delete', oldValue });
			}
			if (changes.size > 0) listener(changes, tr);
		};
		this.kv.on('change', relay);
		return () => this.kv.off('change', relay);
	}
}

/**
 * YKeyValue throws on an entry that is not `{ key, val }` (a `null` written by a hostile client before the server
 * checked types). A copy in a browser may still hold one: remove them before indexing, as the server's heal does.
 */
function dropMalformedEntries(doc: Y.Doc): void {
	const entries = boardMaps(doc).places;
	const bad: number[] = [];
	entries.toArray().forEach((entry, index) => {
		if (!isPlaceEntry(entry)) bad.push(index);
	});
	if (bad.length === 0) return;
	doc.transact(() => {
		for (const index of bad.reverse()) entries.delete(index, 1);
	}, HEAL);
}

/** A stored place as a Place, or undefined when it is malformed. */
function decodePlace(value: unknown): Place | undefined {
	if (!Array.isArray(value)) return undefined;
	const [stageId, rank, seconds] = value as unknown[];
	if (typeof stageId !== 'string' || typeof rank !== 'string' || typeof seconds !== 'number' || !Number.isFinite(seconds)) return undefined;
	return { stageId, rank, enteredAt: seconds * 1000 };
}

const stores = new WeakMap<Y.Doc, PlaceStore>();

/** The document's place store (one per document: each store keeps an index and observes the array). */
export function placesOf(doc: Y.Doc): PlaceStore {
	let store = stores.get(doc);
	if (!store) stores.set(doc, (store = new PlaceStore(doc)));
	return store;
}

/**
 * A card's place: its `places` entry, or for cards written by schema 1 (before places existed) the
 * `stageId`/`rank`/`movedAt` fields of the card map itself.
 */
export function placeOf(doc: Y.Doc, cardId: string, card?: Y.Map<unknown>): Place | undefined {
	const place = placesOf(doc).get(cardId);
	if (place) return place;
	const map = card ?? mapAt(boardMaps(doc).cards, cardId);
	return map ? legacyPlace(map) : undefined;
}

/** Schema 1 kept a card's place in its own map. */
export function legacyPlace(map: Y.Map<unknown>): Place | undefined {
	const stageId = map.get('stageId');
	if (typeof stageId !== 'string') return undefined;
	const rank = map.get('rank');
	const at = Date.parse(String(map.get('movedAt') ?? map.get('createdAt') ?? ''));
	return { stageId, rank: typeof rank === 'string' ? rank : '', enteredAt: Number.isFinite(at) ? at : 0 };
}

/**
 * Brings a board written by an older schema up to `SCHEMA_VERSION` (the server does this when it loads a
 * room, in one transaction with `origin`): schema 1 cards get a `places` entry from the place in their own
 * map. The old fields stay (removing them would only add tombstones). Returns whether anything was written.
 */
export function upgradeBoard(doc: Y.Doc, origin: unknown): boolean {
	const { meta, cards, stages } = boardMaps(doc);
	const version = meta.get('schemaVersion');
	if ((typeof version === 'number' && version >= SCHEMA_VERSION) || (cards.size === 0 && stages.size === 0)) return false;
	const places = placesOf(doc);
	doc.transact(() => {
		for (const [id, map] of mapsIn(cards)) {
			if (places.has(id)) continue;
			const place = legacyPlace(map);
			if (place) places.set(id, place);
		}
		meta.set('schemaVersion', SCHEMA_VERSION);
	}, origin);
	return true;
}
