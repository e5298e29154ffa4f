import type * as Y from 'yjs';
import { dropPending, pendingBytes } from './pending.ts';
import { CLOSE, ProtocolError } from './protocol.ts';

/**
 * Changes whose dependencies have not arrived wait in the doc for a round trip at most in real use. Past a
 * quarter of `maxPayload` the update that pushed them over is refused (1007); past `pendingTimeoutMs` they are
 * dropped. Either way their senders resend them on their next sync, if they were real.
 */
export class PendingLimit {
	private timer: ReturnType<typeof setTimeout> | null = null;

	constructor(
		private readonly doc: Y.Doc,
		private readonly options: { maxPayload: number; pendingTimeoutMs: number },
		/** Told how many bytes were dropped when they timed out. */
		private readonly dropped: (bytes: number) => void
	) {}

	/** After applying an update: throws ProtocolError (1007) when too much is pending; otherwise starts the clock on it. */
	check(): void {
		const bytes = pendingBytes(this.doc);
		if (bytes === 0) return this.stop();
		if (bytes > this.options.maxPayload / 4) {
			dropPending(this.doc);
			this.stop();
			throw new ProtocolError('Update depends on too many changes the server does not have', CLOSE.invalidPayload);
		}
		this.timer ??= setTimeout(() => {
			this.timer = null;
			const left = pendingBytes(this.doc);
			if (left === 0) return;
			dropPending(this.doc);
			this.dropped(left);
		}, this.options.pendingTimeoutMs);
	}

	/** Stops the clock (nothing pending, or the room is going). */
	stop(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
	}
}
