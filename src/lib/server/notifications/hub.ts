import type { InboxPush } from '../../notifications/kinds.ts';

/** Tells a person's open pages about their inbox (the bell's live count). */
export interface NotificationHub {
	/** Pushes to every open stream of `userId`. */
	publish(userId: string, push: InboxPush): void;
	/** Listens for `userId`'s pushes; returns the unsubscribe. */
	subscribe(userId: string, listener: (push: InboxPush) => void): () => void;
}

/** A hub for one process (several instances would relay through Redis; not built yet). */
export function localNotificationHub(): NotificationHub {
	const listeners = new Map<string, Set<(push: InboxPush) => void>>();
	return {
		publish(userId, push) {
			for (const listener of listeners.get(userId) ?? []) {
				try {
					listener(push);
				} catch {
					// A closed stream's listener may throw; it unsubscribes itself.
				}
			}
		},
		subscribe(userId, listener) {
			const set = listeners.get(userId) ?? new Set();
			set.add(listener);
			listeners.set(userId, set);
			return () => {
				set.delete(listener);
				if (set.size === 0) listeners.delete(userId);
			};
		}
	};
}
