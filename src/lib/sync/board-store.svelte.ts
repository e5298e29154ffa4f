import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import { boardCommands, CommandError, type BoardCommands } from '$lib/board/doc/commands';
import { LOCAL } from '$lib/board/doc/origins';
import { boardMaps } from '$lib/board/doc/schema';
import { DEFAULT_TIME_ZONE, readSnapshot } from '$lib/board/doc/snapshot';
import type { BoardSnapshot, StepSettings } from '$lib/board/types';
import { MESSAGE_NOTICE, readNotice } from '$lib/sync-protocol/notice';
import type { ConnectionState } from './connection';
import { keepPresenceAcrossReconnects, peersFromAwareness, type Peer, type PresenceState } from './presence';
import { RetryPolicy } from './retry';
import type { DescriptionSource } from './description-editor';

/** How long an editor opened before the first server sync waits for it before creating a card's text anyway. */
const SYNC_WAIT_MS = 3000;
/**
 * How long the store waits for the offline copy before connecting anyway: a broken or very slow IndexedDB must not
 * keep the board off the server (it then syncs in full, as a first visit does).
 */
const OFFLINE_COPY_WAIT_MS = 800;

/** What the board page knows when it opens a board. */
export interface BoardStoreOptions {
	boardId: string;
	boardName: string;
	user: { id: string; name: string };
	canEdit: boolean;
	/** `ws(s)://host/sync`; the board id is appended by the provider. */
	syncUrl: string;
	/** Shown as the notice when the store opens (why it was opened afresh, say). */
	notice?: string;
	/**
	 * The server took this member's edit rights away. The store has dropped its offline copy (it may hold changes
	 * made without the right, which the server never accepted); the page opens a fresh store, as a viewer, with
	 * `message` as its notice.
	 */
	onDemoted?: (message: string) => void;
	/** The offline copy was just dropped (a demotion): connect at once instead of waiting for it. */
	noOfflineCopy?: boolean;
}

/** Whether IndexedDB holds a database of this name (true when the browser cannot say: then it is loaded first). */
async function offlineCopyExists(name: string): Promise<boolean> {
	try {
		if (typeof indexedDB?.databases !== 'function') return true;
		return (await indexedDB.databases()).some((db) => db.name === name);
	} catch {
		return true;
	}
}

const EMPTY: BoardSnapshot = { name: '', stages: [], cardsByStage: {}, cards: {}, archived: [], process: { timeZone: DEFAULT_TIME_ZONE, teamRoles: {}, labels: [], checklist: [] }, laneLimits: {} };

/**
 * The live board in the browser: owns the Y.Doc, its server connection and offline copy,
 * and gives components plain snapshots plus named commands (components never touch Yjs).
 */
export class BoardStore {
	snapshot = $state.raw<BoardSnapshot>(EMPTY);
	connection = $state<ConnectionState>('connecting');
	/** True once the first server sync or the offline copy has filled the board. */
	ready = $state(false);
	peers = $state.raw<Peer[]>([]);
	/** Everyone's raw presence states, ours included (the server stamps `user`): for the standup's "follow the facilitator". */
	presence = $state.raw<PresenceState[]>([]);
	/** The latest message for the user (a refused move, a rejected input); cleared by `dismissNotice`. */
	notice = $state<string | null>(null);
	/** A button offered with the notice it names (Undo after a deletion); shown only while that notice is. */
	noticeAction = $state.raw<{ notice: string; label: string; run: () => void } | null>(null);
	/** Set when the server ended the session for good (signed out, access removed). */
	fatal = $state<string | null>(null);
	/** Set when the server serves this board read-only for now (why, for the user): edits are refused here. */
	readOnly = $state<string | null>(null);
	canUndo = $state(false);
	canRedo = $state(false);

	/** Whether this member may edit; follows role changes the server announces while the board is open. */
	canEdit = $state(false);
	readonly userId: string;
	private readonly doc = new Y.Doc();
	private readonly provider: WebsocketProvider;
	private readonly offline: IndexeddbPersistence;
	private readonly undoManager: Y.UndoManager;
	private readonly commands: BoardCommands;
	private readonly boardName: string;
	private refreshQueued = false;
	private readonly cleanups: (() => void)[] = [];
	private readonly onDemoted: ((message: string) => void) | undefined;
	/** The undo step the notice's Undo button takes back. */
	private undoTarget: unknown = null;
	private destroyed = false;

	constructor(options: BoardStoreOptions) {
		this.canEdit = options.canEdit;
		this.notice = options.notice ?? null;
		this.onDemoted = options.onDemoted;
		this.userId = options.user.id;
		this.boardName = options.boardName;
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a timestamp, not reactive state
		this.commands = boardCommands(this.doc, { userId: options.user.id, now: () => new Date() }, LOCAL);
		const maps = boardMaps(this.doc);
		// Undo only what this user did here (LOCAL origin), never someone else's edits.
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- Yjs's own origin set, not reactive state
		this.undoManager = new Y.UndoManager([maps.stages, maps.cards, maps.places, maps.checklists, maps.owners, maps.exitChecks, maps.descriptions, maps.stepDues, maps.laneLimits], { trackedOrigins: new Set([LOCAL]), captureTimeout: 400 });
		const onStack = () => {
			this.canUndo = this.undoManager.undoStack.length > 0;
			this.canRedo = this.undoManager.redoStack.length > 0;
			// The notice's Undo takes back one deletion: once something else would be undone first, it is withdrawn.
			if (this.undoTarget && this.undoManager.undoStack.at(-1) !== this.undoTarget) this.withdrawUndo();
		};
		this.undoManager.on('stack-item-added', onStack);
		this.undoManager.on('stack-item-popped', onStack);
		this.undoManager.on('stack-cleared', onStack);

		performance.mark('flowdeck:store-created');
		const offlineName = `flowdeck:${options.user.id}:${options.boardId}`;
		// Asked before y-indexeddb creates it: whether this browser has a copy of the board at all.
		const hasOfflineCopy = options.noOfflineCopy ? Promise.resolve(false) : offlineCopyExists(offlineName);
		this.offline = new IndexeddbPersistence(offlineName, this.doc);
		void this.offline.whenSynced.then(() => {
			if (this.snapshot.stages.length > 0) this.ready = true;
		});
		let retry: RetryPolicy | null = null;
		this.provider = new WebsocketProvider(options.syncUrl, options.boardId, this.doc, {
			// Connected once the offline copy is in the doc (below), so that sync step 1 carries its state vector.
			connect: false,
			disableBc: true,
			maxBackoffTime: 5000,
			// Work the server refused as too large is not sent again and again: it stays in IndexedDB, the user is told.
			shouldReconnect: (event) => retry?.shouldReconnect(event.code) ?? true
		});
		retry = new RetryPolicy(this.provider);
		this.provider.awareness.setLocalStateField('user', { id: options.user.id, name: options.user.name });
		this.provider.messageHandlers[MESSAGE_NOTICE] = (_encoder, decoder) => this.receiveNotice(decoder);
		this.provider.on('status', ({ status }: { status: string }) => this.updateConnection(status));
		this.provider.on('sync', (synced: boolean) => {
			if (synced) {
				performance.mark('flowdeck:synced');
				this.ready = true;
				this.updateConnection('connected');
			}
		});
		this.provider.on('connection-close', (event: CloseEvent | null) => {
			const reason = event ? (retry?.finalReason(event.code) ?? null) : null;
			if (reason) {
				// A limit notice that came first says more (sizes); keep it.
				this.fatal ??= reason;
				this.connection = 'closed';
			}
		});
		const onAwareness = () => {
			this.peers = peersFromAwareness(this.provider.awareness.getStates(), this.doc.clientID, this.userId);
			this.presence = [...this.provider.awareness.getStates()].map(([clientId, state]) => ({ clientId, state }));
		};
		this.provider.awareness.on('change', onAwareness);
		this.cleanups.push(keepPresenceAcrossReconnects(this.provider));
		this.doc.on('update', () => this.queueRefresh());

		// Browsers keep sockets half-open when the network drops; follow the OS's online state instead.
		const goOffline = () => {
			this.provider.disconnect();
			this.connection = 'offline';
		};
		const goOnline = () => {
			if (this.fatal) return;
			this.connection = 'reconnecting';
			this.provider.connect();
		};
		window.addEventListener('offline', goOffline);
		window.addEventListener('online', goOnline);
		this.cleanups.push(() => window.removeEventListener('offline', goOffline));
		this.cleanups.push(() => window.removeEventListener('online', goOnline));
		if (!navigator.onLine) goOffline();
		void this.connectAfterOfflineCopy(hasOfflineCopy);
	}

	/**
	 * Connects once the offline copy is loaded (or after OFFLINE_COPY_WAIT_MS): the server then sends only what this
	 * browser lacks, and this browser only what the server lacks, instead of the whole board each way. The board is
	 * painted from the offline copy meanwhile.
	 */
	private async connectAfterOfflineCopy(hasOfflineCopy: Promise<boolean>): Promise<void> {
		let timer: ReturnType<typeof setTimeout> | undefined;
		const capped = new Promise<void>((resolve) => (timer = setTimeout(resolve, OFFLINE_COPY_WAIT_MS)));
		const loaded = async () => {
			// A first visit has nothing to load: connect at once rather than wait for the database to be created.
			if (!(await hasOfflineCopy)) return;
			await this.offline.whenSynced;
			performance.mark('flowdeck:offline-loaded');
		};
		await Promise.race([loaded(), capped]);
		clearTimeout(timer);
		// Offline (the browser said so) or gone: the online handler connects when the network is back.
		if (this.destroyed || this.fatal || this.connection === 'offline' || !navigator.onLine) return;
		this.provider.connect();
	}

	/** Runs a named command as this user; a user error becomes the notice and nothing changes. */
	act<T>(command: (commands: BoardCommands) => T): T | undefined {
		if (!this.canEdit || this.readOnly) {
			// On a read-only board an edit would show here and never be saved: refuse it instead.
			this.notice = this.readOnly ?? 'You can view this board but not change it.';
			return undefined;
		}
		try {
			return command(this.commands);
		} catch (err) {
			if (err instanceof CommandError) {
				this.notice = err.message;
				return undefined;
			}
			throw err;
		}
	}

	/**
	 * Runs a named command for a dialog that shows its own messages: returns why it was refused (a CommandError's
	 * message, or that this member may not edit), or null when it ran. The board's notice is left alone.
	 */
	attempt(command: (commands: BoardCommands) => unknown): string | null {
		if (!this.canEdit || this.readOnly) return this.readOnly ?? 'You can view this board but not change it.';
		try {
			command(this.commands);
			return null;
		} catch (err) {
			if (err instanceof CommandError) return err.message;
			throw err;
		}
	}

	/** Sets a card's target date (YYYY-MM-DD) or clears it (null); returns why it was refused, or null. */
	setTarget(cardId: string, day: string | null): string | null {
		return this.attempt((c) => c.setTarget(cardId, day));
	}

	/** Sets a step's date by hand, or resets it to the plan (null); returns why it was refused, or null. */
	setStepDue(cardId: string, stageId: string, day: string | null): string | null {
		return this.attempt((c) => c.setStepDue(cardId, stageId, day));
	}

	/** Sets a stage's step settings, or makes it a plain stage (null); returns why it was refused, or null. */
	setStageStep(stageId: string, step: StepSettings | null): string | null {
		return this.attempt((c) => c.setStageStep(stageId, step));
	}

	/** Sets the time zone the board's plans count days in; returns why it was refused, or null. */
	setTimeZone(timeZone: string): string | null {
		return this.attempt((c) => c.setTimeZone(timeZone));
	}

	/** Moves a card; returns the refusal message (also set as the notice) or null when it moved. */
	moveCard(cardId: string, toStageId: string, toIndex: number): string | null {
		const refusal = this.act((c) => c.moveCard(cardId, toStageId, toIndex));
		if (refusal === undefined) return this.notice ?? 'That move is not possible.';
		if (refusal) {
			this.notice = refusal.message;
			return refusal.message;
		}
		return null;
	}

	/**
	 * Deletes a card with everything it holds; the notice says so and offers Undo (as do Ctrl+Z and the toolbar), which
	 * brings it back whole in one step. Returns whether it was deleted (if not, the notice says why).
	 */
	deleteCard(cardId: string): boolean {
		const title = this.snapshot.cards[cardId]?.title ?? '';
		// Its own undo step: an edit made just before must not be undone with it, nor one made just after merge into it.
		this.undoManager.stopCapturing();
		if (!this.act((c) => (c.deleteCard(cardId), true))) return false;
		this.undoManager.stopCapturing();
		const notice = title ? `Card deleted: “${title}”.` : 'Card deleted.';
		this.notice = notice;
		this.undoTarget = this.undoManager.undoStack.at(-1) ?? null;
		this.noticeAction = {
			notice,
			label: 'Undo',
			run: () => {
				if (this.undoTarget && this.undoManager.undoStack.at(-1) === this.undoTarget) this.undo();
				this.dismissNotice();
			}
		};
		return true;
	}

	/** Undoes this user's last change on this board. */
	undo(): void {
		if (this.canEdit && !this.readOnly) this.undoManager.undo();
	}

	/** Redoes what `undo` took back. */
	redo(): void {
		if (this.canEdit && !this.readOnly) this.undoManager.redo();
	}

	/**
	 * What the collaborative description editor binds to: this board's document and the awareness that carries
	 * everyone's cursors. Before the first server sync it waits a little: a card's text created here while the
	 * server's copy is on its way could replace one the card already has.
	 */
	async descriptionSource(): Promise<DescriptionSource> {
		await this.whenSynced(SYNC_WAIT_MS);
		return { doc: this.doc, awareness: this.provider.awareness };
	}

	/** Tells others which card this user has open (null when none). */
	setOpenCard(cardId: string | null): void {
		this.provider.awareness.setLocalStateField('openCardId', cardId);
	}

	/** Shares `value` under `key` in this user's presence (null clears it); the standup's facilitator shares its focus so. */
	setPresenceField(key: string, value: unknown): void {
		this.provider.awareness.setLocalStateField(key, value);
	}

	/** Clears the notice. */
	dismissNotice(): void {
		this.notice = null;
		this.withdrawUndo();
	}

	private withdrawUndo(): void {
		this.undoTarget = null;
		this.noticeAction = null;
	}

	/** Disconnects and releases everything (the offline copy stays on disk). */
	destroy(): void {
		this.destroyed = true;
		for (const cleanup of this.cleanups) cleanup();
		this.provider.awareness.setLocalState(null);
		this.provider.destroy();
		void this.offline.destroy();
		this.undoManager.destroy();
		this.doc.destroy();
	}

	/** Resolves once synced with the server, at once when offline, or after `timeoutMs` at the latest. */
	private whenSynced(timeoutMs: number): Promise<void> {
		if (this.provider.synced || this.connection === 'offline' || this.connection === 'closed') return Promise.resolve();
		return new Promise((resolve) => {
			const done = () => {
				clearTimeout(timer);
				this.provider.off('sync', done);
				resolve();
			};
			const timer = setTimeout(done, timeoutMs);
			this.provider.on('sync', done);
		});
	}

	private receiveNotice(decoder: Parameters<typeof readNotice>[0]): void {
		// A notice this version does not understand is not worth breaking the board over.
		const notice = readNotice(decoder);
		if (!notice) return;
		// The server closes right after a limit notice; "too large" is final, and its wording names the sizes.
		if (notice.type === 'limit' && notice.reason === 'too-large') this.fatal = notice.message;
		else if (notice.type === 'read-only') this.readOnly = notice.message;
		else if (notice.type === 'role') this.roleChanged(notice.role !== 'viewer', notice.message);
		else this.notice = notice.message;
	}

	/**
	 * The server changed this member's role. Promoted: the controls come back at once. Demoted: they go at once, and
	 * whatever this browser holds that the server did not accept — edits made in the moment before the news arrived,
	 * or offline — is dropped with the offline copy; the page reopens the board from the server's state.
	 */
	private roleChanged(canEdit: boolean, message: string): void {
		const wasEditor = this.canEdit;
		// Sent on every connect too (without a message): only a change matters.
		if (canEdit === wasEditor) return;
		this.canEdit = canEdit;
		if (message) this.notice = message;
		if (canEdit) return;
		this.undoManager.clear();
		// Stop sending first: nothing more of this copy may reach the server.
		this.provider.disconnect();
		void this.offline.clearData().finally(() => this.onDemoted?.(message));
	}

	private updateConnection(status: string): void {
		if (this.fatal) return;
		if (!navigator.onLine) this.connection = 'offline';
		else if (status === 'connected') this.connection = this.provider.synced ? 'live' : 'connecting';
		else if (status === 'disconnected') this.connection = 'reconnecting';
		else this.connection = this.ready ? 'reconnecting' : 'connecting';
	}

	/** Recomputes the snapshot once per burst of updates. */
	private queueRefresh(): void {
		if (this.refreshQueued) return;
		this.refreshQueued = true;
		queueMicrotask(() => {
			this.refreshQueued = false;
			this.snapshot = readSnapshot(this.doc, this.boardName);
			if (this.snapshot.stages.length > 0 && this.offline.synced) this.ready = true;
		});
	}
}
