import { createBoard, createBoards, inviteMembers, type BenchAccount, type BenchBoard } from './accounts.ts';
import type { Endpoint } from './client.ts';
import type { BenchConfig } from './config.ts';
import { pollBoardUpdates, type SeenRow } from './database.ts';
import type { DriverClient } from './driver-client.ts';
import { summarizeFanout, type FanoutSamples, type SentMove } from './fanout.ts';
import type { RoomTarget } from './idle.ts';
import type { PushResult, SyncSamples } from './initial-sync.ts';
import type { BenchResults, ServerProbe } from './report.ts';
import type { BenchServer, OurDatabase } from './servers.ts';
import { sleep } from './stats.ts';
import { topSelfTime, type CpuProfile } from './inspector.ts';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Our server closes a user's 33rd socket (SYNC_MAX_SOCKETS_PER_USER, 32 by default); stay well under it. */
export const SOCKETS_PER_USER = 25;

/** What every phase works with. */
export interface PhaseContext {
	cfg: BenchConfig;
	driver: DriverClient;
	ours: BenchServer;
	reference: BenchServer;
	database: OurDatabase;
	accounts: BenchAccount[];
	/** Makes the reference's room names unique per run. */
	stamp: string;
	log(message: string): void;
}

/** A WebSocket endpoint on our server for one account. */
export function ourEndpoint(server: BenchServer, cookie: string): Endpoint {
	return { wsBase: `ws://127.0.0.1:${server.port}/sync`, cookie, origin: server.url };
}

/** The reference server's endpoint (no auth). */
export function refEndpoint(server: BenchServer): Endpoint {
	return { wsBase: `ws://127.0.0.1:${server.port}/sync`, cookie: '', origin: server.url };
}

/** Median of three RSS readings `gapMs` apart (KiB). */
export async function steadyRss(server: BenchServer, gapMs = 1000): Promise<number> {
	const values: number[] = [];
	for (let i = 0; i < 3; i++) {
		if (i > 0) await sleep(gapMs);
		values.push(server.rssKb());
	}
	return values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

/** Forces full GCs in the server, then reads RSS as `steadyRss` does; also the V8 heap in use (KiB). */
export async function rssAfterGc(server: BenchServer, gapMs = 1000): Promise<{ rss: number; heap: number }> {
	const heap = await server.collectGarbage();
	await sleep(300);
	return { rss: await steadyRss(server, gapMs), heap };
}

/** Waits (up to `maxMs`) until five readings a second apart lie within 1 % of each other. */
export async function rssSettled(server: BenchServer, maxMs: number): Promise<void> {
	const readings: number[] = [];
	for (const deadline = Date.now() + maxMs; Date.now() < deadline; await sleep(1000)) {
		readings.push(server.rssKb());
		const last = readings.slice(-5);
		if (last.length === 5 && Math.max(...last) - Math.min(...last) <= Math.max(...last) / 100) return;
	}
}

/** Top functions by self time of a window profiled on our server (when BENCH_PROFILE=1), and where the profile is. */
export interface ProfileSummary {
	file: string;
	top: { fn: string; ms: number; pct: number }[];
}

/** Runs `run` under the V8 sampling profiler of `server` when profiling is on; saves the profile to the temp folder. */
export async function profiled<T>(ctx: Pick<PhaseContext, 'cfg' | 'stamp' | 'log'>, server: BenchServer, label: string, run: () => Promise<T>): Promise<{ result: T; profile: ProfileSummary | null }> {
	if (!ctx.cfg.profile) return { result: await run(), profile: null };
	const session = await server.inspect();
	try {
		await session.call('Profiler.enable');
		await session.call('Profiler.setSamplingInterval', { interval: 500 });
		await session.call('Profiler.start');
		const result = await run();
		const { profile } = await session.call<{ profile: CpuProfile }>('Profiler.stop');
		const file = join(tmpdir(), `flowdeck-bench-${label}-${ctx.stamp}.cpuprofile`);
		writeFileSync(file, JSON.stringify(profile));
		ctx.log(`CPU profile of ${server.name} during ${label}: ${file}`);
		return { result, profile: { file, top: topSelfTime(profile, 20) } };
	} finally {
		session.close();
	}
}

/** Runs `run` while watching `server` during the driver's sending window: CPU share and event-loop delay. */
export async function probed<T>(ctx: Pick<PhaseContext, 'driver'>, server: BenchServer, run: () => Promise<T>): Promise<{ result: T; probe: { cpuMs: number; wallMs: number; loopP99: number; loopMax: number } }> {
	const session = await server.inspect();
	let window: Promise<{ cpu: number; at: number }> | null = null;
	let end: { cpu: number; at: number; loop: Promise<{ p99: number; max: number }> } | null = null;
	const off = ctx.driver.onEvent((event) => {
		if (event === 'sending') {
			window = session
				.evaluate(`globalThis.__benchLoop = require('node:perf_hooks').monitorEventLoopDelay({ resolution: 5 }); globalThis.__benchLoop.enable(); 1`)
				.then(() => ({ cpu: server.cpuMs(), at: performance.now() }));
		} else if (event === 'sent') {
			end = {
				cpu: server.cpuMs(),
				at: performance.now(),
				loop: session.evaluate(`(() => { const h = globalThis.__benchLoop; h.disable(); return { p99: h.percentile(99) / 1e6, max: h.max / 1e6 }; })()`)
			};
		}
	});
	try {
		const result = await run();
		if (!window || !end) throw new Error('the driver did not report its sending window');
		const start = await (window as Promise<{ cpu: number; at: number }>);
		const stop = end as { cpu: number; at: number; loop: Promise<{ p99: number; max: number }> };
		const loop = await stop.loop;
		return { result, probe: { cpuMs: stop.cpu - start.cpu, wallMs: stop.at - start.at, loopP99: loop.p99, loopMax: loop.max } };
	} finally {
		off();
		session.close();
	}
}

/**
 * Idle memory: one anchor client per board keeps the rooms loaded for the baseline; then `perBoard`
 * more synced clients per board (presence on, no edits); RSS per added connection. Each account owns
 * one board, so no user exceeds the per-user socket cap.
 */
export async function idlePhase(ctx: PhaseContext): Promise<BenchResults['idle']> {
	const { cfg, driver, ours, reference } = ctx;
	const boardCount = Math.ceil(cfg.idle.connections / cfg.idle.perBoard);
	const boards = await createBoards(ctx.accounts.slice(0, boardCount), boardCount, 'Idle');
	const idle: Record<string, unknown> = { connections: boardCount * cfg.idle.perBoard, boards: boardCount, per_board: cfg.idle.perBoard };
	const sides: [string, BenchServer, RoomTarget[]][] = [
		['ours', ours, boards.map((b) => ({ endpoint: ourEndpoint(ours, b.cookie), room: b.boardId }))],
		['reference', reference, boards.map((_, i) => ({ endpoint: refEndpoint(reference), room: `idle-${i}-${ctx.stamp}` }))]
	];
	for (const [name, server, rooms] of sides) {
		await driver.call('openIdle', { rooms, perRoom: 1 });
		await sleep(cfg.idle.settleSeconds * 1000);
		const gap = cfg.quick ? 300 : 1000;
		await server.collectGarbage();
		await rssSettled(server, cfg.quick ? 0 : 30_000);
		const before = await rssAfterGc(server, gap);
		const opened = await driver.call('openIdle', { rooms, perRoom: cfg.idle.perBoard });
		await sleep(cfg.idle.settleSeconds * 1000);
		await server.collectGarbage();
		await rssSettled(server, cfg.quick ? 0 : 30_000);
		const after = await rssAfterGc(server, gap);
		const closed = await driver.call('closeIdle', {});
		const added = boardCount * cfg.idle.perBoard;
		const perConn = Math.round(((after.rss - before.rss) / added) * 10) / 10;
		Object.assign(idle, {
			[`${name}_rss_kb_per_conn`]: perConn,
			[`${name}_heap_kb_per_conn`]: Math.round(((after.heap - before.heap) / added) * 10) / 10,
			[`${name}_rss_before_kb`]: before.rss,
			[`${name}_rss_after_kb`]: after.rss,
			[`${name}_connect_ms`]: opened.ms,
			[`${name}_reconnects`]: closed.reconnects
		});
		ctx.log(`idle ${name}: ${added} connections on ${boardCount} boards, RSS ${before.rss} → ${after.rss} KiB, ${perConn} KiB per connection (V8 heap ${before.heap} → ${after.heap} KiB)`);
		// Our server unloads 200 rooms 2 s after their sockets closed; let that finish before the next measurement.
		await sleep(cfg.quick ? 3_000 : 10_000);
	}
	return idle as BenchResults['idle'];
}

/**
 * Fan-out at each size: a board on our server (members invited so each holds ≤ 25 sockets) and a room on
 * the reference, alternating in `rounds` rounds (ours first, then reference first, …) so that a burst of
 * load from elsewhere on the machine hits both alike; the rounds' samples are merged.
 */
export async function fanoutPhase(ctx: PhaseContext): Promise<BenchResults['fanout']> {
	const { cfg, driver, ours, reference, accounts } = ctx;
	const fanout: BenchResults['fanout'] = [];
	for (const clients of cfg.fanout.clients) {
		const board = await createBoard(accounts[0]!, `Fan-out ${clients}`);
		const members = accounts.slice(0, Math.ceil(clients / SOCKETS_PER_USER));
		await inviteMembers(accounts[0]!, board, members.slice(1));
		const common = { clients, rate: cfg.fanout.rate, seconds: cfg.fanout.seconds / cfg.fanout.rounds, warmupMoves: cfg.fanout.warmupMoves, cards: cfg.fanout.cards };
		const samples = { ours: [] as FanoutSamples[], reference: [] as FanoutSamples[] };
		const probes = { ours: [] as Probe[], reference: [] as Probe[] };
		const profiles: (ProfileSummary | null)[] = [];
		const runOne = async (side: 'ours' | 'reference', round: number) => {
			const server = side === 'ours' ? ours : reference;
			// Both servers start every round idle and with their garbage collected, so one does not pay for the last phase.
			await server.collectGarbage();
			await sleep(cfg.quick ? 300 : 1_000);
			const endpoints = side === 'ours' ? members.map((m) => ourEndpoint(ours, m.cookie)) : [refEndpoint(reference)];
			// Each round on a fresh board/room, so the document does not grow from round to round.
			const room = side === 'ours' ? (round === 0 ? board : await createBoard(accounts[0]!, `Fan-out ${clients} r${round}`)) : null;
			if (room && round > 0) await inviteMembers(accounts[0]!, room, members.slice(1));
			const largest = clients === Math.max(...cfg.fanout.clients) && side === 'ours' && round === 0;
			const go = () => driver.call('fanout', { ...common, endpoints, room: room ? room.boardId : `fanout-${clients}-${round}-${ctx.stamp}` });
			const { result, probe } = await probed(ctx, server, async () => {
				if (!largest) return go();
				const { result, profile } = await profiled(ctx, server, `fanout-${clients}`, go);
				profiles.push(profile);
				return result;
			});
			samples[side].push(result);
			probes[side].push(probe);
		};
		for (let round = 0; round < cfg.fanout.rounds; round++) {
			const order: ('ours' | 'reference')[] = round % 2 === 0 ? ['ours', 'reference'] : ['reference', 'ours'];
			for (const side of order) await runOne(side, round);
		}
		const entry = (side: 'ours' | 'reference') => ({ ...summarizeFanout(samples[side]), ...probeFigures(probes[side]) });
		const o = { ...entry('ours'), ...(profiles[0] ? { profile: profiles[0] } : {}) };
		const r = entry('reference');
		fanout.push({ clients, rate: cfg.fanout.rate, rounds: cfg.fanout.rounds, ours: o, reference: r });
		ctx.log(
			`fan-out ${clients} clients: ours p50 ${o.p50_ms} / p99 ${o.p99_ms} ms (CPU ${o.server_cpu_pct} %, loop p99 ${o.server_loop_delay_p99_ms} ms), ` +
				`reference p50 ${r.p50_ms} / p99 ${r.p99_ms} ms (CPU ${r.server_cpu_pct} %, loop p99 ${r.server_loop_delay_p99_ms} ms)`
		);
	}
	return fanout;
}

/** What `probed` read of a server during one sending window. */
export type Probe = { cpuMs: number; wallMs: number; loopP99: number; loopMax: number };

/** A server's CPU share and worst event-loop delays over the windows of several rounds. */
export function probeFigures(probes: Probe[]): ServerProbe {
	const cpu = probes.reduce((n, p) => n + p.cpuMs, 0);
	const wall = probes.reduce((n, p) => n + p.wallMs, 0);
	return {
		server_cpu_pct: Math.round((cpu / wall) * 1000) / 10,
		server_loop_delay_p99_ms: Math.round(Math.max(...probes.map((p) => p.loopP99)) * 10) / 10,
		server_loop_delay_max_ms: Math.round(Math.max(...probes.map((p) => p.loopMax)) * 10) / 10
	};
}

/** Persistence-lag workload: one writer at the fan-out rate on a fresh board, a few others watching. */
export async function persistLagPhase(ctx: PhaseContext): Promise<{ board: BenchBoard; sends: SentMove[]; polled: SeenRow[] | null }> {
	const { cfg, driver, ours, database } = ctx;
	const board = await createBoard(ctx.accounts[1]!, 'Persistence lag');
	const poller = 'url' in database ? pollBoardUpdates(database.url, board.boardId) : null;
	// PGlite is read after the server stops, from the rows' created_at. A room folds its rows into a snapshot
	// when it unloads, so one idle client keeps this board's room loaded until run.ts stops the server.
	if (!poller) await driver.call('openIdle', { rooms: [{ endpoint: ourEndpoint(ours, board.cookie), room: board.boardId }], perRoom: 1 });
	const run = await driver.call('fanout', {
		endpoints: [ourEndpoint(ours, board.cookie)],
		room: board.boardId,
		clients: cfg.persistLag.clients,
		rate: cfg.persistLag.rate,
		seconds: cfg.persistLag.updates / cfg.persistLag.rate,
		warmupMoves: 0,
		cards: 20
	});
	await sleep(2_000);
	const polled = poller ? await poller.stop() : null;
	ctx.log(`persistence lag workload: ${run.sends.length} moves sent`);
	return { board, sends: run.sends, polled };
}

/** Loads the generated big board onto our server and the same state onto the reference. */
export async function loadBigBoard(ctx: PhaseContext): Promise<{ board: BenchBoard; refRoom: string; pushed: PushResult }> {
	const { cfg, driver, ours, reference } = ctx;
	const board = await createBoard(ctx.accounts[2]!, 'Big board');
	ctx.log(`loading ${cfg.initialSync.cards} cards + ${cfg.initialSync.moves} moves (generated once, then cached)…`);
	const pushed = await driver.call('pushBoard', { endpoint: ourEndpoint(ours, board.cookie), room: board.boardId, cards: cfg.initialSync.cards, moves: cfg.initialSync.moves });
	const refRoom = `big-${ctx.stamp}`;
	await driver.call('pushState', { endpoint: refEndpoint(reference), room: refRoom });
	ctx.log(`board loaded: ${pushed.docBytes} bytes (generated in ${pushed.generatedMs} ms, pushed in ${pushed.pushMs} ms)`);
	return { board, refRoom, pushed };
}

/** Soak on our server: warm up, baseline, churn for the configured minutes, everyone leaves, wait, compare. */
export async function soakPhase(ctx: PhaseContext): Promise<BenchResults['soak']> {
	const { cfg, driver, ours } = ctx;
	const soakBoards = await createBoards(ctx.accounts.slice(0, cfg.soak.boards), cfg.soak.boards, 'Soak');
	const rooms = soakBoards.map((b) => ({ endpoint: ourEndpoint(ours, b.cookie), room: b.boardId }));
	const rate = 20;
	await driver.call('soak', { rooms, clients: cfg.soak.clients, seconds: cfg.soak.warmupSeconds, rate });
	// Baseline and final reading are taken alike: the same time after everyone left.
	await sleep(cfg.soak.settleSeconds * 1000);
	const baseline = await steadyRss(ours);
	const baselineHeap = await ours.collectGarbage();
	let peak = baseline;
	let low = baseline;
	const sampler = setInterval(() => {
		const rss = ours.rssKb();
		peak = Math.max(peak, rss);
		low = Math.min(low, rss);
	}, 2_000);
	ctx.log(`soak: ${cfg.soak.minutes} min, baseline RSS ${baseline} KiB`);
	const run = await driver.call('soak', { rooms, clients: cfg.soak.clients, seconds: cfg.soak.minutes * 60, rate });
	await sleep(cfg.soak.settleSeconds * 1000);
	clearInterval(sampler);
	const after = await steadyRss(ours);
	// Diagnostics: what remains once garbage is collected (a leak survives this; lazy GC does not).
	const afterGc = await rssAfterGc(ours);
	const growth = Math.round(((after - baseline) / baseline) * 1000) / 10;
	ctx.log(`soak: RSS ${baseline} → peak ${peak} → ${after} KiB (${growth} %), ${run.commands} commands in ${run.sessions} sessions`);
	return {
		minutes: cfg.soak.minutes,
		rss_growth_pct: growth,
		baseline_rss_kb: baseline,
		peak_rss_kb: peak,
		lowest_rss_kb: low,
		after_rss_kb: after,
		settle_seconds: cfg.soak.settleSeconds,
		baseline_heap_kb: baselineHeap,
		after_gc_rss_kb: afterGc.rss,
		after_gc_heap_kb: afterGc.heap,
		rate,
		...run
	};
}

/** Time-to-synced of new clients: on our server every sample loads the board from the database. */
export async function initialSyncPhase(
	ctx: PhaseContext,
	big: { board: BenchBoard; refRoom: string }
): Promise<{ ours: SyncSamples; reference: SyncSamples; profile: ProfileSummary | null }> {
	const { cfg, driver, ours, reference } = ctx;
	const common = { samples: cfg.initialSync.samples, expectCards: cfg.initialSync.cards };
	// The room unloads SYNC_UNLOAD_GRACE_MS (2 s) after the last client left; wait well past it.
	const { result: o, profile } = await profiled(ctx, ours, 'initial-sync', () =>
		driver.call('syncSamples', { ...common, endpoint: ourEndpoint(ours, big.board.cookie), room: big.board.boardId, betweenMs: cfg.initialSync.unloadWaitMs })
	);
	const r = await driver.call('syncSamples', { ...common, endpoint: refEndpoint(reference), room: big.refRoom, betweenMs: 200 });
	ctx.log(`initial sync p95: ours ${o.synced_p95_ms} ms, reference ${r.synced_p95_ms} ms`);
	return { ours: o, reference: r, profile };
}
