/** What changed on a card outside its document: its comments or its files (the open dialogs then re-read that list). */
export interface CardPush {
	cardId: string;
	what: 'comments' | 'attachments';
}

/** Tells everyone with a board's card open that its comments or files changed (one channel per board). */
export interface CardHub {
	/** Pushes to every open stream on `boardId`. */
	publish(boardId: string, push: CardPush): void;
	/** Listens for `boardId`'s pushes; returns the unsubscribe. */
	subscribe(boardId: string, listener: (push: CardPush) => void): () => void;
}

/** A hub for one process (like the notification hub: several instances would relay through Redis; not built yet). */
export function localCardHub(): CardHub {
	const listeners = new Map<string, Set<(push: CardPush) => void>>();
	return {
		publish(boardId, push) {
			for (const listener of listeners.get(boardId) ?? []) {
				try {
					listener(push);
				} catch {
					// A closed stream's listener may throw; it unsubscribes itself.
				}
			}
		},
		subscribe(boardId, listener) {
			const set = listeners.get(boardId) ?? new Set();
			set.add(listener);
			listeners.set(boardId, set);
			return () => {
				set.delete(listener);
				if (set.size === 0) listeners.delete(boardId);
			};
		}
	};
}
