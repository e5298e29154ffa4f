import type { RoomExtension, RoomExtensionFactory } from '../sync/room-extension.ts';
import { BoardWriter, type WriterOptions } from './board-writer.ts';
import type { DocumentStore } from './document-store.ts';

/**
 * The room extension that stores a board: every update the engine emitted, with its history, through a
 * BoardWriter (one transaction each, retried while the database is down), and its rows folded into one snapshot
 * before the room unloads.
 */
export function persistenceExtension(store: DocumentStore, options: WriterOptions): RoomExtensionFactory {
	return ({ boardId, stored, fullState, log }): RoomExtension => {
		const writer = new BoardWriter(boardId, store, options, fullState, { rows: stored.updates.length, lastUpdateId: stored.lastUpdateId }, log);
		return {
			onChange: (update, changes) => writer.push(update, changes),
			flush: () => writer.flush(),
			beforeUnload: () => writer.compactStored(),
			get unsaved() {
				return writer.pendingCount;
			},
			onDiscard: () => writer.discard(),
			// Normally idle by now; after a shutdown deadline this stops a late write from reaching a closed engine.
			onDestroy: () => writer.discard()
		};
	};
}
