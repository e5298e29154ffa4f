import type { BoardChange } from '../../src/lib/board/changes.ts';
import type { Card } from '../../src/lib/board/types.ts';
import type { Db } from '../../src/lib/server/db/client.ts';
import { classifyFailure } from '../../src/lib/server/db/failures.ts';
import { cardEntry, markBoardIndexed, reconcileCards, removeSearchEntries, upsertSearchEntries, type IndexedCard } from '../../src/lib/server/search/projection.ts';
import { reindexCardComments } from '../../src/lib/server/search/card-comments.ts';
import type { RoomExtensionContext, RoomExtensionFactory } from '../sync/room-extension.ts';
import type { WriterLog } from '../persistence/board-writer.ts';

/** What the projection needs from the running app. */
export interface SearchDeps {
	db: Db;
	now(): Date;
}

/** Timings of the projection (tests shorten them). */
export interface SearchTimings {
	/** New cards, renames and archiving are written once the board's cards had this long without such a change… */
	soonMs: number;
	/** …or at the latest this long after the first of them (a board edited without pause still gets written). */
	soonMaxMs: number;
	/** How long description edits gather before their cards are written (typing writes once per this, not per key). */
	descriptionDelayMs: number;
	/** How long to wait before trying again after the database refused a write. */
	retryMs: number;
}

/** The projection's default timings. */
export const DEFAULT_SEARCH_TIMINGS: SearchTimings = { soonMs: 250, soonMaxMs: 1_000, descriptionDelayMs: 1_500, retryMs: 5_000 };

/**
 * Changes that make a card's entry differ at once: written after a short quiet spell (`soonMs`, at most `soonMaxMs`).
 * Not in the same turn: on PGlite every query runs on the main thread, and writing between the frames of a burst
 * of edits would split the burst's own stored batch.
 */
const AT_ONCE = new Set<BoardChange['type']>(['created', 'title_changed', 'archived', 'restored', 'deleted']);
/** Past this many cards at once, one read of the whole board is cheaper than a read per card. */
const READ_ALL_ABOVE = 40;

const indexed = (card: Card): IndexedCard => ({ id: card.id, title: card.title, description: card.description, archived: card.archived });

/**
 * Keeps one board's card rows of the search projection current. When the room opens, every card of the document is
 * compared with the stored rows and the differences written (first start, a board changed while another version
 * served it, edits lost to a crash). Then the change feed says which cards changed; their title, description and
 * archived state are read from the room's document when written, so rows always hold what the board shows. Titles,
 * new cards and archiving are written after a quiet spell of 250 ms (at most 1 s); description edits gather for `descriptionDelayMs` (typing costs one
 * write per card per delay, not one per keystroke) and are written early by `flush` (an unload, a shutdown, a
 * server command's reply). Writes for one board run in order; a failed one is logged and tried again later.
 */
export class CardProjector {
	private readonly dirty = new Set<string>();
	/** Cards restored since the last write: a deleted card's comments left the index with it and come back with it. */
	private readonly restored = new Set<string>();
	private timer: ReturnType<typeof setTimeout> | null = null;
	private timerAt = 0;
	/** Whether the timer waits for a quiet spell (and may be pushed back), not for a description's delay. */
	private timerQuiet = false;
	/** When the first change still unwritten arrived (bounds how far a quiet spell may be pushed back). */
	private firstAt: number | null = null;
	private chain: Promise<void> = Promise.resolve();
	private stopped = false;
	private failing = false;

	constructor(
		private readonly deps: SearchDeps,
		private readonly room: Pick<RoomExtensionContext, 'boardId' | 'read'>,
		private readonly log: WriterLog,
		private readonly timings: SearchTimings
	) {}

	/** Cards changed but not yet written. */
	get pending(): number {
		return this.dirty.size;
	}

	/** Compares every card of the document with the stored rows and writes the differences (queued first on load). */
	reconcile(): void {
		this.enqueue(async () => {
			const { cards } = await this.room.read({ kind: 'cards' });
			await reconcileCards(this.deps.db, this.room.boardId, cards.map(indexed), true);
			await markBoardIndexed(this.deps.db, this.room.boardId, this.deps.now());
		}, []);
	}

	/** Notes the cards one transaction changed and schedules their write. */
	take(changes: readonly BoardChange[]): void {
		for (const change of changes) {
			const cardId = 'cardId' in change ? change.cardId : null;
			if (!cardId) continue;
			if (AT_ONCE.has(change.type)) {
				this.dirty.add(cardId);
				if (change.type === 'restored') this.restored.add(cardId);
				this.scheduleQuiet();
			} else if (change.type === 'description_edited') {
				this.dirty.add(cardId);
				this.schedule(this.timings.descriptionDelayMs);
			}
		}
	}

	/** Writes what is pending now and resolves once every write handed over so far is done. */
	flush(): Promise<void> {
		this.drain();
		return this.chain;
	}

	/** The room is gone or its board deleted: nothing more is written. */
	stop(): void {
		this.stopped = true;
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		this.dirty.clear();
		this.restored.clear();
	}

	/** Runs the write after `ms` unless one is due sooner already (a later edit never postpones an earlier one). */
	private schedule(ms: number): void {
		if (this.stopped) return;
		this.firstAt ??= Date.now();
		const at = Date.now() + ms;
		if (this.timer && this.timerAt <= at) return;
		this.setTimer(at, false);
	}

	/** Runs the write once no such change came for `soonMs` (at most `soonMaxMs` after the first), or earlier if due. */
	private scheduleQuiet(): void {
		if (this.stopped) return;
		const now = Date.now();
		this.firstAt ??= now;
		const at = Math.min(now + this.timings.soonMs, this.firstAt + this.timings.soonMaxMs);
		if (this.timer && !this.timerQuiet && this.timerAt <= at) return;
		this.setTimer(at, true);
	}

	private setTimer(at: number, quiet: boolean): void {
		if (this.timer) clearTimeout(this.timer);
		this.timerAt = at;
		this.timerQuiet = quiet;
		this.timer = setTimeout(() => this.drain(), Math.max(0, at - Date.now()));
	}

	private drain(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		this.firstAt = null;
		if (this.stopped || this.dirty.size === 0) return;
		const ids = [...this.dirty];
		const restored = ids.filter((id) => this.restored.has(id));
		this.dirty.clear();
		this.restored.clear();
		this.enqueue(() => this.write(ids, restored), ids, restored);
	}

	private async write(ids: readonly string[], restored: readonly string[] = []): Promise<void> {
		const { db } = this.deps;
		const boardId = this.room.boardId;
		let cards: (Card | null)[];
		if (ids.length > READ_ALL_ABOVE) {
			const byId = new Map((await this.room.read({ kind: 'cards' })).cards.map((c) => [c.id, c]));
			cards = ids.map((id) => byId.get(id) ?? null);
		} else {
			cards = [];
			for (const cardId of ids) cards.push((await this.room.read({ kind: 'card', cardId })).card);
		}
		const present = cards.filter((c): c is Card => c !== null);
		await upsertSearchEntries(db, present.map((card) => cardEntry(boardId, indexed(card))));
		await reindexCardComments(db, boardId, restored.filter((id) => present.some((c) => c.id === id)));
		// A deleted card: its rows and its comments' leave the results (an undo writes them again, above).
		for (const [i, card] of cards.entries()) if (!card) await removeSearchEntries(db, { boardId, cardId: ids[i]! });
	}

	/** Queues work after the board's earlier writes; a failure is logged once per outage and the cards tried again. */
	private enqueue(work: () => Promise<void>, ids: readonly string[], restored: readonly string[] = []): void {
		this.chain = this.chain.then(async () => {
			if (this.stopped) return;
			try {
				await work();
				if (this.failing) this.log(`board ${this.room.boardId}: search index writes work again`);
				this.failing = false;
			} catch (err) {
				// The board was deleted (its rows went with it) or its room closed under the write: nothing to keep.
				if (this.stopped || classifyFailure(err) === 'gone' || (err as Error | null)?.name === 'RoomUnavailableError') return;
				if (!this.failing) this.log(`board ${this.room.boardId}: could not update the search index; trying again`, err);
				this.failing = true;
				if (ids.length === 0) return void setTimeout(() => !this.stopped && this.reconcile(), this.timings.retryMs);
				for (const id of ids) this.dirty.add(id);
				for (const id of restored) this.restored.add(id);
				this.schedule(this.timings.retryMs);
			}
		});
	}
}

/** Builds the search projection's room extension; `deps` is read when a room loads (bound once the app started). */
export function searchExtension(deps: () => SearchDeps | null, log: WriterLog, timings: SearchTimings = DEFAULT_SEARCH_TIMINGS): RoomExtensionFactory {
	return (ctx) => {
		const bound = deps();
		if (!bound) return {};
		const projector = new CardProjector(bound, ctx, log, timings);
		projector.reconcile();
		return {
			onChange: (_update, changes) => projector.take(changes),
			flush: () => projector.flush(),
			get unsaved() {
				return projector.pending;
			},
			onDiscard: () => projector.stop(),
			// After the last flush: whatever a room that failed to open had queued is dropped (its next load reconciles).
			onDestroy: () => projector.stop()
		};
	};
}
