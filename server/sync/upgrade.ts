import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import type { Db } from '../../src/lib/server/db/client.ts';
import type { Clock } from '../../src/lib/server/clock.ts';
import { validateSessionToken } from '../../src/lib/server/auth/sessions.ts';
import { SESSION_COOKIE } from '../../src/lib/server/auth/cookie.ts';
import { findBoardAccess, type BoardAccess } from '../../src/lib/server/boards/boards.ts';
import { userColor } from '../../src/lib/sync-protocol/identity.ts';
import { RoomElsewhereError, RoomUnavailableError, type RoomRegistry } from './room-registry.ts';
import type { Room } from './room.ts';
import type { RelayTarget } from '../cluster/relay-links.ts';
import type { WebSocket } from 'ws';
import { settleHandshake } from './harden.ts';
import { CLOSE } from './protocol.ts';
import type { UserInputBudgets } from './input-budget.ts';
import type { SessionWatch } from './session-watch.ts';
import { hashToken } from '../../src/lib/server/ids.ts';

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
	/** Re-checks every attached socket's session (periodically, and before a frame after its known expiry). */
	sessions: SessionWatch;
	/** Every user's input budget, shared by their sockets, and each socket's frame cap. */
	budgets: UserInputBudgets;
	/** Several instances: sockets for boards another instance owns are relayed to it (see docs/scale-out.md). */
	relay?: { to(ws: WebSocket, target: RelayTarget): void; alive(instance: string): boolean };
	log(message: string, err?: unknown): void;
}

const STATUS_TEXT: Record<number, string> = {
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	429: 'Too Many Requests',
	503: 'Service Unavailable'
};

/**
 * Handles HTTP upgrades: returns false for paths that are not ours. For `/sync/<boardId>` it checks,
 * in order, the path, the Origin (403), the session cookie (401) and membership (404) before any room
 * is created or loaded, then completes the handshake once the board's stored state is in memory. A user
 * past `maxSocketsPerUser` is turned away (4429); if access changed meanwhile, session and membership are
 * read again first. A session whose upgrades keep being refused gets 429 without any database read.
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
	const { admissions } = deps.registry;
	// Keyed by what the session id will be, so a flood costs no database read.
	const sessionId = hashToken(token);
	if (!admissions.mayTry(sessionId)) return refuse(socket, 429);
	const refused = (status: number) => {
		admissions.refused(sessionId);
		refuse(socket, status);
	};
	let epoch = admissions.epoch;
	let grant = await authorize(deps, token, boardId);
	if (typeof grant === 'number') return refused(grant);
	// Only members reach the cap: anyone else gets the same 404 as for a board that does not exist.
	const giveBack = admissions.reserve(grant.auth.user.id);
	if (!giveBack) {
		admissions.refused(sessionId);
		return turnAway(deps, req, socket, head);
	}
	let handedOver = false;
	try {
		if (socket.destroyed) return;
		let room: Room | null = null;
		let owner: string | null = null;
		try {
			room = await deps.registry.get(boardId);
		} catch (err) {
			if (err instanceof RoomUnavailableError) return refuse(socket, err.reason === 'deleted' ? 404 : 503);
			if (!(err instanceof RoomElsewhereError) || !deps.relay) throw err;
			// An owner that stopped answering keeps its lease until it expires: come back then (the client retries).
			if (!deps.relay.alive(err.owner)) return refuse(socket, 503);
			owner = err.owner;
		}
		try {
			// A sign-out or role change while we waited found no socket to act on yet: read both again.
			for (let tries = 0; admissions.epoch !== epoch; tries++) {
				if (tries === 3) return refuse(socket, 503);
				epoch = admissions.epoch;
				grant = await authorize(deps, token, boardId);
				if (typeof grant === 'number') return refused(grant);
			}
			if (socket.destroyed) return;
			const { auth, access } = grant;
			settleHandshake(socket);
			// Synchronous from here to attach: no access change can slip in between the check above and the socket.
			deps.wss.handleUpgrade(req, socket, head, (ws) => {
				handedOver = true;
				ws.once('close', giveBack);
				try {
					const identity = { sessionId: auth.session.id, role: access.role, user: { id: auth.user.id, name: auth.user.name, color: userColor(auth.user.id) } };
					if (!room) return deps.relay!.to(ws, { owner: owner!, boardId, identity, sessionExpiresAt: auth.session.expiresAt });
					const conn = room.attach(ws, identity);
					// Before any frame of this socket is read (frames arrive on a later tick).
					deps.sessions.watch(conn, auth.session.expiresAt);
					conn.meterWith(deps.budgets.forConnection(auth.user.id), (message) => deps.log(message));
				} catch (err) {
					// The handshake is done: answer in WebSocket terms, not HTTP.
					deps.log('sync attach failed', err);
					ws.close(1011, 'Internal error');
				}
			});
		} finally {
			room?.release();
		}
	} finally {
		if (!handedOver) giveBack();
	}
}

interface Grant {
	auth: NonNullable<Awaited<ReturnType<typeof validateSessionToken>>>;
	access: BoardAccess;
}

/** The session behind `token` and its membership of the board, or the status to refuse with. */
async function authorize(deps: UpgradeDeps, token: string, boardId: string): Promise<Grant | 401 | 404> {
	const auth = await validateSessionToken(deps.db, token, deps.clock.now());
	if (!auth) return 401;
	const access = await findBoardAccess(deps.db, boardId, auth.user.id);
	if (!access) return 404;
	return { auth, access };
}

/**
 * The user already holds `maxSocketsPerUser` sockets: complete the handshake only to close with 4429, which
 * y-websocket treats as final (no retry storm) and which carries a reason, unlike a refused upgrade.
 */
function turnAway(deps: UpgradeDeps, req: IncomingMessage, socket: Duplex, head: Buffer): void {
	if (socket.destroyed) return;
	settleHandshake(socket);
	deps.wss.handleUpgrade(req, socket, head, (ws) => ws.close(CLOSE.tooManySockets, 'Too many open connections'));
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
