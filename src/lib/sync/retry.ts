import { closeReason } from './connection';

/** Close code `ws` sends for a frame over its cap (also sent by the server for an oversized ordinary frame). */
const TOO_BIG = 1009;

/** What a provider reports about each socket, as far as retrying goes. */
export interface RetryEvents {
	on(event: 'status', handler: (event: { status: string }) => void): void;
	on(event: 'sync', handler: (synced: boolean) => void): void;
}

/**
 * Decides whether the browser reconnects after the server closed its socket, and what to tell the user when
 * it does not. 44xx codes are final. So is 1009 on a socket that never synced: the frame that was cut off
 * is the catch-up of this browser's offline work, and sending the same work again would be cut off again,
 * forever. (After a sync, 1009 means one edit was too big for a single frame; the next connection's catch-up
 * carries it, so reconnecting helps — once: a second socket in a row closed with 1009 is final too, because
 * the server may answer the sync before it reads the oversized catch-up, so "synced" cannot be trusted alone.)
 */
export class RetryPolicy {
	private syncedThisSocket = false;
	/** Counts the provider's sockets; and which of them the server closed with 1009. */
	private socket = 0;
	private readonly closedTooBig = new Set<number>();

	/** Follows `provider`'s sockets: a new one starts unsynced. */
	constructor(provider: RetryEvents) {
		provider.on('status', ({ status }) => {
			if (status === 'connecting') {
				this.syncedThisSocket = false;
				this.socket++;
			}
		});
		provider.on('sync', (synced) => {
			if (synced) this.syncedThisSocket = true;
		});
	}

	/** For the provider's `shouldReconnect` option: false when reconnecting cannot help. */
	shouldReconnect(code: number): boolean {
		return this.finalReason(code) === null;
	}

	/** The message for a close that ends syncing for good, or null when the browser should reconnect. */
	finalReason(code: number): string | null {
		if (code === TOO_BIG) this.closedTooBig.add(this.socket);
		if (code === TOO_BIG && (!this.syncedThisSocket || this.closedTooBig.has(this.socket - 1))) {
			return 'Your changes made while offline are too large for the server to accept. They are kept in this browser but were not sent; reconnecting will not help.';
		}
		return closeReason(code);
	}
}
