import { eq, max, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { boardActivity } from '../db/schema/activity.ts';
import { cardEvents } from '../db/schema/history.ts';

/**
 * When each card of a board last changed, by the server's history: its latest card event or audit entry (a title,
 * a label, a checklist item, a description edit). Read on demand, by the `updated:` filter only.
 */
export async function lastChangeByCard(db: Db, boardId: string): Promise<Record<string, string>> {
	const events = db.select({ cardId: cardEvents.cardId, at: max(cardEvents.at).as('at') }).from(cardEvents).where(eq(cardEvents.boardId, boardId)).groupBy(cardEvents.cardId);
	const activity = db
		.select({ cardId: sql<string>`${boardActivity.cardId}`, at: max(boardActivity.at).as('at') })
		.from(boardActivity)
		.where(sql`${boardActivity.boardId} = ${boardId} and ${boardActivity.cardId} is not null`)
		.groupBy(boardActivity.cardId);
	const rows = await events.unionAll(activity);
	const latest: Record<string, string> = {};
	for (const row of rows) {
		if (!row.at) continue;
		const at = new Date(row.at).toISOString();
		if (!latest[row.cardId] || latest[row.cardId]! < at) latest[row.cardId] = at;
	}
	return latest;
}
