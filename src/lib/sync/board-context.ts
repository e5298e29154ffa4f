import { createContext } from 'svelte';
import type { BoardStore } from './board-store.svelte';

/**
 * The open board's store for components deep inside the board (the card dialog's description editor and stage
 * picker), as a getter because the page creates the store after mounting. Set by the board page.
 */
export const [getBoardStore, setBoardStore] = createContext<() => BoardStore | null>();
