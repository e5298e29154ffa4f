import type { AppContext } from '../../src/lib/server/context.ts';
import type { JobRunner } from '../jobs/job-runner.ts';
import { WEBHOOK_DELIVER_JOB, queueWebhookEvent } from '../../src/lib/server/webhooks/queue-event.ts';
import { countEnabledEndpoints } from '../../src/lib/server/webhooks/endpoints.ts';
import { WEBHOOK_TIMEOUT_MS } from '../../src/lib/server/webhooks/schedule.ts';
import type { RoomExtensionFactory } from '../sync/room-extension.ts';
import { webhookExtension, type WebhookFeed } from './webhook-extension.ts';
import { webhookSender } from './deliver.ts';

/** The webhooks of a running app: the room extension (built before the context) and its installation (after). */
export interface Webhooks {
	extension: RoomExtensionFactory;
	/** Registers the delivery job's handler and puts the runtime on the context. */
	install(ctx: AppContext, jobs: JobRunner): void;
	/** Interrupts sends in flight (shutdown, after the job runner stopped). */
	close(): Promise<void>;
}

/** Tunables (tests shorten the timeout). */
export interface WebhookOptions {
	timeoutMs?: number;
	/** How long a board's "has endpoints" answer is trusted when nothing on this process changed it (other instances). */
	cacheMs?: number;
}

/** Builds the webhooks part of the app; call `install` once the context and job runner exist. */
export function createWebhooks(log: (message: string, err?: unknown) => void, options: WebhookOptions = {}): Webhooks {
	const cacheMs = options.cacheMs ?? 30_000;
	const known = new Map<string, { has: boolean; at: number }>();
	let feed: WebhookFeed | undefined;
	let sender: ReturnType<typeof webhookSender> | undefined;
	return {
		extension: webhookExtension(() => feed),
		install(ctx, jobs) {
			const endpointsChanged = (boardId: string) => known.delete(boardId);
			sender = webhookSender({
				db: ctx.db,
				clock: ctx.clock,
				jobs,
				notify: (input) => ctx.notify(input),
				allowPrivate: () => ctx.webhookAllowPrivate,
				endpointsChanged,
				log,
				timeoutMs: options.timeoutMs ?? WEBHOOK_TIMEOUT_MS
			});
			jobs.handle(WEBHOOK_DELIVER_JOB, sender.handle);
			ctx.webhooks = { endpointsChanged, idle: sender.idle };
			feed = {
				async mayHaveEndpoints(boardId) {
					const hit = known.get(boardId);
					if (hit && performance.now() - hit.at < cacheMs) return hit.has;
					const has = (await countEnabledEndpoints(ctx.db, boardId)) > 0;
					known.set(boardId, { has, at: performance.now() });
					return has;
				},
				async publish(boardId, events) {
					for (const event of events) await queueWebhookEvent({ db: ctx.db, jobs, clock: ctx.clock }, boardId, event.kind, event.data);
				},
				log
			};
		},
		close: () => sender?.close() ?? Promise.resolve()
	};
}
