import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Db } from '../../src/lib/server/db/client.ts';
import type { Clock } from '../../src/lib/server/clock.ts';
import { countWaitingJobs } from '../../src/lib/server/jobs/queue.ts';
import type { RunOutcome } from '../../src/lib/server/rules/store.ts';
import type { RoomExtensionFactory } from '../sync/room-extension.ts';
import type { PersistenceObserver } from '../persistence/persistence-extension.ts';

/** What the scrape-time gauges read: the open rooms (a RoomRegistry), the database and the clock. */
export interface MetricSources {
	rooms: { readonly size: number; connections(): Iterable<unknown> };
	db: Db;
	clock: Clock;
}

/** The app's instruments, registered on the Registry given at start-up; each hook is cheap enough for its hot path. */
export interface AppMetrics {
	/** A room extension counting the updates each board applied (one `++` per update; read at scrape time). */
	roomExtension: RoomExtensionFactory;
	/** Hand to `persistenceExtension`: persistence lag, batches stored and set aside, failed writes, pending updates. */
	persistence: PersistenceObserver;
	/** Hand to `rulesInstaller`: counts rule runs by outcome. */
	ruleRun(outcome: RunOutcome): void;
	/** Binds the scrape-time gauges (rooms, connections, job queue) to the running app. */
	watch(sources: MetricSources): void;
}

/** A scrape waits this long for the job queue's count; a database that does not answer leaves the gauge empty. */
const QUERY_TIMEOUT_MS = 2000;

/** Seconds from an applied update to its stored write: batching alone is ~0.1 s, anything past a few seconds is an outage. */
const LAG_BUCKETS = [0.05, 0.1, 0.15, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300];

/** Registers Flowdeck's metrics (names prefixed `flowdeck_`) on `registry`. */
export function createAppMetrics(registry: Registry): AppMetrics {
	const registers = [registry];
	let sources: MetricSources | null = null;
	// The hot path bumps a plain number; the counter catches up with it when scraped (no call, no allocation per update).
	let applied = 0;
	let appliedReported = 0;
	new Counter({
		name: 'flowdeck_applied_updates_total',
		help: 'Document updates the boards applied (from browsers, the API, rules, timed work).',
		registers,
		collect() {
			this.inc(applied - appliedReported);
			appliedReported = applied;
		}
	});
	new Gauge({
		name: 'flowdeck_rooms_open',
		help: 'Boards loaded in memory on this instance (rooms).',
		registers,
		collect() {
			this.set(sources?.rooms.size ?? 0);
		}
	});
	new Gauge({
		name: 'flowdeck_websocket_connections',
		help: 'Open board sockets (/sync) on this instance.',
		registers,
		collect() {
			let n = 0;
			const each = sources?.rooms.connections()[Symbol.iterator]();
			while (each && !each.next().done) n++;
			this.set(n);
		}
	});
	const pending = new Gauge({ name: 'flowdeck_persist_pending_updates', help: 'Updates applied in memory and not yet stored.', registers, collect: () => readPending() });
	const writers = new Set<{ readonly pendingCount: number }>();
	const readPending = () => {
		let n = 0;
		for (const w of writers) n += w.pendingCount;
		pending.set(n);
	};
	const lag = new Histogram({ name: 'flowdeck_persist_lag_seconds', help: 'Seconds from an applied update to its stored write (per batch, its oldest update).', buckets: LAG_BUCKETS, registers });
	const batches = new Counter({ name: 'flowdeck_persist_batches_total', help: 'Batches of updates and their history stored, by whether the history was stored or set aside (see /health).', labelNames: ['history'] as const, registers });
	const stored = batches.labels('stored');
	const setAside = batches.labels('set_aside');
	const failures = new Counter({ name: 'flowdeck_persist_write_failures_total', help: 'Writes of a batch that failed and will be retried (the database was unavailable).', registers });
	const rules = new Counter({ name: 'flowdeck_rule_runs_total', help: 'Automation rule runs, by outcome (done, skipped, refused, loop, error).', labelNames: ['outcome'] as const, registers });
	new Gauge({
		name: 'flowdeck_job_queue_depth',
		help: 'Jobs waiting (not done, not given up) by kind: due now (state="due") or scheduled later (state="later").',
		labelNames: ['kind', 'state'] as const,
		registers,
		async collect() {
			this.reset();
			if (!sources) return;
			const rows = await withTimeout(countWaitingJobs(sources.db, sources.clock.now()));
			for (const r of rows ?? []) this.set({ kind: r.kind, state: r.due ? 'due' : 'later' }, r.count);
		}
	});
	return {
		roomExtension: () => ({
			onChange(update) {
				if (update) applied++;
			}
		}),
		persistence: {
			writers,
			stored(lagMs, historySetAside) {
				lag.observe(lagMs / 1000);
				(historySetAside ? setAside : stored).inc();
			},
			failed: () => failures.inc()
		},
		ruleRun: (outcome) => rules.inc({ outcome }),
		watch(given) {
			sources = given;
		}
	};
}

/** The query's rows, or null when it failed or took longer than QUERY_TIMEOUT_MS (the scrape still answers). */
async function withTimeout<T>(query: Promise<T>): Promise<T | null> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), QUERY_TIMEOUT_MS)));
	try {
		return await Promise.race([query.catch(() => null), late]);
	} finally {
		clearTimeout(timer);
	}
}
