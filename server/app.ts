import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { openDatabase, type Database } from '../src/lib/server/db/client.ts';
import { rebuildMissingCardFlow } from '../src/lib/server/card-flow.ts';
import { rebuildMissingStageAttempts } from '../src/lib/server/stage-attempts.ts';
import { installAppContext, type AppContext } from '../src/lib/server/context.ts';
import { systemClock } from '../src/lib/server/clock.ts';
import type { ServerConfig } from './config.ts';
import { drizzleDocumentStore } from './persistence/drizzle-document-store.ts';
import { RoomRegistry } from './sync/room-registry.ts';
import { EnginePool } from './engine/engine-pool.ts';
import { createUpgradeHandler } from './sync/upgrade.ts';
import { syncAccessListener } from './sync/access-listener.ts';
import { SessionWatch } from './sync/session-watch.ts';
import { UserInputBudgets, frameCeiling } from './sync/input-budget.ts';
import { persistenceExtension } from './persistence/persistence-extension.ts';
import { teamRoleMirror, teamRoleMirrorExtension } from './process/team-role-mirror.ts';
import type { Clock } from '../src/lib/server/clock.ts';
import { DEFAULT_JOB_RUNNER_OPTIONS, JobRunner, type JobRunnerOptions } from './jobs/job-runner.ts';
import { localNotificationHub } from '../src/lib/server/notifications/hub.ts';
import { noMailer, type Mailer } from '../src/lib/server/notifications/mailer.ts';
import { notify } from '../src/lib/server/notifications/notify.ts';
import { smtpMailer } from './mail/smtp-mailer.ts';
import { installMail } from './mail/install.ts';
import { installProcessDigest } from './mail/process-digest.ts';
import { createWebhooks } from './webhooks/install.ts';
import { rulesInstaller } from './rules/install.ts';
import { notificationProducers } from './notifications/install.ts';
import { localCardHub } from '../src/lib/server/comments/card-hub.ts';
import { uploadSettings } from '../src/lib/server/attachments/storage.ts';
import { searchProjection } from './search/install.ts';
import { DEFAULT_SEARCH_TIMINGS, type SearchTimings } from './search/search-extension.ts';
import { cardPurge } from './cards/card-purge.ts';
import { Registry } from 'prom-client';
import { createAppMetrics } from './metrics/app-metrics.ts';
import { openCluster } from './cluster/install.ts';

/** What tests may replace when starting the app in-process. */
export interface FlowdeckOverrides {
	clock?: Clock;
	mailer?: Mailer;
	jobs?: Partial<JobRunnerOptions>;
	/** False: the job runner does not poll (a test calls `jobs.runDue()` after moving its fake clock). */
	pollJobs?: boolean;
	/** How long a webhook attempt may take (default 10 s). */
	webhookTimeoutMs?: number;
	/** False: boards never indexed for search are not indexed at start-up (a test runs `searchBackfill()` itself). */
	searchBackfill?: boolean;
	/** The search projection's delays (a test shortens the description delay). */
	search?: Partial<SearchTimings>;
	/** How long a deleted card keeps its files and comments for an undo (default 10 minutes). */
	cardPurgeDelayMs?: number;
	/** Where the app registers its metrics (index.ts passes the Registry GET /metrics serves; default a private one). */
	metrics?: Registry;
}

/** A running Flowdeck backend: database, request context and the realtime upgrade handler. */
export interface Flowdeck {
	ctx: AppContext;
	database: Database;
	/** The open board rooms (exposed for in-process tests and diagnostics). */
	rooms: RoomRegistry;
	/** The scheduler of timed work (tests run it by hand under a fake clock). */
	jobs: JobRunner;
	/** Indexes for search every board never indexed (run once in the background at start-up); resolves with how many. */
	searchBackfill(): Promise<number>;
	/** Handles an HTTP upgrade for `/sync/...`; returns false if the path is not ours. */
	handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
	/** Changes applied in memory but not yet written, over the boards with open sockets (for the shutdown log). */
	unsaved(): { boards: number; changes: number };
	/** Closes sockets, writes every unsaved change, closes the database; safe to call twice. */
	close(): Promise<void>;
}

/** Opens the database (applying migrations) and builds the context the routes use and the realtime endpoint. */
export async function startFlowdeck(config: ServerConfig, overrides: FlowdeckOverrides = {}): Promise<Flowdeck> {
	const database = await openDatabase(
		config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir },
		config.migrationsFolder
	);
	const clock = overrides.clock ?? systemClock;
	const log = (message: string, err?: unknown) => (err === undefined ? console.error(message) : console.error(message, err));
	const rebuilt = await rebuildMissingCardFlow(database.db);
	if (rebuilt.length > 0) log(`Flow history rebuilt for ${rebuilt.length} board(s) after an upgrade.`);
	const attempts = await rebuildMissingStageAttempts(database.db);
	if (attempts.length > 0) log(`Process review history built for ${attempts.length} board(s) after an upgrade.`);
	const engines = new EnginePool(config.sync.engineThreads, log, config.sync.engineExtensions);
	engines.warm();
	// Several instances (REDIS_URL): boards load only under a lease, and every write checks its fence.
	const cluster = await openCluster(config, database.db, log);
	const store = drizzleDocumentStore(database.db, clock, cluster?.leases);
	const webhooks = createWebhooks(log, { timeoutMs: overrides.webhookTimeoutMs });
	// The mirror needs the registry and the registry's rooms tell the mirror when they open: bound once both exist.
	const metrics = createAppMetrics(overrides.metrics ?? new Registry());
	const rules = rulesInstaller(log, metrics.ruleRun);
	const notifications = notificationProducers(log);
	const search = searchProjection(log, { ...DEFAULT_SEARCH_TIMINGS, ...overrides.search });
	const purge = cardPurge(log, overrides.cardPurgeDelayMs);
	const rooms: RoomRegistry = new RoomRegistry(
		store,
		config.sync,
		log,
		engines,
		[persistenceExtension(store, config.sync, metrics.persistence), teamRoleMirrorExtension(() => teamRoles), rules.extension, webhooks.extension, notifications.extension, search.extension, purge.extension, metrics.roomExtension],
		cluster?.registryHooks((): RoomRegistry => rooms)
	);
	const teamRoles = teamRoleMirror(database.db, rooms, log);
	const access = syncAccessListener(rooms, database.db, log);
	metrics.watch({ rooms, db: database.db, clock });
	const jobs = new JobRunner(database.db, clock, log, { ...DEFAULT_JOB_RUNNER_OPTIONS, ...(config.jobPollMs ? { pollMs: config.jobPollMs } : {}), ...overrides.jobs });
	const hub = localNotificationHub();
	const mailer = overrides.mailer ?? (config.mail?.smtpUrl ? smtpMailer(config.mail.smtpUrl, config.mail.from) : noMailer);
	// A member who leaves (or is removed, or rejoins) holds their team roles only while a member.
	const localAccess = {
		...access,
		membershipChanged(boardId: string, userId: string) {
			access.membershipChanged(boardId, userId);
			void teamRoles.changed(boardId);
		}
	};
	const ctx: AppContext = {
		db: database.db,
		clock,
		access: cluster ? cluster.access(localAccess) : localAccess,
		documents: rooms,
		teamRoles,
		jobs,
		hub,
		mailer,
		cardHub: localCardHub(),
		uploads: uploadSettings(config.uploads, config.dataDir),
		notify: (input) => notify({ db: database.db, clock, hub, jobs, mailer }, input),
		publicOrigin: config.origin ?? null,
		webhookAllowPrivate: config.webhookAllowPrivate ?? false
	};
	installAppContext(ctx);
	installMail(jobs, ctx);
	installProcessDigest(ctx, jobs, log);
	webhooks.install(ctx, jobs);
	rules.start(ctx, jobs);
	notifications.install(ctx, jobs);
	search.install(database.db, clock);
	purge.install(ctx, jobs);
	// Boards from before search existed: indexed in the background, a second after start-up, one at a time.
	const backfillTimer = overrides.searchBackfill === false ? null : setTimeout(() => void search.backfill(rooms).catch((err: unknown) => log('Search: the start-up indexing pass failed', err)), 1_000);
	backfillTimer?.unref();
	// Each socket lowers its own cap to maxPayload once its catch-up (offline work) arrived; see input-budget.ts.
	const wss = new WebSocketServer({ noServer: true, maxPayload: frameCeiling(config.sync) });
	const sessions = new SessionWatch({
		db: database.db,
		clock,
		connections: function* () {
			for (const { conn } of rooms.connections()) yield conn;
		},
		intervalMs: config.sync.sessionCheckMs,
		log
	});
	sessions.start();
	if (overrides.pollJobs !== false) jobs.start();
	const budgets = new UserInputBudgets(config.sync);
	cluster?.serve({ registry: rooms, sessions, budgets, pingIntervalMs: config.sync.pingIntervalMs });
	const relay = cluster ? { to: cluster.relay, alive: (instance: string) => cluster.cluster.alive(instance) } : undefined;
	const handleUpgrade = createUpgradeHandler({ db: database.db, clock, registry: rooms, wss, origin: config.origin, sessions, budgets, relay, log });
	let closing: Promise<void> | undefined;
	return {
		ctx,
		database,
		rooms,
		jobs,
		handleUpgrade,
		searchBackfill: () => search.backfill(rooms),
		unsaved() {
			const boards = new Set<string>();
			let changes = 0;
			for (const { boardId } of rooms.connections()) {
				if (boards.has(boardId)) continue;
				boards.add(boardId);
				changes += rooms.peek(boardId)?.unsaved ?? 0;
			}
			return { boards: boards.size, changes };
		},
		close() {
			closing ??= (async () => {
				sessions.stop();
				if (backfillTimer) clearTimeout(backfillTimer);
				search.stop();
				await jobs.stop();
				await webhooks.close();
				await rooms.close();
				await cluster?.close();
				await engines.close();
				wss.close();
				await database.close();
			})();
			return closing;
		}
	};
}
