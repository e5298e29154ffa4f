import { and, asc, eq, gte, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { boardActivity } from '../db/schema/activity.ts';
import { cardEvents } from '../db/schema/history.ts';
import { cardComments } from '../db/schema/comments.ts';
import { readStages } from '../history.ts';
import { commentChanges, standupChanges, type HistoryRow, type HistoryStage, type StandupChange } from '../../board/standup/changes.ts';
import type { BreachRow } from '../../board/standup/summary.ts';

/** Card event types a standup reads (the rest is bookkeeping: owners, checklists). */
const EVENT_TYPES = ['created', 'moved', 'blocked', 'unblocked', 'due_changed', 'signoff_decided', 'wip_breach'];
/** Audit kinds a standup reads. */
const ACTIVITY_KINDS = ['title_changed', 'step_due_set'];
/** A day of a busy board is hundreds of rows; a cap keeps a window left open for months from costing the page. */
const MAX_ROWS = 5000;

/** The history of a standup's window, ready for the page and the summary. */
export interface WindowHistory {
	changes: StandupChange[];
	/** The window's WIP breaches, each with the card that pushed its stage over. */
	breaches: (BreachRow & { cardId: string })[];
	/** Every stage the board has had, by id (deleted ones too). */
	stages: Map<string, HistoryStage>;
}

/**
 * What changed on the board from `since` on, read from the server's history (`card_events` and `board_activity`,
 * along their board-and-time indexes): the standup's changes, and the WIP breaches of the window.
 */
export async function readWindowHistory(db: Db, boardId: string, since: Date): Promise<WindowHistory> {
	const stages = new Map<string, HistoryStage>((await readStages(db, boardId)).map((s) => [s.stageId, { name: s.name, kind: s.kind }]));
	const events = await db
		.select()
		.from(cardEvents)
		.where(and(eq(cardEvents.boardId, boardId), gte(cardEvents.at, since), inArray(cardEvents.type, EVENT_TYPES)))
		.orderBy(asc(cardEvents.at), asc(cardEvents.id))
		.limit(MAX_ROWS);
	const activity = await db
		.select()
		.from(boardActivity)
		.where(and(eq(boardActivity.boardId, boardId), gte(boardActivity.at, since), inArray(boardActivity.kind, ACTIVITY_KINDS)))
		.orderBy(asc(boardActivity.at), asc(boardActivity.id))
		.limit(MAX_ROWS);
	const rows: HistoryRow[] = [
		...events.filter((e) => e.type !== 'wip_breach'),
		...activity.map((a) => ({ type: a.kind, cardId: a.cardId, at: a.at, actorId: a.actorId, fromStageId: null, toStageId: a.stageId, data: a.data }))
	];
	// New comments of the window (a comment deleted since is gone from the table, and from the standup).
	const comments = await db
		.select({ boardId: cardComments.boardId, cardId: cardComments.cardId, authorId: cardComments.authorId, body: cardComments.body, createdAt: cardComments.createdAt })
		.from(cardComments)
		.where(and(eq(cardComments.boardId, boardId), gte(cardComments.createdAt, since)))
		.orderBy(asc(cardComments.createdAt))
		.limit(MAX_ROWS);
	const changes = [...standupChanges(rows, stages), ...commentChanges(comments)];
	return { changes, breaches: events.filter((e) => e.type === 'wip_breach'), stages };
}
