import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { configFromEnv, projectRoot } from './config.ts';
import { startFlowdeck } from './app.ts';
import { hardenServer } from './sync/harden.ts';
import { DataDirLockedError } from '../src/lib/server/db/client.ts';
import { healthEndpoint } from './health.ts';
import { oneClickUnsubscribe } from './mail/one-click.ts';
import { describeFailure } from '../src/lib/server/db/failures.ts';
import { bodyLimits } from './body-limit.ts';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { readinessEndpoint } from './ready.ts';
import { redisProbe } from './redis-probe.ts';
import { httpRequestCounter, metricsEndpoint } from './metrics/metrics-endpoint.ts';

/** postgres.js's codes for a connection that went away (never a socket error of ours, nor a database fault). */
const LOST_CONNECTION_CODES = new Set(['CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT']);

/** Whether an unhandled rejection is postgres.js reporting a lost connection (SQLSTATE class 08 or its own codes). */
function isLostDatabaseConnection(err: unknown): boolean {
	const code = (err as { code?: unknown } | null)?.code;
	return typeof code === 'string' && (LOST_CONNECTION_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code));
}

const PROTOCOL_HEADER = 'x-flowdeck-proto';

type NodeHandler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, next: () => void) => void;

/** Boots Flowdeck: database, SvelteKit handler, realtime endpoint, graceful shutdown. */
async function main(): Promise<void> {
	const config = configFromEnv(process.env);
	const handlerPath = join(projectRoot, 'build', 'handler.js');
	if (!existsSync(handlerPath)) throw new Error('No build found. Run `npm run build` (npm start does this for you).');
	// One registry for this process, passed in (never prom-client's global one): process metrics and the app's.
	const registry = new Registry();
	collectDefaultMetrics({ register: registry });
	const app = await startFlowdeck(config, { metrics: registry });
	// Without ORIGIN, adapter-node assumes https; tell it the socket's real scheme instead.
	if (!config.origin) {
		delete process.env.ORIGIN; // adapter-node rejects an empty ORIGIN
		process.env.PROTOCOL_HEADER = PROTOCOL_HEADER;
	}
	const bodyLimit = bodyLimits(process.env, app.ctx.uploads.maxBytes);
	const { handler } = (await import(pathToFileURL(handlerPath).href)) as { handler: NodeHandler };
	const health = healthEndpoint(app.database.db);
	const redis = config.redisUrl ? redisProbe(config.redisUrl) : null;
	let shuttingDown = false;
	const ready = readinessEndpoint({ db: app.database.db, migrationsFolder: config.migrationsFolder, redis, draining: () => shuttingDown });
	const metrics = metricsEndpoint(registry, config.metricsToken);
	const countResponse = httpRequestCounter(registry);
	const oneClick = oneClickUnsubscribe(app.database.db, (m, e) => console.error(m, e));
	const server = createServer((req, res) => {
		countResponse(res);
		if (health(req, res) || ready(req, res) || metrics(req, res) || oneClick(req, res) || bodyLimit(req, res)) return;
		// Static files are served before SvelteKit's hooks (which set the other security headers) ever run.
		res.setHeader('x-content-type-options', 'nosniff');
		// Overwrite, never trust, whatever the client sent under this name.
		req.headers[PROTOCOL_HEADER] = 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http';
		handler(req, res, () => {
			res.statusCode = 404;
			res.end('Not found');
		});
	});
	server.on('upgrade', (req, socket, head) => {
		if (!app.handleUpgrade(req, socket, head)) socket.destroy();
	});
	hardenServer(server, config.sync);
	server.once('error', (err: NodeJS.ErrnoException) => {
		const why = err.code === 'EADDRINUSE' ? `port ${config.port} is already in use; set PORT to a free port` : err.message;
		console.error(`Flowdeck could not start: ${why}`);
		void app.close().finally(() => process.exit(1));
	});
	server.listen(config.port, config.host, () => {
		const where = config.databaseUrl ? 'PostgreSQL' : `PGlite in ${config.dataDir}`;
		const shown = config.origin ?? `http://localhost:${config.port}`;
		console.log(`Flowdeck is listening on ${shown} (database: ${where})`);
	});
	/** Set while a SIGTERM's drain runs: ends it at once (a second signal, a crash). */
	let endDrain: ((code: number) => void) | null = null;
	/**
	 * Writes what is unsaved, then exits with `code`: on a signal (0) and after an unexpected error (1). From the first
	 * moment GET /ready answers 503; with `drainMs` the server keeps serving that long first, so a load balancer stops
	 * sending new work here before the sockets close.
	 */
	const shutdown = (reason: string, code = 0, drainMs = 0) => {
		if (endDrain) return endDrain(code);
		// A second signal (an impatient supervisor, a double Ctrl+C) must not kill the process mid-flush.
		if (shuttingDown) {
			console.log(`${reason}: already saving; exiting as soon as everything is written.`);
			return;
		}
		shuttingDown = true;
		if (drainMs > 0) {
			console.log(`${reason}: draining for ${drainMs} ms (GET /ready answers 503, everything else is served), then saving and shutting down…`);
			const timer = setTimeout(() => endDrain?.(code), drainMs);
			endDrain = (then: number) => {
				clearTimeout(timer);
				endDrain = null;
				// A crash during the drain exits non-zero.
				close(reason, Math.max(code, then));
			};
			return;
		}
		close(reason, code);
	};
	const close = (reason: string, code: number) => {
		redis?.close();
		// Counted before the sockets close: this is what the shutdown must still write.
		const { boards, changes } = app.unsaved();
		console.log(`${reason}: saving and shutting down… (${changes} changes not yet stored on ${boards} open boards)`);
		server.close();
		server.closeAllConnections();
		app.close().then(
			() => process.exit(code),
			(err: unknown) => {
				console.error('Shutdown failed:', err);
				process.exit(1);
			}
		);
	};
	process.on('SIGTERM', () => shutdown('SIGTERM', 0, config.shutdownDrainMs));
	process.on('SIGINT', () => shutdown('SIGINT'));
	// A bug must not also lose what people did in the last 100 ms: save like a SIGTERM, then exit non-zero so
	// the supervisor restarts a clean process (an exception left it in a state nobody should keep serving from).
	const crashed = (kind: string) => (err: unknown) => {
		// A lost database connection arriving here is a promise inside the driver that nobody awaited (postgres.js
		// 3.4.9 had several; patches/ fixes those known): every query we await retries on its own, so say so once
		// and keep serving.
		if (kind === 'unhandledRejection' && isLostDatabaseConnection(err)) return console.error(`${kind}: database connection lost (${describeFailure(err)}); writes retry`);
		console.error(`${kind}: an unexpected error; saving what is unsaved, then exiting.`, err);
		// The save is bounded by the sync shutdown deadline; this is the backstop if the error broke the save too.
		setTimeout(() => process.exit(1), config.sync.shutdownFlushMs + 5_000).unref();
		shutdown(kind, 1);
	};
	process.on('uncaughtException', crashed('uncaughtException'));
	process.on('unhandledRejection', crashed('unhandledRejection'));
}

main().catch((err: unknown) => {
	console.error(err instanceof DataDirLockedError || err instanceof Error ? `Flowdeck could not start: ${err.message}` : err);
	process.exit(1);
});
