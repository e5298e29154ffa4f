import { sql } from 'drizzle-orm';
import type { Db } from '../../src/lib/server/db/client.ts';
import { boardOwnerFences } from '../../src/lib/server/db/schema/documents.ts';

/** Which fencing token this instance holds for a board, if it owns it (several instances: see docs/scale-out.md). */
export interface OwnerFences {
	/** The token of this instance's lease on the board, or null when it does not own the board (any more). */
	current(boardId: string): number | null;
	/** A write was refused because another instance took the board over: this instance must let it go. */
	stale(boardId: string): void;
}

/** A write by an instance that no longer owns the board: refused, nothing stored. */
export class StaleOwnerError extends Error {
	constructor(boardId: string) {
		super(`This server no longer owns board ${boardId}: another took it over`);
		this.name = 'StaleOwnerError';
	}
}

/**
 * Records `fence` as the board's owner token unless a newer one is stored; returns false when one is. Run inside the
 * write's own transaction: the row lock it takes orders every write against a takeover, so a write carrying an old
 * token either commits before the new owner's claim (and the new owner loads it) or is refused after it.
 */
export async function advanceFence(db: Db, boardId: string, fence: number): Promise<boolean> {
	const rows = await db
		.insert(boardOwnerFences)
		.values({ boardId, fence })
		.onConflictDoUpdate({ target: boardOwnerFences.boardId, set: { fence: sql`excluded.fence` }, setWhere: sql`${boardOwnerFences.fence} <= excluded.fence` })
		.returning({ fence: boardOwnerFences.fence });
	return rows.length > 0;
}

/** In a write's transaction: throws StaleOwnerError when this instance's token for the board is missing or outdated. */
export async function checkFence(tx: Db, boardId: string, fences: OwnerFences | undefined): Promise<void> {
	if (!fences) return;
	const fence = fences.current(boardId);
	if (fence === null || !(await advanceFence(tx, boardId, fence))) {
		fences.stale(boardId);
		throw new StaleOwnerError(boardId);
	}
}
