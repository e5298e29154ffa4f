import type { BoardChange } from '../../src/lib/board/changes.ts';
import { webhookEventOf, type WebhookEvent } from '../../src/lib/webhooks/event-kinds.ts';
import type { RoomExtensionFactory } from '../sync/room-extension.ts';

/** Where a room hands its board's webhook events (server/webhooks/install.ts). */
export interface WebhookFeed {
	/** Whether the board may have endpoints (cached; false means its events can be dropped without a query). */
	mayHaveEndpoints(boardId: string): Promise<boolean>;
	/** Queues the events for the board's subscribed endpoints. */
	publish(boardId: string, events: readonly WebhookEvent[]): Promise<void>;
	log(message: string, err?: unknown): void;
}

/**
 * The room extension that turns the change feed into webhook events. It never holds the room up: events are queued
 * in the background, in order per board, errors logged; boards without endpoints cost one cached lookup. `flush`
 * waits for what was handed over, so a shutdown or unload does not drop events.
 */
export function webhookExtension(feed: () => WebhookFeed | undefined): RoomExtensionFactory {
	return ({ boardId }) => {
		let chain: Promise<void> = Promise.resolve();
		let pending = 0;
		return {
			onChange(_update: Uint8Array | null, changes: readonly BoardChange[]) {
				const target = feed();
				if (!target) return;
				const events = changes.map(webhookEventOf).filter((e): e is WebhookEvent => e !== null);
				if (events.length === 0) return;
				pending += events.length;
				chain = chain
					.then(async () => {
						if (await target.mayHaveEndpoints(boardId)) await target.publish(boardId, events);
					})
					.catch((err) => target.log(`Webhooks: could not queue ${events.length} event(s) of board ${boardId}.`, err))
					.finally(() => {
						pending -= events.length;
					});
			},
			flush: () => chain,
			get unsaved() {
				return pending;
			}
		};
	};
}
