import { randomBytes } from 'node:crypto';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { webhookDeliveries, webhookEndpoints } from '../db/schema/automation.ts';
import { jobs } from '../db/schema/jobs.ts';
import { webhookAttemptKey } from './schedule.ts';
import { findBoardAccess, BOARD_NOT_FOUND } from '../boards/boards.ts';
import { DomainError } from '../errors.ts';
import { ValidationError } from '../validation.ts';
import { newId } from '../ids.ts';
import { isWebhookEventKind, WEBHOOK_TEST_KIND, type WebhookEventKind } from '../../webhooks/event-kinds.ts';
import { checkWebhookUrl, WebhookAddressError } from './address-guard.ts';
import { queueWebhookEvent, type WebhookQueueDeps } from './queue-event.ts';
import { cancelQueuedAttempt, enqueueAttempt } from './attempt-job.ts';

/** What managing endpoints needs: the database, the queue and clock (test events, redeliveries), and the private-address switch. */
export interface WebhookAdminDeps extends WebhookQueueDeps {
	webhookAllowPrivate: boolean;
	/** Told after a board's endpoints changed (the change feed caches how many a board has). */
	endpointsChanged?(boardId: string): void;
}

/** An endpoint as the webhooks page lists it: never its secret, only the secret's last four characters. */
export interface EndpointView {
	id: string;
	url: string;
	kinds: string[];
	enabled: boolean;
	disabledReason: string | null;
	failures: number;
	secretHint: string;
	createdAt: Date;
}

/** One delivery as the log shows it. */
export interface DeliveryView {
	id: string;
	endpointId: string;
	kind: string;
	status: string;
	attempts: number;
	responseStatus: number | null;
	durationMs: number | null;
	responseExcerpt: string | null;
	lastError: string | null;
	createdAt: Date;
	lastAttemptAt: Date | null;
	/** When a retrying delivery is tried next (its queued attempt), else null. */
	nextAttemptAt: Date | null;
}

/** Only board owners manage webhooks; a non-member is told the board does not exist. */
export async function requireWebhookOwner(db: Db, boardId: string, userId: string): Promise<void> {
	const access = await findBoardAccess(db, boardId, userId);
	if (!access) throw new DomainError('not_found', BOARD_NOT_FOUND);
	if (access.role !== 'owner') throw new DomainError('forbidden', 'Only board owners can manage webhooks.');
}

const endpointInput = z.object({
	url: z.string().trim().min(1, 'Enter the URL to send events to.').max(2000, 'Keep the URL under 2,000 characters.'),
	kinds: z.array(z.string()).min(1, 'Choose at least one event kind.').max(50).refine((kinds) => kinds.every(isWebhookEventKind), 'Choose event kinds from the list.')
});

/** Endpoints one board may have (each event is queued once per endpoint). */
export const MAX_ENDPOINTS_PER_BOARD = 20;

/** A new Standard Webhooks signing secret: `whsec_` and 32 random bytes in base64. */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

/**
 * Adds an endpoint after checking its URL (http(s), public address unless allowed). Resolves with its id and its
 * secret, which is shown this once. Bad input throws a ValidationError by field and saves nothing.
 */
export async function createEndpoint(deps: WebhookAdminDeps, boardId: string, userId: string, input: { url: string; kinds: string[] }): Promise<{ id: string; secret: string }> {
	await requireWebhookOwner(deps.db, boardId, userId);
	const parsed = endpointInput.safeParse(input);
	const errors: Record<string, string> = {};
	if (!parsed.success) for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'url')] ??= issue.message;
	let url: string | null = null;
	if (!errors.url) {
		try {
			url = (await checkWebhookUrl(input.url, deps.webhookAllowPrivate)).url.href;
		} catch (err) {
			if (!(err instanceof WebhookAddressError)) throw err;
			errors.url = err.message;
		}
	}
	if (!errors.url) {
		const existing = await deps.db.select({ url: webhookEndpoints.url }).from(webhookEndpoints).where(eq(webhookEndpoints.boardId, boardId));
		if (existing.length >= MAX_ENDPOINTS_PER_BOARD) errors.url = `A board can have at most ${MAX_ENDPOINTS_PER_BOARD} endpoints: delete one first.`;
		// One endpoint per URL: a second would sign with another secret and double every delivery.
		else if (existing.some((e) => e.url === url)) errors.url = 'This board already sends to this URL. Delete that endpoint first to change its event kinds.';
	}
	if (Object.keys(errors).length > 0 || !parsed.success || !url) throw new ValidationError(errors);
	const id = newId();
	const secret = newWebhookSecret();
	const kinds = [...new Set(parsed.data.kinds as WebhookEventKind[])];
	await deps.db.insert(webhookEndpoints).values({ id, boardId, url, secret, kinds, enabled: true, createdBy: userId, createdAt: deps.clock.now() });
	deps.endpointsChanged?.(boardId);
	return { id, secret };
}

/** The board's endpoints, oldest first. */
export async function listEndpoints(db: Db, boardId: string, userId: string): Promise<EndpointView[]> {
	await requireWebhookOwner(db, boardId, userId);
	const rows = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.boardId, boardId)).orderBy(webhookEndpoints.createdAt, webhookEndpoints.id);
	return rows.map((r) => ({
		id: r.id,
		url: r.url,
		kinds: r.kinds,
		enabled: r.enabled,
		disabledReason: r.disabledReason,
		failures: r.failures,
		secretHint: r.secret.slice(-4),
		createdAt: r.createdAt
	}));
}

/** The latest `limit` deliveries of each of the board's endpoints, newest first. */
export async function listDeliveries(db: Db, boardId: string, userId: string, limit = 25): Promise<Map<string, DeliveryView[]>> {
	const endpoints = await listEndpoints(db, boardId, userId);
	const out = new Map<string, DeliveryView[]>();
	for (const endpoint of endpoints) {
		const rows = await db
			.select()
			.from(webhookDeliveries)
			.where(eq(webhookDeliveries.endpointId, endpoint.id))
			.orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
			.limit(limit);
		// A retrying delivery's next attempt is the queued job keyed by its next attempt number.
		const nextKeys = rows.filter((r) => r.status === 'retrying').map((r) => webhookAttemptKey(r.id, r.attempts + 1));
		const queued = nextKeys.length > 0 ? await db.select({ key: jobs.key, runAt: jobs.runAt }).from(jobs).where(inArray(jobs.key, nextKeys)) : [];
		const nextAt = new Map(queued.map((j) => [j.key, j.runAt]));
		out.set(
			endpoint.id,
			rows.map(({ payload: _payload, ...row }) => ({ ...row, nextAttemptAt: row.status === 'retrying' ? (nextAt.get(webhookAttemptKey(row.id, row.attempts + 1)) ?? null) : null }))
		);
	}
	return out;
}

async function requireEndpoint(db: Db, boardId: string, endpointId: string) {
	const [row] = await db.select().from(webhookEndpoints).where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.boardId, boardId)));
	if (!row) throw new DomainError('not_found', 'This webhook endpoint no longer exists.');
	return row;
}

/** Deletes an endpoint and its delivery log. */
export async function deleteEndpoint(deps: WebhookAdminDeps, boardId: string, userId: string, endpointId: string): Promise<void> {
	await requireWebhookOwner(deps.db, boardId, userId);
	await requireEndpoint(deps.db, boardId, endpointId);
	await deps.db.delete(webhookEndpoints).where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.boardId, boardId)));
	deps.endpointsChanged?.(boardId);
}

/** Switches a disabled endpoint back on, its failure count cleared (its URL is checked again first). */
export async function enableEndpoint(deps: WebhookAdminDeps, boardId: string, userId: string, endpointId: string): Promise<void> {
	await requireWebhookOwner(deps.db, boardId, userId);
	const endpoint = await requireEndpoint(deps.db, boardId, endpointId);
	try {
		await checkWebhookUrl(endpoint.url, deps.webhookAllowPrivate);
	} catch (err) {
		if (err instanceof WebhookAddressError) throw new DomainError('invalid_input', err.message);
		throw err;
	}
	await deps.db.update(webhookEndpoints).set({ enabled: true, failures: 0, disabledReason: null }).where(eq(webhookEndpoints.id, endpointId));
	deps.endpointsChanged?.(boardId);
}

/** Sends a `webhook.test` event to one endpoint (whatever kinds it chose); resolves with the delivery id. */
export async function sendTestEvent(deps: WebhookAdminDeps, boardId: string, userId: string, endpointId: string): Promise<string> {
	await requireWebhookOwner(deps.db, boardId, userId);
	const endpoint = await requireEndpoint(deps.db, boardId, endpointId);
	if (!endpoint.enabled) throw new DomainError('conflict', 'This endpoint is disabled: enable it before sending a test event.');
	const [id] = await queueWebhookEvent(deps, boardId, WEBHOOK_TEST_KIND, { message: 'A test event from Flowdeck.' }, endpointId);
	if (!id) throw new DomainError('conflict', 'The test event could not be queued; reload and try again.');
	return id;
}

/** Sends a delivery again, from the start of the retry schedule, with the same webhook-id (receivers can de-duplicate). */
export async function redeliver(deps: WebhookAdminDeps, boardId: string, userId: string, deliveryId: string): Promise<void> {
	await requireWebhookOwner(deps.db, boardId, userId);
	const ids = (await deps.db.select({ id: webhookEndpoints.id }).from(webhookEndpoints).where(eq(webhookEndpoints.boardId, boardId))).map((r) => r.id);
	const [delivery] = ids.length
		? await deps.db
				.select()
				.from(webhookDeliveries)
				.where(and(eq(webhookDeliveries.id, deliveryId), inArray(webhookDeliveries.endpointId, ids)))
		: [];
	if (!delivery) throw new DomainError('not_found', 'This delivery no longer exists.');
	const endpoint = await requireEndpoint(deps.db, boardId, delivery.endpointId);
	if (!endpoint.enabled) throw new DomainError('conflict', 'This endpoint is disabled: enable it before redelivering.');
	// A send takes at most the timeout; a delivery still "sending" a minute later was cut off (the server stopped).
	const sendingNow = delivery.status === 'sending' && (delivery.lastAttemptAt?.getTime() ?? 0) > deps.clock.now().getTime() - 60_000;
	if (delivery.status === 'pending' || sendingNow) throw new DomainError('conflict', 'This delivery is being sent right now; try again in a minute.');
	// A retrying delivery's next attempt is already queued for later: it is brought forward (a fresh round).
	await cancelQueuedAttempt(deps.db, deliveryId, delivery.attempts + 1);
	await deps.db.update(webhookDeliveries).set({ status: 'pending' }).where(eq(webhookDeliveries.id, deliveryId));
	await enqueueAttempt(deps.jobs, deliveryId, delivery.attempts + 1, 0);
}

/** How many enabled endpoints a board has (the change feed skips boards with none). */
export async function countEnabledEndpoints(db: Db, boardId: string): Promise<number> {
	const rows = await db.select({ id: webhookEndpoints.id }).from(webhookEndpoints).where(and(eq(webhookEndpoints.boardId, boardId), eq(webhookEndpoints.enabled, true)));
	return rows.length;
}

/** The admin dependencies from the running app's context. */
export function webhookAdminDeps(ctx: { db: Db; jobs: WebhookQueueDeps['jobs']; clock: WebhookQueueDeps['clock']; webhookAllowPrivate: boolean; webhooks?: { endpointsChanged(boardId: string): void } }): WebhookAdminDeps {
	return { db: ctx.db, jobs: ctx.jobs, clock: ctx.clock, webhookAllowPrivate: ctx.webhookAllowPrivate, endpointsChanged: (boardId) => ctx.webhooks?.endpointsChanged(boardId) };
}
