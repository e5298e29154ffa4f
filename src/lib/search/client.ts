import type { MarkedPart } from './marks.ts';
import { searchProblem } from './terms.ts';

/** One card found, as GET /api/search answers it. */
export interface FoundCard {
	boardId: string;
	boardName: string;
	cardId: string;
	source: 'card' | 'comment';
	title: string;
	snippet: string;
	titleParts: MarkedPart[];
	snippetParts: MarkedPart[];
}

/** What a search came to: cards, or a sentence for the person (nothing to search for, the server refused or failed). */
export type SearchOutcome = { results: FoundCard[] } | { problem: string };

/** Where a card opens: its board with `?card=` (the board page opens it; the inbox links the same way). */
export const cardHref = (boardId: string, cardId: string): string => `/b/${encodeURIComponent(boardId)}?card=${encodeURIComponent(cardId)}`;

/** Asks the server; a query with nothing to search for is answered here without a request. */
export async function searchCardsOnline(q: string, signal?: AbortSignal): Promise<SearchOutcome> {
	const problem = searchProblem(q);
	if (problem) return { problem };
	const res = await fetch(`/api/search?q=${encodeURIComponent(q)}`, { signal, headers: { accept: 'application/json' } });
	const body = (await res.json().catch(() => null)) as { results?: FoundCard[]; error?: string; message?: string } | null;
	if (res.ok && body?.results) return { results: body.results };
	return { problem: body?.error ?? body?.message ?? 'Search is not available right now. Try again in a moment.' };
}

/** Whether a key press happened while typing somewhere (a shortcut must then leave the key alone). */
export function typingIn(target: EventTarget | null): boolean {
	return target instanceof HTMLElement && target.closest('input, textarea, select, [contenteditable]:not([contenteditable="false"])') !== null;
}
