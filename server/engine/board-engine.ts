import * as Y from 'yjs';
import { LOAD, SEED, actorOfOrigin, originKind, type ServerOrigin, type TxOrigin } from '../../src/lib/board/doc/origins.ts';
import { NamedCommandError, runNamedCommands, type NamedCommand } from '../../src/lib/board/doc/named-commands.ts';
import { seedBoard } from '../../src/lib/board/doc/schema.ts';
import { upgradeBoard } from '../../src/lib/board/doc/places.ts';
import { healBoard } from '../../src/lib/board/doc/heal.ts';
import type { StoredDocument } from '../persistence/document-store.ts';
import { currentStages, recordHistory, type HistorySink } from '../history/recorder.ts';
import type { BoardChange, CardChange } from '../../src/lib/board/changes.ts';
import { guardPolicy, type Refusal } from '../sync/policy-guard.ts';
import { stampSignOffs } from './stamp-guard.ts';
import { runProcess } from './process-engine.ts';
import { keepAStage } from './last-stage-guard.ts';
import { readBoard, type BoardQuery, type BoardReading } from './board-reading.ts';
import { guardContent, type ContentRefusal } from './content-guard.ts';
import { checkWithPending } from '../sync/shape-guard.ts';
import { DocumentSize } from '../sync/document-size.ts';
import { dropPending, pendingBytes, withoutPending } from '../sync/pending.ts';
import { PendingLimit } from '../sync/pending-limit.ts';
import { CLOSE, ProtocolError, stateAsSyncStep2, syncStep1Frame, syncStep1FrameFor, syncStep2Frame } from '../sync/protocol.ts';
import type { SyncOptions } from '../sync/options.ts';

/** The options an engine reads (a plain object: it crosses to a worker thread). */
export type EngineOptions = Pick<SyncOptions, 'maxPayload' | 'pendingTimeoutMs' | 'maxDocumentBytes' | 'loadBudgetMs'>;

/** Who an update is applied for: a socket's id on the main thread and its signed-in user. */
export interface EngineActor {
	connId: number;
	userId: string;
}

/** The transaction origin of an update applied for a socket (the user is read by the history recorder). */
export interface ActorOrigin extends TxOrigin, EngineActor {
	readonly kind: 'remote';
}

/** How applying one update went, and what it cost the engine's thread. */
export type ApplyOutcome =
	| { result: 'applied' | 'dropped' | 'failed'; ms: number }
	/** The board is at its size cap and the update adds content: nothing was applied. */
	| { result: 'full'; ms: number }
	/** The update was refused (its sender is closed with `code`); nothing of it was stored or relayed. */
	| { result: 'refused'; code: number; reason: string; ms: number };

/** How an engine stands. */
export interface EngineStatus {
	/** Bytes of client changes waiting for dependencies that have not arrived. */
	pendingBytes: number;
	/** Whether the stored state is in the document (a cold or read-only board serves it as stored until then). */
	integrated: boolean;
}

/** How running named commands as the server went (see `runNamedCommands`). */
export type CommandsOutcome = { ok: true; results: unknown[] } | { ok: false; index: number; error: string };

/** What an engine tells its room, in the order it happens. */
export interface EngineOutput {
	/**
	 * The document changed (not by loading): store these bytes and relay them to every socket. `changes` is what the
	 * transaction did, once validation and the policy net settled (the change feed); stored with the bytes.
	 */
	update(update: Uint8Array, changes: BoardChange[]): void;
	/** Changes that came with no update of their own (the stage list on load). */
	changes(changes: BoardChange[]): void;
	/** Tell the socket `connId` that the server reverted its edit of `cardId`. */
	notice(connId: number, cardId: string, message: string): void;
	/** Loading removed `count` entries nobody could read (the room tells the board's owners). */
	healed(count: number): void;
	/** Integrating the stored state took `ms`, over the load budget. */
	slowLoad(ms: number): void;
	log(message: string, err?: unknown): void;
	/** An unexpected error in the engine's own work: the room must close and reload. */
	failed(err: unknown): void;
}

/**
 * Work of our own on a board's document, run on the engine's thread once the document is loaded (after the
 * policy net and the history); returns what undoes it. Named by module (see EnginePool): it must load on a thread.
 */
export type EngineExtension = (doc: Y.Doc, boardId: string) => (() => void) | void;

/** What an engine is opened with. */
export interface EngineSpec {
	boardId: string;
	stored: StoredDocument;
	options: EngineOptions;
	/** Serve the stored state as stored, never integrated, and drop writes (see RoomRegistry). */
	readOnly: boolean;
	/** Derive the change feed (history and what reacts to changes); off in tests that need none. */
	feed: boolean;
}

/** The longest a cold engine waits for its first client's sync before integrating its stored snapshot anyway. */
const INTEGRATE_WITHIN_MS = 250;

/**
 * The Yjs side of one open board: the server's copy of its document and everything that reads or writes it —
 * loading and healing, the shape and size checks before an update is applied, the policy net and the history
 * recorder after. It touches no socket and no database, so it can run on a worker thread (engine-pool.ts):
 * an expensive update stalls that thread, never the server's sockets, authorization or HTTP.
 */
export class BoardEngine {
	private readonly doc = new Y.Doc();
	private readonly boardId: string;
	private readonly readOnly: boolean;
	private readonly loadBudgetMs: number;
	private readonly pendingTimeoutMs: number;
	/** A cold engine's stored snapshot, until `integrate` applies it (with its state vector, for sync step 1). */
	private unintegrated: { snapshot: Uint8Array; stateVector: Uint8Array } | null = null;
	private integrateTimer: ReturnType<typeof setTimeout> | null = null;
	/** The answer to a new client's sync step 1 while the document is unchanged (cleared by every update). */
	private fullStateFrame: Uint8Array | null = null;
	/** While applying an update: the doc's updates and the policy net's refusals, reported together afterwards. */
	private batch: { updates: Uint8Array[]; refusals: ContentRefusal[]; changes: BoardChange[] } | null = null;
	private readonly pending: PendingLimit;
	private readonly size: DocumentSize;
	private readonly origins = new Map<number, ActorOrigin>();
	private detachGuard: (() => void) | null = null;
	private feed: { flush(): void; stop(): void } | null = null;
	private readonly feedOn: boolean;
	private readonly undoExtensions: (() => void)[] = [];
	private disposed = false;

	constructor(
		spec: EngineSpec,
		private readonly out: EngineOutput,
		private readonly extensions: readonly EngineExtension[] = []
	) {
		const { boardId, stored, options, readOnly } = spec;
		this.boardId = boardId;
		this.readOnly = readOnly;
		this.loadBudgetMs = options.loadBudgetMs;
		this.pendingTimeoutMs = options.pendingTimeoutMs;
		this.feedOn = spec.feed;
		this.pending = new PendingLimit(this.doc, options, (bytes) => out.log(`board ${boardId}: dropped ${bytes} bytes of changes whose dependencies never arrived`));
		const storedBytes = (stored.snapshot?.length ?? 0) + stored.updates.reduce((sum, u) => sum + u.length, 0);
		this.size = new DocumentSize(options.maxDocumentBytes, storedBytes, () => this.snapshot().length);
		this.doc.on('afterTransaction', (tx: Y.Transaction) => {
			if (tx.deleteSet.clients.size > 0) this.size.deleted();
		});
		this.doc.on('update', (update: Uint8Array, origin: unknown) => {
			// Replayed stored state is already stored, and clients get it by syncing.
			if (originKind(origin) === 'load') return;
			this.size.grew(update.length);
			this.fullStateFrame = null;
			if (this.batch) this.batch.updates.push(update);
			else {
				// Outside any batch (seeding, healing, an upgrade, a timer): its changes, if any, come in a microtask.
				out.update(update, []);
			}
		});
		if (readOnly) {
			const parts = [...(stored.snapshot ? [stored.snapshot] : []), ...stored.updates];
			// Merging only concatenates and sorts structs: none of integration's costly ordering.
			const state = parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts);
			this.unintegrated = { snapshot: state, stateVector: Y.encodeStateVectorFromUpdate(state) };
			this.fullStateFrame = stateAsSyncStep2(state);
			out.log(`board ${boardId}: opened read-only (its loads kept taking longer than ${options.loadBudgetMs} ms)`);
			return;
		}
		if (stored.snapshot && stored.updates.length === 0) {
			// A board stored as one snapshot (the usual case: an unloading room folds its rows into one) is, until its
			// first change, exactly those bytes: the first client of a cold board gets them at once, and the engine
			// integrates them right after (see `answer`).
			this.fullStateFrame = stateAsSyncStep2(stored.snapshot);
			this.unintegrated = { snapshot: stored.snapshot, stateVector: Y.encodeStateVectorFromUpdate(stored.snapshot) };
			this.integrateTimer = setTimeout(() => this.guarded(() => this.integrate()), INTEGRATE_WITHIN_MS);
			return;
		}
		this.timedLoad(() =>
			this.doc.transact(() => {
				if (stored.snapshot) Y.applyUpdate(this.doc, stored.snapshot, LOAD);
				for (const update of stored.updates) Y.applyUpdate(this.doc, update, LOAD);
			}, LOAD)
		);
		if (!stored.snapshot && stored.updates.length === 0) seedBoard(this.doc, boardId);
		this.finishLoading();
	}

	/** Sync step 1 for a new socket: the engine's state vector (the stored one while still cold). */
	stepOne(): Uint8Array {
		return this.unintegrated ? syncStep1FrameFor(this.unintegrated.stateVector) : syncStep1Frame(this.doc);
	}

	/**
	 * Sync step 2 answering a socket's (checked) state vector. A new client (empty state vector) gets the whole
	 * state, encoded once per change; on a cold board that is the stored snapshot, integrated right after.
	 */
	answer(stateVector: Uint8Array): Uint8Array {
		if (this.readOnly && this.unintegrated) {
			const { snapshot } = this.unintegrated;
			return Y.decodeStateVector(stateVector).size > 0 ? stateAsSyncStep2(Y.diffUpdate(snapshot, stateVector)) : this.fullStateFrame!;
		}
		if (Y.decodeStateVector(stateVector).size > 0) {
			this.integrate();
			return syncStep2Frame(this.doc, stateVector);
		}
		if (this.fullStateFrame && this.unintegrated) {
			// On its way to the client before the engine spends time integrating.
			if (this.integrateTimer) clearTimeout(this.integrateTimer);
			this.integrateTimer = setTimeout(() => this.guarded(() => this.integrate()), 0);
			return this.fullStateFrame;
		}
		this.fullStateFrame ??= syncStep2Frame(this.doc, stateVector);
		return this.fullStateFrame;
	}

	/**
	 * Applies a writer's update for `actor`, after checking its shape and the board's size. What the document emits
	 * (the edit and any policy compensation, merged) goes out as one update, then the refusal notices.
	 */
	apply(actor: EngineActor, update: Uint8Array): ApplyOutcome {
		// Dropped, as a viewer's: every member was told when they joined.
		if (this.readOnly) return { result: 'dropped', ms: 0 };
		const started = performance.now();
		const ms = () => performance.now() - started;
		try {
			this.integrate();
			// Before Yjs sees it: an update it applied is relayed and stored even if something throws afterwards.
			if (checkWithPending(this.doc, update) === 'drop-pending') {
				this.out.log(`board ${this.boardId}: dropped ${pendingBytes(this.doc)} bytes of waiting changes that do not fit the board`);
				dropPending(this.doc);
			}
			if (!this.size.admits(update)) return { result: 'full', ms: ms() };
			if (!this.integrateUpdate(actor, update)) return { result: 'failed', ms: ms() };
			this.pending.check();
			return { result: 'applied', ms: ms() };
		} catch (err) {
			if (err instanceof ProtocolError) return { result: 'refused', code: err.closeCode, reason: err.message.slice(0, 120), ms: ms() };
			return { result: 'refused', code: CLOSE.invalidPayload, reason: `Update rejected: ${(err as Error).message}`.slice(0, 120), ms: ms() };
		}
	}

	/** Integrates the update; false when one of our observers failed on it (the engine failed; the room closes). */
	private integrateUpdate(actor: EngineActor, update: Uint8Array): boolean {
		return this.inBatch(() => Y.applyUpdate(this.doc, update, this.originOf(actor)));
	}

	/**
	 * Runs named commands on the board as the server (the server command path): one transaction with `origin`,
	 * checked by the same commands and rules as a browser's, stored and relayed like a socket's update.
	 */
	runCommands(origin: ServerOrigin, commands: NamedCommand[]): CommandsOutcome {
		if (this.readOnly) return { ok: false, index: 0, error: 'This board is read-only for now: its loads kept taking too long.' };
		this.integrate();
		const actor = { userId: origin.actorId ?? '', now: () => new Date() };
		let outcome: CommandsOutcome = { ok: false, index: 0, error: 'The board hit a server error.' };
		this.inBatch(() => {
			try {
				outcome = { ok: true, results: runNamedCommands(this.doc, actor, Object.freeze({ ...origin }), commands) };
			} catch (err) {
				if (!(err instanceof NamedCommandError)) throw err;
				outcome = { ok: false, index: err.index, error: err.message };
			}
		});
		return outcome;
	}

	/**
	 * Runs `work` (which changes the doc) collecting what the doc emits: afterwards one merged update goes out, then
	 * the refusal notices. False when one of our observers failed after the doc changed (the engine failed).
	 */
	private inBatch(work: () => void): boolean {
		this.batch = { updates: [], refusals: [], changes: [] };
		let failure: { err: unknown } | null = null;
		try {
			work();
			// The transaction's changes, now that the policy net has settled: they travel with its update.
			this.feed?.flush();
		} catch (err) {
			// Thrown after the doc changed: an observer of ours failed on an applied change, not the caller's input.
			if (this.batch.updates.length === 0) throw err;
			failure = { err };
		} finally {
			const { updates, refusals, changes } = this.batch;
			this.batch = null;
			// One update for the change and any compensation, so others never see a refused move flicker in.
			if (updates.length > 0 && !this.disposed) this.out.update(updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates), changes);
			else if (changes.length > 0 && !this.disposed) this.out.changes(changes);
			for (const r of refusals) this.notify(r);
		}
		// After the update went out: the room stores what the doc emitted before it closes.
		if (failure) this.fail(failure.err);
		return failure === null;
	}

	/** Plain data read from the board for the server's own use (plans, templates): see board-reading.ts. */
	read(query: BoardQuery): BoardReading {
		this.integrate();
		return readBoard(this.doc, query);
	}

	/**
	 * Per Yjs client, the first clock of the changes in `update` this document does not have yet (a dropped update
	 * may carry other members' changes the server already holds: only what is new belongs to its sender).
	 */
	novel(update: Uint8Array): Map<number, number> {
		this.integrate();
		try {
			return Y.parseUpdateMeta(Y.diffUpdate(update, Y.encodeStateVector(this.doc))).from;
		} catch {
			return new Map();
		}
	}

	/** The document's integrated state (never a client's pending bytes), for compaction and size. */
	snapshot(): Uint8Array {
		if (this.readOnly && this.unintegrated) return this.unintegrated.snapshot;
		this.integrate();
		return withoutPending(this.doc, () => Y.encodeStateAsUpdate(this.doc));
	}

	/** How the engine stands (for diagnostics and tests); answering it also tells that earlier requests are done. */
	status(): EngineStatus {
		return { pendingBytes: pendingBytes(this.doc), integrated: this.unintegrated === null };
	}

	/** A socket left: forget its origin. */
	forget(connId: number): void {
		this.origins.delete(connId);
	}

	/** Frees the document and timers; the engine is unusable afterwards. */
	dispose(): void {
		if (this.disposed) return;
		this.disposed = true;
		this.feed?.stop();
		for (const undo of this.undoExtensions.splice(0)) undo();
		this.pending.stop();
		if (this.integrateTimer) clearTimeout(this.integrateTimer);
		this.detachGuard?.();
		this.doc.destroy();
	}

	/** One origin object per socket: origins are compared by identity. */
	private originOf(actor: EngineActor): ActorOrigin {
		let origin = this.origins.get(actor.connId);
		if (!origin) {
			origin = Object.freeze({ kind: 'remote', connId: actor.connId, userId: actor.userId });
			this.origins.set(actor.connId, origin);
		}
		return origin;
	}

	/** Integrates the stored snapshot into the doc if that has not happened yet (every reader calls this first). */
	private integrate(): void {
		if (!this.unintegrated || this.disposed || this.readOnly) return;
		const { snapshot } = this.unintegrated;
		this.unintegrated = null;
		if (this.integrateTimer) clearTimeout(this.integrateTimer);
		this.integrateTimer = null;
		this.timedLoad(() => this.doc.transact(() => Y.applyUpdate(this.doc, snapshot, LOAD), LOAD));
		this.finishLoading();
	}

	/** Integrates stored state, telling the room when that took longer than the load budget. */
	private timedLoad(load: () => void): void {
		const started = performance.now();
		load();
		const ms = performance.now() - started;
		if (ms > this.loadBudgetMs) {
			this.out.log(`board ${this.boardId}: loading took ${Math.round(ms)} ms (budget ${this.loadBudgetMs} ms)`);
			this.out.slowLoad(ms);
		}
	}

	/**
	 * After the stored state is in the doc: remove what nobody can read (stored before the server checked types),
	 * upgrade older layouts, then start the policy net and the history.
	 */
	private finishLoading(): void {
		const healed = healBoard(this.doc);
		if (healed.length > 0) {
			const listed = healed.slice(0, 10).map((u) => `${u.where} (not ${u.expected})`).join(', ');
			this.out.log(`board ${this.boardId}: removed ${healed.length} unreadable entries on load: ${listed}${healed.length > 10 ? ', …' : ''}`);
			this.out.healed(healed.length);
		}
		// Written like a seed: stored and relayed, but not history and not checked by the policy net.
		upgradeBoard(this.doc, SEED);
		const refused = (r: ContentRefusal) => (this.batch ? this.batch.refusals.push(r) : this.notify(r));
		// In order: what a board may hold, then the move rules, then who signed off (see docs/architecture.md).
		this.undoExtensions.push(guardContent(this.doc, refused, (m, e) => this.out.log(m, e)));
		// Hand-offs, voided approvals and the server-only roots; it undoes forged sign-offs before the move rules judge.
		this.undoExtensions.push(runProcess(this.doc, refused));
		// A card moved into a stage the server has not seen waits for it as long as other changes wait for theirs.
		this.detachGuard = guardPolicy(this.doc, ({ origin, cardId, refusal }: Refusal) => refused({ origin, cardId, message: refusal.message }), (m, e) => this.out.log(m, e), this.pendingTimeoutMs);
		this.undoExtensions.push(stampSignOffs(this.doc, () => new Date()));
		this.undoExtensions.push(keepAStage(this.doc));
		if (this.feedOn) {
			const sink: HistorySink = {
				events: (events) => this.collect(events.map((e) => ({ ...e }) as CardChange)),
				stages: (stages) => this.collect(stages.map((r) => ({ type: 'stage' as const, ...r })))
			};
			// Boards that predate history (or whose stages changed elsewhere) get their stage list once on load.
			sink.stages(currentStages(this.doc, new Date()));
			this.feed = recordHistory(this.doc, sink, actorOfOrigin, () => new Date(), (err) => this.fail(err));
		}
		for (const extend of this.extensions) {
			const undo = extend(this.doc, this.boardId);
			if (undo) this.undoExtensions.push(undo);
		}
	}

	/** The change feed's output: with the batch's update if one is being made, else on its own. */
	private collect(changes: BoardChange[]): void {
		if (changes.length === 0 || this.disposed) return;
		if (this.batch) this.batch.changes.push(...changes);
		else this.out.changes(changes);
	}

	private notify({ origin, cardId, message }: ContentRefusal): void {
		const connId = (origin as Partial<ActorOrigin> | null)?.connId;
		if (typeof connId === 'number') this.out.notice(connId, cardId, message);
	}

	/** Runs engine work from a timer; an exception fails this engine's room instead of its thread. */
	private guarded(work: () => void): void {
		try {
			work();
		} catch (err) {
			this.fail(err);
		}
	}

	private fail(err: unknown): void {
		if (!this.disposed) this.out.failed(err);
	}
}
