import type { Db } from '../db/client.ts';
import type { BoardDocuments } from '../board-documents.ts';
import { listMembers } from '../boards/members.ts';
import { DomainError } from '../errors.ts';
import { lastChangeByCard } from '../views/card-changes.ts';
import { applyFilter, usesHistory, type FilterBoard } from '../../board/filter/apply.ts';

/** The longest filter accepted (the board's own are a few terms; this keeps a URL from costing the server). */
export const MAX_FILTER_LENGTH = 500;

/** A filter refused: its message and where in the text the mistake is (code-unit offsets), for the field to mark. */
export class FilterQueryError extends DomainError {
	constructor(
		message: string,
		readonly start: number,
		readonly end: number
	) {
		super('invalid_input', message, 'q');
	}
}

/** The cards a filter matched, and the filter as applied (trimmed). */
export interface FilterScope {
	query: string;
	cardIds: string[];
}

/** The board as a filter sees it: the document's stages, every card (archived too), its process, and the members (members only). */
export async function readFilterBoard(db: Db, documents: BoardDocuments, boardId: string, userId: string): Promise<FilterBoard & { name: string }> {
	const members = await listMembers(db, boardId, userId);
	const reading = await documents.readBoard(boardId, { kind: 'cards' });
	return { name: reading.name, stages: reading.stages, cards: reading.cards, process: reading.process, members: Object.fromEntries(members.map((m) => [m.userId, { name: m.name }])) };
}

/**
 * The board's cards that `text` matches now, for `userId` (`owner:me`), read from the live document (time fields
 * as of `now`, days in the board's zone; `read`: the board already read); null for an empty filter. A mistake throws FilterQueryError with its place.
 */
export async function filterScope(db: Db, documents: BoardDocuments, boardId: string, userId: string, text: string, now: Date, read?: FilterBoard): Promise<FilterScope | null> {
	const query = text.trim();
	if (query.length > MAX_FILTER_LENGTH) throw new FilterQueryError(`A filter can be at most ${MAX_FILTER_LENGTH} characters long.`, MAX_FILTER_LENGTH, text.length);
	if (!query) return null;
	const board = read ?? (await readFilterBoard(db, documents, boardId, userId));
	const changed = usesHistory(query) ? await lastChangeByCard(db, boardId) : {};
	const lastChanged = Object.fromEntries(Object.entries(changed).map(([id, at]) => [id, Date.parse(at)]));
	const result = applyFilter(query, board, userId, now, lastChanged);
	// Positions are in the trimmed text; the caller's field holds the text as typed.
	const lead = text.length - text.trimStart().length;
	if (!result.ok) throw new FilterQueryError(result.error.message, result.error.start + lead, result.error.end + lead);
	return { query, cardIds: result.cardIds ?? [] };
}
