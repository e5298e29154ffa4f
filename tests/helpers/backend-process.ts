// Child-process entry for `forkBackend` (tests/helpers/forked-backend.ts): the real sync backend
// (`startFlowdeck`: database, rooms, persistence, upgrade handler) in its own process, so it runs on its own
// core, plus a small IPC surface for tests to look at rooms and stored rows. Not used in production.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as Y from 'yjs';
import { startFlowdeck } from '../../server/app.ts';
import { DEFAULT_SYNC_OPTIONS, type SyncOptions } from '../../server/sync/options.ts';
import { drizzleDocumentStore } from '../../server/persistence/drizzle-document-store.ts';
import { systemClock } from '../../src/lib/server/clock.ts';
import { createSession } from '../../src/lib/server/auth/sessions.ts';
import { SESSION_COOKIE } from '../../src/lib/server/auth/cookie.ts';
import { signUp } from '../../src/lib/server/accounts.ts';
import { createBoard } from '../../src/lib/server/boards/boards.ts';
import { acceptInvite, createInvite } from '../../src/lib/server/boards/invites.ts';
import { migrationsFolder } from './db.ts';

/** What the parent sends to start the backend. */
export interface BackendConfig {
	databaseUrl: string | undefined;
	dataDir: string;
	sync: Partial<SyncOptions>;
}

const send = (message: unknown) => process.send?.(message);
const config = JSON.parse(process.env.FLOWDECK_BACKEND_CONFIG ?? '{}') as BackendConfig;

// Whatever the backend logs is an error report: forward it so the test can fail on it.
const originalError = console.error.bind(console);
console.error = (...args: unknown[]) => {
	send({ type: 'log', message: args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : String(a))).join(' ') });
	originalError(...args);
};

const app = await startFlowdeck({
	port: 0,
	host: '127.0.0.1',
	origin: undefined,
	redisUrl: undefined,
	migrationsFolder,
	databaseUrl: config.databaseUrl,
	dataDir: config.dataDir,
	sync: { ...DEFAULT_SYNC_OPTIONS, ...config.sync }
});
const server = createServer((_req, res) => {
	res.statusCode = 404;
	res.end();
});
server.on('upgrade', (req, socket, head) => {
	if (!app.handleUpgrade(req, socket, head)) socket.destroy();
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const store = drizzleDocumentStore(app.ctx.db, systemClock);

const methods = {
	async user(name: string) {
		const now = new Date();
		const email = `${name.toLowerCase()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
		const id = await signUp(app.ctx.db, { name, email, password: 'plum-orbit-cactus-91' }, now);
		const { token } = await createSession(app.ctx.db, id, now);
		return { id, cookie: `${SESSION_COOKIE}=${token}` };
	},
	async newBoard(ownerId: string, editorIds: string[], name: string) {
		const now = new Date();
		const boardId = await createBoard(app.ctx.db, ownerId, name, now);
		for (const id of editorIds) {
			const { token } = await createInvite(app.ctx.db, boardId, ownerId, { role: 'editor', days: 1 }, now);
			await acceptInvite(app.ctx.db, token, id, now);
		}
		return boardId;
	},
	roomLoaded: (boardId: string) => app.rooms.has(boardId),
	async roomState(boardId: string) {
		const room = app.rooms.peek(boardId);
		return room && !room.closed ? Y.encodeStateAsUpdate((await room.inspect()).doc) : null;
	},
	stored: (boardId: string) => store.load(boardId),
	async close() {
		const closed = new Promise<void>((resolve) => server.close(() => resolve()));
		server.closeAllConnections();
		await app.close();
		await closed;
		return true;
	}
};

process.on('message', (raw) => {
	const { id, method, args } = raw as { id: number; method: keyof typeof methods; args: unknown[] };
	void (async () => {
		try {
			const fn = methods[method] as (...a: unknown[]) => unknown;
			send({ type: 'reply', id, result: await fn(...args) });
		} catch (err) {
			send({ type: 'reply', id, error: (err as Error).stack ?? String(err) });
		}
	})();
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
