import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createScratchPostgres, dbKinds, migrationsFolder, queryRows } from '../helpers/db.ts';
import { tempDataDir } from '../helpers/server.ts';
import { FakeClock } from '../helpers/clock.ts';
import { startFlowdeck, type Flowdeck } from '../../server/app.ts';
import { DEFAULT_SYNC_OPTIONS } from '../../server/sync/options.ts';
import { PermanentJobError } from '../../server/jobs/job-runner.ts';
import type { ClaimedJob } from '../../src/lib/server/jobs/queue.ts';

const HOUR = 3_600_000;

/** Where a test's apps keep their data: a PGlite folder or a scratch PostgreSQL database, shared by restarts. */
async function storage(kind: 'pglite' | 'postgres'): Promise<{ at: { databaseUrl: string | undefined; dataDir: string }; drop(): Promise<void> | void }> {
	if (kind === 'postgres') {
		const pg = await createScratchPostgres();
		return { at: { databaseUrl: pg.url, dataDir: '' }, drop: () => pg.drop() };
	}
	const dir = tempDataDir();
	return { at: { databaseUrl: undefined, dataDir: dir.dir }, drop: () => dir.remove() };
}

/** A Flowdeck backend on `at` whose job runner only runs when the test says (runDue), on the test's clock. */
const boot = (at: { databaseUrl: string | undefined; dataDir: string }, clock: FakeClock): Promise<Flowdeck> =>
	startFlowdeck({ port: 0, host: '127.0.0.1', origin: undefined, redisUrl: undefined, migrationsFolder, ...at, sync: DEFAULT_SYNC_OPTIONS }, { clock, pollJobs: false });

describe.each(dbKinds())('the durable job queue (%s)', (kind) => {
	const cleanups: (() => Promise<void> | void)[] = [];
	afterAll(async () => {
		for (const c of cleanups.reverse()) await c();
	});

	it('runs a keyed job once, however often it is enqueued, retries failures with backoff and gives up on permanent ones', async () => {
		const clock = new FakeClock();
		const store = await storage(kind);
		const app = await boot(store.at, clock);
		cleanups.push(() => store.drop(), () => app.close());
		const ran: string[] = [];
		let failuresLeft = 2;
		app.jobs.handle('test.record', async (job: ClaimedJob) => {
			ran.push(String(job.payload.name));
		});
		app.jobs.handle('test.flaky', async () => {
			if (failuresLeft-- > 0) throw new Error('SMTP refused');
			ran.push('flaky');
		});
		app.jobs.handle('test.doomed', async () => {
			throw new PermanentJobError('the card is gone');
		});
		expect(await app.jobs.enqueue({ kind: 'test.record', payload: { name: 'reminder' }, key: 'reminder:c1:s1:due_soon:48' })).not.toBeNull();
		expect(await app.jobs.enqueue({ kind: 'test.record', payload: { name: 'again' }, key: 'reminder:c1:s1:due_soon:48' })).toBeNull();
		await app.jobs.enqueue({ kind: 'test.flaky' });
		await app.jobs.enqueue({ kind: 'test.doomed' });
		await app.jobs.enqueue({ kind: 'test.record', payload: { name: 'later' }, runAt: new Date(clock.now().getTime() + HOUR) });

		expect(await app.jobs.runDue()).toBe(3);
		expect(ran).toEqual(['reminder']);
		// Backoff: the flaky job waits 10 s, then 20 s; nothing runs before its time.
		clock.advance(9_000);
		expect(await app.jobs.runDue()).toBe(0);
		clock.advance(2_000);
		await app.jobs.runDue();
		clock.advance(21_000);
		await app.jobs.runDue();
		expect(ran).toEqual(['reminder', 'flaky']);
		clock.advance(HOUR);
		await app.jobs.runDue();
		expect(ran).toEqual(['reminder', 'flaky', 'later']);
		expect(await app.jobs.runDue()).toBe(0);

		const rows = await queryRows<{ kind: string; attempts: number; done: boolean; failed: boolean; last_error: string | null }>(
			app.database,
			sql`select kind, attempts, done_at is not null as done, failed_at is not null as failed, last_error from jobs where kind like 'test.%' order by id`
		);
		expect(rows.map((r) => [r.kind, Number(r.attempts), r.done, r.failed])).toEqual([
			['test.record', 1, true, false],
			['test.flaky', 3, true, false],
			['test.doomed', 1, false, true],
			['test.record', 1, true, false]
		]);
		expect(rows[2]!.last_error).toBe('the card is gone');
	});

	it('runs a job that fell due while the server was down once after it starts again, marked late', async () => {
		const clock = new FakeClock();
		const store = await storage(kind);
		cleanups.push(() => store.drop());
		const first = await boot(store.at, clock);
		await first.jobs.enqueue({ kind: 'test.remind', payload: { card: 'c1' }, runAt: new Date(clock.now().getTime() + HOUR), key: 'reminder:c1:due:24' });
		await first.close();

		clock.advance(3 * HOUR); // the reminder fell due while nothing ran
		const sent: { card: unknown; late: boolean }[] = [];
		const second = await boot(store.at, clock);
		cleanups.push(() => second.close());
		second.jobs.handle('test.remind', async (job) => {
			sent.push({ card: job.payload.card, late: job.late });
		});
		// The app's own hourly work (the delivery-risk sweep) fell due too; what counts is that the reminder ran once.
		await second.jobs.runDue();
		expect(await second.jobs.runDue()).toBe(0);
		// Enqueued again after the restart (a producer seeing the same due date): the key says it already ran.
		expect(await second.jobs.enqueue({ kind: 'test.remind', payload: { card: 'c1' }, key: 'reminder:c1:due:24' })).toBeNull();
		await second.jobs.runDue();
		expect(sent).toEqual([{ card: 'c1', late: true }]);
	});

	it('takes a job back from a runner that died holding it, once its lease ran out', async () => {
		const clock = new FakeClock();
		const store = await storage(kind);
		const app = await boot(store.at, clock);
		cleanups.push(() => store.drop(), () => app.close());
		const seen: number[] = [];
		await app.jobs.enqueue({ kind: 'test.crashy', key: 'crashy' });
		// A runner that claimed it and vanished (its process was killed): the row is locked until the lease ends.
		await app.database.db.execute(sql`update jobs set locked_by = 'dead-runner', locked_until = ${new Date(clock.now().getTime() + 5 * 60_000).toISOString()}::timestamptz, attempts = 1`);
		app.jobs.handle('test.crashy', async (job) => {
			seen.push(job.attempts);
		});
		expect(await app.jobs.runDue()).toBe(0);
		clock.advance(5 * 60_000 + 1);
		expect(await app.jobs.runDue()).toBe(1);
		expect(seen).toEqual([2]);
	});
});

describe.runIf(dbKinds().includes('postgres'))('two server processes on one PostgreSQL', () => {
	it('never run the same job twice, and a key enqueued by both exists once', async () => {
		const pg = await createScratchPostgres();
		const clock = new FakeClock();
		const at = { databaseUrl: pg.url, dataDir: '' };
		const [a, b] = await Promise.all([boot(at, clock), boot(at, clock)]);
		try {
			const ranBy = new Map<string, string[]>();
			const record = (who: string) => async (job: ClaimedJob) => {
				// A little I/O per job, so the two runners really overlap.
				await new Promise((r) => setImmediate(r));
				ranBy.set(String(job.key), [...(ranBy.get(String(job.key)) ?? []), who]);
			};
			a.jobs.handle('test.reminder', record('a'));
			b.jobs.handle('test.reminder', record('b'));
			const keys = Array.from({ length: 300 }, (_, i) => `reminder:card${i}:step:due_soon:48`);
			// Both processes see the same due dates and enqueue the same reminders.
			const enqueued = await Promise.all([...keys.map((key) => a.jobs.enqueue({ kind: 'test.reminder', key })), ...keys.map((key) => b.jobs.enqueue({ kind: 'test.reminder', key }))]);
			expect(enqueued.filter((id) => id !== null)).toHaveLength(300);
			const [ranA, ranB] = await Promise.all([a.jobs.runDue(), b.jobs.runDue()]);
			expect(ranA + ranB).toBe(300);
			expect(ranBy.size).toBe(300);
			expect([...ranBy.values()].filter((who) => who.length !== 1)).toEqual([]);
			expect(await Promise.all([a.jobs.runDue(), b.jobs.runDue()])).toEqual([0, 0]);
		} finally {
			await Promise.all([a.close(), b.close()]);
			await pg.drop();
		}
	}, 60_000);
});
