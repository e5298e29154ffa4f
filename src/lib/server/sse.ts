/** How often a stream sends a comment so proxies and browsers keep it open. */
export const HEARTBEAT_MS = 25_000;

/** What a stream's `start` gets: a writer of raw event text (a no-op once closed) and a way to close the stream. */
export interface SseChannel {
	write(text: string): void;
	stop(): void;
}

/**
 * A Server-Sent Events response: `start` subscribes and returns its unsubscribe; a heartbeat comment goes out every
 * `heartbeatMs`. Everything is released once, when the client goes away (`signal`), the stream is cancelled, a write
 * fails, or `stop` is called.
 */
export function sseResponse(signal: AbortSignal, start: (channel: SseChannel) => () => void, heartbeatMs = HEARTBEAT_MS): Response {
	const encoder = new TextEncoder();
	let stop = () => {};
	const body = new ReadableStream<Uint8Array>({
		start(controller) {
			let open = true;
			let unsubscribe = () => {};
			const write = (text: string) => {
				if (!open) return;
				try {
					controller.enqueue(encoder.encode(text));
				} catch {
					stop();
				}
			};
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
			unsubscribe = start({ write, stop: () => stop() });
			// `start` may have stopped the stream before returning its unsubscribe.
			if (!open) unsubscribe();
		},
		cancel() {
			stop();
		}
	});
	return new Response(body, { headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' } });
}
