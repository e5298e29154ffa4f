import type { Db } from '../../src/lib/server/db/client.ts';
import { teamRoleHolders, type TeamRoleMirror } from '../../src/lib/server/boards/team-roles.ts';
import type { BoardDocuments } from '../../src/lib/server/board-documents.ts';
import type { RoomExtensionFactory } from '../sync/room-extension.ts';

/** What the mirror needs of the open rooms (RoomRegistry). */
export type MirrorRooms = BoardDocuments & { has(boardId: string): boolean };

/** The sync server's mirror: it also hears when a board's room opens. */
export interface ServerTeamRoleMirror extends TeamRoleMirror {
	/** A board's room opened: bring its document up to date (boards whose roles predate the mirror, changes missed while closed). */
	opened(boardId: string): void;
}

/** Who the mirror's writes are recorded as: the server on its own (setTeamRoles writes no history anyway). */
const MIRROR_ORIGIN = Object.freeze({ kind: 'server', actorId: null } as const);

/** The holders map in the form `setTeamRoles` stores (holders deduplicated and sorted), as comparable text. */
function canonical(roles: Readonly<Record<string, readonly string[]>>): string {
	return JSON.stringify(
		Object.keys(roles)
			.sort()
			.map((name) => [name, [...new Set(roles[name])].sort()])
	);
}

/**
 * Mirrors each board's team role holders from the database (members only) into its document through the server
 * command path (`setTeamRoles`). Only open rooms are written: a closed board gets the current holders when its room
 * next opens (`opened`, called by the room extension below), so a change never loads a board nobody is looking at.
 * Work for one board runs one at a time and reads the database when its turn comes, so two changes in quick
 * succession can never leave the older holders in the document. Nothing is written when the document already agrees.
 */
export function teamRoleMirror(db: Db, rooms: MirrorRooms, log: (message: string, err?: unknown) => void): ServerTeamRoleMirror {
	const queues = new Map<string, Promise<void>>();

	async function sync(boardId: string): Promise<void> {
		// A room that unloaded (or never loaded) meanwhile is brought up to date when it opens again.
		if (!rooms.has(boardId)) return;
		const holders = await teamRoleHolders(db, boardId);
		if (!rooms.has(boardId)) return;
		const { process } = await rooms.readBoard(boardId, { kind: 'workflow' });
		if (canonical(process.teamRoles) === canonical(holders)) return;
		await rooms.applyAsServer(boardId, MIRROR_ORIGIN, [{ name: 'setTeamRoles', args: [holders] }]);
	}

	function enqueue(boardId: string): Promise<void> {
		const previous = queues.get(boardId) ?? Promise.resolve();
		const next = previous.then(() =>
			sync(boardId).catch((err: unknown) => {
				// A board deleted meanwhile has nothing to mirror into; anything else is worth a line in the log.
				if ((err as Error | null)?.name === 'RoomUnavailableError') return;
				log(`board ${boardId}: could not mirror its team roles into the document`, err);
			})
		);
		queues.set(boardId, next);
		void next.then(() => {
			if (queues.get(boardId) === next) queues.delete(boardId);
		});
		return next;
	}

	return {
		changed: (boardId) => (rooms.has(boardId) ? enqueue(boardId) : Promise.resolve()),
		opened: (boardId) => void enqueue(boardId)
	};
}

/**
 * The room extension that tells the mirror a board's room opened. A board served read-only (its loads kept taking
 * too long) takes no writes, so it is left alone.
 */
export function teamRoleMirrorExtension(mirror: () => Pick<ServerTeamRoleMirror, 'opened'>): RoomExtensionFactory {
	return (ctx) => {
		if (!ctx.readOnly) mirror().opened(ctx.boardId);
		return {};
	};
}
