import type { BoardCommands } from '$lib/board/doc/commands';
import type { BoardSnapshot } from '$lib/board/types';

/** What the board's single-key shortcuts read and do. */
export interface ShortcutTarget {
	snapshot: BoardSnapshot;
	userId: string;
	canEdit: boolean;
	showShortcuts(): void;
	openMoveMenu(cardId: string, anchor: HTMLElement): void;
	act(command: (c: BoardCommands) => void): void;
	announce(text: string): void;
}

/** The card tile in focus, if any. */
const focusedTile = () => (document.activeElement instanceof HTMLElement ? document.activeElement.closest<HTMLElement>('[data-card-id]') : null);

/** Moves focus to the next (`j`) or previous (`k`) card tile on the board, in reading order of the page. */
function walkTiles(forward: boolean, tile: HTMLElement | null): void {
	const tiles = [...document.querySelectorAll<HTMLElement>('[data-testid="board"] [data-card-id]')];
	const at = tile ? tiles.indexOf(tile) : -1;
	const next = tiles[forward ? at + 1 : at < 0 ? tiles.length - 1 : at - 1];
	next?.focus();
	next?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
}

/**
 * The "add a card" field `n` goes to: the one under the focused card (its lane cell's, or its column's), else the
 * first stage's (the first lane's with lanes on).
 */
function addFieldFor(tile: HTMLElement | null, snapshot: BoardSnapshot): HTMLInputElement | null {
	const near = tile?.closest('[data-testid="lane-cell"], [data-testid="stage"]')?.querySelector<HTMLInputElement>('input[data-testid="add-card"]');
	if (near) return near;
	const first = snapshot.stages[0]?.id;
	return first ? document.querySelector<HTMLInputElement>(`[data-stage-id="${CSS.escape(first)}"] input[data-testid="add-card"]`) : null;
}

/** Runs a single-key shortcut (see ShortcutSheet); true when the key was one. */
export function runShortcut(event: KeyboardEvent, board: ShortcutTarget): boolean {
	if (event.ctrlKey || event.metaKey || event.altKey) return false;
	const tile = focusedTile();
	const cardId = tile?.dataset.cardId;
	const card = cardId ? board.snapshot.cards[cardId] : undefined;
	switch (event.key) {
		case '?':
			board.showShortcuts();
			return true;
		case 'j':
		case 'k':
			walkTiles(event.key === 'j', tile);
			return true;
		case 'f':
			document.getElementById('board-filter-input')?.focus();
			return true;
		case 'n': {
			const field = addFieldFor(tile, board.snapshot);
			if (!field) board.announce('You can not add cards here.');
			field?.focus();
			return true;
		}
		case 'a': {
			if (!card || !board.canEdit) return false;
			const mine = card.owners.includes(board.userId);
			board.act((c) => (mine ? c.removeOwner(card.id, board.userId) : c.addOwner(card.id, board.userId)));
			board.announce(mine ? `You no longer own ${card.title}.` : `${card.title} assigned to you.`);
			return true;
		}
		case 'm':
			if (!card || !tile || !board.canEdit) return false;
			board.openMoveMenu(card.id, tile);
			return true;
	}
	return false;
}
