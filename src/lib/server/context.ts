import type { Db } from './db/client.ts';
import type { Clock } from './clock.ts';
import type { BoardProcess, Stage } from '../board/types.ts';

/** Live connections that must react when someone's access changes (the sync server implements it). */
export interface AccessListener {
	/** A session ended (sign-out, password change): its sockets must close. */
	sessionEnded(sessionId: string): void;
	/** Every session of a user but one ended (password change): their sockets must close. */
	otherSessionsEnded(userId: string, keepSessionId: string): void;
	/** A member's role changed or they left: their sockets re-check access. */
	membershipChanged(boardId: string, userId: string): void;
	/** A board was deleted: every socket on it closes. */
	boardDeleted(boardId: string): void;
}

/** Reads a board's live document as the server (the sync server's RoomRegistry implements it). */
export interface BoardDocuments {
	/** The board's stages in order and its process settings, loading its room if it is not open. */
	readBoard(boardId: string, query: { kind: 'workflow' }): Promise<{ name: string; stages: Stage[]; process: BoardProcess }>;
}

/** Everything request handlers need from the running server, built once in server/index.ts. */
export interface AppContext {
	db: Db;
	clock: Clock;
	access: AccessListener;
	/** The live board documents (reads as the server). */
	documents: BoardDocuments;
}

const KEY = Symbol.for('flowdeck.app-context');
type Holder = { [KEY]?: AppContext };

/**
 * Hands the server's context to the SvelteKit handler. The built handler bundles its own copy of
 * src/lib, so a global slot is the one bridge between server/index.ts and the routes.
 */
export function installAppContext(ctx: AppContext): void {
	(globalThis as Holder)[KEY] = ctx;
}

/** The context installed by the server; throws if the app was started without server/index.ts. */
export function appContext(): AppContext {
	const ctx = (globalThis as Holder)[KEY];
	if (!ctx) throw new Error('Flowdeck was started without its server: run `npm start` or `npm run dev`.');
	return ctx;
}

/** An AccessListener that does nothing (no live connections to tell). */
export const noAccessListener: AccessListener = {
	sessionEnded() {},
	otherSessionsEnded() {},
	membershipChanged() {},
	boardDeleted() {}
};
