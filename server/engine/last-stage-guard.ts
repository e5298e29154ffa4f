import * as Y from 'yjs';
import { POLICY, originKind } from '../../src/lib/board/doc/origins.ts';
import { boardMaps, mapsIn, newStageId } from '../../src/lib/board/doc/schema.ts';
import { initialRanks } from '../../src/lib/board/ranks.ts';

/** The stage the server adds when people deleted every stage of a board that still has cards. */
export const RECOVERED_STAGE_NAME = 'Recovered cards';

/**
 * A board always keeps a stage while it has cards. Each browser refuses to delete the last stage, but two people
 * deleting the last two stages at once each leave one, and together none: the cards would have nowhere to be shown.
 * After such a transaction the server adds a queue stage, in a transaction of its own (origin `policy`), and the
 * cards show there (readers put a card whose stage is gone in the first stage). Returns a function that detaches it.
 */
export function keepAStage(doc: Y.Doc): () => void {
	const { stages, cards } = boardMaps(doc);
	let deletedIn: Y.Transaction | null = null;
	const onStages = (event: Y.YMapEvent<unknown>, tx: Y.Transaction) => {
		if (originKind(tx.origin) === 'load' || originKind(tx.origin) === 'heal') return;
		for (const change of event.keys.values()) if (change.action === 'delete') deletedIn = tx;
	};
	const afterTransaction = (tx: Y.Transaction) => {
		if (deletedIn !== tx) return;
		deletedIn = null;
		if (cards.size === 0 || [...mapsIn(stages)].length > 0) return;
		doc.transact(() => {
			const id = newStageId();
			const stage = new Y.Map<unknown>();
			stage.set('id', id);
			stage.set('name', RECOVERED_STAGE_NAME);
			stage.set('rank', initialRanks(1)[0]!);
			stage.set('kind', 'queue');
			stage.set('wipLimit', null);
			stage.set('wipMode', 'soft');
			stage.set('exitCriteria', new Y.Array());
			stages.set(id, stage);
		}, POLICY);
	};
	stages.observe(onStages);
	doc.on('afterTransaction', afterTransaction);
	return () => {
		stages.unobserve(onStages);
		doc.off('afterTransaction', afterTransaction);
	};
}
