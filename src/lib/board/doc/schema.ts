import * as Y from 'yjs';
import { DEFAULT_STAGES } from '../defaults.ts';
import { initialRanks } from '../ranks.ts';
import { SEED } from './origins.ts';

/** Bumped when the document layout changes; readers migrate older documents. */
export const SCHEMA_VERSION = 1;

/**
 * The root types of a board document. A card's many-valued parts (checklist items, owners, exit checks,
 * description) live in flat root maps keyed by card id, not in types nested in the card: a nested type
 * created by two people at once keeps only one of them, so two "first checklist items" would lose one.
 */
export interface BoardMaps {
	meta: Y.Map<unknown>;
	stages: Y.Map<Y.Map<unknown>>;
	cards: Y.Map<Y.Map<unknown>>;
	/** `cardId/itemId` → item map { id, cardId, text, done, rank }. */
	checklists: Y.Map<Y.Map<unknown>>;
	/** `cardId/userId` → userId. */
	owners: Y.Map<string>;
	/** `cardId/stageId:criterionId` → { by, at }. */
	exitChecks: Y.Map<{ by: string; at: string }>;
	/** cardId → the description text (created on first write). */
	descriptions: Y.Map<Y.Text>;
	rules: Y.Map<Y.Map<unknown>>;
}

/** The board document's root maps. */
export function boardMaps(doc: Y.Doc): BoardMaps {
	return {
		meta: doc.getMap('meta'),
		stages: doc.getMap('stages'),
		cards: doc.getMap('cards'),
		checklists: doc.getMap('checklists'),
		owners: doc.getMap('owners'),
		exitChecks: doc.getMap('exitChecks'),
		descriptions: doc.getMap('descriptions'),
		rules: doc.getMap('rules')
	};
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

/** A random id for stages, cards, checklist items and criteria (collision-safe across offline clients). */
export function newDocId(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(9));
	return Array.from(bytes, (b) => b.toString(36).padStart(2, '0')).join('');
}

/** A 32-bit FNV-1a hash of a string (deterministic ids and client ids for seeding). */
function hash32(text: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
	return h >>> 0;
}

/** An 18-character id derived from `key` (same key, same id on every server). */
function derivedId(key: string): string {
	return [hash32(key), hash32(`${key}#2`)].map((n) => n.toString(36).padStart(7, '0')).join('').slice(0, 18).padEnd(18, '0');
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
			const id = seedKey ? derivedId(`${seedKey}:stage:${i}`) : newDocId();
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
