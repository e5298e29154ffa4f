/** What a card's live stream says: subscribed (re-read everything), or which list changed. */
export type CardLiveEvent = 'ready' | 'comments' | 'attachments';

interface Channel {
	source: EventSource;
	listeners: Set<(event: CardLiveEvent) => void>;
}

// One EventSource per open card, shared by its comment and attachment lists (browsers allow few connections per host).
const channels = new Map<string, Channel>();

/**
 * Listens to an open card's comments and files changing (Server-Sent Events from
 * `/api/boards/<board>/cards/<card>/stream`). `ready` comes on every (re)connection: read the lists then, and no change
 * is missed. Returns the unsubscribe; the connection closes with its last listener. Browser only.
 */
export function subscribeCard(boardId: string, cardId: string, listener: (event: CardLiveEvent) => void): () => void {
	const key = `${boardId}/${cardId}`;
	let channel = channels.get(key);
	if (!channel) {
		const source = new EventSource(`/api/boards/${encodeURIComponent(boardId)}/cards/${encodeURIComponent(cardId)}/stream`);
		const created: Channel = { source, listeners: new Set() };
		const tell = (event: CardLiveEvent) => {
			for (const l of created.listeners) l(event);
		};
		source.addEventListener('ready', () => tell('ready'));
		source.addEventListener('card', (e) => {
			const what = (JSON.parse((e as MessageEvent<string>).data) as { what?: unknown }).what;
			if (what === 'comments' || what === 'attachments') tell(what);
		});
		channels.set(key, created);
		channel = created;
	}
	const current = channel;
	current.listeners.add(listener);
	return () => {
		current.listeners.delete(listener);
		if (current.listeners.size === 0) {
			current.source.close();
			channels.delete(key);
		}
	};
}
