import type { Db } from '../db/client.ts';
import type { BoardDocuments } from '../board-documents.ts';
import { DomainError } from '../errors.ts';
import { processReviewForRequest } from './request.ts';
import { missedForRequest, riskForRequest } from './deadlines-request.ts';
import { headlineFigures, type HeadlineFigures } from '../../process-report/headline.ts';
import { daysOf, isMonth, monthOf, shiftMonth, type Month } from '../../process-report/month.ts';

/** How many late and risky cards the report names as notable. */
export const NOTABLE_CARDS = 5;

/** The month a report shows when none is asked for: the last full month before `now` (UTC). */
export const lastFullMonth = (now: Date): Month => shiftMonth(monthOf(now), -1);

/**
 * The month a report was asked for (`?month=YYYY-MM`; absent or empty: the last full month). Throws invalid_input with
 * a message for anything else, and for a month that has not begun.
 */
export function parseReportMonth(value: string | null, now: Date): Month {
	if (value === null || value === '') return lastFullMonth(now);
	if (!isMonth(value)) throw new DomainError('invalid_input', `Choose a month written like ${lastFullMonth(now)}; got ${JSON.stringify(value.slice(0, 40))}.`, 'month');
	if (value > monthOf(now)) throw new DomainError('invalid_input', `${value} has not begun yet: choose ${monthOf(now)} or an earlier month.`, 'month');
	return value;
}

/**
 * The query the report asks the process review with: the month's first and last day, and the previous month as the
 * baseline. `GET /api/boards/<id>/process?<these>` answers the very same figures.
 */
export function reportQuery(month: Month): URLSearchParams {
	const { from, to } = daysOf(month);
	const baseline = daysOf(shiftMonth(month, -1));
	return new URLSearchParams({ from, to, baselineFrom: baseline.from, baselineTo: baseline.to });
}

/** A board's monthly process report (see docs/process-review.md): the review's parts, its headline and notable cards. */
export type MonthlyReport = Awaited<ReturnType<typeof monthlyReport>>;

/**
 * The process report of `month` for a member (not_found for anyone else): the process review, the missed-deadline
 * review of the month and the risk of the open cards now, computed by the same functions as `GET …/process`.
 */
export async function monthlyReport(db: Db, documents: BoardDocuments, boardId: string, userId: string, month: Month, now: Date) {
	const params = reportQuery(month);
	// The review checks membership first, so a refusal computes nothing else.
	const review = await processReviewForRequest(db, documents, boardId, userId, params, now);
	const [missedDeadlines, risk] = await Promise.all([missedForRequest(db, documents, boardId, userId, params, now), riskForRequest(db, documents, boardId, userId, now)]);
	const answer = { ...review, missedDeadlines, risk };
	const headline: HeadlineFigures = headlineFigures(answer);
	return {
		month,
		query: Object.fromEntries(params) as Record<'from' | 'to' | 'baselineFrom' | 'baselineTo', string>,
		review: answer,
		headline,
		notable: {
			// The review lists late cards latest first by lateness, and risks riskiest first.
			late: missedDeadlines.late.slice(0, NOTABLE_CARDS),
			risky: risk.cards.filter((c) => c.level !== 'on_track').slice(0, NOTABLE_CARDS)
		}
	};
}
