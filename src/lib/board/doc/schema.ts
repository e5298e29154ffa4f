import * as Y from 'yjs';
import { DEFAULT_STAGES } from '../defaults.ts';
import { initialRanks } from '../ranks.ts';
import { SEED } from './origins.ts';

/** Bumped when the document layout changes; readers migrate older documents. */
export const SCHEMA_VERSION = 1;

/** The root types of a board document. */
export interface BoardMaps {
	meta: Y.Map<unknown>;
	stages: Y.Map<Y.Map<unknown>>;
	cards: Y.Map<Y.Map<unknown>>;
	rules: Y.Map<Y.Map<unknown>>;
}

/** The board document's root maps. */
export function boardMaps(doc: Y.Doc): BoardMaps {
	return {
		meta: doc.getMap('meta'),
		stages: doc.getMap('stages'),
		cards: doc.getMap('cards'),
		rules: doc.getMap('rules')
	};
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
			stages.set(id, stage);
		});
	}, SEED);
}
