import { sseResponse, HEARTBEAT_MS } from '../sse.ts';
import type { CardHub } from './card-hub.ts';

/**
 * A Server-Sent Events response for one open card: `event: card` with `data: {"what":"comments"|"attachments"}` each
 * time that list changes (the page then re-reads it), and a heartbeat comment every 25 s. Everything is released when
 * the client goes away (`signal`) or the stream is cancelled.
 */
export function cardStream(hub: CardHub, boardId: string, cardId: string, signal: AbortSignal, heartbeatMs = HEARTBEAT_MS): Response {
	return sseResponse(
		signal,
		({ write }) => {
			const unsubscribe = hub.subscribe(boardId, (push) => {
				if (push.cardId === cardId) write(`event: card\ndata: ${JSON.stringify({ what: push.what })}\n\n`);
			});
			// The first line tells the page it is subscribed: what it reads after this cannot miss a change.
			write('retry: 5000\n\nevent: ready\ndata: {}\n\n');
			return unsubscribe;
		},
		heartbeatMs
	);
}
