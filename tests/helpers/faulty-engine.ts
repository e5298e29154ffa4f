// An engine extension with a bug, for the room-fault test: on a board whose document gains a card titled
// FAULTY_TITLE from a socket, its observer throws, as a bug in one of our observers would. Loaded by the
// engine threads (SyncOptions.engineExtensions), so it lives in its own module.
import type * as Y from 'yjs';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';

/** Adding a card with this title trips the bug (once per board: a board loaded with the card is left alone). */
export const FAULTY_TITLE = 'Written when the bug hit';
/** Adding a card with this title throws from a timer: uncaught, it ends the engine's whole thread. */
export const THREAD_KILLER_TITLE = 'Written when the thread died';

const hasCard = (doc: Y.Doc, title: string) => Object.values(readSnapshot(doc).cards).some((c) => c.title === title);

/** EngineExtension: the buggy observer. */
export function extendEngine(doc: Y.Doc): () => void {
	const loadedWith = { faulty: hasCard(doc, FAULTY_TITLE), killer: hasCard(doc, THREAD_KILLER_TITLE) };
	const observer = (tx: Y.Transaction) => {
		if ((tx.origin as { kind?: string } | null)?.kind !== 'remote') return;
		if (!loadedWith.faulty && hasCard(doc, FAULTY_TITLE)) throw new Error('observer bug');
		if (!loadedWith.killer && hasCard(doc, THREAD_KILLER_TITLE)) {
			loadedWith.killer = true;
			setTimeout(() => {
				throw new Error('a bug outside any room');
			});
		}
	};
	doc.on('afterTransaction', observer);
	return () => doc.off('afterTransaction', observer);
}
