import type { BoardProcess, Card, Stage } from '../types.ts';
import { compileFilter, type FilterContext } from './compile.ts';
import { cardFacts } from './facts.ts';
import { parseFilter, type FilterError } from './syntax.ts';

/** A board as a filter is applied to it away from the board page (the server's reading of the document). */
export interface FilterBoard {
	stages: readonly Stage[];
	/** Every card, archived ones too (figures about the past count archived work). */
	cards: readonly Card[];
	process: BoardProcess;
	members: Readonly<Record<string, { name: string }>>;
}

/** The outcome of applying a filter: the ids it matches (null: an empty filter, every card), or its mistake. */
export type ApplyResult = { ok: true; cardIds: string[] | null } | { ok: false; error: FilterError };

/**
 * The names a query is checked against on this board: its stages, people, team roles and labels (the board's own
 * and those on cards), as the board's filter bar checks them. Plain data, so a page can check a query as it is typed.
 */
export function filterNames(board: FilterBoard): Omit<FilterContext, 'userId' | 'now' | 'timeZone'> {
	const labels = new Set([...board.process.labels.map((l) => l.name), ...board.cards.flatMap((c) => c.labels.map((l) => l.name))]);
	return { members: board.members, stages: board.stages, teamRoles: board.process.teamRoles, labels: [...labels] };
}

/** Whether a query reads the history (`updated:`), so a caller fetches when each card last changed only then. */
export function usesHistory(text: string): boolean {
	const parsed = parseFilter(text);
	return parsed.ok && parsed.terms.some((t) => t.field === 'updated');
}

/**
 * The cards of `board` that `text` matches for `userId` at `now`, with calendar days in the board's time zone;
 * `lastChanged` (card id → ms) answers `updated:`. Same grammar, names and facts as the board's filter bar.
 */
export function applyFilter(text: string, board: FilterBoard, userId: string, now: Date, lastChanged: Readonly<Record<string, number>> = {}): ApplyResult {
	const compiled = compileFilter(text, { ...filterNames(board), userId, now, timeZone: board.process.timeZone });
	if (!compiled.ok) return compiled;
	if (!compiled.match) return { ok: true, cardIds: null };
	const stagesById = new Map(board.stages.map((s) => [s.id, s]));
	const steps = board.stages.filter((s) => s.step !== null);
	const tileProcess = steps.length > 0 ? { steps, process: board.process } : null;
	const match = compiled.match;
	return { ok: true, cardIds: board.cards.filter((card) => match(cardFacts(card, stagesById, tileProcess, now, lastChanged[card.id]))).map((c) => c.id) };
}
