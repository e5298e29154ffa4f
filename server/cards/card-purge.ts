import { and, eq } from 'drizzle-orm';
import type { AppContext } from '../../src/lib/server/context.ts';
import { deleteCardFiles } from '../../src/lib/server/attachments/service.ts';
import { isCommandRefusal } from '../../src/lib/server/board-documents.ts';
import { boards } from '../../src/lib/server/db/schema/boards.ts';
import { cardComments } from '../../src/lib/server/db/schema/comments.ts';
import { removeSearchEntries } from '../../src/lib/server/search/projection.ts';
import type { ClaimedJob } from '../../src/lib/server/jobs/queue.ts';
import type { RoomExtensionFactory } from '../sync/room-extension.ts';
import type { WriterLog } from '../persistence/board-writer.ts';
import type { JobRunner } from '../jobs/job-runner.ts';

/** The job that removes a deleted card's files, comments and leftovers once its grace period is over. */
export const CARD_PURGE_JOB = 'card.purge';

/** How long a deleted card can still be brought back whole (by Undo) before its files and comments go for good. */
export const DEFAULT_CARD_PURGE_DELAY_MS = 10 * 60_000;

type PurgeDeps = Pick<AppContext, 'db' | 'clock' | 'jobs' | 'documents' | 'uploads'>;

/** The purge of deleted cards: a room extension that schedules it from the change feed, and the job's handler. */
export interface CardPurge {
	/** Goes into the RoomRegistry's extensions (idle until `install`). */
	extension: RoomExtensionFactory;
	/** Binds the running app's context and registers the job's handler. */
	install(ctx: PurgeDeps, jobs: Pick<JobRunner, 'handle'>): void;
}

/**
 * Builds the purge. A card deleted from a board keeps its files, comments, exit checks and sign-offs for `delayMs`,
 * because an undo may bring it back; then a job removes them if the card is still not on the board.
 */
export function cardPurge(log: WriterLog, delayMs = DEFAULT_CARD_PURGE_DELAY_MS): CardPurge {
	let deps: PurgeDeps | null = null;
	return {
		extension: (room) => ({
			onChange(_update, changes) {
				const bound = deps;
				if (!bound) return;
				for (const change of changes) {
					if (change.type !== 'deleted') continue;
					const runAt = new Date(bound.clock.now().getTime() + delayMs);
					bound.jobs.enqueue({ kind: CARD_PURGE_JOB, payload: { boardId: room.boardId, cardId: change.cardId }, runAt }).catch((err: unknown) => log(`board ${room.boardId}: could not schedule removing the files of deleted card ${change.cardId}`, err));
				}
			}
		}),
		install(ctx, jobs) {
			deps = ctx;
			jobs.handle(CARD_PURGE_JOB, (job) => purgeDeletedCard(ctx, job));
		}
	};
}

/** Removes what a deleted card left behind, unless it is back on its board (an undo) or its board is gone. */
async function purgeDeletedCard(deps: PurgeDeps, job: ClaimedJob): Promise<void> {
	const { boardId, cardId } = job.payload as { boardId?: unknown; cardId?: unknown };
	if (typeof boardId !== 'string' || typeof cardId !== 'string') return;
	// A deleted board took its rows and files with it.
	const [board] = await deps.db.select({ id: boards.id }).from(boards).where(eq(boards.id, boardId));
	if (!board) return;
	try {
		// First, in the board's engine: refused if the card is back (an undo), which decides atomically for the rest.
		await deps.documents.applyAsServer(boardId, Object.freeze({ kind: 'automation', actorId: null }), [{ name: 'purgeDeletedCard', args: [cardId] }]);
	} catch (err) {
		if (isCommandRefusal(err)) return;
		throw err;
	}
	await deleteCardFiles(deps.db, deps.uploads, boardId, cardId);
	await deps.db.delete(cardComments).where(and(eq(cardComments.boardId, boardId), eq(cardComments.cardId, cardId)));
	await removeSearchEntries(deps.db, { boardId, cardId });
}
