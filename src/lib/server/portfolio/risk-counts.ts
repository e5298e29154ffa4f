import { and, count, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { cardRiskLevels } from '../db/schema/risk.ts';

/**
 * Per board, how many open cards the last risk check found at risk or likely late (one statement for all boards). The
 * hourly check keeps the levels (src/lib/server/process-review/risk-alerts.ts), so the portfolio reads, never simulates.
 */
export async function readAtRiskCounts(db: Db, boardIds: readonly string[]): Promise<Map<string, number>> {
	if (boardIds.length === 0) return new Map();
	const rows = await db
		.select({ boardId: cardRiskLevels.boardId, n: count() })
		.from(cardRiskLevels)
		.where(and(inArray(cardRiskLevels.boardId, [...boardIds]), inArray(cardRiskLevels.level, ['at_risk', 'likely_late'])))
		.groupBy(cardRiskLevels.boardId);
	return new Map(rows.map((r) => [r.boardId, Number(r.n)]));
}
