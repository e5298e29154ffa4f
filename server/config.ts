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
	/** With REDIS_URL: the prefix of every Redis key (`REDIS_PREFIX`, default `flowdeck:`) and the board lease time (`CLUSTER_LEASE_MS`, default 3000). */
	cluster?: { prefix: string; leaseMs: number };
	migrationsFolder: string;
	/** Realtime endpoint tunables (frame cap, unload grace, keep-alive, compaction). */
	sync: SyncOptions;
	/** Outgoing mail: `SMTP_URL` (none: in-app notifications only) and the sender, `MAIL_FROM`. */
	mail?: { smtpUrl: string | undefined; from: string };
	/** `WEBHOOK_ALLOW_PRIVATE=1` lets webhooks target loopback, private and link-local addresses (tests; never in production). */
	webhookAllowPrivate?: boolean;
	/** How often the job runner looks for due work (`JOBS_POLL_MS`, default 1000). */
	jobPollMs?: number;
	/** Card attachments: the folder (`UPLOAD_DIR`, default `<DATA_DIR>/uploads`) and the largest file (`UPLOAD_MAX_BYTES`, default 25 MB). */
	uploads?: { dir?: string; maxBytes?: number };
	/** `METRICS_TOKEN`: GET /metrics wants `Authorization: Bearer <token>`; unset, it answers loopback requests only. */
	metricsToken?: string;
	/** `SHUTDOWN_DRAIN_MS`: after SIGTERM, how long /ready answers 503 while the server still serves, before sockets close (default 0). */
	shutdownDrainMs?: number;
}

/** The repository root (server/ sits one level below it). */
export const projectRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** `UPLOAD_MAX_BYTES`: a whole number of bytes (undefined: the default); anything else stops the start-up with a clear message. */
function uploadMaxBytes(value: string | undefined): number | undefined {
	if (!value) return undefined;
	const n = Number(value);
	if (!Number.isSafeInteger(n) || n < 1) throw new Error(`UPLOAD_MAX_BYTES must be a whole number of bytes, such as 26214400 (25 MB), not "${value}".`);
	return n;
}

/** `SHUTDOWN_DRAIN_MS`: whole milliseconds, at most 10 minutes (undefined: none); anything else stops the start-up with a clear message. */
function drainMs(value: string | undefined): number | undefined {
	if (!value) return undefined;
	const n = Number(value);
	if (!Number.isSafeInteger(n) || n < 0 || n > 600_000) throw new Error(`SHUTDOWN_DRAIN_MS must be a whole number of milliseconds from 0 to 600000, not "${value}".`);
	return n;
}

/** Reads PORT, HOST, ORIGIN, DATA_DIR, DATABASE_URL, REDIS_URL, SMTP_URL, MAIL_FROM, WEBHOOK_ALLOW_PRIVATE, JOBS_POLL_MS, UPLOAD_DIR, UPLOAD_MAX_BYTES, METRICS_TOKEN, SHUTDOWN_DRAIN_MS and the SYNC_* tunables, with defaults for a laptop. */
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
		cluster: { prefix: env.REDIS_PREFIX || 'flowdeck:', leaseMs: env.CLUSTER_LEASE_MS ? Number(env.CLUSTER_LEASE_MS) : 3_000 },
		migrationsFolder: resolve(projectRoot, 'drizzle'),
		sync: syncOptionsFromEnv(env),
		mail: { smtpUrl: env.SMTP_URL || undefined, from: env.MAIL_FROM || 'Flowdeck <flowdeck@localhost>' },
		webhookAllowPrivate: env.WEBHOOK_ALLOW_PRIVATE === '1',
		jobPollMs: env.JOBS_POLL_MS ? Number(env.JOBS_POLL_MS) : undefined,
		uploads: { dir: env.UPLOAD_DIR ? resolve(env.UPLOAD_DIR) : undefined, maxBytes: uploadMaxBytes(env.UPLOAD_MAX_BYTES) },
		metricsToken: env.METRICS_TOKEN || undefined,
		shutdownDrainMs: drainMs(env.SHUTDOWN_DRAIN_MS)
	};
}
