import { BoardStore } from './board-store.svelte';

/** What a board page knows when it opens the live board. */
export interface BoardPageData {
	board: { id: string; name: string };
	me: { id: string; name: string };
	allowed: { edit: boolean };
}

/**
 * Opens the board's live store for a page (board, calendar) and hands it to `set`; when the member is demoted
 * meanwhile, the store is reopened read-only from the server's state (its copy may hold refused changes). Returns a
 * function that closes it, for `onMount`.
 */
export function openBoardStore(data: BoardPageData, set: (store: BoardStore) => void): () => void {
	const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
	let current: BoardStore | null = null;
	const open = (canEdit: boolean, notice?: string, noOfflineCopy = false): BoardStore => {
		current = new BoardStore({
			boardId: data.board.id,
			boardName: data.board.name,
			user: data.me,
			canEdit,
			notice,
			noOfflineCopy,
			syncUrl: `${scheme}//${location.host}/sync`,
			onDemoted: (message) => {
				current?.destroy();
				// Its offline copy was just dropped: nothing to load before connecting.
				set(open(false, message, true));
			}
		});
		return current;
	};
	set(open(data.allowed.edit));
	return () => current?.destroy();
}
