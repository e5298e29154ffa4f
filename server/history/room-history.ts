import type { Db } from '../../src/lib/server/db/client.ts';
import type { RoomHistory } from '../sync/room.ts';
import { HistoryWriter } from './history-writer.ts';

/**
 * Builds the per-room history factory: the board's engine records history from its document (recorder.ts,
 * with the server's clock) and the room hands the records to this writer, which stores them.
 */
export function roomHistoryFactory(db: Db, log: (message: string, err?: unknown) => void) {
	return (boardId: string): RoomHistory => new HistoryWriter(db, boardId, log);
}
