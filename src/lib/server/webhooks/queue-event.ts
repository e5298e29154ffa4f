import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { Clock } from '../clock.ts';
import type { JobQueue } from '../jobs/job-queue.ts';
import { webhookDeliveries, webhookEndpoints } from '../db/schema/automation.ts';
import { newId } from '../ids.ts';

/** Job kind that makes one delivery attempt (the webhook sender handles it, retrying on its schedule). */
export const WEBHOOK_DELIVER_JOB = 'webhook.deliver';

/** What queueing a webhook event needs from the running app. */
export interface WebhookQueueDeps {
	db: Db;
	jobs: JobQueue;
	clock: Clock;
}

/**
 * Queues one event for the board's enabled endpoints that subscribed to `kind` (or for one endpoint, when a rule names
 * it): a delivery row per endpoint, logged as pending, and a job that sends it. Resolves with the delivery ids.
 */
export async function queueWebhookEvent(deps: WebhookQueueDeps, boardId: string, kind: string, data: Record<string, unknown>, endpointId?: string): Promise<string[]> {
	const endpoints = await deps.db
		.select({ id: webhookEndpoints.id, kinds: webhookEndpoints.kinds })
		.from(webhookEndpoints)
		.where(and(eq(webhookEndpoints.boardId, boardId), eq(webhookEndpoints.enabled, true), ...(endpointId ? [eq(webhookEndpoints.id, endpointId)] : [])));
	const now = deps.clock.now();
	const ids: string[] = [];
	for (const endpoint of endpoints) {
		if (!endpointId && !endpoint.kinds.includes(kind)) continue;
		const id = `msg_${newId()}`;
		const payload = { type: kind, timestamp: now.toISOString(), data: { boardId, ...data } };
		await deps.db.insert(webhookDeliveries).values({ id, endpointId: endpoint.id, kind, payload, status: 'pending', createdAt: now });
		await deps.jobs.enqueue({ kind: WEBHOOK_DELIVER_JOB, payload: { deliveryId: id }, key: `webhook:${id}:1` });
		ids.push(id);
	}
	return ids;
}
