import type { BoardChange } from '../../src/lib/board/changes.ts';

/** What is stored for one board document: an optional compacted snapshot plus the updates written after it. */
export interface StoredDocument {
	snapshot: Uint8Array | null;
	/** Updates in the order they were written (ascending id). */
	updates: Uint8Array[];
	/** Id of the last update row, or null when there is none. */
	lastUpdateId: number | null;
}

/** What `write` did: the update's row id (null when there was no update), and why the history was set aside, if it was. */
export interface WriteResult {
	id: number | null;
	/** Set when the database refused the history rows: they are in `history_set_aside` instead (`describeFailure`). */
	historySetAside: string | null;
}

/** Where board documents are kept. Implementations must keep appended updates in id order. */
export interface DocumentStore {
	/** The stored state of a board (empty when nothing was ever written). */
	load(boardId: string): Promise<StoredDocument>;
	/** Appends one update; resolves with its row id. Rejects with BoardGoneError when the board no longer exists. */
	append(boardId: string, update: Uint8Array): Promise<number>;
	/**
	 * In one transaction: appends `update` (if any) and the history of `changes` (card events, stage rows), so the
	 * document and its history never disagree. History the database refuses (bad data, not an outage) is kept in
	 * `history_set_aside` in that same transaction instead. Rejects (nothing written) when the database is unavailable,
	 * with BoardGoneError when the board no longer exists.
	 */
	write(boardId: string, update: Uint8Array | null, changes: readonly BoardChange[]): Promise<WriteResult>;
	/**
	 * Records a `created` event (no actor, now, marked `reconciled`) for each of `cards` that has none in the
	 * board's history; returns how many it added. A safety net after database outages: history must name every card
	 * the document has.
	 */
	reconcileCreated?(boardId: string, cards: readonly { cardId: string; stageId: string; title: string }[]): Promise<number>;
	/** In one transaction: replaces the snapshot with `fullState` and deletes the updates with id <= `throughUpdateId`. */
	compact(boardId: string, fullState: Uint8Array, throughUpdateId: number): Promise<void>;
}

/** The board was deleted (foreign key violation): its pending writes can be dropped. */
export class BoardGoneError extends Error {
	constructor(boardId: string) {
		super(`Board ${boardId} no longer exists`);
		this.name = 'BoardGoneError';
	}
}
