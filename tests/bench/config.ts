/** Sizes and durations of one benchmark run (`--quick` shrinks everything to finish in under 3 minutes). */
export interface BenchConfig {
	quick: boolean;
	/** Admin URL of a PostgreSQL server to create a scratch database on; PGlite when unset. */
	adminDatabaseUrl: string | undefined;
	fanout: { clients: number[]; rate: number; seconds: number; rounds: number; warmupMoves: number; cards: number };
	initialSync: { cards: number; moves: number; samples: number; unloadWaitMs: number };
	idle: { connections: number; perBoard: number; settleSeconds: number };
	persistLag: { updates: number; rate: number; clients: number };
	soak: { minutes: number; clients: number; boards: number; warmupSeconds: number; settleSeconds: number };
	/** The stats API at scale: history size, timed calls after warm-ups, and where PostgreSQL is. */
	stats: { events: number; samples: number; warmups: number; postgresAdminUrl: string | undefined };
	/**
	 * Isolation from hostile updates (our server only): fan-out on one board, alone and while a member of another
	 * board sends crafted, wrong-type and crowded updates into theirs.
	 */
	isolation: { clients: number; rate: number; seconds: number; warmupMoves: number; cards: number; craftedInserts: number; crowdedRate: number; attackLeadSeconds: number };
	/** `--only=stats` / `--only=isolation` / `--only=initial-sync`: run just that phase (and keep the other results already in results.json). */
	only: 'stats' | 'isolation' | 'initial-sync' | undefined;
	/** BENCH_PROFILE=1: CPU-profile our server during the fan-out (largest size) and initial-sync windows. */
	profile: boolean;
	resultsPath: string;
}

function envNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
	const raw = env[name];
	if (raw === undefined || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, not "${raw}".`);
	return value;
}

const ONLY = ['--only=stats', '--only=isolation', '--only=initial-sync'];

/** Reads `--quick`, `--only=stats|isolation|initial-sync` and the BENCH_* environment variables. */
export function benchConfig(argv: string[], env: NodeJS.ProcessEnv, resultsPath: string): BenchConfig {
	const unknown = argv.filter((a) => a !== '--quick' && !ONLY.includes(a));
	if (unknown.length > 0) throw new Error(`Unknown argument(s): ${unknown.join(' ')} (only --quick, --only=stats, --only=isolation and --only=initial-sync are understood)`);
	const only = argv.filter((a) => ONLY.includes(a));
	if (only.length > 1) throw new Error(`Give one --only, not ${only.join(' ')}`);
	const quick = argv.includes('--quick');
	return {
		quick,
		adminDatabaseUrl: env.BENCH_DATABASE_URL || undefined,
		fanout: {
			clients: [10, 50, 100],
			rate: 20,
			seconds: envNumber(env, 'BENCH_FANOUT_SECONDS', quick ? 2 : 30),
			// Alternating rounds spread other load on the machine over both servers alike.
			rounds: quick ? 1 : 3,
			// The first second is JIT warm-up on both sides; it is not counted.
			warmupMoves: 20,
			cards: 40
		},
		initialSync: {
			cards: envNumber(env, 'BENCH_SYNC_CARDS', quick ? 1_000 : 10_000),
			moves: envNumber(env, 'BENCH_SYNC_MOVES', quick ? 5_000 : 50_000),
			samples: envNumber(env, 'BENCH_SYNC_SAMPLES', quick ? 3 : 20),
			// Our server unloads a room 2 s after its last client left; each sample must find it unloaded.
			unloadWaitMs: quick ? 3_000 : 4_000
		},
		idle: { connections: envNumber(env, 'BENCH_IDLE_CONNECTIONS', quick ? 250 : 5_000), perBoard: 25, settleSeconds: quick ? 2 : 10 },
		persistLag: { updates: quick ? 100 : 400, rate: 20, clients: 5 },
		soak: {
			minutes: envNumber(env, 'BENCH_SOAK_MINUTES', quick ? 0.25 : 5),
			clients: 40,
			boards: 8,
			warmupSeconds: quick ? 3 : 30,
			// The target says "a minute after all clients leave"; --quick waits 8 s instead.
			settleSeconds: envNumber(env, 'BENCH_SOAK_SETTLE_SECONDS', quick ? 8 : 60)
		},
		stats: {
			// The target's workload in --quick too: generating and loading it takes well under a minute.
			events: envNumber(env, 'BENCH_STATS_EVENTS', 100_000),
			samples: envNumber(env, 'BENCH_STATS_SAMPLES', quick ? 10 : 20),
			warmups: 2,
			postgresAdminUrl: env.BENCH_DATABASE_URL || env.TEST_DATABASE_URL || undefined
		},
		isolation: {
			clients: 50,
			rate: 20,
			seconds: envNumber(env, 'BENCH_ISOLATION_SECONDS', quick ? 5 : 15),
			warmupMoves: 20,
			cards: 40,
			// The frame that stalled a server for 4 s before the guard (issue 10).
			craftedInserts: 4_000,
			// Within the input budget's 200 frames/s, so that what acts on it is the integration budget.
			crowdedRate: envNumber(env, 'BENCH_ISOLATION_CROWDED_RATE', 100),
			// The attack runs this long before the fan-out's clients connect, and on until its window ends.
			attackLeadSeconds: quick ? 1 : 3
		},
		only: only[0] ? (only[0].slice('--only='.length) as BenchConfig['only']) : undefined,
		profile: env.BENCH_PROFILE === '1',
		resultsPath
	};
}
