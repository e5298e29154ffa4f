import type { ServerOrigin } from '../board/doc/origins.ts';
import type { NamedCommand } from '../board/doc/named-commands.ts';
import type { BoardQuery, BoardReadingOf } from '../../../server/engine/board-reading.ts';

/**
 * The live board documents as request handlers reach them: the sync server's RoomRegistry (server/app.ts installs
 * it in the app context). Routes change a board through named commands and read plain data, never Yjs.
 */
export interface BoardDocuments {
	/**
	 * Runs named commands on the board as the server (origin `server` for a person acting through an API, with the
	 * actor recorded in history); resolves with their results once stored. A refused command rejects with an error
	 * that `isCommandRefusal` recognises, carrying the message for the person who asked.
	 */
	applyAsServer(boardId: string, origin: ServerOrigin, commands: NamedCommand[]): Promise<unknown[]>;
	/** Reads plain data from the board: its workflow and process, or one card with them. */
	readBoard<Q extends BoardQuery>(boardId: string, query: Q): Promise<BoardReadingOf<Q>>;
}

/**
 * Whether `err` is a command the board refused (server/sync/room.ts `CommandRefusedError`). Told by name: the routes
 * run in SvelteKit's bundle, which has its own copy of every class, so `instanceof` cannot see the server's.
 */
export function isCommandRefusal(err: unknown): err is Error & { index: number } {
	return err instanceof Error && err.name === 'CommandRefusedError' && typeof (err as { index?: unknown }).index === 'number';
}
