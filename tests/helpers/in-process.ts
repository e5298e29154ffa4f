import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFlowdeck, type Flowdeck, type FlowdeckOverrides } from '../../server/app.ts';
import { DEFAULT_SYNC_OPTIONS, type SyncOptions } from '../../server/sync/options.ts';
import { hardenServer } from '../../server/sync/harden.ts';
import { createSession } from '../../src/lib/server/auth/sessions.ts';
import { SESSION_COOKIE } from '../../src/lib/server/auth/cookie.ts';
import { signUp } from '../../src/lib/server/accounts.ts';
import { createScratchPostgres, migrationsFolder, type DbKind } from './db.ts';
import { tempDataDir } from './server.ts';

/** Flowdeck's backend in the test process: real database, real upgrade handler on a real HTTP server (no SvelteKit pages). */
export interface InProcessFlowdeck {
	app: Flowdeck;
	/** http://127.0.0.1:<port> */
	url: string;
	/** Signs a user up directly in the database; returns their id and a Cookie header for a fresh session. */
	user(name: string): Promise<{ id: string; cookie: string }>;
	close(): Promise<void>;
}

/**
 * Starts the backend on PGlite (temp folder), a scratch PostgreSQL database, or a PostgreSQL database the test made
 * (`{ databaseUrl }`, left for the test to drop: several processes may share it), with sync tunables overridden.
 */
export async function startInProcess(kind: DbKind | { databaseUrl: string }, sync: Partial<SyncOptions> = {}, overrides: FlowdeckOverrides = {}): Promise<InProcessFlowdeck> {
	let drop: () => Promise<void> | void;
	let location: { databaseUrl: string | undefined; dataDir: string };
	if (typeof kind === 'object') {
		location = { databaseUrl: kind.databaseUrl, dataDir: '' };
		drop = () => {};
	} else if (kind === 'postgres') {
		const scratch = await createScratchPostgres();
		location = { databaseUrl: scratch.url, dataDir: '' };
		drop = () => scratch.drop();
	} else {
		const data = tempDataDir();
		location = { databaseUrl: undefined, dataDir: data.dir };
		drop = () => data.remove();
	}
	const app = await startFlowdeck({
		port: 0,
		host: '127.0.0.1',
		origin: undefined,
		redisUrl: undefined,
		migrationsFolder,
		...location,
		sync: { ...DEFAULT_SYNC_OPTIONS, ...sync }
	}, overrides);
	const server: Server = createServer((_req, res) => {
		res.statusCode = 404;
		res.end();
	});
	server.on('upgrade', (req, socket, head) => {
		if (!app.handleUpgrade(req, socket, head)) socket.destroy();
	});
	hardenServer(server, { handshakeTimeoutMs: sync.handshakeTimeoutMs ?? DEFAULT_SYNC_OPTIONS.handshakeTimeoutMs });
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		app,
		url,
		async user(name) {
			const now = new Date();
			const id = await signUp(app.ctx.db, { name, email: `${name.toLowerCase()}-${Math.random().toString(36).slice(2, 8)}@example.com`, password: 'plum-orbit-cactus-91' }, now);
			const { token } = await createSession(app.ctx.db, id, now);
			return { id, cookie: `${SESSION_COOKIE}=${token}` };
		},
		async close() {
			// Stop listening first; upgraded sockets count as connections until the app closes them.
			const closed = new Promise<void>((resolve) => server.close(() => resolve()));
			server.closeAllConnections();
			await app.close();
			await closed;
			await drop();
		}
	};
}
