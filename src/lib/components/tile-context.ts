import { getContext, setContext } from 'svelte';
import type { TileProcess } from '$lib/board/process/tile-plan';
import type { Peer } from '$lib/sync/presence';

/** What every card tile on a board needs besides its card: people, time, rights and the board's handlers. */
export interface TileContext {
	readonly members: Record<string, { name: string }>;
	/** Other people's open cards: card id → who has it open. */
	readonly viewersByCard: Record<string, Peer[]>;
	readonly now: Date;
	readonly canEdit: boolean;
	/** The card picked up with the keyboard, if any. */
	readonly pickedId: string | null;
	/** The ids of the cards the filter matches; the others fade (null: no filter). */
	readonly matches: ReadonlySet<string> | null;
	/** The board's done stages: a finished card's due date is history, never "overdue" or "due soon". */
	readonly doneStageIds: ReadonlySet<string>;
	/** The board's steps and process settings for the tiles' plans (null: no steps). */
	readonly process: TileProcess | null;
	onopen(cardId: string): void;
	onkey(event: KeyboardEvent, cardId: string): void;
	onmovemenu(cardId: string, anchor: HTMLElement): void;
}

const KEY = Symbol('tiles');

/** Gives the board's columns and lanes their tiles' shared inputs (pass an object of getters, so they stay live). */
export const setTileContext = (context: TileContext): TileContext => setContext(KEY, context);

/** The tiles' shared inputs, set by the board. */
export const getTileContext = (): TileContext => getContext<TileContext>(KEY);
