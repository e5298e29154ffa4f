import type * as Y from 'yjs';
import { compareByRank } from '../ranks.ts';
import { placeOf } from './places.ts';
import { boardMaps, mapsIn } from './schema.ts';

/** The live (not archived) cards of a stage in board order, optionally without one. */
export function liveCardsIn(doc: Y.Doc, stageId: string, exceptId?: string): { id: string; rank: string }[] {
	const list: { id: string; rank: string }[] = [];
	for (const [id, map] of mapsIn(boardMaps(doc).cards)) {
		if (id === exceptId || map.get('archived') === true) continue;
		const place = placeOf(doc, id, map);
		if (place?.stageId === stageId) list.push({ id, rank: place.rank });
	}
	return list.sort(compareByRank);
}
