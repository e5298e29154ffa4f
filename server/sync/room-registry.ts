import type { DocumentStore } from '../persistence/document-store.ts';
import type { WriterLog } from '../persistence/board-writer.ts';
import type { Connection } from './connection.ts';
import { CLOSE } from './protocol.ts';
import { Room, type RoomDeps } from './room.ts';
import type { SyncOptions } from './options.ts';
import { Admissions } from './admissions.ts';
import { IntegrationBudget } from './integration-budget.ts';
import type { EnginePool } from '../engine/engine-pool.ts';
import { persistenceExtension } from '../persistence/persistence-extension.ts';
import type { ServerOrigin } from '../../src/lib/board/doc/origins.ts';
import type { NamedCommand } from '../../src/lib/board/doc/named-commands.ts';
import type { BoardQuery, BoardReadingOf } from '../engine/board-reading.ts';
import type { BoardOwnership } from '../cluster/leases.ts';

/** Thrown by `get` when the board was deleted while its room loaded, or the registry is shutting down. */
export class RoomUnavailableError extends Error {
	constructor(
		readonly reason: 'deleted' | 'closing',
		boardId: string
	) {
		super(reason === 'deleted' ? `Board ${boardId} was deleted` : 'The server is shutting down');
		this.name = 'RoomUnavailableError';
	}
}

/** Thrown by `get` when another instance owns the board (several instances: see docs/scale-out.md). */
export class RoomElsewhereError extends Error {
	constructor(
		readonly boardId: string,
		/** The instance holding the board's lease. */
		readonly owner: string
	) {
		super(`Board ${boardId} is open on another server`);
		this.name = 'RoomElsewhereError';
	}
}

/** How a registry takes part in a cluster: who may load a board, and how to reach one another instance owns. */
export interface RegistryCluster {
	ownership: BoardOwnership;
	/** Runs the server command path, or a read, on the instance that owns the board. */
	remote: {
		applyAsServer(owner: string, boardId: string, origin: ServerOrigin, commands: NamedCommand[]): Promise<unknown[]>;
		readBoard<Q extends BoardQuery>(owner: string, boardId: string, query: Q): Promise<BoardReadingOf<Q>>;
	};
}

/** How long the command path keeps trying to reach a board's owner (a crashed owner's lease must expire first). */
const ELSEWHERE_RETRY_MS = 15_000;

interface Entry {
	loading: Promise<Room>;
	room: Room | null;
	discarded: boolean;
	/** The lease was lost while it loaded: the room is freed as it arrives and `get` loads it again. */
	moved?: boolean;
}

/** After this many loads over `loadBudgetMs`, a board opens read-only (until the server restarts). */
const SLOW_LOADS_BEFORE_READ_ONLY = 2;

/** The open rooms of this server, one per board, loaded on first use and unloaded when idle. */
export class RoomRegistry {
	private readonly entries = new Map<string, Entry>();
	/** Boards whose stored state took longer than the load budget to integrate, and how often. */
	private readonly slowLoads = new Map<string, number>();
	/** Integration time per user, across their sockets and boards. */
	private readonly integration: IntegrationBudget;
	private readonly pingTimer: ReturnType<typeof setInterval>;
	private closing: Promise<void> | null = null;
	/** Socket slots, refusal allowances and the access-change epoch, shared by the upgrade handler and the access listener. */
	readonly admissions: Admissions;

	constructor(
		private readonly store: DocumentStore,
		private readonly options: SyncOptions,
		private readonly log: WriterLog,
		/** Where the boards' engines run. */
		private readonly engines: EnginePool,
		/** Each room's extensions, in order; by default persistence (the document and its history) alone. */
		private readonly extensions: RoomDeps['extensions'] = [persistenceExtension(store, options)],
		/** Set with several instances: boards are loaded only under a lease, others' boards reached through it. */
		private readonly cluster?: RegistryCluster
	) {
		this.pingTimer = setInterval(() => {
			for (const room of this.rooms()) room.ping();
		}, options.pingIntervalMs);
		this.pingTimer.unref();
		this.admissions = new Admissions(options);
		this.integration = new IntegrationBudget(options.integrationBurstMs, options.integrationMsPerSecond);
	}

	/**
	 * The board's room, loading its stored state first (concurrent callers share one load). The room is
	 * retained for the caller, who must `release()` it once its socket is attached (or given up).
	 */
	async get(boardId: string): Promise<Room> {
		for (;;) {
			if (this.closing) throw new RoomUnavailableError('closing', boardId);
			const entry = this.entries.get(boardId) ?? this.startLoading(boardId);
			const room = await entry.loading;
			// Unloaded between the load and this continuation: load it again.
			if (room.closed) continue;
			room.retain();
			return room;
		}
	}

	/**
	 * The server command path: loads the board's room if it is not open, runs `commands` in one transaction as
	 * `origin` (`server` or `automation`, with the actor recorded in history), and resolves with their results once
	 * the change and its history are stored. Everyone on the board sees the change live. Throws CommandRefusedError
	 * when a command was refused (see Room.applyCommands).
	 */
	async applyAsServer(boardId: string, origin: ServerOrigin, commands: NamedCommand[]): Promise<unknown[]> {
		return this.onOwner(
			boardId,
			async (room) => room.applyCommands(origin, commands),
			(owner) => this.cluster!.remote.applyAsServer(owner, boardId, origin, commands)
		);
	}

	/** Reads plain data from a board (loading its room if needed): its workflow and process, or one card. */
	async readBoard<Q extends BoardQuery>(boardId: string, query: Q): Promise<BoardReadingOf<Q>> {
		return this.onOwner(
			boardId,
			(room) => room.read(query),
			(owner) => this.cluster!.remote.readBoard(owner, boardId, query)
		);
	}

	/**
	 * Runs `here` on the board's room if this instance owns it (or can take it), else `there` on its owner; an owner
	 * that is gone or let the board go is retried (its lease expires) until ELSEWHERE_RETRY_MS.
	 */
	private async onOwner<T>(boardId: string, here: (room: Room) => Promise<T>, there: (owner: string) => Promise<T>): Promise<T> {
		const deadline = Date.now() + ELSEWHERE_RETRY_MS;
		for (;;) {
			let room: Room;
			try {
				room = await this.get(boardId);
			} catch (err) {
				if (!(err instanceof RoomElsewhereError)) throw err;
				try {
					return await there(err.owner);
				} catch (remoteErr) {
					if (!(remoteErr instanceof RoomElsewhereError) || Date.now() > deadline) throw remoteErr;
					await new Promise((r) => setTimeout(r, 200));
					continue;
				}
			}
			try {
				return await here(room);
			} finally {
				room.release();
			}
		}
	}

	/**
	 * This instance lost the board's lease (another owns it now, or may): its sockets are told to reconnect (they
	 * resync with the new owner through their state vectors), what it can still store is stored (the fence refuses
	 * it if the new owner already claimed the board), and the room is freed.
	 */
	relinquish(boardId: string): void {
		const entry = this.entries.get(boardId);
		if (!entry) return;
		this.entries.delete(boardId);
		entry.moved = true;
		const room = entry.room;
		if (!room) return;
		room.closeAll(CLOSE.tryAgain, 'This board moved to another server');
		let timer: ReturnType<typeof setTimeout> | undefined;
		const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, 2_000)));
		void Promise.race([room.flush(), late])
			.catch(() => {})
			.finally(() => {
				clearTimeout(timer);
				room.dispose();
			});
	}

	/** How many rooms are loaded or loading. */
	get size(): number {
		return this.entries.size;
	}

	/** Whether the board's room is loaded or loading. */
	has(boardId: string): boolean {
		return this.entries.has(boardId);
	}

	/** The loaded room of a board, if any (for tests and access changes). */
	peek(boardId: string): Room | undefined {
		return this.entries.get(boardId)?.room ?? undefined;
	}

	/** Every live connection, with its board. */
	*connections(): Generator<{ boardId: string; conn: Connection }> {
		for (const room of this.rooms()) for (const conn of room.connections) yield { boardId: room.boardId, conn };
	}

	/** The board was deleted: close its sockets and forget the room without saving. */
	discard(boardId: string): void {
		const entry = this.entries.get(boardId);
		if (!entry) return;
		this.entries.delete(boardId);
		entry.discarded = true;
		entry.room?.discard();
		this.cluster?.ownership.release(boardId);
	}

	/** Closes every socket (1012), writes everything unsaved (giving up after `shutdownFlushMs`), frees the rooms. */
	close(): Promise<void> {
		this.closing ??= this.shutdown();
		return this.closing;
	}

	private async shutdown(): Promise<void> {
		clearInterval(this.pingTimer);
		const loaded = await Promise.allSettled([...this.entries.values()].map((e) => e.loading));
		const rooms = loaded.flatMap((r) => (r.status === 'fulfilled' && !r.value.closed ? [r.value] : []));
		for (const room of rooms) room.closeAll(CLOSE.restart, 'Server restarting');
		let timer: ReturnType<typeof setTimeout> | undefined;
		const deadline = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), this.options.shutdownFlushMs)));
		// Written, then folded into one snapshot per board, so the next process loads each board in one piece.
		const outcome = await Promise.race([Promise.all(rooms.map((r) => r.flush().then(() => r.compactStored()))), deadline]);
		clearTimeout(timer);
		if (outcome === 'late') {
			for (const room of rooms) if (room.unsaved > 0) this.log(`board ${room.boardId}: ${room.unsaved} unsaved change batches lost at shutdown (database unavailable)`);
		}
		for (const room of rooms) {
			room.dispose();
			this.cluster?.ownership.release(room.boardId);
		}
		this.entries.clear();
	}

	private startLoading(boardId: string): Entry {
		const entry: Entry = { room: null, discarded: false, loading: Promise.resolve(null as unknown as Room) };
		entry.loading = this.claim(boardId).then(() => Room.load(boardId, {
			store: this.store,
			options: this.options,
			log: this.log,
			engines: this.engines,
			extensions: this.extensions,
			readOnly: (this.slowLoads.get(boardId) ?? 0) >= SLOW_LOADS_BEFORE_READ_ONLY,
			integration: this.integration,
			onSlowLoad: () => this.slowLoads.set(boardId, (this.slowLoads.get(boardId) ?? 0) + 1),
			onUnloaded: (room) => {
				if (this.entries.get(boardId)?.room !== room) return;
				this.entries.delete(boardId);
				this.cluster?.ownership.release(boardId);
			}
		})).then(
			(room) => {
				if (entry.moved) {
					room.dispose();
					return room;
				}
				if (entry.discarded) {
					room.dispose();
					throw new RoomUnavailableError('deleted', boardId);
				}
				entry.room = room;
				return room;
			},
			(err: unknown) => {
				if (this.entries.get(boardId) === entry) this.entries.delete(boardId);
				if (!(err instanceof RoomElsewhereError)) this.cluster?.ownership.release(boardId);
				throw err;
			}
		);
		this.entries.set(boardId, entry);
		return entry;
	}

	/** With several instances: takes the board's lease before it is loaded, or says who holds it. */
	private async claim(boardId: string): Promise<void> {
		if (!this.cluster) return;
		const claim = await this.cluster.ownership.claim(boardId);
		if ('owner' in claim) throw new RoomElsewhereError(boardId, claim.owner);
	}

	private rooms(): Room[] {
		return [...this.entries.values()].flatMap((e) => (e.room && !e.room.closed ? [e.room] : []));
	}
}
