import type { Db } from '../db/client.ts';
import { parseStatsQuery } from '../stats.ts';
import type { WorkflowReader } from '../templates/save-board.ts';
import type { Range } from '../../board/metrics/flow.ts';
import type { BoardCompliance, TemplateFigures } from '../../board/portfolio.ts';
import { portfolio, portfolioProcess, type Portfolio, type PortfolioBoard } from './portfolio.ts';

/** The range a portfolio request asks for: epoch ms, and the inclusive dates as asked. */
export interface PortfolioRange {
	range: Range;
	dates: { from: string; to: string };
}

/** The portfolio API's answer: every board with its compliance, the figures per template, the hand-offs, the range. */
export type PortfolioAnswer = Omit<Portfolio, 'boards'> & { boards: (PortfolioBoard & BoardCompliance)[]; templates: TemplateFigures[]; range: { from: string; to: string } };

/** A board's compliance when its process could not be read. */
const UNKNOWN: BoardCompliance = { compliance: null, complianceExits: 0, complianceTarget: null };

/**
 * The range asked for with `from` and `to` (YYYY-MM-DD, inclusive; the last 30 days by default), read exactly as the
 * stats tab reads its range: a date that does not exist or `from` after `to` throws invalid_input with a message naming
 * the parameter, before anything is computed.
 */
export function portfolioRange(params: URLSearchParams, now: Date): PortfolioRange {
	// Only the range applies here; the stats' forecast parameters mean nothing on the portfolio.
	const ranged = new URLSearchParams();
	for (const name of ['from', 'to']) {
		const value = params.get(name);
		if (value !== null) ranged.set(name, value);
	}
	const query = parseStatsQuery(ranged, now);
	return { range: query.range, dates: { from: query.from, to: query.to } };
}

/**
 * The whole portfolio `userId` asked for (the API's answer): the quick figures and the process part together, over the
 * range `portfolioRange` reads from `params`. `workflows` reads the boards' live workflows.
 */
export async function portfolioForRequest(db: Db, workflows: WorkflowReader, userId: string, params: URLSearchParams, now: Date): Promise<PortfolioAnswer> {
	const { range, dates } = portfolioRange(params, now);
	const quick = await portfolio(db, userId, range);
	const process = await portfolioProcess(db, workflows, quick.boards.map((b) => b.id), range);
	return {
		...quick,
		boards: quick.boards.map((b) => ({ ...b, ...(process.compliance[b.id] ?? UNKNOWN) })),
		templates: process.templates,
		range: dates
	};
}
