import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { syncOptionsFromEnv, type SyncOptions } from './sync/options.ts';

/** Everything the server reads from its environment. */
export interface ServerConfig {
	port: number;
	host: string;
	/** Public origin (scheme://host[:port]); allowed Origin for sockets. Defaults to the request's own host. */
	origin: string | undefined;
	/** PGlite data folder, used when no databaseUrl is given. */
	dataDir: string;
	databaseUrl: string | undefined;
	redisUrl: string | undefined;
	migrationsFolder: string;
	/** Realtime endpoint tunables (frame cap, unload grace, keep-alive, compaction). */
	sync: SyncOptions;
}

/** The repository root (server/ sits one level below it). */
export const projectRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** Reads PORT, HOST, ORIGIN, DATA_DIR, DATABASE_URL, REDIS_URL and the SYNC_* tunables, with defaults for a laptop. */
export function configFromEnv(env: NodeJS.ProcessEnv): ServerConfig {
	const port = Number(env.PORT ?? 3000);
	if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not "${env.PORT}".`);
	return {
		port,
		host: env.HOST || '0.0.0.0',
		origin: env.ORIGIN?.replace(/\/$/, '') || undefined,
		dataDir: resolve(env.DATA_DIR || resolve(projectRoot, 'data')),
		databaseUrl: env.DATABASE_URL || undefined,
		redisUrl: env.REDIS_URL || undefined,
		migrationsFolder: resolve(projectRoot, 'drizzle'),
		sync: syncOptionsFromEnv(env)
	};
}
