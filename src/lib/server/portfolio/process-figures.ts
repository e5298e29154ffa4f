import type { Db } from '../db/client.ts';
import type { WorkflowReader } from '../templates/save-board.ts';
import { stepFigures } from '../process-review/index.ts';
import { missedDeadlineReview } from '../process-review/missed-deadlines.ts';
import type { Range } from '../../board/metrics/flow.ts';

/** What the portfolio takes from one board's process review over its range. */
export interface BoardProcessFigures {
	/** The template the board was created from (null: none, or deleted since). */
	template: { id: string; name: string } | null;
	compliance: { exits: number; clean: number; rate: number | null; target: number };
	/** Over the steps with a due offset: first attempts that left with a planned day, and those left by it. */
	steps: { planned: number; onTime: number };
	/** Cards finished in the range with a target date, and the lateness (ms) of the late ones (not read without a template). */
	missed: { withTarget: number; lateMs: number[] };
}

/** How many boards' reviews run at once: their reads wait on the database side by side. */
const AT_ONCE = 3;

/**
 * The process figures of each board, exactly as its own process API gives them for the same range: the review's
 * compliance and plan against actual (`stepFigures`, without the automation trend the portfolio does not show) and,
 * for boards from a template, `missedDeadlineReview`, on the board's live workflow. The review's baseline is the range
 * itself: the portfolio shows no efficiency, so no earlier finished cards need reading. A board whose document cannot be
 * read now (its room is unavailable) is left out.
 */
export async function readProcessFigures(db: Db, workflows: WorkflowReader, boardIds: readonly string[], range: Range): Promise<Map<string, BoardProcessFigures>> {
	const out = new Map<string, BoardProcessFigures>();
	const queue = [...boardIds];
	const next = async (): Promise<void> => {
		for (let boardId = queue.shift(); boardId !== undefined; boardId = queue.shift()) {
			const figures = await boardFigures(db, workflows, boardId, range);
			if (figures) out.set(boardId, figures);
		}
	};
	await Promise.all(Array.from({ length: Math.min(AT_ONCE, queue.length) }, next));
	return out;
}

async function boardFigures(db: Db, workflows: WorkflowReader, boardId: string, range: Range): Promise<BoardProcessFigures | null> {
	let workflow;
	try {
		workflow = await workflows.readBoard(boardId, { kind: 'workflow' });
	} catch (err) {
		if ((err as Error | null)?.name === 'RoomUnavailableError') return null;
		throw err;
	}
	const review = await stepFigures(db, boardId, range, { workflow: { stages: workflow.stages, timeZone: workflow.process.timeZone }, baseline: range });
	// Lateness is shown per template only: a board from none is spared the missed-deadline replay.
	const missed = review.template ? await missedDeadlineReview(db, boardId, range, workflow) : null;
	const { exits, clean, rate, target } = review.compliance;
	const steps = review.planVsActual.steps;
	return {
		template: review.template,
		compliance: { exits, clean, rate, target },
		steps: { planned: steps.reduce((n, s) => n + s.planned, 0), onTime: steps.reduce((n, s) => n + s.onTime, 0) },
		missed: { withTarget: missed?.withTarget ?? 0, lateMs: missed?.late.map((c) => c.lateMs) ?? [] }
	};
}
