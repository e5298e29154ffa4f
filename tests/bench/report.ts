import type { StreamFigures } from './attacker.ts';
import type { FanoutFigures } from './fanout.ts';
import type { IsolationResult, IsolationWindow } from './isolation.ts';
import type { DatabaseTimings, StatsApiResult } from './stats-api.ts';

/** What a server process did during the sending windows: CPU share and its own event-loop delay. */
export interface ServerProbe {
	/** CPU time used ÷ wall time while the moves were being sent (100 = one core). */
	server_cpu_pct: number;
	/** The server's event-loop delay (p99 over the rounds' windows, and the worst), sampled every 5 ms. */
	server_loop_delay_p99_ms: number;
	server_loop_delay_max_ms: number;
}

/** One server's fan-out result in results.json. */
export type FanoutEntry = FanoutFigures & ServerProbe;

/** `tests/bench/results.json`: the issue's shape, with extra fields where they help. */
export interface BenchResults {
	fanout: { clients: number; rate: number; rounds: number; ours: FanoutEntry; reference: FanoutEntry }[];
	initialSync: {
		cards: number;
		moves: number;
		ours_p95_ms: number;
		reference_p95_ms: number;
		doc_bytes: number;
		[extra: string]: unknown;
	};
	idle: { connections: number; ours_rss_kb_per_conn: number; reference_rss_kb_per_conn: number; [extra: string]: unknown };
	persistLag: { p99_ms: number; missing?: number; [extra: string]: unknown };
	soak: { minutes: number; rss_growth_pct: number; [extra: string]: unknown };
	/** The stats API at 100,000 events (also written alone by `--only=stats`). */
	stats?: StatsApiResult;
	/** Other boards' fan-out while a member sends hostile updates (also written alone by `--only=isolation`). */
	isolation?: IsolationResult;
	targets?: TargetCheck[];
	conditions?: Record<string, unknown>;
}

/** One target from the issue and whether this run met it. */
export interface TargetCheck {
	figure: string;
	target: string;
	measured: string;
	pass: boolean;
}

/** Documents above this many bytes miss the size target ("≤ 1.5 MB", read as 1.5 × 10⁶ bytes). */
export const DOC_BYTES_TARGET = 1_500_000;

/** Checks every target of the issue against the results. */
export function checkTargets(r: BenchResults): TargetCheck[] {
	const checks: TargetCheck[] = [];
	const biggest = r.fanout.reduce((a, b) => (b.clients > a.clients ? b : a), r.fanout[0]!);
	if (biggest) {
		const limit = Math.min(50, 1.5 * biggest.reference.p99_ms);
		checks.push({
			figure: `fan-out p99, ${biggest.clients} clients, ${biggest.rate} updates/s`,
			target: `≤ 50 ms and ≤ 1.5 × reference (${ms(1.5 * biggest.reference.p99_ms)})`,
			measured: `${ms(biggest.ours.p99_ms)} (reference ${ms(biggest.reference.p99_ms)})`,
			pass: biggest.ours.p99_ms <= limit && biggest.ours.lost === 0
		});
	}
	const s = r.initialSync;
	checks.push({
		figure: `initial sync p95, ${s.cards.toLocaleString('en')} cards + ${s.moves.toLocaleString('en')} moves, cold`,
		target: '≤ 500 ms',
		measured: ms(s.ours_p95_ms),
		pass: s.ours_p95_ms <= 500
	});
	checks.push({ figure: 'document size', target: '≤ 1.5 MB', measured: mb(s.doc_bytes), pass: s.doc_bytes <= DOC_BYTES_TARGET });
	checks.push({
		figure: `idle memory (${r.idle.connections.toLocaleString('en')} authenticated connections)`,
		target: '≤ 50 KB RSS per connection',
		measured: `${r.idle.ours_rss_kb_per_conn} KB`,
		pass: r.idle.ours_rss_kb_per_conn <= 50
	});
	if (r.stats) checks.push(...statsTargets(r.stats), ...processTargets(r.stats));
	if (r.isolation) checks.push(...isolationTargets(r.isolation));
	checks.push({ figure: 'persistence lag p99', target: '≤ 500 ms', measured: ms(r.persistLag.p99_ms), pass: r.persistLag.p99_ms <= 500 && r.persistLag.missing === 0 });
	checks.push({
		figure: `soak (${r.soak.minutes} min), RSS after all left`,
		target: 'within 10 % of baseline',
		measured: `${r.soak.rss_growth_pct > 0 ? '+' : ''}${r.soak.rss_growth_pct} %`,
		pass: r.soak.rss_growth_pct <= 10
	});
	return checks;
}

/** Stats API response time target: ≤ 200 ms on PostgreSQL, for each range measured (p95 of warm calls). */
export const STATS_TARGET_MS = 200;

/** The stats API targets (PostgreSQL is the target's database; PGlite's figure is reported alongside). */
export function statsTargets(s: StatsApiResult): TargetCheck[] {
	const pg = 'skipped' in s.postgresql ? null : s.postgresql;
	return (['last_90_days', 'whole_history'] as const).map((range) => ({
		figure: `stats API p95, ${s.events.toLocaleString('en')} events, ${range === 'last_90_days' ? 'last 90 days' : 'whole history'} (PostgreSQL; PGlite ${ms(s.pglite[range].p95_ms)})`,
		target: `≤ ${STATS_TARGET_MS} ms`,
		measured: pg ? ms(pg[range].p95_ms) : 'not measured (no PostgreSQL URL)',
		pass: pg !== null && pg[range].p95_ms <= STATS_TARGET_MS
	}));
}

/** The process review's target (issue 15): the whole response ≤ 200 ms on PostgreSQL, per range. */
export function processTargets(s: StatsApiResult): TargetCheck[] {
	const pg = 'skipped' in s.postgresql ? null : s.postgresql;
	// Results written before the process phase existed have none.
	const lite = s.pglite.process;
	if (!lite) return [];
	return (['last_90_days', 'whole_history'] as const).map((range) => ({
		figure: `process API p95 (review, missed deadlines, risk), ${range === 'last_90_days' ? 'last 90 days' : 'whole history'} (PostgreSQL; PGlite ${ms(lite[range].p95_ms)})`,
		target: `≤ ${STATS_TARGET_MS} ms`,
		measured: pg?.process ? ms(pg.process[range].p95_ms) : 'not measured (no PostgreSQL URL)',
		pass: pg?.process !== undefined && pg.process[range].p95_ms <= STATS_TARGET_MS
	}));
}

/** Markdown rows for the stats API: p50 / p95 per database and range. */
export function statsRows(s: StatsApiResult): string[] {
	const cell = (t: DatabaseTimings | { skipped: string }, range: 'last_90_days' | 'whole_history') =>
		'skipped' in t ? 'skipped' : `${ms(t[range].p50_ms)} / ${ms(t[range].p95_ms)}`;
	// Results written before the write timing existed have none.
	const write = (t: DatabaseTimings | { skipped: string }) =>
		'skipped' in t || !t.write_batch ? '—' : `${ms(t.write_batch.p50_ms)} / ${ms(t.write_batch.p95_ms)}`;
	return [
		`| stats API p50 / p95, ${s.events.toLocaleString('en')} events (${s.cards.toLocaleString('en')} cards): last 90 days | PostgreSQL ${cell(s.postgresql, 'last_90_days')}; PGlite ${cell(s.pglite, 'last_90_days')} | — |`,
		`| … whole history (${s.days} days) | PostgreSQL ${cell(s.postgresql, 'whole_history')}; PGlite ${cell(s.pglite, 'whole_history')} | — |`,
		`| … a history batch of 10 moves afterwards (card_flow rebuilt), p50 / p95 | PostgreSQL ${write(s.postgresql)}; PGlite ${write(s.pglite)} | — |`
	];
}

/** Other boards' fan-out p99 while one member sends hostile updates (issue 10): ≤ 100 ms, nothing lost. */
export const ISOLATION_TARGET_MS = 100;

/** The isolation target. */
export function isolationTargets(r: IsolationResult): TargetCheck[] {
	return [
		{
			figure: `another board's fan-out p99 (${r.clients} clients, ${r.rate} moves/s) while a member sends hostile updates`,
			target: `≤ ${ISOLATION_TARGET_MS} ms, none lost`,
			measured: `${ms(r.attack.p99_ms)}${lost(r.attack)} (alone ${ms(r.baseline.p99_ms)}; refused frames only ${ms(r.refused_only.p99_ms)})`,
			pass: r.attack.p99_ms <= ISOLATION_TARGET_MS && r.attack.lost === 0
		}
	];
}

/** Markdown rows for the isolation phase (our server only): board A alone → under attack, and what the attacker met. */
export function isolationRows(r: IsolationResult): string[] {
	const w = (x: IsolationWindow) => `${ms(x.p50_ms)} / ${ms(x.p99_ms)} / ${ms(x.max_ms)}${lost(x)}`;
	const probe = (x: IsolationWindow) =>
		`loop delay p99 ${ms(x.server_loop_delay_p99_ms)}, max ${ms(x.server_loop_delay_max_ms)}, CPU ${x.server_cpu_pct} % (driver's timer late p99 ${ms(x.send_lateness_p99_ms)}, load ${x.load_average_1min[0]})`;
	const a = r.attack.attacker;
	const stream = (f: StreamFigures) =>
		`${f.frames} frames on ${f.sockets} sockets; closed ${codes(f.closes)}${Object.keys(f.refused).length ? `; upgrades refused ${codes(f.refused)}` : ''}`;
	return [
		`| isolation: board A fan-out p50 / p99 / max, ${r.clients} clients, ${r.rate} moves/s, ${r.seconds} s: alone → while a member of board B sends B refused frames → and accepted crowded updates too | ${w(r.baseline)} → ${w(r.refused_only)} → ${w(r.attack)} | — (no guards) |`,
		`| … our server (and the machine), the same three windows | ${probe(r.baseline)} → ${probe(r.refused_only)} → ${probe(r.attack)} | — |`,
		`| … attacker, crafted frame (${a.crafted.frame_bytes.toLocaleString('en')} bytes, refused): refused frames only; all three | ${stream(r.refused_only.attacker.crafted)}; ${stream(a.crafted)} | — |`,
		`| … attacker, wrong-type updates (refused): refused frames only; all three | ${stream(r.refused_only.attacker.poison)}; ${stream(a.poison)} | — |`,
		`| … the attacker's own process: CPU (100 = one core), refused frames only; all three | ${r.refused_only.attacker.attacker_cpu_pct} %; ${a.attacker_cpu_pct} % | — |`,
		`| … attacker, ${a.crowded.inserts_per_update} inserts at one spot per update, ${a.crowded.rate}/s (accepted) | ${stream(a.crowded)}; ${a.crowded.updates_integrated} integrated | — |`
	];
}

/** The markdown report printed at the end of a run. */
export function markdownReport(r: BenchResults, checks: TargetCheck[], heading: string): string {
	const lines = [heading, '', '| figure | ours | reference |', '| --- | --- | --- |'];
	for (const f of r.fanout) {
		lines.push(
			`| fan-out, ${f.clients} clients, ${f.rate} updates/s: p50 / p99 (all received p99) | ${ms(f.ours.p50_ms)} / ${ms(f.ours.p99_ms)} (${ms(f.ours.p99_all_received_ms)})${lost(f.ours)} | ${ms(f.reference.p50_ms)} / ${ms(f.reference.p99_ms)} (${ms(f.reference.p99_all_received_ms)})${lost(f.reference)} |`
		);
	}
	const s = r.initialSync;
	lines.push(
		`| initial sync p95, ${s.cards.toLocaleString('en')} cards + ${s.moves.toLocaleString('en')} moves (ours cold from the database) | ${ms(s.ours_p95_ms)} | ${ms(s.reference_p95_ms)} |`,
		`| … of which until the sync frame arrived (p95) | ${ms(Number(s.ours_received_p95_ms))} | ${ms(Number(s.reference_received_p95_ms))} |`,
		`| document (V1 state update) | ${mb(s.doc_bytes)} | same document |`,
		`| idle RSS per connection, ${r.idle.connections.toLocaleString('en')} connections (V8 heap per connection) | ${r.idle.ours_rss_kb_per_conn} KB (${String(r.idle.ours_heap_kb_per_conn)} KB) | ${r.idle.reference_rss_kb_per_conn} KB (${String(r.idle.reference_heap_kb_per_conn)} KB) |`,
		`| persistence lag p50 / p99 (${String(r.persistLag.method)}) | ${ms(Number(r.persistLag.p50_ms))} / ${ms(r.persistLag.p99_ms)} | — (no persistence) |`,
		`| soak ${r.soak.minutes} min: RSS baseline → peak → ${String(r.soak.settle_seconds)} s after all left | ${mbKb(Number(r.soak.baseline_rss_kb))} → ${mbKb(Number(r.soak.peak_rss_kb))} → ${mbKb(Number(r.soak.after_rss_kb))} (${r.soak.rss_growth_pct > 0 ? '+' : ''}${r.soak.rss_growth_pct} %); V8 heap after GC ${mbKb(Number(r.soak.baseline_heap_kb))} → ${mbKb(Number(r.soak.after_gc_heap_kb))} | — |`
	);
	if (r.stats) lines.push(...statsRows(r.stats));
	if (r.isolation) lines.push(...isolationRows(r.isolation));
	lines.push('', '| target | goal | measured | result |', '| --- | --- | --- | --- |');
	for (const c of checks) lines.push(`| ${c.figure} | ${c.target} | ${c.measured} | ${c.pass ? 'PASS' : '**MISS**'} |`);
	const mode = String(r.conditions?.mode ?? '');
	if (mode.startsWith('quick')) lines.push('', '_Quick run: reduced sizes and durations, so pass/fail is only indicative; the targets apply to the full run._');
	const load = r.conditions?.load_average_1min_during as { mean: number; max: number } | undefined;
	if (load) lines.push('', `Load average (1 min) during the run: mean ${load.mean}, max ${load.max} on ${String(r.conditions?.cores)} cores.`);
	return lines.join('\n');
}

function ms(value: number): string {
	return Number.isFinite(value) ? `${value >= 100 ? Math.round(value) : Math.round(value * 10) / 10} ms` : 'n/a';
}

function mb(bytes: number): string {
	return `${(bytes / 1e6).toFixed(2)} MB`;
}

function mbKb(kb: number): string {
	return `${Math.round(kb / 1024)} MiB`;
}

function codes(counts: Record<string, number>): string {
	const entries = Object.entries(counts);
	return entries.length ? entries.map(([code, n]) => `${n} × ${code}`).join(', ') : 'none';
}

function lost(f: FanoutFigures): string {
	return f.lost > 0 ? `, ${f.lost} lost` : '';
}
