import type { Db } from '../db/client.ts';
import { listBoardsForUser } from '../boards/boards.ts';
import { readAutomationDays } from '../automation-share.ts';
import type { WorkflowReader } from '../templates/save-board.ts';
import { automationShare } from '../../board/metrics/automation.ts';
import type { Range } from '../../board/metrics/flow.ts';
import type { Role } from '../auth/permissions.ts';
import { readFlowFigures } from './flow-figures.ts';
import { readHandoffs } from './handoffs.ts';
import { readAtRiskCounts } from './risk-counts.ts';
import { readProcessFigures } from './process-figures.ts';
import { figuresByTemplate } from './template-figures.ts';
import type { NamedHandoffLane, PortfolioFigures, PortfolioProcess } from '../../board/portfolio.ts';

/** One board of the portfolio. */
export interface PortfolioBoard extends PortfolioFigures {
	id: string;
	name: string;
	role: Role;
}

/** The portfolio's quick part: every board the caller belongs to, and the hand-offs between them. */
export interface Portfolio {
	boards: PortfolioBoard[];
	handoffs: NamedHandoffLane[];
}

/** What a board shows when nothing happened on it in the range. */
const NOTHING: PortfolioFigures = { throughput: 0, onTimeShare: null, withDue: 0, automationShare: null, leadTimeP50: null, atRisk: 0 };

/** Reads some figures for all the boards at once (one statement, however many boards). A new column is one more source. */
type FigureSource = (db: Db, boardIds: readonly string[], range: Range) => Promise<Map<string, Partial<PortfolioFigures>>>;

const SOURCES: FigureSource[] = [
	async (db, boardIds, range) => {
		const flow = await readFlowFigures(db, boardIds, range);
		return new Map(
			[...flow].map(([id, f]) => [id, { throughput: f.throughput, withDue: f.withDue, onTimeShare: f.withDue ? f.onTime / f.withDue : null, leadTimeP50: f.leadTimeP50 }])
		);
	},
	async (db, boardIds, range) => {
		const days = await readAutomationDays(db, boardIds, range);
		return new Map([...days].map(([id, d]) => [id, { automationShare: automationShare(d, range).share }]));
	},
	// Cards at risk are a state now, not a figure over the range.
	async (db, boardIds) => new Map([...(await readAtRiskCounts(db, boardIds))].map(([id, n]) => [id, { atRisk: n }]))
];

/**
 * The portfolio of `userId` over `range`: for each board they are a member of (and only those), the figures its stats
 * tab shows for the same range, computed for all the boards together; and the cross-team hand-offs between them.
 */
export async function portfolio(db: Db, userId: string, range: Range): Promise<Portfolio> {
	const boards = await listBoardsForUser(db, userId);
	const ids = boards.map((b) => b.id);
	const [parts, lanes] = await Promise.all([Promise.all(SOURCES.map((source) => source(db, ids, range))), readHandoffs(db, ids, range)]);
	const names = new Map(boards.map((b) => [b.id, b.name]));
	return {
		boards: boards.map((b) => Object.assign({ id: b.id, name: b.name, role: b.role }, NOTHING, ...parts.map((p) => p.get(b.id) ?? {})) as PortfolioBoard),
		handoffs: lanes.map((l) => ({ ...l, fromBoard: names.get(l.fromBoardId)!, toBoard: names.get(l.toBoardId)! }))
	};
}

/**
 * The portfolio's process part for `boardIds` (the caller's, from `portfolio`) over `range`: each board's compliance
 * against its target, as its own process review gives it, and the figures per template of those boards. One review per
 * board on its live workflow (`workflows`): much slower than the rest (docs/portfolio.md, "Speed").
 */
export async function portfolioProcess(db: Db, workflows: WorkflowReader, boardIds: readonly string[], range: Range): Promise<PortfolioProcess> {
	const figures = await readProcessFigures(db, workflows, boardIds, range);
	return {
		compliance: Object.fromEntries([...figures].map(([id, f]) => [id, { compliance: f.compliance.rate, complianceExits: f.compliance.exits, complianceTarget: f.compliance.target }])),
		templates: figuresByTemplate(figures.values())
	};
}
