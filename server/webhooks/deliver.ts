import { and, eq, notInArray, sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import type { Db } from '../../src/lib/server/db/client.ts';
import type { Clock } from '../../src/lib/server/clock.ts';
import type { JobQueue } from '../../src/lib/server/jobs/job-queue.ts';
import type { ClaimedJob } from '../../src/lib/server/jobs/queue.ts';
import type { NotificationInput } from '../../src/lib/server/notifications/notify.ts';
import { webhookDeliveries, webhookEndpoints } from '../../src/lib/server/db/schema/automation.ts';
import { boardMembers } from '../../src/lib/server/db/schema/boards.ts';
import { cancelQueuedAttempt, enqueueAttempt } from '../../src/lib/server/webhooks/attempt-job.ts';
import { WEBHOOK_DISABLE_AFTER, WEBHOOK_EXCERPT_CHARS, WEBHOOK_RETRY_SCHEDULE_MS, type WebhookJobPayload } from '../../src/lib/server/webhooks/schedule.ts';
import { enqueueJob } from '../../src/lib/server/jobs/queue.ts';
import { postWebhook, type PostOutcome } from './post.ts';

/** A JobQueue writing through a transaction (the job is due later: nobody needs nudging). */
const txQueue = (tx: Db, now: Date): JobQueue => ({ enqueue: (job) => enqueueJob(tx, now, job) });

/** What the sender needs from the running app. */
export interface WebhookSenderDeps {
	db: Db;
	clock: Clock;
	jobs: JobQueue;
	notify(input: NotificationInput): Promise<number | null>;
	/** Read at every send, so switching it takes effect at once. */
	allowPrivate(): boolean;
	endpointsChanged(boardId: string): void;
	log(message: string, err?: unknown): void;
	timeoutMs: number;
}

/** The delivery-job handler and a way to wait for the sends it started. */
export interface WebhookSender {
	handle(job: ClaimedJob): Promise<void>;
	idle(): Promise<void>;
	/** Interrupts the sends in flight without recording them (their next attempt is queued already). */
	close(): Promise<void>;
}

const attemptOfKey = (key: string | null): number | null => {
	const n = Number(key?.split(':').at(-1));
	return Number.isInteger(n) && n > 0 ? n : null;
};

/**
 * Builds the handler of WEBHOOK_DELIVER_JOB. One job is one attempt. It claims the attempt on the delivery row (a
 * stale or duplicate job finds the row moved on and does nothing), queues the next attempt on the retry schedule
 * *before* sending (so a crash mid-send still retries), then sends in the background and returns: the job runner
 * waits for a batch of jobs together, and a receiver that hangs for the full timeout must not hold up reminders,
 * mail or other deliveries. A success cancels the queued retry.
 */
export function webhookSender(deps: WebhookSenderDeps): WebhookSender {
	const inFlight = new Set<Promise<void>>();
	const stopping = new AbortController();
	const { db } = deps;

	async function handle(job: ClaimedJob): Promise<void> {
		const payload = job.payload as Partial<WebhookJobPayload>;
		const deliveryId = String(payload.deliveryId ?? '');
		const attempt = payload.attempt ?? attemptOfKey(job.key) ?? 1;
		const step = payload.step ?? 0;
		const now = deps.clock.now();
		const delay = WEBHOOK_RETRY_SCHEDULE_MS[step];
		// Claiming the attempt and queueing the next one commit together: a crash between them can neither lose the
		// retry nor leave a claimed attempt that nothing will ever send.
		const claimed = await db.transaction(async (tx) => {
			const [row] = await tx
				.update(webhookDeliveries)
				.set({ attempts: attempt, status: 'sending', lastAttemptAt: now })
				.where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.attempts, attempt - 1), notInArray(webhookDeliveries.status, ['delivered', 'failed'])))
				.returning();
			if (!row) return null;
			const [endpoint] = await tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, row.endpointId));
			if (endpoint?.enabled && delay !== undefined) await enqueueAttempt(txQueue(tx as unknown as Db, now), deliveryId, attempt + 1, step + 1, new Date(now.getTime() + delay));
			return { delivery: row, endpoint };
		});
		if (!claimed) return;
		const { delivery, endpoint } = claimed;
		if (!endpoint || !endpoint.enabled) {
			await db
				.update(webhookDeliveries)
				.set({ status: 'failed', lastError: endpoint ? `Not sent: the endpoint was disabled (${endpoint.disabledReason ?? 'by hand'}).` : 'Not sent: the endpoint was deleted.' })
				.where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.attempts, attempt)));
			return;
		}
		const body = JSON.stringify(delivery.payload);
		// Signed with the wall clock: receivers compare webhook-timestamp with their own clock to refuse replays.
		const sentAt = new Date();
		const headers = {
			'content-type': 'application/json',
			'user-agent': 'Flowdeck-Webhooks/1',
			'webhook-id': delivery.id,
			'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
			'webhook-signature': new Webhook(endpoint.secret).sign(delivery.id, sentAt, body)
		};
		const options = { timeoutMs: deps.timeoutMs, excerptChars: WEBHOOK_EXCERPT_CHARS, allowPrivate: deps.allowPrivate, signal: stopping.signal };
		const sending = postWebhook(new URL(endpoint.url), body, headers, options)
			.then((outcome) => (stopping.signal.aborted ? undefined : record(endpoint, deliveryId, attempt, delay !== undefined, outcome)))
			.catch((err) => deps.log(`Webhook delivery ${deliveryId}: could not record attempt ${attempt}.`, err));
		inFlight.add(sending);
		void sending.finally(() => inFlight.delete(sending));
	}

	async function record(endpoint: typeof webhookEndpoints.$inferSelect, deliveryId: string, attempt: number, willRetry: boolean, outcome: PostOutcome): Promise<void> {
		const ok = outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
		const status = ok ? 'delivered' : willRetry ? 'retrying' : 'failed';
		const lastError = ok ? null : (outcome.error ?? `The receiver answered ${outcome.status}.`);
		const updated = await db
			.update(webhookDeliveries)
			.set({ status, responseStatus: outcome.status, durationMs: outcome.durationMs, responseExcerpt: outcome.excerpt || null, lastError })
			.where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.attempts, attempt)))
			.returning({ id: webhookDeliveries.id });
		if (updated.length === 0) return;
		if (ok) {
			await cancelQueuedAttempt(db, deliveryId, attempt + 1);
			if (endpoint.failures > 0) await db.update(webhookEndpoints).set({ failures: 0 }).where(eq(webhookEndpoints.id, endpoint.id));
		} else if (status === 'failed') await deliveryGaveUp(endpoint.id);
	}

	/** A delivery used its whole schedule: one more in a row; past the limit the endpoint is disabled and owners told. */
	async function deliveryGaveUp(endpointId: string): Promise<void> {
		const [row] = await db
			.update(webhookEndpoints)
			.set({ failures: sql`${webhookEndpoints.failures} + 1` })
			.where(eq(webhookEndpoints.id, endpointId))
			.returning();
		if (!row || !row.enabled || row.failures < WEBHOOK_DISABLE_AFTER) return;
		const reason = `${row.failures} deliveries in a row failed after every retry (the last on ${deps.clock.now().toISOString().slice(0, 16).replace('T', ' ')} UTC).`;
		const disabled = await db
			.update(webhookEndpoints)
			.set({ enabled: false, disabledReason: reason })
			.where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.enabled, true)))
			.returning({ id: webhookEndpoints.id });
		// Only the update that switched it off tells people (two deliveries giving up at once would tell them twice).
		if (disabled.length === 0) return;
		deps.endpointsChanged(row.boardId);
		const owners = await db
			.select({ userId: boardMembers.userId })
			.from(boardMembers)
			.where(and(eq(boardMembers.boardId, row.boardId), eq(boardMembers.role, 'owner')));
		for (const owner of owners)
			await deps.notify({
				userId: owner.userId,
				kind: 'board_admin',
				title: `A webhook was disabled: ${row.url}`,
				body: `${reason} Fix the receiver, then enable the endpoint again on the board's Webhooks page.`,
				boardId: row.boardId,
				data: { endpointId },
				key: `webhook-disabled:${endpointId}:${deps.clock.now().getTime()}`
			});
	}

	return {
		handle,
		async idle() {
			while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
		},
		async close() {
			stopping.abort();
			while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
		}
	};
}
