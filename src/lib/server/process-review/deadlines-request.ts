import type { Db } from '../db/client.ts';
import type { BoardDocuments } from '../board-documents.ts';
import { listMembers } from '../boards/members.ts';
import { parseStatsQuery } from '../stats.ts';
import { AT_RISK_FROM, ON_TRACK_FROM } from '../../board/metrics/deadlines/risk.ts';
import { missedDeadlineReview, type MissedDeadlines } from './missed-deadlines.ts';
import { deliveryRisk, type CardRisk } from './risk.ts';

/** `GET /api/boards/<id>/process/risk`: open cards with a target date, riskiest first, and the levels' thresholds. */
export interface RiskAnswer {
	cards: CardRisk[];
	/** Names of the board's members by id (owners who left the board are not named). */
	people: Record<string, string>;
	thresholds: { onTrack: number; atRisk: number };
}

/** The board's members' names by id, for a member (not_found for anyone else: every answer here starts with it). */
async function peopleOf(db: Db, boardId: string, userId: string): Promise<Record<string, string>> {
	return Object.fromEntries((await listMembers(db, boardId, userId)).map((m) => [m.userId, m.name]));
}

/** The delivery risk of a board's open cards, for a member (not_found for anyone else). */
export async function riskForRequest(db: Db, documents: BoardDocuments, boardId: string, userId: string, now: Date): Promise<RiskAnswer> {
	const people = await peopleOf(db, boardId, userId);
	const board = await documents.readBoard(boardId, { kind: 'cards' });
	return { cards: await deliveryRisk(db, boardId, now, board), people, thresholds: { onTrack: ON_TRACK_FROM, atRisk: AT_RISK_FROM } };
}

/** The missed-deadline review a member asked for with `from` and `to` (the stats' dates, same checks and default). */
export async function missedForRequest(db: Db, documents: BoardDocuments, boardId: string, userId: string, params: URLSearchParams, now: Date): Promise<MissedDeadlines & { range: { from: string; to: string }; people: Record<string, string> }> {
	const people = await peopleOf(db, boardId, userId);
	const query = parseStatsQuery(params, now);
	const workflow = await documents.readBoard(boardId, { kind: 'workflow' });
	return { ...(await missedDeadlineReview(db, boardId, query.range, workflow)), range: { from: query.from, to: query.to }, people };
}
