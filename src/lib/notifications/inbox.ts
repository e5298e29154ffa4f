import type { InboxEntry } from './kinds.ts';

/** The inbox's entries about one card (or, with `cardId` null, about a board or nothing in particular). */
export interface InboxGroup {
	/** Stable key for the page's list. */
	key: string;
	boardId: string | null;
	boardName: string | null;
	cardId: string | null;
	/** The card's title when the entries were made (null outside a card). */
	cardTitle: string | null;
	/** Newest first. */
	entries: InboxEntry[];
	unread: number;
}

/** The inbox as the page and `GET /api/notifications` show it: groups by card, the most recently active first. */
export interface Inbox {
	unread: number;
	groups: InboxGroup[];
}

/** Where an entry opens: its card on its board (the board page opens `?card=`), its board, or nowhere. */
export function entryHref(entry: Pick<InboxEntry, 'boardId' | 'cardId'>): string | null {
	if (!entry.boardId) return null;
	return entry.cardId ? `/b/${encodeURIComponent(entry.boardId)}?card=${encodeURIComponent(entry.cardId)}` : `/b/${encodeURIComponent(entry.boardId)}`;
}

/** Groups entries (newest first) by card, keeping that order within and across groups. */
export function groupByCard(entries: readonly (InboxEntry & { cardTitle: string | null })[]): InboxGroup[] {
	const groups = new Map<string, InboxGroup>();
	for (const { cardTitle, ...entry } of entries) {
		const key = entry.cardId ? `${entry.boardId ?? ''}/${entry.cardId}` : `board:${entry.boardId ?? ''}`;
		let group = groups.get(key);
		if (!group) {
			group = { key, boardId: entry.boardId, boardName: entry.boardName, cardId: entry.cardId, cardTitle: entry.cardId ? cardTitle : null, entries: [], unread: 0 };
			groups.set(key, group);
		}
		group.entries.push(entry);
		if (!entry.read) group.unread++;
	}
	return [...groups.values()];
}
