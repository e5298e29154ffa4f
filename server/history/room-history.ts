import type * as Y from 'yjs';
import type { Db } from '../../src/lib/server/db/client.ts';
import type { Clock } from '../../src/lib/server/clock.ts';
import type { RoomHistory } from '../sync/room.ts';
import type { RemoteOrigin } from '../sync/connection.ts';
import { HistoryWriter } from './history-writer.ts';
import { currentStages, recordHistory } from './recorder.ts';

/** The acting user of a transaction: the authenticated user of the socket it came from, else nobody. */
function actorOf(origin: unknown): string | null {
	const remote = origin as Partial<RemoteOrigin> | null;
	return remote?.kind === 'remote' && remote.connection ? remote.connection.identity.user.id : null;
}

/** Builds the per-room history factory: records from the room's doc into the database with the server's clock. */
export function roomHistoryFactory(db: Db, clock: Clock, log: (message: string, err?: unknown) => void) {
	return (boardId: string, doc: Y.Doc, fail: (err: unknown) => void): RoomHistory => {
		const writer = new HistoryWriter(db, boardId, log);
		// Boards that predate history (or whose stages changed elsewhere) get their stage list once on load.
		writer.stages(currentStages(doc, clock.now()));
		const stop = recordHistory(doc, writer, actorOf, () => clock.now(), fail);
		return { flush: () => writer.flush(), discard: () => writer.discard(), stop };
	};
}
