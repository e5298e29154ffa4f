import { createContext } from 'svelte';
import type { BoardStore } from './board-store.svelte';

/**
 * What the board page shares with the board's header (in the layout, which outlives the page): the live store while
 * the board page is open, and how to open one of its cards. The header's "waiting for my approval" list reads them.
 */
export class BoardHeaderLink {
	store = $state.raw<BoardStore | null>(null);
	/** Opens a card's dialog on the board page (set by the board while it is shown). */
	openCard = $state.raw<((cardId: string) => void) | null>(null);
}

/** The layout sets the link; the board page and the board fill it in (where there is one: `hasBoardHeaderLink`). */
export const [getBoardHeaderLink, setBoardHeaderLink, hasBoardHeaderLink] = createContext<BoardHeaderLink>();
