import * as Y from 'yjs';
import type { WebSocket } from 'ws';
import type { Awareness } from 'y-protocols/awareness';
import { encodeNotice } from '../../src/lib/sync-protocol/notice.ts';
import type { WriterLog } from '../persistence/board-writer.ts';
import type { DocumentStore, StoredDocument } from '../persistence/document-store.ts';
import type { RoomExtension, RoomExtensionFactory } from './room-extension.ts';
import type { EngineHandle, EnginePool } from '../engine/engine-pool.ts';
import type { EngineEvent, EngineReplies, EngineRequest } from '../engine/engine-protocol.ts';
import type { BoardQuery, BoardReadingOf } from '../engine/board-reading.ts';
import type { ApplyOutcome, EngineStatus } from '../engine/board-engine.ts';
import { Connection, type ConnectionIdentity } from './connection.ts';
import { handleFrame, type MessageContext } from './messages.ts';
import { IntegrationBudget } from './integration-budget.ts';
import { UnauthorizedWrites } from './unauthorized-writes.ts';
import { RoomPresence } from './room-presence.ts';
import { READ_ONLY_MESSAGE, boardFullMessage, healedMessage } from './room-notices.ts';
import { CLOSE, ProtocolError, updateFrame } from './protocol.ts';
import type { SyncOptions } from './options.ts';
import type { ServerOrigin } from '../../src/lib/board/doc/origins.ts';
import type { NamedCommand } from '../../src/lib/board/doc/named-commands.ts';

/** The server command path refused a command: which one, and why (the message is for the person who asked). */
export class CommandRefusedError extends Error {
	constructor(
		readonly index: number,
		message: string
	) {
		super(message);
		this.name = 'CommandRefusedError';
	}
}

/** What a room needs from outside. */
export interface RoomDeps {
	store: DocumentStore;
	options: SyncOptions;
	log: WriterLog;
	/** Where the board's engine (its document and everything that reads it) runs. */
	engines: EnginePool;
	/** The room's extensions, in order (persistence first: see room-extension.ts). */
	extensions: readonly RoomExtensionFactory[];
	/** Called once the room unloaded itself (idle past the grace period, everything written). */
	onUnloaded(room: Room): void;
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

/**
 * One open board on the main thread: the connected sockets, presence (awareness), and the writers that store
 * what the board's engine emits. The document itself lives in the engine (engine/board-engine.ts), on a worker
 * thread of the pool: the room forwards each socket's updates and sync requests to it, in order, and relays,
 * stores and reports what comes back.
 */
export class Room implements MessageContext {
	readonly connections = new Set<Connection>();
	private readonly byId = new Map<number, Connection>();
	private readonly extensions: RoomExtension[];
	private readonly presence = new RoomPresence((frame) => this.broadcast(frame));
	private engine: EngineHandle | null = null;
	private leases = 0;
	private unloadTimer: ReturnType<typeof setTimeout> | null = null;
	private disposed = false;
	/** How many updates the engine emitted (an unload compares it before and after its writes). */
	private changes = 0;
	/** Set once the room hit an unexpected error: it saves what it has and closes; nobody new is let in. */
	private failed = false;
	/** How many entries loading removed because nobody could read them (reported to owners as they join). */
	private healed = 0;
	/** What integrating each user's updates costs, against their allowance. */
	private readonly integration: IntegrationBudget;
	/** Changes written without the right to (by a viewer), never to be applied. */
	private readonly unauthorized = new UnauthorizedWrites();
	/** Sockets already told that part of what they sent was written without the right to. */
	private readonly toldUnauthorized = new WeakSet<Connection>();
	/** Settles once the engine is open (or failed to open). */
	private readonly opened: Promise<void>;
	private settleOpen!: (err?: unknown) => void;

	/** Loads the stored document (or seeds a new board) into an engine; no client sees the room before this resolves. */
	static async load(boardId: string, deps: RoomDeps): Promise<Room> {
		const stored = await deps.store.load(boardId);
		const room = new Room(boardId, stored, deps);
		await room.open(stored);
		return room;
	}

	private constructor(
		readonly boardId: string,
		stored: StoredDocument,
		private readonly deps: RoomDeps
	) {
		// Snapshots hold the engine's integrated state only, never a client's pending bytes.
		const fullState = () => (this.engine ? this.engine.request({ op: 'snapshot' }) : Promise.reject(new Error('No engine')));
		// An extension may read as soon as it is made (a load-time scan): its reads wait for the engine to open.
		this.opened = new Promise<void>((resolve, reject) => (this.settleOpen = (err) => (err === undefined ? resolve() : reject(err as Error))));
		this.opened.catch(() => {
			// A room that failed to open is disposed: its extensions' reads fail with it.
		});
		const read = async <Q extends BoardQuery>(query: Q) => {
			await this.opened;
			return this.read(query);
		};
		this.extensions = deps.extensions.map((extend) => extend({ boardId, stored, fullState, read, log: deps.log, readOnly: deps.readOnly ?? false }));
		this.integration = deps.integration ?? new IntegrationBudget(deps.options.integrationBurstMs, deps.options.integrationMsPerSecond);
	}

	/** MessageContext: the room's presence (a presence query is answered from it). */
	get awareness(): Awareness {
		return this.presence.awareness;
	}

	private async open(stored: StoredDocument): Promise<void> {
		const { maxPayload, pendingTimeoutMs, maxDocumentBytes, loadBudgetMs } = this.deps.options;
		const spec = { boardId: this.boardId, stored, options: { maxPayload, pendingTimeoutMs, maxDocumentBytes, loadBudgetMs }, readOnly: this.deps.readOnly ?? false, feed: true };
		try {
			this.engine = await this.deps.engines.open(spec, (event) => this.onEngineEvent(event));
			this.settleOpen();
		} catch (err) {
			this.settleOpen(err ?? new Error('The board could not be opened'));
			this.dispose();
			throw err;
		}
	}

	/** What the engine reports: changes to store and relay, notices, history, trouble. */
	private onEngineEvent(event: EngineEvent): void {
		if (this.disposed) return;
		switch (event.kind) {
			case 'update':
				this.changes++;
				for (const extension of this.extensions) extension.onChange?.(event.update, event.changes);
				return this.broadcast(updateFrame(event.update));
			case 'changes':
				for (const extension of this.extensions) extension.onChange?.(null, event.changes);
				return;
			case 'notice':
				return this.byId.get(event.connId)?.send(encodeNotice({ type: 'refused', message: event.message, cardId: event.cardId }));
			case 'healed':
				// A cold board heals after its first client's sync: owners already here are told now, later ones as they join.
				this.healed = event.count;
				for (const conn of this.connections) this.tellOwnerHealed(conn);
				return;
			case 'slow-load':
				return this.deps.onSlowLoad?.(event.ms);
			case 'log':
				return event.error === undefined ? this.deps.log(event.message) : this.deps.log(event.message, event.error);
			case 'failed':
				return this.fail(event.error);
		}
	}

	/** The thread the board's engine runs on (a worker's thread id; 0 for the main thread), for diagnostics and tests. */
	get engineThread(): number | undefined {
		return this.engine?.thread;
	}

	/** Whether the room was unloaded or discarded (a caller holding it must get a fresh one). */
	get closed(): boolean {
		return this.disposed;
	}

	/**
	 * An unexpected error in this room's work (its engine, a deferred write): the room is closed — its clients
	 * told, what it holds saved — and loaded afresh when they come back. Other boards carry on; the error is
	 * logged once.
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
		this.byId.set(conn.id, conn);
		this.cancelUnload();
		// A failing room is saving and closing: come back in a moment, to a freshly loaded one.
		if (this.failed) {
			conn.close(CLOSE.tryAgain, 'This board is being reopened');
			return conn;
		}
		// Its step 2 and updates queue behind this in the engine: the protocol's order.
		this.viaEngine(conn, { op: 'step-one' }, 0, (frame) => {
			conn.send(frame);
			const presence = this.presence.everyone();
			if (presence) conn.send(presence);
			if (this.deps.readOnly) conn.send(encodeNotice({ type: 'read-only', message: READ_ONLY_MESSAGE }));
			// The role in force now: a page loaded just before a role change (or reopened just after one) follows it.
			conn.send(encodeNotice({ type: 'role', role: conn.role, message: '' }));
			this.tellOwnerHealed(conn);
		});
		return conn;
	}

	/** MessageContext: has the engine apply a writer's update as that connection; relays come as engine events. */
	applyUpdate(conn: Connection, update: Uint8Array): void {
		// Dropped, as a viewer's: the member was told when they joined.
		if (this.deps.readOnly) return;
		// Overdrawn (on this socket or one they closed): refused before it costs anything, even a check.
		if (this.integration.enforce(conn)) return;
		const allowed = this.unauthorized.strip(update);
		if (allowed.stripped) {
			update = allowed.update;
			if (!this.toldUnauthorized.has(conn)) {
				this.toldUnauthorized.add(conn);
				conn.send(encodeNotice({ type: 'refused', message: 'Changes made while you could only view this board were not saved.' }));
			}
		}
		this.viaEngine(conn, { op: 'apply', actor: { connId: conn.id, userId: conn.userId }, update }, update.length, (outcome) => this.applied(conn, outcome));
	}

	/** MessageContext: a viewer's update was dropped; its changes are never applied, even after a promotion. */
	dropWrite(_conn: Connection, update: Uint8Array): void {
		// Only the changes the board does not have: a viewer's browser also sends back others' edits it holds.
		this.engine?.request({ op: 'novel', update }).then(
			(from) => this.unauthorized.record(from),
			() => {
				// The engine is gone (the room is closing): nothing of the board to protect.
			}
		);
	}

	/** MessageContext: answers sync step 1 with the engine's sync step 2 for that state vector. */
	answerSyncStep1(conn: Connection, stateVector: Uint8Array): void {
		this.viaEngine(conn, { op: 'answer', stateVector }, stateVector.length, (frame) => conn.send(frame));
	}

	/** MessageContext: applies presence from a connection, stamped with its identity and limited to its own ids. */
	applyAwareness(conn: Connection, update: Uint8Array): void {
		this.presence.apply(conn, update);
	}

	/**
	 * Sends a request for `conn` to the engine. Requests reach the engine, and their replies come back, in the order
	 * they were made, so the socket's frames keep their order without waiting for each other; a frame that arrived
	 * before the socket closed is still applied. Too many unanswered ones stop reading the socket (Connection).
	 */
	private viaEngine<R extends EngineRequest>(conn: Connection, request: R, bytes: number, then: (reply: EngineReplies[R['op']]) => void): void {
		const engine = this.engine;
		if (!engine) return;
		conn.workStarted(bytes);
		engine.request(request).then(
			(reply) => {
				if (!this.disposed) then(reply);
			},
			(err: unknown) => {
				// The engine itself failed (its thread stopped): the room reopens; this socket reconnects.
				if (!this.disposed) this.fail(err);
			}
		).finally(() => conn.workDone(bytes));
	}

	/** Resolves once the engine has handled every request made so far (and reported what they changed). */
	private async settled(): Promise<void> {
		await this.engine?.request({ op: 'status' });
	}

	/** After the engine applied (or refused) one of `conn`'s updates: charge its cost, tell and close as needed. */
	private applied(conn: Connection, outcome: ApplyOutcome): void {
		this.integration.charge(conn, outcome.ms);
		if (outcome.result === 'full') return this.refuseAsFull(conn);
		if (outcome.result === 'refused') return conn.close(outcome.code, outcome.reason);
		if (this.integration.enforce(conn)) this.deps.log(`board ${this.boardId}: user ${conn.userId} closed for using more than their integration time`);
	}

	/**
	 * The server command path for this board: runs `commands` in one transaction with `origin` on the engine (checked
	 * as a browser's changes are), then resolves once the change and its history are stored. Throws
	 * CommandRefusedError, with the command's index and a message for the person who asked, when one was refused.
	 */
	async applyCommands(origin: ServerOrigin, commands: NamedCommand[]): Promise<unknown[]> {
		if (!this.engine || this.failed) throw new Error(`Board ${this.boardId} is being reopened`);
		const outcome = await this.engine.request({ op: 'commands', origin, commands });
		await this.flush();
		if (!outcome.ok) throw new CommandRefusedError(outcome.index, outcome.error);
		return outcome.results;
	}

	/** Reads plain data from the board on its engine (the workflow, or one card), as it is now. */
	async read<Q extends BoardQuery>(query: Q): Promise<BoardReadingOf<Q>> {
		if (!this.engine || this.failed) throw new Error(`Board ${this.boardId} is being reopened`);
		return (await this.engine.request({ op: 'read', query })) as BoardReadingOf<Q>;
	}

	/** Closes every socket with `code` (they detach as their close events arrive). */
	closeAll(code: number, reason: string): void {
		for (const conn of this.connections) conn.close(code, reason);
	}

	/**
	 * Resolves once every update so far is stored (retrying while the database is down), including what the engine
	 * makes of frames that arrived before now.
	 */
	async flush(): Promise<void> {
		await this.settled().catch(() => {
			// A stopped engine thread reported nothing more: store what it did report.
		});
		await Promise.all(this.extensions.map((e) => e.flush?.()));
	}

	/** What the extensions do before an unload, after `flush` (persistence folds its rows into one snapshot). */
	compactStored(): Promise<void> {
		return Promise.all(this.extensions.map((e) => e.beforeUnload?.())).then(() => undefined);
	}

	/** Changes not yet stored (or otherwise done by the extensions). */
	get unsaved(): number {
		return this.extensions.reduce((sum, e) => sum + (e.unsaved ?? 0), 0);
	}

	/**
	 * A copy of the server's document as the engine holds it, and the bytes it keeps waiting for dependencies
	 * (for tests and diagnostics: the document itself lives on the engine's thread).
	 */
	async inspect(): Promise<{ doc: Y.Doc } & EngineStatus> {
		if (!this.engine) throw new Error('The room has no engine');
		// Status first: the snapshot integrates a cold board.
		const status = await this.engine.request({ op: 'status' });
		const doc = new Y.Doc();
		Y.applyUpdate(doc, await this.engine.request({ op: 'snapshot' }));
		return { doc, ...status };
	}

	/** The board was deleted: close its sockets and drop everything unsaved. */
	discard(): void {
		for (const extension of this.extensions) extension.onDiscard?.();
		this.closeAll(CLOSE.noAccess, 'This board was deleted');
		this.dispose();
	}

	/** Frees the engine, presence and timers; the room is unusable afterwards. */
	dispose(): void {
		if (this.disposed) return;
		this.disposed = true;
		for (const extension of this.extensions) extension.onDestroy?.();
		this.cancelUnload();
		this.engine?.request({ op: 'close' }).catch(() => {
			// Its thread is gone already: nothing left to free.
		});
		this.engine = null;
		this.presence.destroy();
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
			// Only the offending socket pays: anything thrown here came from this socket's frame.
			if (err instanceof ProtocolError) conn.close(err.closeCode, err.message.slice(0, 120));
			else {
				this.deps.log(`board ${this.boardId}: frame handling failed`, err);
				conn.close(CLOSE.unresponsive, 'Internal error');
			}
		}
	}

	private detach(conn: Connection): void {
		this.connections.delete(conn);
		this.byId.delete(conn.id);
		if (this.disposed) return;
		this.engine?.request({ op: 'forget', connId: conn.id }).catch(() => {
			// A stopped engine thread fails the room: nothing to forget.
		});
		this.presence.leave(conn);
		this.maybeScheduleUnload();
	}

	/** Tells an owner's connection what loading removed, if it removed anything. */
	private tellOwnerHealed(conn: Connection): void {
		if (this.healed > 0 && conn.role === 'owner') conn.send(encodeNotice({ type: 'refused', message: healedMessage(this.healed) }));
	}

	/** The board is at its size cap: the writer is told and closed (4413); their browser keeps the work and stops resending it. */
	private refuseAsFull(conn: Connection): void {
		this.deps.log(`board ${this.boardId}: at its size cap (${this.deps.options.maxDocumentBytes} bytes); refused a write from user ${conn.userId}`);
		conn.send(encodeNotice({ type: 'limit', reason: 'too-large', message: boardFullMessage(this.deps.options.maxDocumentBytes) }));
		conn.close(CLOSE.tooLarge, 'Board at its size limit');
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
			// A socket that left may have had an update in the engine's queue: wait for what it makes of it.
			await this.settled();
			seen = this.changes;
			await Promise.all(this.extensions.map((e) => e.flush?.()));
			// Someone may have joined while the last writes completed.
			if (this.disposed || this.connections.size > 0 || this.leases > 0 || this.unloadTimer) return;
			await this.compactStored();
			if (this.disposed || this.connections.size > 0 || this.leases > 0 || this.unloadTimer) return;
		}
		this.dispose();
		this.deps.onUnloaded(this);
	}
}
