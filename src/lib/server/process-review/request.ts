import type { Db } from '../db/client.ts';
import type { BoardDocuments } from '../board-documents.ts';
import { requireBoardAction } from '../boards/boards.ts';
import { DomainError } from '../errors.ts';
import { filterScope } from '../filter/card-filter.ts';
import { parseStatsQuery } from '../stats.ts';
import { deadlineOf } from '../../board/metrics/deadline.ts';
import type { FilterBoard } from '../../board/filter/apply.ts';
import type { Range } from '../../board/metrics/flow.ts';
import { processReview, type ProcessReview } from './index.ts';
import { mayChangeProcess } from './owner.ts';

const DAY = 86_400_000;

/** The review as a member asked for it: the figures, the filter used, and whether they may change targets and steps. */
export type ProcessReviewAnswer = ProcessReview & { filter: { query: string; cards: number } | null; mayChange: boolean };

/**
 * The baseline period from `baselineFrom` and `baselineTo` (inclusive days, both or neither; undefined: the default).
 * Throws invalid_input naming the parameter for a date that does not exist or a reversed period.
 */
export function parseBaseline(params: URLSearchParams): Range | undefined {
	const from = params.get('baselineFrom') || undefined;
	const to = params.get('baselineTo') || undefined;
	if (from === undefined && to === undefined) return undefined;
	for (const [name, value] of [['baselineFrom', from], ['baselineTo', to]] as const) {
		if (value === undefined) throw new DomainError('invalid_input', `Give both "baselineFrom" and "baselineTo" to pick a baseline period; "${name}" is missing.`);
		if (deadlineOf(value) === null) throw new DomainError('invalid_input', `"${name}" must be a real date written like 2026-11-22; got ${JSON.stringify(value.slice(0, 40))}.`);
	}
	const range = { from: Date.parse(`${from}T00:00:00Z`), to: Date.parse(`${to}T00:00:00Z`) + DAY };
	if (range.from >= range.to) throw new DomainError('invalid_input', `"baselineFrom" (${from}) must be on or before "baselineTo" (${to}).`);
	if (range.to - range.from > 731 * DAY) throw new DomainError('invalid_input', 'Choose a baseline of at most two years.');
	return range;
}

/**
 * The process review a member asked for with `from`, `to`, `baselineFrom`, `baselineTo` and `q` (the board's filter,
 * applied to its cards as they are now): not_found for non-members, invalid_input (or a FilterQueryError) before
 * anything is computed. `read`: the board already read for the filter.
 */
export async function processReviewForRequest(db: Db, documents: BoardDocuments, boardId: string, userId: string, params: URLSearchParams, now: Date, read?: FilterBoard): Promise<ProcessReviewAnswer> {
	await requireBoardAction(db, boardId, userId, 'view');
	const { range } = parseStatsQuery(params, now);
	const baseline = parseBaseline(params);
	const scope = await filterScope(db, documents, boardId, userId, params.get('q') ?? '', now, read);
	const board = read ?? (await documents.readBoard(boardId, { kind: 'workflow' }));
	const workflow = { stages: board.stages, timeZone: board.process.timeZone };
	const [review, mayChange] = await Promise.all([processReview(db, boardId, range, { workflow, baseline, cardIds: scope?.cardIds ?? null }), mayChangeProcess(db, boardId, userId)]);
	return { ...review, filter: scope && { query: scope.query, cards: scope.cardIds.length }, mayChange };
}
