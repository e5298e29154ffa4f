import { and, eq, sql, type SQL } from 'drizzle-orm';
import { selectRows, type Db } from '../db/client.ts';
import { inChunks } from '../db/batches.ts';
import { searchEntries, searchIndexedBoards } from '../db/schema/search.ts';
import { MARK_START, MARK_STOP } from '../../search/marks.ts';

/** What a search entry is about: a card (its title and description) or one of its comments. */
export type SearchSource = 'card' | 'comment';

/** One searchable thing: a card or a comment on it; `sourceId` is the card's id for a card, the comment's for a comment. */
export interface SearchEntryInput {
	boardId: string;
	cardId: string;
	source: SearchSource;
	sourceId: string;
	/** A card's title; for a comment, anything short that names it (results show the card's own title anyway). */
	title: string;
	/** A card's description, a comment's text. */
	body: string;
	/** Only for a card's own row: whether the card is archived (archived cards and their comments are not found). */
	archived?: boolean;
}

/** Which entries to remove: a board's, a card's, or one comment's (`source` + `sourceId`). */
export interface SearchEntryFilter {
	boardId: string;
	cardId?: string;
	source?: SearchSource;
	sourceId?: string;
}

/** The longest text indexed per field (a description is at most 20,000 characters; comments are clipped alike). */
const MAX_TITLE = 500;
const MAX_BODY = 20_000;
/** Rows per insert: 7 parameters each, well within the drivers' bind-parameter cap. */
const ROWS_PER_STATEMENT = 2_000;

// The marks highlight matches in ts_headline's output (query.ts): indexed text never carries them, so a mark is always ours.
const clean = (text: string, max: number) => text.replaceAll(MARK_START, '').replaceAll(MARK_STOP, '').slice(0, max);

const row = (e: SearchEntryInput) => ({
	boardId: e.boardId,
	cardId: e.cardId,
	source: e.source,
	sourceId: e.sourceId,
	title: clean(e.title, MAX_TITLE),
	body: clean(e.body, MAX_BODY),
	archived: e.source === 'card' ? (e.archived ?? false) : false
});

/** Inserts or replaces entries (one statement per 2,000); unchanged rows are not rewritten. */
export async function upsertSearchEntries(db: Db, entries: readonly SearchEntryInput[]): Promise<void> {
	for (const chunk of inChunks(entries, ROWS_PER_STATEMENT)) {
		await db
			.insert(searchEntries)
			.values(chunk.map(row))
			.onConflictDoUpdate({
				target: [searchEntries.boardId, searchEntries.source, searchEntries.sourceId],
				set: { cardId: sql`excluded.card_id`, title: sql`excluded.title`, body: sql`excluded.body`, archived: sql`excluded.archived` },
				// Rewriting an identical row would recompute its tsvector and touch the GIN index for nothing.
				setWhere: sql`(${searchEntries.title}, ${searchEntries.body}, ${searchEntries.archived}, ${searchEntries.cardId}) is distinct from (excluded.title, excluded.body, excluded.archived, excluded.card_id)`
			});
	}
}

/**
 * Inserts or replaces one entry. The card projection calls it for cards; the comments service calls it with
 * `source: 'comment'` and the comment's id when a comment is written or edited (a hit returns the comment's card).
 */
export async function upsertSearchEntry(db: Db, entry: SearchEntryInput): Promise<void> {
	await upsertSearchEntries(db, [entry]);
}

/** Removes a board's entries, a card's (its own and its comments'), one source's of a card, or one comment's; returns how many. */
export async function removeSearchEntries(db: Db, filter: SearchEntryFilter): Promise<number> {
	const where: SQL[] = [eq(searchEntries.boardId, filter.boardId)];
	if (filter.cardId !== undefined) where.push(eq(searchEntries.cardId, filter.cardId));
	if (filter.source !== undefined) where.push(eq(searchEntries.source, filter.source));
	if (filter.sourceId !== undefined) where.push(eq(searchEntries.sourceId, filter.sourceId));
	const removed = await db.delete(searchEntries).where(and(...where)).returning({ id: searchEntries.sourceId });
	return removed.length;
}

/** A card as the projection stores it. */
export interface IndexedCard {
	id: string;
	title: string;
	description: string;
	archived: boolean;
}

/** The card rows the projection holds for a board (to compare with its document). */
export async function indexedCards(db: Db, boardId: string): Promise<IndexedCard[]> {
	const rows = await db
		.select({ id: searchEntries.sourceId, title: searchEntries.title, description: searchEntries.body, archived: searchEntries.archived })
		.from(searchEntries)
		.where(and(eq(searchEntries.boardId, boardId), eq(searchEntries.source, 'card')));
	return rows;
}

/**
 * Brings a board's card rows in line with `cards` (every card of its document): writes the ones that differ and,
 * when `complete`, removes rows of cards the document no longer has. Returns how many rows it wrote or removed.
 */
export async function reconcileCards(db: Db, boardId: string, cards: readonly IndexedCard[], complete: boolean): Promise<number> {
	const stored = new Map((await indexedCards(db, boardId)).map((c) => [c.id, c]));
	const changed = cards.filter((card) => {
		const had = stored.get(card.id);
		const want = row(cardEntry(boardId, card));
		return !had || had.title !== want.title || had.description !== want.body || had.archived !== want.archived;
	});
	await upsertSearchEntries(db, changed.map((card) => cardEntry(boardId, card)));
	let removed = 0;
	if (complete) {
		const present = new Set(cards.map((c) => c.id));
		for (const id of stored.keys()) if (!present.has(id)) removed += await removeSearchEntries(db, { boardId, cardId: id });
	}
	return changed.length + removed;
}

/** A card's own entry. */
export const cardEntry = (boardId: string, card: IndexedCard): SearchEntryInput => ({
	boardId,
	cardId: card.id,
	source: 'card',
	sourceId: card.id,
	title: card.title,
	body: card.description,
	archived: card.archived
});

/** Records that a board's cards were indexed from its document. */
export async function markBoardIndexed(db: Db, boardId: string, now: Date): Promise<void> {
	await db.insert(searchIndexedBoards).values({ boardId, indexedAt: now }).onConflictDoUpdate({ target: searchIndexedBoards.boardId, set: { indexedAt: now } });
}

/**
 * Boards with a stored document that the projection has never indexed: written before search existed (or by a
 * script) and not opened since. A board nobody has opened has no document, hence no cards, and is left alone.
 */
export async function boardsNeverIndexed(db: Db): Promise<string[]> {
	const rows = await selectRows<{ id: string }>(
		db,
		sql`select b.id from boards b
		where not exists (select 1 from search_indexed_boards s where s.board_id = b.id)
			and (exists (select 1 from board_snapshots d where d.board_id = b.id) or exists (select 1 from board_updates u where u.board_id = b.id))
		order by b.created_at, b.id`
	);
	return rows.map((r) => r.id);
}
