import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import type { Db } from '../../src/lib/server/db/client.ts';
import type { Clock } from '../../src/lib/server/clock.ts';
import { validateSessionToken } from '../../src/lib/server/auth/sessions.ts';
import { SESSION_COOKIE } from '../../src/lib/server/auth/cookie.ts';
import { findBoardAccess } from '../../src/lib/server/boards/boards.ts';
import { userColor } from '../../src/lib/sync-protocol/identity.ts';
import { RoomUnavailableError, type RoomRegistry } from './room-registry.ts';

/** The path prefix of the realtime endpoint: the browser's WebsocketProvider uses `${origin}/sync` + `/<boardId>`. */
export const SYNC_PATH = '/sync/';

/** Board ids are generated server-side; anything else in the path is refused before touching the database. */
const BOARD_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** What the upgrade handler needs. */
export interface UpgradeDeps {
	db: Db;
	clock: Clock;
	registry: RoomRegistry;
	/** A `noServer` WebSocketServer (its maxPayload caps frames). */
	wss: WebSocketServer;
	/** The configured public origin; when unset, the request's own host (http or https) is accepted. */
	origin: string | undefined;
	log(message: string, err?: unknown): void;
}

const STATUS_TEXT: Record<number, string> = {
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	503: 'Service Unavailable'
};

/**
 * Handles HTTP upgrades: returns false for paths that are not ours. For `/sync/<boardId>` it checks,
 * in order, the path, the Origin (403), the session cookie (401) and membership (404) before any room
 * is created or loaded, then completes the handshake once the board's stored state is in memory.
 */
export function createUpgradeHandler(deps: UpgradeDeps): (req: IncomingMessage, socket: Duplex, head: Buffer) => boolean {
	return (req, socket, head) => {
		const path = (req.url ?? '').split('?')[0]!;
		if (!path.startsWith(SYNC_PATH)) return false;
		// A socket that errors while we await the database must not crash the process.
		socket.on('error', () => {});
		void authorizeAndConnect(deps, req, socket, head, path.slice(SYNC_PATH.length)).catch((err: unknown) => {
			deps.log('sync upgrade failed', err);
			refuse(socket, 503);
		});
		return true;
	};
}

async function authorizeAndConnect(deps: UpgradeDeps, req: IncomingMessage, socket: Duplex, head: Buffer, boardId: string): Promise<void> {
	if (!BOARD_ID.test(boardId)) return refuse(socket, 404);
	if (req.headers.upgrade?.toLowerCase() !== 'websocket') return refuse(socket, 400);
	if (!originAllowed(req, deps.origin)) return refuse(socket, 403);
	const token = readCookie(req.headers.cookie, SESSION_COOKIE);
	if (!token) return refuse(socket, 401);
	const auth = await validateSessionToken(deps.db, token, deps.clock.now());
	if (!auth) return refuse(socket, 401);
	const access = await findBoardAccess(deps.db, boardId, auth.user.id);
	if (!access) return refuse(socket, 404);
	if (socket.destroyed) return;
	let room;
	try {
		room = await deps.registry.get(boardId);
	} catch (err) {
		if (err instanceof RoomUnavailableError) return refuse(socket, err.reason === 'deleted' ? 404 : 503);
		throw err;
	}
	try {
		if (socket.destroyed) return;
		deps.wss.handleUpgrade(req, socket, head, (ws) => {
			try {
				room.attach(ws, {
					sessionId: auth.session.id,
					role: access.role,
					user: { id: auth.user.id, name: auth.user.name, color: userColor(auth.user.id) }
				});
			} catch (err) {
				// The handshake is done: answer in WebSocket terms, not HTTP.
				deps.log('sync attach failed', err);
				ws.close(1011, 'Internal error');
			}
		});
	} finally {
		room.release();
	}
}

/** Browsers always send Origin on WebSocket handshakes; one from another site is cross-site WebSocket hijacking. */
export function originAllowed(req: IncomingMessage, configured: string | undefined): boolean {
	const origin = req.headers.origin;
	if (!origin) return false;
	if (configured) return origin === configured;
	const host = req.headers.host;
	return !!host && (origin === `http://${host}` || origin === `https://${host}`);
}

/** The value of cookie `name` in a Cookie header, if present. */
export function readCookie(header: string | undefined, name: string): string | null {
	if (!header) return null;
	for (const part of header.split(';')) {
		const eq = part.indexOf('=');
		if (eq > 0 && part.slice(0, eq).trim() === name) {
			const value = part.slice(eq + 1).trim();
			try {
				return decodeURIComponent(value) || null;
			} catch {
				return null;
			}
		}
	}
	return null;
}

/** Answers the upgrade with a plain HTTP status and drops the socket. */
function refuse(socket: Duplex, status: number): void {
	if (socket.destroyed) return;
	// Destroy only after the response is flushed, or the client may see a reset instead of the status.
	socket.once('finish', () => socket.destroy());
	socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
