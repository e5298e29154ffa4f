import type { Db } from '../../src/lib/server/db/client.ts';
import type { Clock } from '../../src/lib/server/clock.ts';
import { boardsNeverIndexed } from '../../src/lib/server/search/projection.ts';
import type { RoomExtensionFactory } from '../sync/room-extension.ts';
import type { WriterLog } from '../persistence/board-writer.ts';
import type { RoomRegistry } from '../sync/room-registry.ts';
import { DEFAULT_SEARCH_TIMINGS, searchExtension, type SearchDeps, type SearchTimings } from './search-extension.ts';

/** The search projection: a room extension for the change feed and the start-up pass over boards never indexed. */
export interface SearchProjection {
	/** Goes into the RoomRegistry's extensions (idle until `install`). */
	extension: RoomExtensionFactory;
	/** Binds the database; from then on every room that opens reconciles its cards. */
	install(db: Db, clock: Clock): void;
	/** Indexes, one at a time, every board that was never indexed (opening its room runs the reconcile); stops on `stop`. */
	backfill(rooms: Pick<RoomRegistry, 'readBoard' | 'peek'>): Promise<number>;
	/** Ends a running backfill after its current board. */
	stop(): void;
}

/** Builds the projection; the registry needs the extension before the database is bound. */
export function searchProjection(log: WriterLog, timings: SearchTimings = DEFAULT_SEARCH_TIMINGS): SearchProjection {
	let deps: SearchDeps | null = null;
	let stopped = false;
	return {
		extension: searchExtension(() => deps, log, timings),
		install(db, clock) {
			deps = { db, now: () => clock.now() };
		},
		async backfill(rooms) {
			if (!deps) return 0;
			let done = 0;
			for (const boardId of await boardsNeverIndexed(deps.db)) {
				if (stopped) break;
				try {
					// Through the room, not the stored bytes: its reconcile and the live edits share one ordered queue.
					await rooms.readBoard(boardId, { kind: 'workflow' });
					await rooms.peek(boardId)?.flush();
					done++;
				} catch (err) {
					if ((err as Error | null)?.name === 'RoomUnavailableError') continue;
					log(`board ${boardId}: could not index it for search (it is indexed when next opened)`, err);
				}
			}
			return done;
		},
		stop() {
			stopped = true;
		}
	};
}
