import { z } from 'zod';
import type { Db } from '../db/client.ts';
import type { BoardDocuments } from '../board-documents.ts';
import { requireBoardAction } from '../boards/boards.ts';
import { DomainError } from '../errors.ts';
import { changesByCard, type StandupChange } from '../../board/standup/changes.ts';
import { runningStandup, windowStartFor, type StandupInfo } from './standups.ts';
import { readWindowHistory } from './window-history.ts';

/** What the standup page reads: the running standup (if any), its window, and what changed on each card in it. */
export interface StandupView {
	running: StandupInfo | null;
	/** ISO: where the window starts (the running standup's, or the one a standup starting now would use). */
	since: string;
	timeZone: string;
	changes: Record<string, StandupChange[]>;
}

/** The standup view of a board for a member (non-members: not found). */
export async function standupView(db: Db, documents: BoardDocuments, boardId: string, userId: string, now: Date): Promise<StandupView> {
	await requireBoardAction(db, boardId, userId, 'view');
	const running = await runningStandup(db, boardId);
	const fresh = await windowStartFor(db, documents, boardId, now);
	const since = running ? new Date(running.since) : fresh.since;
	const history = await readWindowHistory(db, boardId, since);
	return { running, since: since.toISOString(), timeZone: fresh.timeZone, changes: changesByCard(history.changes) };
}

const endSchema = z.object({ post: z.boolean().default(false) }).strict();

/** Parses the body of "end the standup": `{ post?: boolean }`; anything else is a DomainError for a 400. */
export function parseEndBody(body: unknown): { post: boolean } {
	const parsed = endSchema.safeParse(body ?? {});
	if (!parsed.success) throw new DomainError('invalid_input', 'Send { "post": true } to post the summary to the board’s activity, or { "post": false }.');
	return parsed.data;
}
