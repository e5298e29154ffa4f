import * as Y from 'yjs';
import { BoardGoneError, type DocumentStore } from './document-store.ts';
import { describeFailure } from '../../src/lib/server/db/failures.ts';
import type { BoardChange } from '../../src/lib/board/changes.ts';

/** One transaction's output: the bytes the document emitted (none for changes that came alone) and its changes. */
interface Pending {
	update: Uint8Array | null;
	changes: readonly BoardChange[];
}

/** How a BoardWriter batches, retries and compacts. */
export interface WriterOptions {
	/** How long the first update of a batch waits for company before the batch is written. */
	batchMs: number;
	/** Compact to a snapshot once the board has more update rows than this. */
	compactAfter: number;
	/** First retry delay after a failed write; doubles up to `retryMaxMs`. */
	retryMs: number;
	retryMaxMs: number;
}

/** Where a writer reports trouble (the server logs it; tests may collect it). */
export type WriterLog = (message: string, err?: unknown) => void;

/** What a writer reports about its writes, for metrics (called once per written batch or failed try, never per update). */
export interface WriterObserver {
	/** A batch was stored, `lagMs` after its oldest update was queued; `historySetAside` when its history went to `history_set_aside`. */
	stored(lagMs: number, historySetAside: boolean): void;
	/** A write failed and will be retried. */
	failed(): void;
}

/**
 * Writes one board's document updates and their history (the change feed) to the store, together in one
 * transaction: batched within `batchMs`, merged, retried with backoff while the database is unavailable (never
 * dropped, never after a fixed number of tries), compacted past a threshold. So what was applied to a board is in
 * its history too, after a crash, a shutdown or an outage. Only feed it updates the server's own Y.Doc emitted:
 * they are merged without further checks.
 */
export class BoardWriter {
	private pending: Pending[] = [];
	private timer: ReturnType<typeof setTimeout> | null = null;
	private writing: Promise<void> | null = null;
	/** How many queued updates the write in progress carries (they are not stored until it succeeds). */
	private inFlight = 0;
	private failures = 0;
	private rows: number;
	private lastId: number | null;
	private gone = false;
	private stopped = false;
	private idleWaiters: (() => void)[] = [];
	/** When the oldest update not yet handed to a write was queued (performance.now()), for the persistence lag. */
	private oldestQueuedAt = 0;

	constructor(
		private readonly boardId: string,
		private readonly store: DocumentStore,
		private readonly options: WriterOptions,
		/** The document's full current state, for compaction. */
		private readonly fullState: () => Promise<Uint8Array>,
		stored: { rows: number; lastUpdateId: number | null },
		private readonly log: WriterLog,
		private readonly observer?: WriterObserver
	) {
		this.rows = stored.rows;
		this.lastId = stored.lastUpdateId;
	}

	/** Queues an update (or changes alone, with `update` null) and its changes; written within about `batchMs`. */
	push(update: Uint8Array | null, changes: readonly BoardChange[] = []): void {
		if (this.gone || this.stopped || (update === null && changes.length === 0)) return;
		// One clock read per batch, not per update: only the first update of a batch starts its lag.
		if (this.pending.length === 0) this.oldestQueuedAt = performance.now();
		this.pending.push({ update, changes });
		if (!this.timer && !this.writing) this.timer = setTimeout(() => this.run(), this.options.batchMs);
	}

	/** True when nothing is queued or being written. */
	get idle(): boolean {
		return this.pending.length === 0 && this.writing === null && this.timer === null;
	}

	/** Writes what is queued now and resolves once nothing is pending (retrying while the database is down). */
	flush(): Promise<void> {
		if (this.idle || this.gone || this.stopped) return Promise.resolve();
		if (this.timer && this.failures === 0) {
			clearTimeout(this.timer);
			this.timer = null;
			this.run();
		}
		return new Promise((resolve) => this.idleWaiters.push(resolve));
	}

	/** Stops for good, dropping whatever is pending (the board was deleted). */
	discard(): void {
		this.stopped = true;
		this.pending = [];
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		this.settle();
	}

	/** Updates not stored yet: queued, or carried by a write that has not succeeded (for shutdown reporting). */
	get pendingCount(): number {
		return this.pending.length + this.inFlight;
	}

	private run(): void {
		this.timer = null;
		if (this.writing || this.pending.length === 0 || this.gone || this.stopped) return this.settle();
		const batch = this.pending.splice(0);
		const updates = batch.flatMap((p) => (p.update ? [p.update] : []));
		// Safe: these are the server doc's own updates, never raw client bytes.
		const merged = updates.length === 0 ? null : updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
		const item = { update: merged, changes: batch.flatMap((p) => p.changes) };
		this.inFlight = batch.length;
		this.writing = this.write(item, this.oldestQueuedAt).finally(() => {
			this.writing = null;
			this.inFlight = 0;
			if (this.pending.length > 0 && !this.timer && !this.stopped && !this.gone) this.run();
			else this.settle();
		});
	}

	private async write(item: Pending, queuedAt: number): Promise<void> {
		try {
			const result = await this.store.write(this.boardId, item.update, item.changes);
			this.inFlight = 0;
			this.observer?.stored(performance.now() - queuedAt, result.historySetAside !== null);
			if (result.historySetAside) {
				// One line, never the rows: they carry titles, and the error carries the statement.
				this.log(`board ${this.boardId}: history set aside (${result.historySetAside}); the document change is stored; see /health, replay with npm run history:replay`);
			}
			if (result.id === null) {
				if (this.failures > 0) this.recovered();
				this.failures = 0;
				return;
			}
			this.lastId = result.id;
			this.rows++;
			if (this.failures > 0) this.recovered();
			this.failures = 0;
		} catch (err) {
			if (err instanceof BoardGoneError) return this.markGone();
			if (this.stopped) return;
			// Keep the batch (first, so order holds) and try again later; its lag still counts from its oldest update.
			this.pending.unshift(item);
			this.oldestQueuedAt = queuedAt;
			this.failures++;
			this.observer?.failed();
			// The code and the database's message only: the error also carries the statement and the update's bytes.
			if (this.failures === 1) this.log(`board ${this.boardId}: could not save changes, retrying (${describeFailure(err)})`);
			const delay = Math.min(this.options.retryMs * 2 ** (this.failures - 1), this.options.retryMaxMs);
			this.timer = setTimeout(() => this.run(), delay);
			return;
		}
		if (this.rows > this.options.compactAfter && this.lastId !== null && !this.stopped) await this.compact(this.lastId);
	}

	/**
	 * Folds the stored updates into one snapshot if any were written since the last one (the room calls this
	 * when it unloads): the next cold load then applies one garbage-collected state instead of replaying
	 * merged updates that still carry every deleted value. Call it only when idle (after `flush`).
	 */
	async compactStored(): Promise<void> {
		if (this.rows > 0 && this.lastId !== null && this.idle && !this.stopped && !this.gone) await this.compact(this.lastId);
	}

	private async compact(throughId: number): Promise<void> {
		try {
			// The doc holds every update written so far (and maybe newer ones, which are re-applied harmlessly).
			await this.store.compact(this.boardId, await this.fullState(), throughId);
			this.rows = 0;
		} catch (err) {
			if (err instanceof BoardGoneError) return this.markGone();
			// Not fatal: the updates are safe; compaction is tried again after the next write.
			this.log(`board ${this.boardId}: compaction failed (${describeFailure(err)})`);
		}
	}

	/** Writes work again after failures: say so, and let the owner check what an outage may have cost (see `onRecovered`). */
	private recovered(): void {
		this.log(`board ${this.boardId}: database writes work again`);
		this.onRecovered?.();
	}

	/** Called once writes work again after failing (the persistence extension reconciles history then). */
	onRecovered: (() => void) | null = null;

	private markGone(): void {
		this.gone = true;
		this.pending = [];
	}

	private settle(): void {
		if (!this.idle && !this.gone && !this.stopped) return;
		const waiters = this.idleWaiters.splice(0);
		for (const resolve of waiters) resolve();
	}
}
