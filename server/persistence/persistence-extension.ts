import type { RoomExtension, RoomExtensionFactory } from '../sync/room-extension.ts';
import { BoardWriter, type WriterObserver, type WriterOptions } from './board-writer.ts';
import type { DocumentStore } from './document-store.ts';
import * as Y from 'yjs';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { describeFailure } from '../../src/lib/server/db/failures.ts';

/** What the persistence of every room reports, for metrics: each write, and the writers alive (their pending updates are read at scrape time). */
export interface PersistenceObserver extends WriterObserver {
	readonly writers: Set<{ readonly pendingCount: number }>;
}

/**
 * The room extension that stores a board: every update the engine emitted, with its history, through a
 * BoardWriter (one transaction each, retried while the database is down), and its rows folded into one snapshot
 * before the room unloads.
 */
export function persistenceExtension(store: DocumentStore, options: WriterOptions, observer?: PersistenceObserver): RoomExtensionFactory {
	return ({ boardId, stored, fullState, log }): RoomExtension => {
		const writer = new BoardWriter(boardId, store, options, fullState, { rows: stored.updates.length, lastUpdateId: stored.lastUpdateId }, log, observer);
		observer?.writers.add(writer);
		// After an outage, history must still name every card the document has (it is written with each update in one
		// transaction; this catches whatever a dropped connection may have cost anyway, and says so).
		const reconcile = store.reconcileCreated?.bind(store);
		// One pass at a time; a recovery during a pass asks for another. A pass the database refuses (it may still be
		// dropping connections) is tried again a second later, up to a minute.
		let running = false;
		let again = false;
		const pass = async () => {
			await writer.flush();
			const doc = new Y.Doc();
			Y.applyUpdate(doc, await fullState());
			const cards = Object.entries(readSnapshot(doc).cards).map(([cardId, c]) => ({ cardId, stageId: c.stageId, title: c.title.slice(0, 200) }));
			doc.destroy();
			const added = await reconcile!(boardId, cards);
			if (added > 0) log(`board ${boardId}: history lacked ${added} card creations after the database came back; recorded them now (marked reconciled)`);
		};
		const run = async () => {
			running = true;
			try {
				for (let attempt = 1; ; attempt++) {
					again = false;
					try {
						await pass();
						if (!again) return;
					} catch (err) {
						if (attempt >= 60) return log(`board ${boardId}: could not reconcile history after the outage (${describeFailure(err)})`);
						await new Promise((r) => setTimeout(r, 1_000));
					}
				}
			} finally {
				running = false;
			}
		};
		if (reconcile)
			writer.onRecovered = () => {
				if (running) again = true;
				else void run();
			};
		return {
			onChange: (update, changes) => writer.push(update, changes),
			flush: () => writer.flush(),
			beforeUnload: () => writer.compactStored(),
			get unsaved() {
				return writer.pendingCount;
			},
			onDiscard: () => writer.discard(),
			// Normally idle by now; after a shutdown deadline this stops a late write from reaching a closed engine.
			onDestroy: () => {
				writer.discard();
				observer?.writers.delete(writer);
			}
		};
	};
}
