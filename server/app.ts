import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { openDatabase, type Database } from '../src/lib/server/db/client.ts';
import { installAppContext, noAccessListener, type AppContext } from '../src/lib/server/context.ts';
import { systemClock } from '../src/lib/server/clock.ts';
import type { ServerConfig } from './config.ts';

/** A running Flowdeck backend: database, request context and the realtime upgrade handler. */
export interface Flowdeck {
	ctx: AppContext;
	database: Database;
	/** Handles an HTTP upgrade for `/sync/...`; returns false if the path is not ours. */
	handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
	/** Flushes and closes everything; safe to call twice. */
	close(): Promise<void>;
}

/** Opens the database (applying migrations) and builds the context the routes use. */
export async function startFlowdeck(config: ServerConfig): Promise<Flowdeck> {
	const database = await openDatabase(
		config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir },
		config.migrationsFolder
	);
	const ctx: AppContext = { db: database.db, clock: systemClock, access: noAccessListener };
	installAppContext(ctx);
	let closing: Promise<void> | undefined;
	return {
		ctx,
		database,
		handleUpgrade(req, socket) {
			if (!req.url?.startsWith('/sync/')) return false;
			socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
			return true;
		},
		close() {
			closing ??= database.close();
			return closing;
		}
	};
}
