// The stats API at scale: a year of generated history (100,000 events by default) written in bulk in the
// recorder's row shape, then the function the route calls (`boardStats`) timed warm on PostgreSQL and PGlite.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase, type Database } from '../../src/lib/server/db/client.ts';
import { boardStats, parseStatsQuery } from '../../src/lib/server/stats.ts';
import { insertCardEvents } from '../../src/lib/server/history.ts';
import { generateFlowHistory, insertFlowHistory, type FlowHistory } from '../helpers/flow-history.ts';
import { createScratchDatabase } from './database.ts';
import { timeProcess } from './process-api.ts';
import { liveBoard } from '../helpers/process-board.ts';
import { percentile, round1 } from './stats.ts';
import { timeCalls, type RangeTiming } from './timed-calls.ts';

const DAY = 86_400_000;

/** What the phase needs: sizes, where PostgreSQL is, the migrations, and a logger. */
export interface StatsApiConfig {
	events: number;
	samples: number;
	warmups: number;
	/** Admin URL to create a scratch database on; PostgreSQL is skipped (and says so) without one. */
	postgresAdminUrl: string | undefined;
	migrationsFolder: string;
	log(message: string): void;
}

/** `results.json`'s `stats` key. */
export interface StatsApiResult {
	events: number;
	cards: number;
	days: number;
	postgresql: DatabaseTimings | { skipped: string };
	pglite: DatabaseTimings;
	load_average_at_start: number[];
	load_average_at_end: number[];
	date: string;
}

/** Timings per range on one database, how long the bulk insert took, and what a history batch costs afterwards. */
export interface DatabaseTimings {
	insert_ms: number;
	last_90_days: RangeTiming;
	whole_history: RangeTiming;
	/** `insertCardEvents` with 10 moves of 10 cards (what the history writer sends), card_flow rebuild included. */
	write_batch: { batches: number; p50_ms: number; p95_ms: number; max_ms: number };
	/** What GET /api/boards/<id>/process computes (review, missed deadlines, delivery risk), same ranges. */
	process?: { open_cards: number; last_90_days: RangeTiming; whole_history: RangeTiming };
}

/** Generates the history once, then measures each database in turn. */
export async function statsApiPhase(cfg: StatsApiConfig): Promise<StatsApiResult> {
	const loadAtStart = loadavg().map((l) => Math.round(l * 100) / 100);
	// A fixed "now" at a whole minute keeps runs comparable; the history ends there.
	const now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
	const days = 365;
	const history = generateFlowHistory({ boardId: 'bench-stats', seed: 2026, events: cfg.events, end: now.getTime(), days, targets: true });
	cfg.log(`stats API: generated ${history.events.length.toLocaleString('en')} events for ${history.cards.toLocaleString('en')} cards over ${days} days`);
	let postgresql: StatsApiResult['postgresql'] = { skipped: 'no BENCH_DATABASE_URL or TEST_DATABASE_URL' };
	if (cfg.postgresAdminUrl) {
		const scratch = await createScratchDatabase(cfg.postgresAdminUrl);
		try {
			postgresql = await measure(cfg, 'PostgreSQL', { url: scratch.url }, history, now, days);
		} finally {
			await scratch.drop();
		}
	} else cfg.log('stats API: PostgreSQL skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
	const dataDir = mkdtempSync(join(tmpdir(), 'flowdeck-bench-stats-'));
	try {
		const pglite = await measure(cfg, 'PGlite', { dataDir }, history, now, days);
		return {
			events: history.events.length,
			cards: history.cards,
			days,
			postgresql,
			pglite,
			load_average_at_start: loadAtStart,
			load_average_at_end: loadavg().map((l) => Math.round(l * 100) / 100),
			date: new Date().toISOString()
		};
	} finally {
		rmSync(dataDir, { recursive: true, force: true });
	}
}

async function measure(cfg: StatsApiConfig, name: string, where: { url: string } | { dataDir: string }, history: FlowHistory, now: Date, days: number): Promise<DatabaseTimings> {
	const database = await openDatabase(where, cfg.migrationsFolder);
	try {
		const started = performance.now();
		await insertFlowHistory(database.db, history, 'Stats benchmark');
		// What autovacuum does after a bulk load: planner statistics and the visibility map.
		await database.db.execute(sql`vacuum analyze card_events`);
		await database.db.execute(sql`vacuum analyze board_stages`);
		await database.db.execute(sql`vacuum analyze card_flow`);
		await database.db.execute(sql`vacuum analyze stage_attempts`);
		const insertMs = Math.round(performance.now() - started);
		cfg.log(`stats API on ${name}: inserted in ${insertMs} ms`);
		const today = now.toISOString().slice(0, 10);
		const day = (ago: number) => new Date(now.getTime() - ago * DAY).toISOString().slice(0, 10);
		const last90 = await timeRange(cfg, database, now, day(89), today);
		cfg.log(`stats API on ${name}, last 90 days: p50 ${last90.p50_ms} / p95 ${last90.p95_ms} ms (${last90.response_bytes.toLocaleString('en')} bytes)`);
		const whole = await timeRange(cfg, database, now, day(days), today);
		cfg.log(
			`stats API on ${name}, whole history: p50 ${whole.p50_ms} / p95 ${whole.p95_ms} ms (${whole.response_bytes.toLocaleString('en')} bytes; event loop held ≤ ${whole.longest_event_loop_gap_ms} ms at a time)`
		);
		const board = liveBoard(history);
		const process90 = await timeProcess(database, board, 'bench-stats', now, day(89), today, cfg);
		cfg.log(`process API on ${name}, last 90 days: p50 ${process90.p50_ms} / p95 ${process90.p95_ms} ms (${process90.response_bytes.toLocaleString('en')} bytes)`);
		const processWhole = await timeProcess(database, board, 'bench-stats', now, day(days), today, cfg);
		cfg.log(
			`process API on ${name}, whole history: p50 ${processWhole.p50_ms} / p95 ${processWhole.p95_ms} ms (${processWhole.response_bytes.toLocaleString('en')} bytes; event loop held ≤ ${processWhole.longest_event_loop_gap_ms} ms at a time)`
		);
		const writeBatch = await timeWriteBatches(database, history, now);
		cfg.log(`stats API on ${name}: a history batch of 10 moves p50 ${writeBatch.p50_ms} / p95 ${writeBatch.p95_ms} ms`);
		return { insert_ms: insertMs, last_90_days: last90, whole_history: whole, write_batch: writeBatch, process: { open_cards: board.cards.length, last_90_days: process90, whole_history: processWhole } };
	} finally {
		await database.close();
	}
}

/**
 * Times 30 history batches written after the stats were measured: each moves 10 cards of the board (the newest
 * ones, whose rows the stats read) one stage on, as the history writer's batches do, with card_flow's rebuild.
 */
async function timeWriteBatches(database: Database, history: FlowHistory, now: Date): Promise<DatabaseTimings['write_batch']> {
	const cards = history.events.filter((e) => e.type === 'created').slice(-300).map((e) => e.cardId);
	const stages = history.stages.filter((s) => !s.deleted).map((s) => s.stageId);
	const samples: number[] = [];
	for (let batch = 0; batch < 30; batch++) {
		const rows = cards.slice(batch * 10, batch * 10 + 10).map((cardId, i) => ({
			boardId: history.stages[0]!.boardId,
			cardId,
			type: 'moved',
			at: new Date(now.getTime() + (batch * 10 + i) * 1_000),
			actorId: null,
			fromStageId: stages[batch % stages.length]!,
			toStageId: stages[(batch + 1) % stages.length]!,
			data: {}
		}));
		const t = performance.now();
		await insertCardEvents(database.db, rows);
		samples.push(performance.now() - t);
	}
	const sorted = [...samples].sort((a, b) => a - b);
	return { batches: samples.length, p50_ms: round1(percentile(sorted, 50)), p95_ms: round1(percentile(sorted, 95)), max_ms: round1(sorted[sorted.length - 1]!) };
}

/**
 * Warm-up calls, then `samples` timed calls of what GET /api/boards/<id>/stats runs for a member: query parsing,
 * the figures and the JSON text of the response (session and membership checks are two indexed lookups, not timed).
 */
async function timeRange(cfg: StatsApiConfig, database: Database, now: Date, from: string, to: string): Promise<RangeTiming> {
	const call = async () => JSON.stringify(await boardStats(database.db, 'bench-stats', parseStatsQuery(new URLSearchParams({ from, to }), now), now));
	return timeCalls(call, cfg, from, to);
}
