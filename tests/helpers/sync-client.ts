import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { MESSAGE_NOTICE, readNotice, type SyncNotice } from '../../src/lib/sync-protocol/notice.ts';
import { placeOf } from '../../src/lib/board/doc/places.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import type { BoardSnapshot } from '../../src/lib/board/types.ts';
import { delayedSocketClass } from './delayed-socket.ts';

/** A stock y-websocket client on one board, as the browser will run it. */
export interface SyncClient {
	doc: Y.Doc;
	provider: WebsocketProvider;
	/** Notices (message type 100) received, oldest first. */
	notices: SyncNotice[];
	/** Close codes the server sent, oldest first. */
	closeCodes: number[];
	/** The board as plain data. */
	snapshot(): BoardSnapshot;
	/** Resolves once the first sync step 2 arrived (the server's state is in `doc`). */
	synced(timeoutMs?: number): Promise<void>;
	/** Disconnects and frees the provider. */
	destroy(): void;
}

/** Options for `connectBoard`. */
export interface ConnectOptions {
	/** Cookie header (the signed-in user); '' for none. */
	cookie: string;
	/** Origin header; defaults to the server's own origin; null sends none. */
	origin?: string | null;
	/** A doc to use (e.g. one holding offline edits). */
	doc?: Y.Doc;
	/** When given, every frame in either direction is delayed by this many ms (order kept): a slow, jittery network. */
	delayMs?: () => number;
}

/** Connects a real `y-websocket` WebsocketProvider to `${baseUrl}/sync/<boardId>` with the given cookie and Origin. */
export function connectBoard(baseUrl: string, boardId: string, options: ConnectOptions): SyncClient {
	const doc = options.doc ?? new Y.Doc();
	const headers: Record<string, string> = {};
	if (options.cookie) headers.cookie = options.cookie;
	const origin = options.origin === undefined ? baseUrl : options.origin;
	if (origin !== null) headers.origin = origin;
	// y-websocket constructs `new WS(url, protocols)`; this subclass adds what a browser would send.
	class BrowserLikeSocket extends WebSocket {
		constructor(url: string, protocols?: string | string[]) {
			super(url, protocols, { headers });
		}
	}
	const socketClass = options.delayMs ? delayedSocketClass(headers, options.delayMs) : BrowserLikeSocket;
	const provider = new WebsocketProvider(baseUrl.replace(/^http/, 'ws') + '/sync', boardId, doc, {
		WebSocketPolyfill: socketClass as unknown as typeof globalThis.WebSocket,
		// Node has BroadcastChannel: without this, two clients in one test process would sync through it, not the server.
		disableBc: true,
		maxBackoffTime: 200
	});
	const notices: SyncNotice[] = [];
	provider.messageHandlers[MESSAGE_NOTICE] = (_encoder, decoder) => {
		const notice = readNotice(decoder);
		// The role in force is sent on every connect without a message: protocol, not something a user is told.
		if (notice && !(notice.type === 'role' && notice.message === '')) notices.push(notice);
	};
	const closeCodes: number[] = [];
	provider.on('connection-close', (event) => {
		if (event) closeCodes.push(event.code);
	});
	return {
		doc,
		provider,
		notices,
		closeCodes,
		snapshot: () => readSnapshot(doc),
		synced: (timeoutMs = 10_000) =>
			provider.synced
				? Promise.resolve()
				: new Promise<void>((resolve, reject) => {
						const timer = setTimeout(() => reject(new Error(`not synced within ${timeoutMs} ms (close codes: ${closeCodes.join(',')})`)), timeoutMs);
						provider.once('sync', (state: boolean) => {
							if (!state) return;
							clearTimeout(timer);
							resolve();
						});
					}),
		destroy: () => {
			provider.destroy();
			doc.destroy();
		}
	};
}

/**
 * Polls `condition` until it returns a truthy value (returned) or `timeoutMs` passes (throws with `what`). The
 * default is generous because `npm test` runs every file at once on two cores: a server's batched write (history
 * after its batch delay, on PGlite in a busy process) has taken over 5 s there.
 */
export async function waitFor<T>(what: string, condition: () => T | Promise<T>, timeoutMs = 15_000, everyMs = 10): Promise<NonNullable<T>> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await condition();
		if (value) return value as NonNullable<T>;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
		await new Promise((r) => setTimeout(r, everyMs));
	}
}

/** Resolves to the stage ids of a board doc in board order. */
export function stageIds(doc: Y.Doc): string[] {
	return readSnapshot(doc).stages.map((s) => s.id);
}

/** Which stage a card is in, or undefined. */
export function stageOf(doc: Y.Doc, cardId: string): string | undefined {
	return placeOf(doc, cardId)?.stageId;
}

/** The result of a raw upgrade attempt: the HTTP status (101 when accepted). */
export async function upgradeStatus(baseUrl: string, path: string, headers: Record<string, string>): Promise<number> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(baseUrl.replace(/^http/, 'ws') + path, { headers });
		ws.once('unexpected-response', (_req, res) => {
			resolve(res.statusCode ?? 0);
			res.resume();
			ws.terminate();
		});
		ws.once('open', () => {
			resolve(101);
			ws.close();
		});
		// After a refusal ws may still report the aborted handshake; only the first outcome counts.
		ws.on('error', (err) => reject(err));
	});
}
