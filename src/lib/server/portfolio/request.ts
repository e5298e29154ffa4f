import type { Db } from '../db/client.ts';
import { parseStatsQuery } from '../stats.ts';
import type { WorkflowReader } from '../templates/save-board.ts';
import { portfolio, type Portfolio } from './portfolio.ts';

/** The portfolio answer with the range it covers (inclusive dates, as asked). */
export type PortfolioAnswer = Portfolio & { range: { from: string; to: string } };

/**
 * The portfolio `userId` asked for with `from` and `to` (YYYY-MM-DD, inclusive; the last 30 days by default), read
 * exactly as the stats tab reads its range: a date that does not exist or `from` after `to` throws invalid_input with
 * a message naming the parameter, before anything is computed. `workflows` reads the boards' live workflows.
 */
export async function portfolioForRequest(db: Db, workflows: WorkflowReader, userId: string, params: URLSearchParams, now: Date): Promise<PortfolioAnswer> {
	// Only the range applies here; the stats' forecast parameters mean nothing on the portfolio.
	const ranged = new URLSearchParams();
	for (const name of ['from', 'to']) {
		const value = params.get(name);
		if (value !== null) ranged.set(name, value);
	}
	const query = parseStatsQuery(ranged, now);
	return { ...(await portfolio(db, workflows, userId, query.range)), range: { from: query.from, to: query.to } };
}
