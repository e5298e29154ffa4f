import type { Db } from '../db/client.ts';
import { readAutomationDays } from '../automation-share.ts';
import { AUTOMATION_TARGET, automationShare } from '../../board/metrics/automation.ts';
import { monthsOf } from '../../board/metrics/process/efficiency.ts';
import type { Range } from '../../board/metrics/flow.ts';

/** The automation share per month of a range (months clipped to it), against the users' target. */
export interface AutomationTrend {
	target: number;
	monthly: { month: string; total: number; automated: number; share: number | null }[];
}

/** The automation share of each month of the range (the stats' figure, `readAutomationShare`, month by month). */
export async function automationTrend(db: Db, boardId: string, range: Range, cardIds: readonly string[] | null): Promise<AutomationTrend> {
	const months = monthsOf(range);
	// One read of the range's days; each month then counts its own.
	const days = (await readAutomationDays(db, [boardId], range, cardIds)).get(boardId) ?? [];
	const shares = months.map((m) => automationShare(days, m));
	return {
		target: AUTOMATION_TARGET,
		monthly: months.map((m, i) => ({ month: m.month, total: shares[i]!.total, automated: shares[i]!.byRules + shares[i]!.byProcess, share: shares[i]!.share }))
	};
}
