import { and, count, eq, gte, lt } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { BoardDocuments } from '../board-documents.ts';
import { cardEvents } from '../db/schema/history.ts';
import { processReviewForRequest } from './request.ts';
import { missedForRequest, riskForRequest } from './deadlines-request.ts';
import type { CardRisk } from './risk.ts';
import { headlineFigures, type HeadlineFigures } from '../../process-report/headline.ts';

const DAY = 86_400_000;
/** How many of the riskiest open cards the digest names. */
export const DIGEST_RISKY_CARDS = 5;

/** A week of the digest: Monday to Sunday, inclusive days as the stats count them (UTC). */
export interface DigestWeek {
	from: string;
	to: string;
}

/** What the weekly digest tells about one board. */
export interface WeeklyDigest {
	headline: HeadlineFigures;
	/** The riskiest open cards now (at risk or likely late), riskiest first. */
	risky: CardRisk[];
	/** Card events recorded in the week. */
	events: number;
}

/**
 * The week's figures of a board for one of its members (not_found for anyone else), from the same functions as
 * `GET /api/boards/<id>/process?from&to` with the week's days: the headline, the riskiest cards and the week's activity.
 */
export async function weeklyDigest(db: Db, documents: BoardDocuments, boardId: string, userId: string, week: DigestWeek, now: Date): Promise<WeeklyDigest> {
	const params = new URLSearchParams({ from: week.from, to: week.to });
	const review = await processReviewForRequest(db, documents, boardId, userId, params, now);
	const [missedDeadlines, risk, events] = await Promise.all([
		missedForRequest(db, documents, boardId, userId, params, now),
		riskForRequest(db, documents, boardId, userId, now),
		weekEvents(db, boardId, week)
	]);
	return {
		headline: headlineFigures({ ...review, missedDeadlines, risk }),
		risky: risk.cards.filter((c) => c.level !== 'on_track').slice(0, DIGEST_RISKY_CARDS),
		events
	};
}

/** Whether a digest has anything to say: a card event in the week, or a card at risk now. */
export const digestWorthSending = (digest: WeeklyDigest): boolean => digest.events > 0 || digest.risky.length > 0;

async function weekEvents(db: Db, boardId: string, week: DigestWeek): Promise<number> {
	const from = new Date(`${week.from}T00:00:00Z`);
	const to = new Date(Date.parse(`${week.to}T00:00:00Z`) + DAY);
	const [row] = await db
		.select({ n: count() })
		.from(cardEvents)
		.where(and(eq(cardEvents.boardId, boardId), gte(cardEvents.at, from), lt(cardEvents.at, to)));
	return Number(row?.n ?? 0);
}
