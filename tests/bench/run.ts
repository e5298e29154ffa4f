// `npm run bench [-- --quick]`: our server and the reference server side by side, on loopback, with
// the load driver in a third process. Prints a markdown table and writes tests/bench/results.json.
import { spawnSync, execSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchConfig, type BenchConfig } from './config.ts';
import { signUpAccounts } from './accounts.ts';
import { createScratchDatabase, readPgliteBoardUpdates, storedSize } from './database.ts';
import { startDriver } from './driver-client.ts';
import { fanoutPhase, idlePhase, initialSyncPhase, loadBigBoard, persistLagPhase, soakPhase, type PhaseContext } from './phases.ts';
import { persistenceLag } from './persist-lag.ts';
import { isolationPhase, type IsolationResult } from './isolation.ts';
import { checkTargets, isolationRows, isolationTargets, markdownReport, processTargets, statsRows, statsTargets, type BenchResults, type TargetCheck } from './report.ts';
import { statsApiPhase, type StatsApiConfig } from './stats-api.ts';
import { snapshotApp, type AppSnapshot } from './snapshot.ts';
import { freePort, root, startOurServer, startReferenceServer, type BenchServer, type OurDatabase } from './servers.ts';

const started = Date.now();
const log = (message: string) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}`);

/** Re-runs this process under a raised open-files limit when the idle phase's sockets would not fit. */
function ensureFileLimit(needed: number): void {
	const soft = execSync('ulimit -n', { shell: '/bin/sh' }).toString().trim();
	if (soft === 'unlimited' || Number(soft) >= needed) return;
	const hard = execSync('ulimit -Hn', { shell: '/bin/sh' }).toString().trim();
	if (process.env.BENCH_NOFILE_RAISED || (hard !== 'unlimited' && Number(hard) < needed)) {
		throw new Error(`The open-files limit is ${soft} (hard ${hard}); this run needs ${needed}. Raise it (ulimit -n) or lower BENCH_IDLE_CONNECTIONS.`);
	}
	log(`raising the open-files limit from ${soft} to ${hard} for the benchmark's processes`);
	const result = spawnSync('/bin/sh', ['-c', `ulimit -n ${hard} && exec "$0" "$@"`, process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
		stdio: 'inherit',
		env: { ...process.env, BENCH_NOFILE_RAISED: '1' }
	});
	process.exit(result.status ?? 1);
}

/** `--only=…`: one phase's result merged into an existing results.json (other keys kept), and its report printed. */
function writeOnly(cfg: BenchConfig, key: 'stats' | 'isolation' | 'initialSyncOnly', value: unknown, title: string, rows: string[], checks: TargetCheck[], load: string): void {
	const previous = existsSync(cfg.resultsPath) ? (JSON.parse(readFileSync(cfg.resultsPath, 'utf8')) as Record<string, unknown>) : {};
	writeFileSync(cfg.resultsPath, JSON.stringify({ ...previous, [key]: value }, null, '\t') + '\n');
	const lines = [`## ${title} (${Math.round((Date.now() - started) / 1000)} s)`, '', '| figure | measured | — |', '| --- | --- | --- |', ...rows, ''];
	lines.push('| target | goal | measured | result |', '| --- | --- | --- | --- |');
	for (const c of checks) lines.push(`| ${c.figure} | ${c.target} | ${c.measured} | ${c.pass ? 'PASS' : '**MISS**'} |`);
	lines.push('', load);
	console.log('\n' + lines.join('\n') + `\n\nWrote the "${key}" key of ${cfg.resultsPath}`);
}

/** `--only=stats`: the stats API phase alone. */
async function statsOnly(cfg: BenchConfig, statsCfg: StatsApiConfig): Promise<void> {
	const stats = await statsApiPhase(statsCfg);
	const load = `Load average (1 min) at start ${stats.load_average_at_start[0]}, at end ${stats.load_average_at_end[0]} on ${cpus().length} cores.`;
	writeOnly(cfg, 'stats', stats, 'Flowdeck stats API benchmark', statsRows(stats), [...statsTargets(stats), ...processTargets(stats)], load);
}

/** Builds the app if build/ is missing: our server serves its pages (sign-up, boards) from it. */
function ensureBuild(): void {
	if (existsSync(join(root, 'build', 'handler.js'))) return;
	log('no build/ yet: building the app (our server serves its pages from it)');
	const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
	if (spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' }).status !== 0) throw new Error('build failed');
}

/** Our server's database for the run: a scratch PostgreSQL database (BENCH_DATABASE_URL) or a temporary PGlite folder. */
async function runDatabase(cfg: BenchConfig, cleanups: (() => Promise<void> | void)[]): Promise<{ database: OurDatabase; dbName: string }> {
	if (cfg.adminDatabaseUrl) {
		const scratch = await createScratchDatabase(cfg.adminDatabaseUrl);
		cleanups.push(() => scratch.drop());
		return { database: { url: scratch.url }, dbName: 'PostgreSQL' };
	}
	const dataDir = mkdtempSync(join(tmpdir(), 'flowdeck-bench-'));
	cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
	return { database: { dataDir }, dbName: 'PGlite' };
}

const loadNow = () => loadavg().map((l) => Math.round(l * 100) / 100);

/** What a results.json section records about the run it came from: code, database, machine, load, when. */
function runConditions(app: AppSnapshot, dbName: string, loadAtStart: number[]): Record<string, unknown> {
	return {
		commit: app.commit,
		uncommitted_server_files: app.dirty,
		database: dbName,
		node: process.version,
		cores: cpus().length,
		cpu: cpus()[0]?.model,
		memory_gib: Math.round(totalmem() / 2 ** 30),
		load_average_at_start: loadAtStart,
		load_average_at_end: loadNow(),
		duration_s: Math.round((Date.now() - started) / 1000),
		date: new Date().toISOString()
	};
}

/** `--only=isolation`: our server alone, the isolation phase, nothing else (well under 2 minutes). */
async function isolationOnly(cfg: BenchConfig): Promise<void> {
	ensureBuild();
	const cleanups: (() => Promise<void> | void)[] = [];
	let ours: BenchServer | null = null;
	try {
		const app = await snapshotApp();
		cleanups.push(() => app.remove());
		const { database, dbName } = await runDatabase(cfg, cleanups);
		const loadAtStart = loadNow();
		log(`isolation only; our server on ${dbName} from ${app.commit}; ${cpus().length} cores, load average ${loadAtStart.join(' ')}`);
		ours = await startOurServer(database, await freePort(), app.dir);
		const server = ours;
		cleanups.push(() => server.stop());
		const driver = startDriver();
		cleanups.push(() => driver.stop());
		const accounts = await signUpAccounts(ours.url, 2);
		const isolation: IsolationResult = await isolationPhase({ cfg, driver, ours, accounts, stamp: Date.now().toString(36), log });
		isolation.conditions = { mode: cfg.quick ? 'quick' : 'full', ...runConditions(app, dbName, loadAtStart) };
		const load = `Load average (1 min) at start ${loadAtStart[0]}, at end ${loadNow()[0]} on ${cpus().length} cores; ${dbName}; commit ${app.commit}${app.dirty.length ? ` plus ${app.dirty.length} uncommitted server/src file(s)` : ''}.`;
		writeOnly(cfg, 'isolation', isolation, `Flowdeck isolation benchmark (${dbName})`, isolationRows(isolation), isolationTargets(isolation), load);
	} catch (err) {
		if (ours) console.error(`--- ours server output (tail) ---\n${ours.output().slice(-3000)}`);
		throw err;
	} finally {
		for (const fn of cleanups.reverse()) await fn();
	}
}

/**
 * `--only=initial-sync`: the big board pushed to both servers, our server restarted, then the initial-sync samples
 * (as in the full run; about 4 minutes at full size once the board is cached).
 */
async function initialSyncOnly(cfg: BenchConfig): Promise<void> {
	ensureBuild();
	const cleanups: (() => Promise<void> | void)[] = [];
	const servers: BenchServer[] = [];
	try {
		const app = await snapshotApp();
		cleanups.push(() => app.remove());
		const { database, dbName } = await runDatabase(cfg, cleanups);
		const loadAtStart = loadNow();
		log(`initial sync only; our server on ${dbName} from ${app.commit}; ${cpus().length} cores, load average ${loadAtStart.join(' ')}`);
		const [oursPort, refPort] = [await freePort(), await freePort()];
		const [ours, reference] = await Promise.all([startOurServer(database, oursPort, app.dir), startReferenceServer(refPort)]);
		servers.push(ours, reference);
		cleanups.push(() => Promise.all(servers.map((s) => s.stop())).then(() => {}));
		const driver = startDriver();
		cleanups.push(() => driver.stop());
		const accounts = await signUpAccounts(ours.url, 3);
		const ctx: PhaseContext = { cfg, driver, ours, reference, database, accounts, stamp: Date.now().toString(36), log };
		const big = await loadBigBoard(ctx);
		// As in the full run: from here on our server serves the big board only from the database.
		await ctx.ours.stop();
		ctx.ours = servers[0] = await startOurServer(database, oursPort, app.dir);
		const sync = await initialSyncPhase(ctx, big);
		const result = { cards: cfg.initialSync.cards, moves: cfg.initialSync.moves, doc_bytes: big.pushed.docBytes, ours: sync.ours, reference: sync.reference, ...(sync.profile ? { ours_profile: sync.profile } : {}), conditions: runConditions(app, dbName, loadAtStart) };
		const rows = [
			`| ours p50 / p95 / first after restart | ${sync.ours.synced_p50_ms} / ${sync.ours.synced_p95_ms} / ${sync.ours.first_ms} ms (frame arrived p95 ${sync.ours.received_p95_ms} ms) | |`,
			`| reference p50 / p95 | ${sync.reference.synced_p50_ms} / ${sync.reference.synced_p95_ms} ms (frame arrived p95 ${sync.reference.received_p95_ms} ms) | |`,
			`| ours samples | ${sync.ours.samples.join(', ')} ms | |`
		];
		const checks: TargetCheck[] = [{ figure: `initial sync p95, ${cfg.initialSync.cards} cards + ${cfg.initialSync.moves} moves`, target: '≤ 300 ms', measured: `${sync.ours.synced_p95_ms} ms`, pass: sync.ours.synced_p95_ms <= 300 }];
		const load = `Load average (1 min) at start ${loadAtStart[0]}, at end ${loadNow()[0]} on ${cpus().length} cores; ${dbName}; commit ${app.commit}${app.dirty.length ? ` plus ${app.dirty.length} uncommitted server/src file(s)` : ''}.`;
		writeOnly(cfg, 'initialSyncOnly', result, `Flowdeck initial-sync benchmark (${dbName})`, rows, checks, load);
	} catch (err) {
		if (servers[0]) console.error(`--- ours server output (tail) ---\n${servers[0].output().slice(-3000)}`);
		throw err;
	} finally {
		for (const fn of cleanups.reverse()) await fn();
	}
}

async function main(): Promise<void> {
	const cfg = benchConfig(process.argv.slice(2), process.env, join(root, 'tests', 'bench', 'results.json'));
	const statsCfg: StatsApiConfig = { ...cfg.stats, migrationsFolder: join(root, 'drizzle'), log };
	if (cfg.only === 'stats') return statsOnly(cfg, statsCfg);
	if (cfg.only === 'isolation') return isolationOnly(cfg);
	if (cfg.only === 'initial-sync') return initialSyncOnly(cfg);
	const idleBoards = Math.ceil(cfg.idle.connections / cfg.idle.perBoard);
	// Each process (driver, server) holds one descriptor per socket, plus files and the database.
	ensureFileLimit(cfg.idle.connections + idleBoards + 2_000);
	ensureBuild();
	const cleanups: (() => Promise<void> | void)[] = [];
	const servers: BenchServer[] = [];
	try {
		const app = await snapshotApp();
		cleanups.push(() => app.remove());
		const migrations = join(app.dir, 'drizzle');
		log(`running our server from a copy of the app at ${app.commit}${app.dirty.length ? ` plus ${app.dirty.length} uncommitted server/src file(s)` : ''}`);
		const { database, dbName } = await runDatabase(cfg, cleanups);
		const loadAtStart = loadNow();
		// Other work on the machine distorts every figure: keep a record of it.
		const loadSamples: number[] = [];
		const loadTimer = setInterval(() => loadSamples.push(loadavg()[0]!), 10_000);
		cleanups.push(() => clearInterval(loadTimer));
		log(`${cfg.quick ? 'quick run' : 'full run'}; our server on ${dbName}; ${cpus().length} cores, load average ${loadAtStart.join(' ')}`);
		const [oursPort, refPort] = [await freePort(), await freePort()];
		const [ours, reference] = await Promise.all([startOurServer(database, oursPort, app.dir), startReferenceServer(refPort)]);
		servers.push(ours, reference);
		cleanups.push(() => Promise.all(servers.map((s) => s.stop())).then(() => {}));
		const driver = startDriver();
		cleanups.push(() => driver.stop());
		// Enough accounts that each idle board has its own owner (the per-user socket cap).
		const accounts = await signUpAccounts(ours.url, Math.max(idleBoards, cfg.soak.boards, 8));
		log(`signed up ${accounts.length} accounts`);
		const ctx: PhaseContext = { cfg, driver, ours, reference, database, accounts, stamp: Date.now().toString(36), log };

		// Sign-ups hash passwords with argon2 (19 MiB each, natively), and the allocator keeps and later
		// returns that memory at its own pace: measure idle memory in a fresh process that did none of it.
		await ctx.ours.stop();
		ctx.ours = servers[0] = await startOurServer(database, oursPort, app.dir);
		const idle = await idlePhase(ctx);
		const fanout = await fanoutPhase(ctx);
		const lagRun = await persistLagPhase(ctx);
		let lagRows = lagRun.polled;
		if (!lagRows) {
			// PGlite can be read only with the server gone, and before anything else (the big board's push) can
			// starve the client that keeps the lag board's room loaded: an unloading room, and a server shutting
			// down, fold their rows into a snapshot. Every row was written long ago (the phase waits 2 s), so
			// SIGKILL loses nothing and keeps the rows.
			await ctx.ours.kill();
			await driver.call('closeIdle', {});
			lagRows = await readPgliteBoardUpdates((database as { dataDir: string }).dataDir, lagRun.board.boardId, migrations);
			ctx.ours = servers[0] = await startOurServer(database, oursPort, app.dir);
		}
		const persistLag = persistenceLag(lagRun.sends, lagRows, lagRun.polled ? 'seen' : 'created');
		log(`persistence lag p50 ${persistLag.p50_ms} / p99 ${persistLag.p99_ms} ms (${persistLag.method})`);
		const big = await loadBigBoard(ctx);

		// Restart our server: from here on it serves the big board only from the database.
		await ctx.ours.stop();
		const stored = await storedSize(database, big.board.boardId, migrations);
		ctx.ours = await startOurServer(database, oursPort, app.dir);
		servers[0] = ctx.ours;

		const soak = await soakPhase(ctx);
		const sync = await initialSyncPhase(ctx, big);
		// Last on our server: the attacker's board grows, and its sockets come and go.
		const isolation = await isolationPhase(ctx);
		// In this process, against its own databases; the servers are idle by now.
		const stats = await statsApiPhase(statsCfg);

		const results: BenchResults = {
			fanout,
			initialSync: {
				cards: cfg.initialSync.cards,
				moves: cfg.initialSync.moves,
				ours_p95_ms: sync.ours.synced_p95_ms,
				reference_p95_ms: sync.reference.synced_p95_ms,
				doc_bytes: big.pushed.docBytes,
				doc_bytes_v2: big.pushed.docBytesV2,
				stored_bytes: stored.bytes + stored.snapshotBytes,
				stored_rows: stored.rows,
				sync_frame_bytes: sync.ours.stepTwoBytes,
				ours_p50_ms: sync.ours.synced_p50_ms,
				ours_received_p95_ms: sync.ours.received_p95_ms,
				ours_first_after_restart_ms: sync.ours.first_ms,
				ours_samples_ms: sync.ours.samples,
				reference_p50_ms: sync.reference.synced_p50_ms,
				reference_received_p95_ms: sync.reference.received_p95_ms,
				reference_samples_ms: sync.reference.samples,
				generated_in_shards: big.pushed.shards,
				...(sync.profile ? { ours_profile: sync.profile } : {})
			},
			idle,
			persistLag,
			soak,
			stats,
			isolation,
			conditions: {
				mode: cfg.quick ? 'quick (reduced sizes: not the targets’ workloads)' : 'full',
				...runConditions(app, dbName, loadAtStart),
				load_average_1min_during: {
					min: Math.min(...loadSamples),
					mean: Math.round((loadSamples.reduce((a, b) => a + b, 0) / Math.max(1, loadSamples.length)) * 100) / 100,
					max: Math.max(...loadSamples)
				}
			}
		};
		const checks = checkTargets(results);
		results.targets = checks;
		writeFileSync(cfg.resultsPath, JSON.stringify(results, null, '\t') + '\n');
		const title = `## Flowdeck sync benchmark (${cfg.quick ? 'quick' : 'full'}, ${dbName}, ${Math.round((Date.now() - started) / 1000)} s)`;
		console.log('\n' + markdownReport(results, checks, title));
		console.log(`\nWrote ${cfg.resultsPath}`);
	} catch (err) {
		for (const server of servers) console.error(`--- ${server.name} server output (tail) ---\n${server.output().slice(-3000)}`);
		throw err;
	} finally {
		for (const fn of cleanups.reverse()) await fn();
	}
}

main().then(
	() => process.exit(0),
	(err: unknown) => {
		console.error(err);
		process.exit(1);
	}
);
