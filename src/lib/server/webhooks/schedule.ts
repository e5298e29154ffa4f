/**
 * When a delivery is tried again after its n-th attempt failed (index n-1): 30 s, 5 min, 30 min, 2 h, 5 h, 10 h, then
 * the last try about 24 h after the first (8 attempts in all). The first wait is longer than the 10-second send
 * timeout, so an attempt still waiting on a slow receiver never overlaps the next one.
 */
export const WEBHOOK_RETRY_SCHEDULE_MS: readonly number[] = [30_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 23_070_000];

/** How long one attempt may take (connect, send, response) before it counts as failed. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** Deliveries in a row that ended failed after which an endpoint is disabled. */
export const WEBHOOK_DISABLE_AFTER = 5;

/** Characters of a receiver's response kept in the delivery log. */
export const WEBHOOK_EXCERPT_CHARS = 500;

/** The job key of a delivery's attempt number `attempt` (counted over all its rounds, redeliveries included). */
export const webhookAttemptKey = (deliveryId: string, attempt: number): string => `webhook:${deliveryId}:${attempt}`;

/** The payload of a delivery job: which delivery, and how far into the retry schedule this attempt is (0: first). */
export interface WebhookJobPayload {
	deliveryId: string;
	/** Which attempt this is, over all rounds (1: the first; absent on the job queueWebhookEvent makes). */
	attempt?: number;
	step?: number;
}
