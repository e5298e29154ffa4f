import type * as Y from 'yjs';
import { CommandError } from './command-error.ts';
import { boardMaps, mapAt } from './schema.ts';

/** The card's map; throws CommandError when the board has no such card (someone deleted it meanwhile). */
export function cardMapOf(doc: Y.Doc, cardId: string): Y.Map<unknown> {
	const map = mapAt(boardMaps(doc).cards, cardId);
	if (!map) throw new CommandError('That card no longer exists.');
	return map;
}

/** The stage's map; throws CommandError when the board has no such stage. */
export function stageMapOf(doc: Y.Doc, stageId: string): Y.Map<unknown> {
	const map = mapAt(boardMaps(doc).stages, stageId);
	if (!map) throw new CommandError('That stage no longer exists.');
	return map;
}
