import type { Db } from './db/client.ts';
import type { BoardDocuments } from './board-documents.ts';
import { requireBoardAction } from './boards/boards.ts';
import { filterScope } from './filter/card-filter.ts';
import type { FilterBoard } from '../board/filter/apply.ts';
import { boardStats, parseStatsQuery, type BoardStats } from './stats.ts';

/** The stats of a board as a member asked for them: the figures, and the filter they were restricted by (null: none). */
export type StatsAnswer = BoardStats & { filter: { query: string; cards: number } | null };

/**
 * The stats a member asked for with `from`, `to`, the forecast questions and `q` (the board's filter language): the
 * filter is applied to the board's cards as they are now and every figure counts only the cards it matches. A bad
 * date or filter throws (a FilterQueryError says where the mistake is) before anything is computed. `read`: the
 * board's document already read for the filter.
 */
export async function statsForRequest(db: Db, documents: BoardDocuments, boardId: string, userId: string, params: URLSearchParams, now: Date, read?: FilterBoard): Promise<StatsAnswer> {
	await requireBoardAction(db, boardId, userId, 'view');
	const query = parseStatsQuery(params, now);
	const scope = await filterScope(db, documents, boardId, userId, params.get('q') ?? '', now, read);
	const stats = await boardStats(db, boardId, query, now, scope?.cardIds ?? null);
	return { ...stats, filter: scope && { query: scope.query, cards: scope.cardIds.length } };
}
