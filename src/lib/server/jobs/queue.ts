import { and, eq, sql } from 'drizzle-orm';
import { selectRows, type Db } from '../db/client.ts';
import { jobs } from '../db/schema/jobs.ts';

/** A job to put on the queue. */
export interface NewJob {
	kind: string;
	payload?: Record<string, unknown>;
	/** When it may run (default: now). */
	runAt?: Date;
	/** Once per key, ever: a second enqueue with the same key does nothing. */
	key?: string;
	maxAttempts?: number;
}

/** A job a runner claimed. */
export interface ClaimedJob {
	id: number;
	kind: string;
	payload: Record<string, unknown>;
	key: string | null;
	runAt: Date;
	/** This run's number, from 1. */
	attempts: number;
	maxAttempts: number;
	/** It ran well after its time (the server was down or busy). */
	late: boolean;
}

type JobRow = { id: string | number; kind: string; payload: Record<string, unknown> | null; key: string | null; run_at: string | Date; attempts: number; max_attempts: number; late: boolean };

/** Adds a job; resolves with its id, or null when a job with the same key already exists (it was, or will be, run). */
export async function enqueueJob(db: Db, now: Date, job: NewJob): Promise<number | null> {
	const rows = await db
		.insert(jobs)
		.values({ kind: job.kind, payload: job.payload ?? {}, key: job.key ?? null, runAt: job.runAt ?? now, maxAttempts: job.maxAttempts ?? 8, createdAt: now })
		.onConflictDoNothing()
		.returning({ id: jobs.id });
	return rows[0]?.id ?? null;
}

/**
 * Claims up to `limit` due jobs for `runnerId` until `now + leaseMs`, skipping rows another runner holds
 * (`FOR UPDATE SKIP LOCKED`: two processes on one PostgreSQL never claim the same job). A job whose lease ran out (its
 * runner died) is claimed again. `lateAfterMs` past its time, a job is marked late.
 */
export async function claimJobs(db: Db, now: Date, runnerId: string, limit: number, leaseMs: number, lateAfterMs: number): Promise<ClaimedJob[]> {
	const until = new Date(now.getTime() + leaseMs);
	const lateBefore = new Date(now.getTime() - lateAfterMs);
	const rows = await selectRows<JobRow>(
		db,
		sql`
		UPDATE jobs SET locked_until = ${until.toISOString()}::timestamptz, locked_by = ${runnerId}, attempts = attempts + 1,
			late = late OR run_at < ${lateBefore.toISOString()}::timestamptz
		WHERE id IN (
			SELECT id FROM jobs
			WHERE done_at IS NULL AND failed_at IS NULL AND run_at <= ${now.toISOString()}::timestamptz
				AND (locked_until IS NULL OR locked_until < ${now.toISOString()}::timestamptz)
			ORDER BY run_at, id LIMIT ${limit}
			FOR UPDATE SKIP LOCKED
		)
		RETURNING id, kind, payload, key, run_at, attempts, max_attempts, late`
	);
	return rows.map((r) => ({
		id: Number(r.id),
		kind: r.kind,
		payload: r.payload ?? {},
		key: r.key,
		runAt: new Date(r.run_at),
		attempts: Number(r.attempts),
		maxAttempts: Number(r.max_attempts),
		late: Boolean(r.late)
	}));
}

/** Marks a claimed job done (only while `runnerId` still holds it: a job whose lease another runner took is theirs). */
export async function completeJob(db: Db, id: number, runnerId: string, now: Date): Promise<void> {
	await db.update(jobs).set({ doneAt: now, lockedUntil: null, lastError: null }).where(and(eq(jobs.id, id), eq(jobs.lockedBy, runnerId)));
}

/** Puts a claimed job back for `runAt` with the error that stopped it. */
export async function retryJob(db: Db, id: number, runnerId: string, runAt: Date, error: string): Promise<void> {
	await db.update(jobs).set({ runAt, lockedUntil: null, lastError: error.slice(0, 2000) }).where(and(eq(jobs.id, id), eq(jobs.lockedBy, runnerId)));
}

/** Gives a claimed job up for good. */
export async function failJob(db: Db, id: number, runnerId: string, now: Date, error: string): Promise<void> {
	await db.update(jobs).set({ failedAt: now, lockedUntil: null, lastError: error.slice(0, 2000) }).where(and(eq(jobs.id, id), eq(jobs.lockedBy, runnerId)));
}

/** Jobs waiting (not done, not given up) by kind, split into due by `now` and scheduled later: the queue's depth, in one query. */
export async function countWaitingJobs(db: Db, now: Date): Promise<{ kind: string; due: boolean; count: number }[]> {
	// Only rows of the partial due index (done_at and failed_at null): a short scan however long the done history.
	const rows = await selectRows<{ kind: string; due: boolean; count: string | number }>(
		db,
		sql`SELECT kind, run_at <= ${now.toISOString()}::timestamptz AS due, count(*) AS count FROM jobs
			WHERE done_at IS NULL AND failed_at IS NULL GROUP BY 1, 2`
	);
	return rows.map((r) => ({ kind: r.kind, due: Boolean(r.due), count: Number(r.count) }));
}
