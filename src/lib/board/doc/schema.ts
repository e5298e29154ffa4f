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

/** Gives an empty document its starting workflow (Backlog → To do → In progress → Review → Done); no-op if it has stages. */
export function seedBoard(doc: Y.Doc): void {
	const { meta, stages } = boardMaps(doc);
	if (stages.size > 0) return;
	doc.transact(() => {
		meta.set('schemaVersion', SCHEMA_VERSION);
		const ranks = initialRanks(DEFAULT_STAGES.length);
		DEFAULT_STAGES.forEach((def, i) => {
			const id = newDocId();
			const stage = new Y.Map<unknown>();
			stage.set('id', id);
			stage.set('name', def.name);
			stage.set('rank', ranks[i]);
			stage.set('kind', def.kind);
			stage.set('wipLimit', null);
			stage.set('wipMode', 'soft');
			stage.set('exitCriteria', new Y.Array());
			stages.set(id, stage);
		});
	}, SEED);
}
