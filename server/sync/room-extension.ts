import type { BoardChange } from '../../src/lib/board/changes.ts';
import type { StoredDocument } from '../persistence/document-store.ts';
import type { WriterLog } from '../persistence/board-writer.ts';
import type { BoardQuery, BoardReadingOf } from '../engine/board-reading.ts';

/** What a room extension is given when its room loads. */
export interface RoomExtensionContext {
	boardId: string;
	/** What was stored for the board when it loaded. */
	stored: StoredDocument;
	/** The board's whole document as the engine holds it now (integrated state only). */
	fullState(): Promise<Uint8Array>;
	/** Reads plain data from the board's document on its engine, as it is now; waits for the engine to open, works until the room is disposed. */
	read<Q extends BoardQuery>(query: Q): Promise<BoardReadingOf<Q>>;
	log: WriterLog;
	/** The board is served read-only (its loads kept taking too long): it takes no writes. */
	readOnly: boolean;
}

/**
 * Work a room does on the main thread for every change of its board, in the manner of Hocuspocus's extension
 * hooks (every hook optional, called in the extensions' order). The engine's own extensions (validation, the
 * policy net, the sign-off stamps, the change feed) run on its thread before any of these see a change; these are
 * for what needs I/O: persistence and history today, automation, notifications and pub/sub next. A new capability
 * adds an extension; it does not edit Room.
 */
export interface RoomExtension {
	/** The engine applied a transaction: the bytes it emitted (null for changes that came alone) and its changes. */
	onChange?(update: Uint8Array | null, changes: readonly BoardChange[]): void;
	/** Resolves once everything this extension was handed is done (before an unload, a shutdown, a server command's reply). */
	flush?(): Promise<void>;
	/** After `flush`, when the room is about to unload or the server to stop (compaction, say). */
	beforeUnload?(): Promise<void>;
	/** Work handed to it and not done yet (for the shutdown log). */
	readonly unsaved?: number;
	/** The board was deleted: drop whatever is pending. */
	onDiscard?(): void;
	/** The room is gone: stop timers. */
	onDestroy?(): void;
}

/** Builds a room's instance of an extension when the room loads. */
export type RoomExtensionFactory = (ctx: RoomExtensionContext) => RoomExtension;
