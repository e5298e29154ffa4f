import type { NotificationHub } from './hub.ts';
import type { InboxPush } from '../../notifications/kinds.ts';

/** How often the stream sends a comment so proxies and browsers keep it open. */
export const HEARTBEAT_MS = 25_000;

/**
 * A Server-Sent Events response carrying `userId`'s inbox pushes (`data: {"unread":n,"entry":…}`), starting with the
 * current count, with a heartbeat comment every 25 s. Everything is released when the client goes away (`signal`)
 * or the stream is cancelled.
 */
export function inboxStream(hub: NotificationHub, userId: string, initialUnread: () => Promise<number>, signal: AbortSignal, heartbeatMs = HEARTBEAT_MS): Response {
	const encoder = new TextEncoder();
	let stop = () => {};
	const body = new ReadableStream<Uint8Array>({
		start(controller) {
			let open = true;
			const write = (text: string) => {
				if (!open) return;
				try {
					controller.enqueue(encoder.encode(text));
				} catch {
					stop();
				}
			};
			const send = (push: InboxPush) => write(`event: inbox\ndata: ${JSON.stringify(push)}\n\n`);
			// Pushes that arrive before the first count are sent after it, in order, so the count never goes back.
			const early: InboxPush[] = [];
			let ready = false;
			const unsubscribe = hub.subscribe(userId, (push) => (ready ? send(push) : early.push(push)));
			const heartbeat = setInterval(() => write(': keep-alive\n\n'), heartbeatMs);
			stop = () => {
				if (!open) return;
				open = false;
				clearInterval(heartbeat);
				unsubscribe();
				signal.removeEventListener('abort', stop);
				try {
					controller.close();
				} catch {
					// Already closed by the client.
				}
			};
			signal.addEventListener('abort', stop);
			if (signal.aborted) return stop();
			write('retry: 5000\n\n');
			void initialUnread().then(
				(unread) => {
					send({ unread });
					ready = true;
					for (const push of early.splice(0)) send(push);
				},
				() => stop()
			);
		},
		cancel() {
			stop();
		}
	});
	return new Response(body, { headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' } });
}
