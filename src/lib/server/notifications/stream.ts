import type { NotificationHub } from './hub.ts';
import type { InboxPush } from '../../notifications/kinds.ts';
import { sseResponse, HEARTBEAT_MS } from '../sse.ts';

export { HEARTBEAT_MS };

/**
 * A Server-Sent Events response carrying `userId`'s inbox pushes (`data: {"unread":n,"entry":…}`), starting with the
 * current count, with a heartbeat comment every 25 s. Everything is released when the client goes away (`signal`)
 * or the stream is cancelled.
 */
export function inboxStream(hub: NotificationHub, userId: string, initialUnread: () => Promise<number>, signal: AbortSignal, heartbeatMs = HEARTBEAT_MS): Response {
	return sseResponse(
		signal,
		({ write, stop }) => {
			const send = (push: InboxPush) => write(`event: inbox\ndata: ${JSON.stringify(push)}\n\n`);
			// Pushes that arrive before the first count are sent after it, in order, so the count never goes back.
			const early: InboxPush[] = [];
			let ready = false;
			const unsubscribe = hub.subscribe(userId, (push) => (ready ? send(push) : early.push(push)));
			write('retry: 5000\n\n');
			void initialUnread().then(
				(unread) => {
					send({ unread });
					ready = true;
					for (const push of early.splice(0)) send(push);
				},
				() => stop()
			);
			return unsubscribe;
		},
		heartbeatMs
	);
}
