import type { CardHub } from './card-hub.ts';

/** How often the stream sends a comment so proxies and browsers keep it open (as the inbox stream does). */
const HEARTBEAT_MS = 25_000;

/**
 * A Server-Sent Events response for one open card: `event: card` with `data: {"what":"comments"|"attachments"}` each
 * time that list changes (the page then re-reads it), and a heartbeat comment every 25 s. Everything is released when
 * the client goes away (`signal`) or the stream is cancelled.
 */
export function cardStream(hub: CardHub, boardId: string, cardId: string, signal: AbortSignal, heartbeatMs = HEARTBEAT_MS): Response {
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
			const unsubscribe = hub.subscribe(boardId, (push) => {
				if (push.cardId === cardId) write(`event: card\ndata: ${JSON.stringify({ what: push.what })}\n\n`);
			});
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
			// The first line tells the page it is subscribed: what it reads after this cannot miss a change.
			write('retry: 5000\n\nevent: ready\ndata: {}\n\n');
		},
		cancel() {
			stop();
		}
	});
	return new Response(body, { headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' } });
}
