import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { cardComments } from '../db/schema/comments.ts';
import { upsertSearchEntries } from './projection.ts';

/**
 * Writes the search entries of the given cards' comments again from the comments table: a deleted card's entries
 * leave the index with it, and an undo that brings the card back brings its comments back to search too.
 */
export async function reindexCardComments(db: Db, boardId: string, cardIds: readonly string[]): Promise<void> {
	if (cardIds.length === 0) return;
	const rows = await db
		.select({ id: cardComments.id, cardId: cardComments.cardId, body: cardComments.body })
		.from(cardComments)
		.where(and(eq(cardComments.boardId, boardId), inArray(cardComments.cardId, [...cardIds])));
	await upsertSearchEntries(db, rows.map((r) => ({ boardId, cardId: r.cardId, source: 'comment', sourceId: r.id, title: '', body: r.body })));
}
