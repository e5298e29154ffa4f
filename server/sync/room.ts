import * as Y from 'yjs';
import type { WebSocket } from 'ws';
import { Awareness, applyAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import { LOAD, SEED, originKind } from '../../src/lib/board/doc/origins.ts';
import { seedBoard } from '../../src/lib/board/doc/schema.ts';
import { upgradeBoard } from '../../src/lib/board/doc/places.ts';
import { healBoard, type Unreadable } from '../../src/lib/board/doc/heal.ts';
import { encodeNotice } from '../../src/lib/sync-protocol/notice.ts';
import { BoardWriter, type WriterLog } from '../persistence/board-writer.ts';
import type { DocumentStore, StoredDocument } from '../persistence/document-store.ts';
import { gateAwarenessUpdate } from './awareness-gate.ts';
import { Connection, type ConnectionIdentity } from './connection.ts';
import { handleFrame, type MessageContext } from './messages.ts';
import { guardPolicy, type Refusal } from './policy-guard.ts';
import { checkWithPending } from './shape-guard.ts';
import { IntegrationBudget } from './integration-budget.ts';
import { DocumentSize } from './document-size.ts';
import { dropPending, pendingBytes, withoutPending } from './pending.ts';
import { PendingLimit } from './pending-limit.ts';
import { READ_ONLY_MESSAGE, boardFullMessage, healedMessage } from './room-notices.ts';
import { CLOSE, ProtocolError, awarenessFrame, stateAsSyncStep2, syncStep1Frame, syncStep1FrameFor, syncStep2Frame, updateFrame } from './protocol.ts';
import type { SyncOptions } from './options.ts';

/** What a room needs from outside. */
export interface RoomDeps {
	store: DocumentStore;
	options: SyncOptions;
	log: WriterLog;
	/** Called once the room unloaded itself (idle past the grace period, everything written). */
	onUnloaded(room: Room): void;
	/**
	 * Starts recording the board's history from its document (optional: tests may run without). `fail` is for
	 * errors in the recorder's own deferred work: they close this room, not the process.
	 */
	history?: (boardId: string, doc: Y.Doc, fail: (err: unknown) => void) => RoomHistory;
	/**
	 * Open the board read-only: its stored state is served as stored, never integrated, and writes are dropped
	 * with a notice (its loads kept exceeding `loadBudgetMs`; see RoomRegistry).
	 */
	readOnly?: boolean;
	/** Told when integrating the stored state took longer than `loadBudgetMs`. */
	onSlowLoad?: (ms: number) => void;
	/** The server's integration time budget per user (shared by every room); a room of its own when absent. */
	integration?: IntegrationBudget;
}

/** A board's history recorder as a room drives it. */
export interface RoomHistory {
	flush(): Promise<void>;
	discard(): void;
	stop(): void;
}

/** The longest a cold room waits for its first client's sync before integrating its stored snapshot anyway. */
const INTEGRATE_WITHIN_MS = 250;

/**
 * One open board: the server's copy of its document, presence (awareness), the connected sockets,
 * the writer that persists the document's own updates, and the policy safety net.
 */
export class Room implements MessageContext {
	readonly doc = new Y.Doc();
	readonly awareness: Awareness;
	readonly connections = new Set<Connection>();
	private readonly writer: BoardWriter;
	private readonly owners = new Map<number, Connection>();
	private detachGuard: (() => void) | null = null;
	private history: RoomHistory | undefined;
	/** A cold room's stored snapshot, until `integrate` applies it (with its state vector, for sync step 1). */
	private unintegrated: { snapshot: Uint8Array; stateVector: Uint8Array } | null = null;
	private integrateTimer: ReturnType<typeof setTimeout> | null = null;
	private leases = 0;
	private unloadTimer: ReturnType<typeof setTimeout> | null = null;
	/** The answer to a new client's sync step 1 while the document is unchanged (cleared by every update). */
	private fullStateFrame: Uint8Array | null = null;
	/** While applying a connection's update: the doc's updates and notices, sent together afterwards. */
	private batch: { updates: Uint8Array[]; notices: Refusal[] } | null = null;
	/** Bounds the client changes the doc holds whose dependencies never arrived (see pending.ts). */
	private readonly pending: PendingLimit;
	private disposed = false;
	/** How many updates the doc emitted for the writer (an unload compares it before and after its writes). */
	private changes = 0;
	/** Set once the room hit an unexpected error: it saves what it has and closes; nobody new is let in. */
	private failed = false;
	/** What loading removed because nobody could read it (reported to the board's owners as they join). */
	private healed: Unreadable[] = [];
	/** What integrating each user's updates costs, against their allowance. */
	private readonly integration: IntegrationBudget;
	/** The board's size against `maxDocumentBytes`. */
	private readonly size: DocumentSize;

	/** Loads the stored document (or seeds a new board) and builds the room; no client sees it before this resolves. */
	static async load(boardId: string, deps: RoomDeps): Promise<Room> {
		return new Room(boardId, await deps.store.load(boardId), deps);
	}

	private constructor(
		readonly boardId: string,
		stored: StoredDocument,
		private readonly deps: RoomDeps
	) {
		this.writer = new BoardWriter(
			boardId,
			deps.store,
			deps.options,
			// Snapshots hold integrated state only, never a client's pending bytes.
			() => {
				// A read-only room never integrates: its state is what it loaded.
				if (deps.readOnly && this.unintegrated) return this.unintegrated.snapshot;
				this.integrate();
				return withoutPending(this.doc, () => Y.encodeStateAsUpdate(this.doc));
			},
			{ rows: stored.updates.length, lastUpdateId: stored.lastUpdateId },
			deps.log
		);
		this.integration = deps.integration ?? new IntegrationBudget(deps.options.integrationBurstMs, deps.options.integrationMsPerSecond);
		this.pending = new PendingLimit(this.doc, deps.options, (bytes) => {
			this.deps.log(`board ${this.boardId}: dropped ${bytes} bytes of changes whose dependencies never arrived`);
		});
		const storedBytes = (stored.snapshot?.length ?? 0) + stored.updates.reduce((sum, u) => sum + u.length, 0);
		this.size = new DocumentSize(deps.options.maxDocumentBytes, storedBytes, () => {
			this.integrate();
			return withoutPending(this.doc, () => Y.encodeStateAsUpdate(this.doc)).length;
		});
		this.doc.on('afterTransaction', (tx: Y.Transaction) => {
			if (tx.deleteSet.clients.size > 0) this.size.deleted();
		});
		this.doc.on('update', (update: Uint8Array, origin: unknown) => {
			// Replayed stored state is already stored, and clients get it by syncing.
			if (originKind(origin) === 'load') return;
			this.size.grew(update.length);
			this.fullStateFrame = null;
			this.changes++;
			this.writer.push(update);
			if (this.batch) this.batch.updates.push(update);
			else this.broadcast(updateFrame(update));
		});
		this.awareness = new Awareness(this.doc);
		// The server is not a participant: it relays presence but has none of its own.
		this.awareness.setLocalState(null);
		this.awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
			const frame = awarenessFrame(this.awareness, [...added, ...updated, ...removed]);
			if (frame) this.broadcast(frame);
		});
		if (deps.readOnly) {
			const parts = [...(stored.snapshot ? [stored.snapshot] : []), ...stored.updates];
			// Merging only concatenates and sorts structs: none of integration's costly ordering.
			const state = parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts);
			this.unintegrated = { snapshot: state, stateVector: Y.encodeStateVectorFromUpdate(state) };
			this.fullStateFrame = stateAsSyncStep2(state);
			deps.log(`board ${boardId}: opened read-only (its loads kept taking longer than ${deps.options.loadBudgetMs} ms)`);
			return;
		}
		if (stored.snapshot && stored.updates.length === 0) {
			// A board stored as one snapshot (the usual case: an unloading room folds its rows into one) is,
			// until its first change, exactly those bytes. The first new client of a cold room gets them at once,
			// and the server integrates them while that client does the same (see `integrate`).
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

	/**
	 * Integrates the stored snapshot into the doc if that has not happened yet. Everything that reads or
	 * changes the doc calls this first; a cold room does it right after its first client's sync reply is on
	 * the wire, or within `INTEGRATE_WITHIN_MS` at the latest.
	 */
	private integrate(): void {
		if (!this.unintegrated || this.disposed || this.deps.readOnly) return;
		const { snapshot } = this.unintegrated;
		this.unintegrated = null;
		if (this.integrateTimer) clearTimeout(this.integrateTimer);
		this.integrateTimer = null;
		this.timedLoad(() => this.doc.transact(() => Y.applyUpdate(this.doc, snapshot, LOAD), LOAD));
		this.finishLoading();
	}

	/** Integrates stored state, telling the registry when that took longer than the load budget. */
	private timedLoad(load: () => void): void {
		const started = performance.now();
		load();
		const ms = performance.now() - started;
		if (ms > this.deps.options.loadBudgetMs) {
			this.deps.log(`board ${this.boardId}: loading took ${Math.round(ms)} ms (budget ${this.deps.options.loadBudgetMs} ms)`);
			this.deps.onSlowLoad?.(ms);
		}
	}

	/**
	 * After the stored state is in the doc: remove what nobody can read (stored before the server checked
	 * types), upgrade older layouts, then start the policy net and the history.
	 */
	private finishLoading(): void {
		this.healed = healBoard(this.doc);
		if (this.healed.length > 0) {
			const listed = this.healed.slice(0, 10).map((u) => `${u.where} (not ${u.expected})`).join(', ');
			this.deps.log(`board ${this.boardId}: removed ${this.healed.length} unreadable entries on load: ${listed}${this.healed.length > 10 ? ', …' : ''}`);
			// A cold room heals after its first client's sync: owners already here are told now, later ones as they join.
			for (const conn of this.connections) this.tellOwnerHealed(conn);
		}
		// Written like a seed: stored and relayed, but not history and not checked by the policy net.
		upgradeBoard(this.doc, SEED);
		this.detachGuard = guardPolicy(this.doc, (r) => this.refused(r), this.deps.log);
		this.history = this.deps.history?.(this.boardId, this.doc, (err) => this.fail(err));
	}

	/** Whether the room was unloaded or discarded (a caller holding it must get a fresh one). */
	get closed(): boolean {
		return this.disposed;
	}

	/**
	 * An unexpected error in this room's work (an observer, a timer, a deferred write): the room is closed —
	 * its clients told, what it holds saved — and loaded afresh when they come back. Other boards carry on;
	 * the error is logged once.
	 */
	fail(err: unknown): void {
		if (this.failed || this.disposed) return;
		this.failed = true;
		this.deps.log(`board ${this.boardId}: closed after an unexpected error; it reloads when its members reconnect`, err);
		this.closeAll(CLOSE.tryAgain, 'This board hit a server error and is being reopened');
		this.cancelUnload();
		const finish = () => {
			this.dispose();
			this.deps.onUnloaded(this);
		};
		this.flush().then(finish, (flushErr: unknown) => {
			this.deps.log(`board ${this.boardId}: could not save after the error`, flushErr);
			finish();
		});
	}

	/** Runs room work from a timer or callback; an exception fails this room instead of ending the process. */
	private guarded(work: () => void): void {
		try {
			work();
		} catch (err) {
			this.fail(err);
		}
	}

	/** Keeps the room loaded while an upgrade is being completed. */
	retain(): void {
		this.leases++;
		this.cancelUnload();
	}

	/** Ends a `retain()`. */
	release(): void {
		this.leases--;
		this.maybeScheduleUnload();
	}

	/** Adds an authorized socket: sends sync step 1 and the current presence, then serves its frames. */
	attach(ws: WebSocket, identity: ConnectionIdentity): Connection {
		const conn = new Connection(ws, identity, {
			message: (c, frame) => this.receive(c, frame),
			close: (c) => this.detach(c)
		});
		this.connections.add(conn);
		this.cancelUnload();
		// A failing room is saving and closing: come back in a moment, to a freshly loaded one.
		if (this.failed) {
			conn.close(CLOSE.tryAgain, 'This board is being reopened');
			return conn;
		}
		conn.send(this.unintegrated ? syncStep1FrameFor(this.unintegrated.stateVector) : syncStep1Frame(this.doc));
		const presence = awarenessFrame(this.awareness);
		if (presence) conn.send(presence);
		if (this.deps.readOnly) conn.send(encodeNotice({ type: 'read-only', message: READ_ONLY_MESSAGE }));
		this.tellOwnerHealed(conn);
		return conn;
	}

	/** MessageContext: applies a writer's update as that connection, then relays the result and any notices. */
	applyUpdate(conn: Connection, update: Uint8Array): void {
		// Dropped, as a viewer's: the member was told when they joined.
		if (this.deps.readOnly) return;
		// Overdrawn (on this socket or one they closed): refused before it costs anything, even a check.
		if (this.integration.enforce(conn)) return;
		this.integrate();
		// Before Yjs sees it: an update it applied is relayed and stored even if something throws afterwards.
		if (checkWithPending(this.doc, update) === 'drop-pending') {
			this.deps.log(`board ${this.boardId}: dropped ${pendingBytes(this.doc)} bytes of waiting changes that do not fit the board`);
			dropPending(this.doc);
		}
		if (!this.size.admits(update)) return this.refuseAsFull(conn);
		this.batch = { updates: [], notices: [] };
		const started = performance.now();
		try {
			Y.applyUpdate(this.doc, update, conn.origin);
		} catch (err) {
			// Thrown after the doc changed: an observer of ours failed on an applied update, not the client's bytes.
			if (this.batch.updates.length > 0) return this.fail(err);
			throw err;
		} finally {
			this.integration.charge(conn, performance.now() - started);
			const { updates, notices } = this.batch;
			this.batch = null;
			// One frame for the edit and any compensation, so others never see a refused move flicker in.
			if (updates.length > 0) this.broadcast(updateFrame(updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates)));
			for (const notice of notices) this.sendNotice(notice);
		}
		this.pending.check();
		if (this.integration.enforce(conn)) this.deps.log(`board ${this.boardId}: user ${conn.userId} closed for using more than their integration time`);
	}

	/**
	 * MessageContext: answers sync step 1. A new client (empty state vector) gets the whole state, encoded once
	 * per change; in a cold room that is the stored snapshot, and the room integrates it once it is sent.
	 */
	answerSyncStep1(conn: Connection, stateVector: Uint8Array): void {
		if (this.deps.readOnly && this.unintegrated) {
			const { snapshot } = this.unintegrated;
			return conn.send(Y.decodeStateVector(stateVector).size > 0 ? stateAsSyncStep2(Y.diffUpdate(snapshot, stateVector)) : this.fullStateFrame!);
		}
		if (Y.decodeStateVector(stateVector).size > 0) {
			this.integrate();
			return conn.send(syncStep2Frame(this.doc, stateVector));
		}
		if (!this.fullStateFrame) {
			this.integrate();
			this.fullStateFrame = syncStep2Frame(this.doc, stateVector);
		}
		conn.send(this.fullStateFrame, () => this.integrate());
	}

	/** MessageContext: applies presence from a connection, stamped with its identity and limited to its own ids. */
	applyAwareness(conn: Connection, update: Uint8Array): void {
		const owners = { ownerOf: (id: number) => this.owners.get(id), claim: (id: number) => this.owners.set(id, conn) };
		const gated = gateAwarenessUpdate(update, conn, owners, this.doc.clientID);
		if (gated) applyAwarenessUpdate(this.awareness, gated, conn);
	}

	/** Closes every socket with `code` (they detach as their close events arrive). */
	closeAll(code: number, reason: string): void {
		for (const conn of this.connections) conn.close(code, reason);
	}

	/** Resolves once every update so far is stored (retrying while the database is down). */
	flush(): Promise<void> {
		return Promise.all([this.writer.flush(), this.history?.flush()]).then(() => undefined);
	}

	/** Folds the rows this room wrote into one snapshot (after `flush`; see BoardWriter.compactStored). */
	compactStored(): Promise<void> {
		return this.writer.compactStored();
	}

	/** Updates not yet stored. */
	get unsaved(): number {
		return this.writer.pendingCount;
	}

	/** The board was deleted: close its sockets and drop everything unsaved. */
	discard(): void {
		this.writer.discard();
		this.history?.discard();
		this.closeAll(CLOSE.noAccess, 'This board was deleted');
		this.dispose();
	}

	/** Frees the document and timers; the room is unusable afterwards. */
	dispose(): void {
		if (this.disposed) return;
		this.disposed = true;
		this.history?.stop();
		// Normally idle by now; after a shutdown deadline this stops a late write from compacting a freed doc.
		this.writer.discard();
		this.cancelUnload();
		this.pending.stop();
		if (this.integrateTimer) clearTimeout(this.integrateTimer);
		this.detachGuard?.();
		this.awareness.destroy();
		this.doc.destroy();
	}

	/** Keep-alive tick for every socket. */
	ping(): void {
		for (const conn of this.connections) conn.ping();
	}

	private receive(conn: Connection, frame: Uint8Array): void {
		if (this.disposed) return;
		try {
			handleFrame(this, conn, frame);
		} catch (err) {
			// Only the offending socket pays. (An observer failing on an applied update fails the room in `applyUpdate`;
			// anything else thrown here came from this socket's frame, and must not let one member close the board.)
			if (err instanceof ProtocolError) conn.close(err.closeCode, err.message.slice(0, 120));
			else {
				this.deps.log(`board ${this.boardId}: frame handling failed`, err);
				conn.close(CLOSE.unresponsive, 'Internal error');
			}
		}
	}

	private detach(conn: Connection): void {
		this.connections.delete(conn);
		if (this.disposed) return;
		const ids = [...conn.awarenessIds].filter((id) => this.owners.get(id) === conn);
		for (const id of ids) this.owners.delete(id);
		removeAwarenessStates(this.awareness, ids, 'connection closed');
		this.maybeScheduleUnload();
	}

	/** Tells an owner's connection what loading removed, if it removed anything. */
	private tellOwnerHealed(conn: Connection): void {
		if (this.healed.length > 0 && conn.role === 'owner') conn.send(encodeNotice({ type: 'refused', message: healedMessage(this.healed.length) }));
	}

	/** The board is at its size cap: the writer is told and closed (4413); their browser keeps the work and stops resending it. */
	private refuseAsFull(conn: Connection): void {
		this.deps.log(`board ${this.boardId}: at its size cap (${this.deps.options.maxDocumentBytes} bytes); refused a write from user ${conn.userId}`);
		conn.send(encodeNotice({ type: 'limit', reason: 'too-large', message: boardFullMessage(this.deps.options.maxDocumentBytes) }));
		conn.close(CLOSE.tooLarge, 'Board at its size limit');
	}

	private refused(refusal: Refusal): void {
		if (this.batch) this.batch.notices.push(refusal);
		else this.sendNotice(refusal);
	}

	private sendNotice({ origin, cardId, refusal }: Refusal): void {
		const conn = (origin as { connection?: unknown }).connection;
		if (conn instanceof Connection) conn.send(encodeNotice({ type: 'refused', message: refusal.message, cardId }));
	}

	private broadcast(frame: Uint8Array): void {
		for (const conn of this.connections) conn.send(frame);
	}

	private maybeScheduleUnload(): void {
		if (this.disposed || this.connections.size > 0 || this.leases > 0 || this.unloadTimer) return;
		this.unloadTimer = setTimeout(() => void this.unloadWhenIdle().catch((err: unknown) => this.fail(err)), this.deps.options.unloadGraceMs);
	}

	private cancelUnload(): void {
		if (this.unloadTimer) clearTimeout(this.unloadTimer);
		this.unloadTimer = null;
	}

	private async unloadWhenIdle(): Promise<void> {
		this.unloadTimer = null;
		// Until an attempt sees no change from its start to its end: a client can join, edit and leave while this
		// one waits, and start an unload of its own (the timer is null again) whose write is still running here.
		for (let seen = -1; seen !== this.changes; ) {
			seen = this.changes;
			await this.writer.flush();
			await this.history?.flush();
			// Someone may have joined while the last writes completed.
			if (this.disposed || this.connections.size > 0 || this.leases > 0 || this.unloadTimer) return;
			await this.compactStored();
			if (this.disposed || this.connections.size > 0 || this.leases > 0 || this.unloadTimer) return;
		}
		this.dispose();
		this.deps.onUnloaded(this);
	}
}
