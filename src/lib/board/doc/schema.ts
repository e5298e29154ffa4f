import * as Y from 'yjs';
import { encodeBase64urlNoPadding } from '@oslojs/encoding';
import { DEFAULT_STAGES } from '../defaults.ts';
import { initialRanks } from '../ranks.ts';
import { SEED } from './origins.ts';

/**
 * Bumped when the document layout changes; the server upgrades older documents when it loads them
 * (`upgradeBoard`). 2: a card's place moved from its map into `places`; cards lost `id`, `createdAt/By`
 * and `movedBy` (the server's history has them, stamped by the server).
 */
export const SCHEMA_VERSION = 2;

/**
 * A card's place as stored: [stageId, rank, entered the stage (whole seconds since the epoch)]. A tuple of
 * small values on purpose: the live one is kept for every card, and bytes per card decide the document size.
 */
export type StoredPlace = [stageId: string, rank: string, enteredSeconds: number];

/** One entry of the `places` array (y-utility's `YKeyValue` layout): the card id and its place. */
export type PlaceEntry = { key: string; val: StoredPlace };

/**
 * The root types of a board document. A card's many-valued parts (checklist items, owners, exit checks,
 * description) live in flat root maps keyed by card id, not in types nested in the card: a nested type
 * created by two people at once keeps only one of them, so two "first checklist items" would lose one.
 */
export interface BoardMaps {
	meta: Y.Map<unknown>;
	/** stageId → stage map; read entries through `mapsIn`/`mapAt` (a document may hold what a client wrote). */
	stages: Y.Map<unknown>;
	/** cardId → { title, due?, labels?, blocked?, archived? }; the id is the key, the place is in `places`. */
	cards: Y.Map<unknown>;
	/** Every card's place, read and written through `placesOf(doc)` (see places.ts). */
	places: Y.Array<PlaceEntry>;
	/** `cardId/itemId` → item map { id, cardId, text, done, rank }. */
	checklists: Y.Map<unknown>;
	/** `cardId/userId` → userId. */
	owners: Y.Map<unknown>;
	/** `cardId/stageId:criterionId` → { by, at }. */
	exitChecks: Y.Map<unknown>;
	/** cardId → the description text (created on first write). */
	descriptions: Y.Map<unknown>;
	/** `cardId/stageId` → a step due date set by hand (YYYY-MM-DD). */
	stepDues: Y.Map<unknown>;
	/** Server-written process state: `teamRoles` (role name → holders), mirrored from the database. */
	process: Y.Map<unknown>;
	/** cardId → the process's last hand-off of the card (server-written). */
	handoffs: Y.Map<unknown>;
	/** `cardId/stageId` → the card's sign-off decisions in that stage (server-written). */
	signoffs: Y.Map<unknown>;
	/** Team role name → the holder who got its last hand-off, so ties go round in turn (server-written). */
	turns: Y.Map<unknown>;
	/** `laneMode/laneKey` → the lane's soft WIP limit (cards in progress), shared by everyone on the board. */
	laneLimits: Y.Map<unknown>;
}

/** Roots only the server writes: a write from anyone else is reverted (server/engine/process-guard.ts). */
export const SERVER_ROOTS = ['process', 'handoffs', 'signoffs', 'turns'] as const;

/** The board document's root maps. */
export function boardMaps(doc: Y.Doc): BoardMaps {
	return {
		meta: doc.getMap('meta'),
		stages: doc.getMap('stages'),
		cards: doc.getMap('cards'),
		places: doc.getArray('places'),
		checklists: doc.getMap('checklists'),
		owners: doc.getMap('owners'),
		exitChecks: doc.getMap('exitChecks'),
		descriptions: doc.getMap('descriptions'),
		stepDues: doc.getMap('stepDues'),
		process: doc.getMap('process'),
		handoffs: doc.getMap('handoffs'),
		signoffs: doc.getMap('signoffs'),
		turns: doc.getMap('turns'),
		laneLimits: doc.getMap('laneLimits')
	};
}

/**
 * The entries of a root or nested map whose values are `Y.Map`s, skipping anything else. Documents are edited by
 * clients the server does not control and copies in browsers may predate its checks: readers skip what they
 * cannot read instead of throwing.
 */
export function* mapsIn(map: Y.Map<unknown>): Generator<[string, Y.Map<unknown>]> {
	for (const [key, value] of map) if (value instanceof Y.Map) yield [key, value];
}

/** The entries of a map whose values pass `test`, skipping the rest (see `mapsIn`). */
export function* valuesIn<T>(map: Y.Map<unknown>, test: (value: unknown) => value is T): Generator<[string, T]> {
	for (const [key, value] of map) if (test(value)) yield [key, value];
}

/** The `Y.Map` under `key`, or undefined when there is none or something else is there. */
export function mapAt(map: Y.Map<unknown>, key: string): Y.Map<unknown> | undefined {
	const value = map.get(key);
	return value instanceof Y.Map ? value : undefined;
}

/** The key of one card's entry in a per-card root map. */
export function cardKey(cardId: string, part: string): string {
	return `${cardId}/${part}`;
}

/** Splits a per-card key into the card id and the rest. */
export function splitCardKey(key: string): [cardId: string, part: string] {
	const slash = key.indexOf('/');
	return slash < 0 ? [key, ''] : [key.slice(0, slash), key.slice(slash + 1)];
}

/**
 * A random 10-character id (60 bits, base64url) for cards, checklist items and criteria: collision-safe across
 * offline clients (a board of 100,000 cards has a 1 in 200 million chance of one clash), and short because
 * every card's id is stored twice.
 */
export function newDocId(): string {
	return encodeBase64urlNoPadding(crypto.getRandomValues(new Uint8Array(8))).slice(0, 10);
}

/** A random 8-character id (48 bits) for a stage: a board has a few dozen, and every card's place names one. */
export function newStageId(): string {
	return encodeBase64urlNoPadding(crypto.getRandomValues(new Uint8Array(6)));
}

/** A 32-bit FNV-1a hash of a string (deterministic ids and client ids for seeding). */
function hash32(text: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
	return h >>> 0;
}

/** An 8-character stage id derived from `key` (same key, same id on every server). */
function derivedStageId(key: string): string {
	return [hash32(key), hash32(`${key}#2`)].map((n) => n.toString(36).padStart(7, '0')).join('').slice(0, 8);
}

/**
 * Gives an empty document its starting workflow (Backlog → To do → In progress → Review → Done); no-op if it has
 * stages. With a `seedKey` (the board id) the seed is the same Yjs operations on every server — same client id,
 * same clocks, same content — so two servers that both seed a board (one crashed before its seed was stored)
 * merge into one workflow instead of two.
 */
export function seedBoard(doc: Y.Doc, seedKey?: string): void {
	const { stages } = boardMaps(doc);
	if (stages.size > 0) return;
	const source = seedKey ? new Y.Doc() : doc;
	// A client id no real client will draw at random in practice, and which is the same for every seed of this board.
	if (seedKey) source.clientID = hash32(`flowdeck-seed:${seedKey}`);
	const write = () => {
		const maps = boardMaps(source);
		maps.meta.set('schemaVersion', SCHEMA_VERSION);
		const ranks = initialRanks(DEFAULT_STAGES.length);
		DEFAULT_STAGES.forEach((def, i) => {
			const id = seedKey ? derivedStageId(`${seedKey}:stage:${i}`) : newStageId();
			const stage = new Y.Map<unknown>();
			stage.set('id', id);
			stage.set('name', def.name);
			stage.set('rank', ranks[i]);
			stage.set('kind', def.kind);
			stage.set('wipLimit', null);
			stage.set('wipMode', 'soft');
			stage.set('exitCriteria', new Y.Array());
			maps.stages.set(id, stage);
		});
	};
	if (!seedKey) {
		doc.transact(write, SEED);
		return;
	}
	write();
	Y.applyUpdate(doc, Y.encodeStateAsUpdate(source), SEED);
	source.destroy();
}
