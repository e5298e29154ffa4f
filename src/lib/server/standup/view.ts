import { z } from 'zod';
import type { Db } from '../db/client.ts';
import type { BoardDocuments } from '../board-documents.ts';
import { requireBoardAction } from '../boards/boards.ts';
import { DomainError } from '../errors.ts';
import { changesByCard, type StandupChange } from '../../board/standup/changes.ts';
import { runningStandup, standupRow, summarize, windowStartFor, type StandupInfo } from './standups.ts';
import { summaryText, type StandupSummary } from '../../board/standup/summary.ts';
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

/** A standup's summary as members read it: the stored one once it ended (`final`), else a preview worked out now. */
export interface SummaryReading {
	summary: StandupSummary;
	text: string;
	final: boolean;
}

/**
 * The summary of standup `standupId` for a member (non-members: not found): what it ended with, or while it runs
 * what it would say now (the facilitator's preview, and what followers see when the facilitator wraps up).
 */
export async function readStandupSummary(db: Db, documents: BoardDocuments, boardId: string, userId: string, standupId: string, now: Date): Promise<SummaryReading> {
	await requireBoardAction(db, boardId, userId, 'view');
	const row = await standupRow(db, boardId, standupId);
	if (row.endedAt && row.summary) {
		const { text, ...summary } = row.summary as unknown as StandupSummary & { text?: string };
		return { summary, text: text ?? summaryText(summary, 'Standup'), final: true };
	}
	if (row.abandonedAt) throw new DomainError('conflict', 'This standup was replaced by a newer one and has no summary.');
	return { ...(await summarize(db, documents, boardId, row.since, now, row)), final: false };
}

const startSchema = z.object({ q: z.string().max(2_000).default('') }).strict();

/** Parses the body of "start a standup": `{ q?: string }` (a filter: only the cards it matches are walked). */
export function parseStartBody(body: unknown): { q: string } {
	const parsed = startSchema.safeParse(body ?? {});
	if (!parsed.success) throw new DomainError('invalid_input', 'Send { "q": "<filter>" } to walk only the cards a filter matches, or {} to walk them all.');
	return parsed.data;
}

const endSchema = z.object({ post: z.boolean().default(false) }).strict();

/** Parses the body of "end the standup": `{ post?: boolean }`; anything else is a DomainError for a 400. */
export function parseEndBody(body: unknown): { post: boolean } {
	const parsed = endSchema.safeParse(body ?? {});
	if (!parsed.success) throw new DomainError('invalid_input', 'Send { "post": true } to post the summary to the board’s activity, or { "post": false }.');
	return parsed.data;
}
