import type { WriterOptions } from '../persistence/board-writer.ts';

/** Tunables of the realtime endpoint; tests shorten the timers. */
export interface SyncOptions extends WriterOptions {
	/** Largest frame accepted, in bytes (bigger frames close the socket with 1009). */
	maxPayload: number;
	/** How long a room stays loaded after its last connection left. */
	unloadGraceMs: number;
	/** Interval between keep-alive pings; a socket that missed one is closed. */
	pingIntervalMs: number;
	/** On shutdown, how long to keep retrying unsaved changes before giving up. */
	shutdownFlushMs: number;
	/** Most sockets one user may hold open (or be opening) at once, across boards; 0 = no cap. Extras close with 4429. */
	maxSocketsPerUser: number;
	/** A connection must have sent its request and, for an upgrade, been authorized within this; else it is dropped. */
	handshakeTimeoutMs: number;
	/** How long the server keeps a client's changes whose dependencies it has not seen, before dropping them. */
	pendingTimeoutMs: number;
	/** Refused upgrades (bad session, unknown board, too many sockets) a session may pile up before the rest get 429 unread. */
	refusedUpgradeBurst: number;
	/** Refused upgrades per second a session is forgiven; 0 = no limit. */
	refusedUpgradesPerSecond: number;
	/** How often every open socket's session is read again (one query for all); a dead one closes with 4401. */
	sessionCheckMs: number;
	/** Bytes per second a connection may send in the long run; 0 = no byte budget. */
	inputBytesPerSecond: number;
	/** Bytes a connection may send at once above that rate (a token bucket's size). */
	inputBytesBurst: number;
	/** Frames per second a connection may send in the long run; 0 = no frame budget. */
	inputFramesPerSecond: number;
	/** Frames a connection may send at once above that rate. */
	inputFramesBurst: number;
	/** A connection over its budget is slowed (not read); one still over it after this long is closed (1008). */
	overBudgetCloseMs: number;
	/** Largest catch-up (the first sync step 2 right after connecting: offline work) accepted; bigger ones close with 4413. */
	maxCatchUpBytes: number;
	/** Largest a board's document may grow (its encoded state); writes that add content past it close with 4413. */
	maxDocumentBytes: number;
	/** Integrating a board's stored state should take at most this; a board over it on two loads opens read-only. */
	loadBudgetMs: number;
	/** Milliseconds of update integration one user may use at once (across sockets and boards). */
	integrationBurstMs: number;
	/** Milliseconds of update integration per second a user earns back. */
	integrationMsPerSecond: number;
	/** Worker threads the boards' documents run on (engine-pool.ts); 0 runs them on the main thread. */
	engineThreads: number;
	/** Modules (URLs or absolute paths) each engine thread loads; each exports `extendEngine` (see board-engine.ts). */
	engineExtensions: string[];
}

/** Production defaults. */
export const DEFAULT_SYNC_OPTIONS: SyncOptions = {
	maxPayload: 2 * 1024 * 1024,
	unloadGraceMs: 2_000,
	pingIntervalMs: 30_000,
	shutdownFlushMs: 8_000,
	maxSocketsPerUser: 32,
	handshakeTimeoutMs: 10_000,
	pendingTimeoutMs: 10_000,
	refusedUpgradeBurst: 20,
	refusedUpgradesPerSecond: 2,
	sessionCheckMs: 30_000,
	inputBytesPerSecond: 1024 * 1024,
	inputBytesBurst: 4 * 1024 * 1024,
	inputFramesPerSecond: 200,
	inputFramesBurst: 2_000,
	overBudgetCloseMs: 10_000,
	maxCatchUpBytes: 16 * 1024 * 1024,
	// Ten times the 10,000-card benchmark board (1.4 MB): every client holds and loads the whole document.
	maxDocumentBytes: 16 * 1024 * 1024,
	// The 10,000-card benchmark board integrates in ~150 ms; ten times that is no board's normal.
	loadBudgetMs: 2_000,
	// A big offline catch-up integrates in a few hundred ms; a fifth of one core is far above any person's typing.
	integrationBurstMs: 2_000,
	integrationMsPerSecond: 200,
	// One per core of the machines we aim at: more only adds memory, since a busy thread is a busy core.
	engineThreads: 2,
	engineExtensions: [],
	batchMs: 50,
	compactAfter: 500,
	retryMs: 100,
	retryMaxMs: 5_000
};

/**
 * Reads SYNC_MAX_PAYLOAD_BYTES, SYNC_UNLOAD_GRACE_MS, SYNC_PING_INTERVAL_MS, SYNC_COMPACT_AFTER,
 * SYNC_MAX_SOCKETS_PER_USER, SYNC_HANDSHAKE_TIMEOUT_MS, SYNC_REFUSED_UPGRADE_BURST,
 * SYNC_REFUSED_UPGRADES_PER_SECOND, SYNC_SESSION_CHECK_MS, SYNC_INPUT_*, SYNC_MAX_CATCH_UP_BYTES and
 * SYNC_MAX_DOCUMENT_BYTES, SYNC_LOAD_BUDGET_MS and SYNC_ENGINE_THREADS over the defaults.
 */
export function syncOptionsFromEnv(env: NodeJS.ProcessEnv): SyncOptions {
	const num = (name: string, fallback: number): number => {
		const raw = env[name];
		if (raw === undefined || raw === '') return fallback;
		const value = Number(raw);
		if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, not "${raw}".`);
		return value;
	};
	return {
		...DEFAULT_SYNC_OPTIONS,
		maxPayload: num('SYNC_MAX_PAYLOAD_BYTES', DEFAULT_SYNC_OPTIONS.maxPayload),
		unloadGraceMs: num('SYNC_UNLOAD_GRACE_MS', DEFAULT_SYNC_OPTIONS.unloadGraceMs),
		pingIntervalMs: num('SYNC_PING_INTERVAL_MS', DEFAULT_SYNC_OPTIONS.pingIntervalMs),
		compactAfter: num('SYNC_COMPACT_AFTER', DEFAULT_SYNC_OPTIONS.compactAfter),
		maxSocketsPerUser: num('SYNC_MAX_SOCKETS_PER_USER', DEFAULT_SYNC_OPTIONS.maxSocketsPerUser),
		handshakeTimeoutMs: num('SYNC_HANDSHAKE_TIMEOUT_MS', DEFAULT_SYNC_OPTIONS.handshakeTimeoutMs),
		refusedUpgradeBurst: num('SYNC_REFUSED_UPGRADE_BURST', DEFAULT_SYNC_OPTIONS.refusedUpgradeBurst),
		refusedUpgradesPerSecond: num('SYNC_REFUSED_UPGRADES_PER_SECOND', DEFAULT_SYNC_OPTIONS.refusedUpgradesPerSecond),
		sessionCheckMs: Math.max(1, num('SYNC_SESSION_CHECK_MS', DEFAULT_SYNC_OPTIONS.sessionCheckMs)),
		inputBytesPerSecond: num('SYNC_INPUT_BYTES_PER_SECOND', DEFAULT_SYNC_OPTIONS.inputBytesPerSecond),
		inputBytesBurst: num('SYNC_INPUT_BYTES_BURST', DEFAULT_SYNC_OPTIONS.inputBytesBurst),
		inputFramesPerSecond: num('SYNC_INPUT_FRAMES_PER_SECOND', DEFAULT_SYNC_OPTIONS.inputFramesPerSecond),
		inputFramesBurst: num('SYNC_INPUT_FRAMES_BURST', DEFAULT_SYNC_OPTIONS.inputFramesBurst),
		overBudgetCloseMs: num('SYNC_OVER_BUDGET_CLOSE_MS', DEFAULT_SYNC_OPTIONS.overBudgetCloseMs),
		maxCatchUpBytes: num('SYNC_MAX_CATCH_UP_BYTES', DEFAULT_SYNC_OPTIONS.maxCatchUpBytes),
		maxDocumentBytes: num('SYNC_MAX_DOCUMENT_BYTES', DEFAULT_SYNC_OPTIONS.maxDocumentBytes),
		loadBudgetMs: num('SYNC_LOAD_BUDGET_MS', DEFAULT_SYNC_OPTIONS.loadBudgetMs),
		engineThreads: num('SYNC_ENGINE_THREADS', DEFAULT_SYNC_OPTIONS.engineThreads)
	};
}
