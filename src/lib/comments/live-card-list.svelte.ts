import { subscribeCard } from './card-live';

/** The server's message in a refusal, or `fallback` when the answer has none (or is not JSON). */
export async function refusalMessage(response: Response | null, fallback: string): Promise<string> {
	const body = (await response?.json().catch(() => null)) as { message?: unknown } | null;
	return typeof body?.message === 'string' ? body.message : fallback;
}

/**
 * One of an open card's lists (comments or attachments) as the browser holds it: the last page read, whether the
 * last read failed, re-read whenever the card's live stream says the list changed (or on every reconnection).
 */
export class LiveCardList<T> {
	page = $state.raw<T | null>(null);
	failed = $state(false);

	constructor(private readonly url: () => string) {}

	/** Reads the list again; on failure keeps the last page and sets `failed`. */
	async load(): Promise<void> {
		try {
			const r = await fetch(this.url(), { headers: { accept: 'application/json' } });
			if (!r.ok) throw new Error(String(r.status));
			this.page = (await r.json()) as T;
			this.failed = false;
		} catch {
			this.failed = true;
		}
	}

	/** Follows the card's stream: re-reads on `ready` and on changes to `which`, calling `onchange` after a change. */
	follow(boardId: string, cardId: string, which: 'comments' | 'attachments', onchange: () => void): () => void {
		return subscribeCard(boardId, cardId, (event) => {
			if (event !== 'ready' && event !== which) return;
			void this.load();
			if (event === which) onchange();
		});
	}
}
