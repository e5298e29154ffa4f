import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/lib/server/db/client.ts';
import type { Clock } from '../../src/lib/server/clock.ts';
import { claimJobs, completeJob, enqueueJob, failJob, retryJob, type ClaimedJob, type NewJob } from '../../src/lib/server/jobs/queue.ts';
import type { JobQueue } from '../../src/lib/server/jobs/job-queue.ts';

/** Runs one kind of job. Throw to retry later (with backoff), `PermanentJobError` to give up, `RetryJobLater` to pick the time. */
export type JobHandler = (job: ClaimedJob) => Promise<void>;

/** Thrown by a handler when the job can never succeed (its card is gone, the address is invalid): no retry. */
export class PermanentJobError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'PermanentJobError';
	}
}

/** Thrown by a handler that wants its next try at a time of its own (webhooks' 24-hour schedule, say). */
export class RetryJobLater extends Error {
	constructor(
		message: string,
		readonly delayMs: number
	) {
		super(message);
		this.name = 'RetryJobLater';
	}
}

/** Tunables of a runner. */
export interface JobRunnerOptions {
	/** How often it looks for due jobs when nobody nudged it (ms). */
	pollMs: number;
	/** Jobs claimed per look. */
	batch: number;
	/** How long a claim holds before another runner may take the job (a crashed runner's jobs come back after it). */
	leaseMs: number;
	/** A job this late is marked late. */
	lateAfterMs: number;
}

/** Defaults: a look every second, 20 jobs at a time, 5-minute leases, late after a minute. */
export const DEFAULT_JOB_RUNNER_OPTIONS: JobRunnerOptions = { pollMs: 1000, batch: 20, leaseMs: 5 * 60_000, lateAfterMs: 60_000 };

/** Retry delay after the n-th failed attempt: 10 s doubling, at most an hour. */
export const backoffMs = (attempt: number): number => Math.min(10_000 * 2 ** Math.max(0, attempt - 1), 3_600_000);

/**
 * The database-backed scheduler: claims due jobs, runs their handler, and marks them done, retried or failed. Several
 * runners (processes) may share a database; each job runs once per claim, and a keyed job exists once. Also the
 * `JobQueue` the app hands to services (enqueue nudges the runner so work due now starts at once).
 */
export class JobRunner implements JobQueue {
	readonly id = randomUUID();
	private timer: NodeJS.Timeout | undefined;
	private running: Promise<number> | undefined;
	private again = false;
	private stopped = true;
	private readonly handlers = new Map<string, JobHandler>();

	constructor(
		private readonly db: Db,
		private readonly clock: Clock,
		private readonly log: (message: string, err?: unknown) => void,
		private readonly options: JobRunnerOptions = DEFAULT_JOB_RUNNER_OPTIONS
	) {}

	/** Registers the handler of a kind (one per kind). */
	handle(kind: string, handler: JobHandler): void {
		if (this.handlers.has(kind)) throw new Error(`A handler for job kind "${kind}" is already registered.`);
		this.handlers.set(kind, handler);
	}

	/** Adds a job (see `enqueueJob`) and, when it is due now, starts a run. */
	async enqueue(job: NewJob): Promise<number | null> {
		const now = this.clock.now();
		const id = await enqueueJob(this.db, now, job);
		if (id !== null && (!job.runAt || job.runAt <= now)) this.nudge();
		return id;
	}

	/** Starts polling. */
	start(): void {
		this.stopped = false;
		this.schedule(0);
	}

	/** Stops polling and waits for the run in progress. */
	async stop(): Promise<void> {
		this.stopped = true;
		clearTimeout(this.timer);
		await this.running?.catch(() => 0);
	}

	/** Looks for due jobs now (after the current run, if one is going). */
	nudge(): void {
		if (this.stopped) return;
		if (this.running) this.again = true;
		else this.schedule(0);
	}

	/**
	 * Runs every job due by the clock's now, until none is left; resolves with how many ran. Tests with a fake clock
	 * call it after moving the clock.
	 */
	async runDue(): Promise<number> {
		while (this.running) await this.running.catch(() => 0);
		this.running = this.drain();
		try {
			return await this.running;
		} finally {
			this.running = undefined;
		}
	}

	private schedule(ms: number): void {
		clearTimeout(this.timer);
		this.timer = setTimeout(() => {
			void this.runDue()
				.catch((err) => this.log('Job runner: could not read the queue (retrying).', err))
				.finally(() => {
					if (this.stopped) return;
					const again = this.again;
					this.again = false;
					this.schedule(again ? 0 : this.options.pollMs);
				});
		}, ms);
		this.timer.unref?.();
	}

	private async drain(): Promise<number> {
		let ran = 0;
		for (;;) {
			const claimed = await claimJobs(this.db, this.clock.now(), this.id, this.options.batch, this.options.leaseMs, this.options.lateAfterMs);
			if (claimed.length === 0) return ran;
			await Promise.all(claimed.map((job) => this.runOne(job)));
			ran += claimed.length;
		}
	}

	private async runOne(job: ClaimedJob): Promise<void> {
		const handler = this.handlers.get(job.kind);
		const now = () => this.clock.now();
		if (!handler) {
			await failJob(this.db, job.id, this.id, now(), `No handler for job kind "${job.kind}".`);
			return;
		}
		try {
			await handler(job);
			await completeJob(this.db, job.id, this.id, now());
		} catch (err) {
			const message = err instanceof Error ? err.message : String(err);
			if (err instanceof PermanentJobError || job.attempts >= job.maxAttempts) {
				this.log(`Job ${job.kind} #${job.id} gave up after ${job.attempts} attempt(s): ${message}`);
				await failJob(this.db, job.id, this.id, now(), message);
			} else {
				const delay = err instanceof RetryJobLater ? err.delayMs : backoffMs(job.attempts);
				await retryJob(this.db, job.id, this.id, new Date(now().getTime() + delay), message);
			}
		}
	}
}
