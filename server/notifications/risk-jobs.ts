import { sql } from 'drizzle-orm';
import { selectRows } from '../../src/lib/server/db/client.ts';
import type { AppContext } from '../../src/lib/server/context.ts';
import type { ClaimedJob } from '../../src/lib/server/jobs/queue.ts';
import { checkRiskLevels, type RiskChange } from '../../src/lib/server/process-review/risk-alerts.ts';
import type { JobRunner } from '../jobs/job-runner.ts';

/** Job kind of the hourly sweep that queues a risk check per board with target dates. */
export const RISK_SWEEP_JOB = 'risk.sweep';
/** Job kind of one board's risk check. */
export const RISK_BOARD_JOB = 'risk.board';
/** How often every board's delivery risk is checked again. */
export const RISK_EVERY_MS = 3_600_000;

/** The hour a sweep runs in (keyed by it, so two processes queue one sweep per hour). */
const slotOf = (ms: number): Date => new Date(Math.floor(ms / RISK_EVERY_MS) * RISK_EVERY_MS);

/** Checks one board's risk levels now (the job's work; tests call it on demand). Nothing for a board that is gone. */
export async function runRiskCheck(ctx: Pick<AppContext, 'db' | 'documents' | 'clock' | 'notify'>, boardId: string): Promise<RiskChange[]> {
	let board;
	try {
		board = await ctx.documents.readBoard(boardId, { kind: 'cards' });
	} catch (err) {
		if ((err as Error | null)?.name === 'RoomUnavailableError') return [];
		throw err;
	}
	return checkRiskLevels({ db: ctx.db, notify: (input) => ctx.notify(input) }, boardId, board, ctx.clock.now());
}

/**
 * Registers the risk jobs and queues the next hour's sweep: it queues the one after, then one check per board whose
 * history has target dates (one job each, so one board's failure retries only that board).
 */
export function installRiskJobs(ctx: AppContext, jobs: Pick<JobRunner, 'handle' | 'enqueue'>, log: (message: string, err?: unknown) => void): void {
	const queueSweep = (at: Date) => jobs.enqueue({ kind: RISK_SWEEP_JOB, runAt: at, key: `${RISK_SWEEP_JOB}:${at.toISOString()}` });
	jobs.handle(RISK_SWEEP_JOB, async (job: ClaimedJob) => {
		// The next top of the hour from now, not from when this one was due: after a long stop the server checks once,
		// rather than once for every hour it missed.
		await queueSweep(slotOf(ctx.clock.now().getTime() + RISK_EVERY_MS));
		const boards = await selectRows<{ board_id: string }>(ctx.db, sql`select distinct board_id from card_events where type = 'target_changed'`);
		for (const { board_id } of boards) await jobs.enqueue({ kind: RISK_BOARD_JOB, payload: { boardId: board_id }, key: `${RISK_BOARD_JOB}:${board_id}:${job.runAt.toISOString()}` });
	});
	jobs.handle(RISK_BOARD_JOB, async (job) => {
		await runRiskCheck(ctx, String(job.payload.boardId));
	});
	// The first check at the next top of the hour: starting a server does no board-wide work at once.
	void queueSweep(slotOf(ctx.clock.now().getTime() + RISK_EVERY_MS)).catch((err: unknown) => log('Could not queue the delivery-risk check.', err));
}
