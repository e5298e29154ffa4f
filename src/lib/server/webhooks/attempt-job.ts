import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { jobs } from '../db/schema/jobs.ts';
import type { JobQueue } from '../jobs/job-queue.ts';
import { WEBHOOK_DELIVER_JOB } from './queue-event.ts';
import { webhookAttemptKey, type WebhookJobPayload } from './schedule.ts';

/** Queues attempt number `attempt` of a delivery (at `runAt`, default now), `step` into the retry schedule. */
export async function enqueueAttempt(queue: JobQueue, deliveryId: string, attempt: number, step: number, runAt?: Date): Promise<number | null> {
	const payload: WebhookJobPayload & Record<string, unknown> = { deliveryId, attempt, step };
	return queue.enqueue({ kind: WEBHOOK_DELIVER_JOB, payload, key: webhookAttemptKey(deliveryId, attempt), ...(runAt ? { runAt } : {}), maxAttempts: 3 });
}

/**
 * Drops a queued attempt that has not run (a delivery succeeded, or is redelivered now), freeing its key. A job some
 * runner already claimed is left alone: the attempt itself sees the delivery moved on and does nothing.
 */
export async function cancelQueuedAttempt(db: Db, deliveryId: string, attempt: number): Promise<void> {
	await db.delete(jobs).where(and(eq(jobs.key, webhookAttemptKey(deliveryId, attempt)), isNull(jobs.doneAt), isNull(jobs.failedAt), isNull(jobs.lockedBy)));
}
