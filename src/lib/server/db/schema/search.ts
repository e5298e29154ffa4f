import { sql } from 'drizzle-orm';
import { boolean, customType, index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { boards } from './boards.ts';

/** PostgreSQL's `tsvector` (drizzle has no built-in type for it); only ever written by the generated column. */
const tsvector = customType<{ data: string }>({
	dataType: () => 'tsvector'
});

/**
 * The search projection: one row per searchable thing of a card — the card itself (`source` 'card', `source_id` the
 * card's id: its title and description) or one of its comments (`source` 'comment', `source_id` the comment's id).
 * Kept current from the change feed by server/search/ (cards) and by the comments service (comments); rows go with
 * their board. The `document` column is generated ('simple' configuration: no stemming and no stop words, so a word
 * in any language is found as typed; the title weighs more than the body).
 */
export const searchEntries = pgTable(
	'search_entries',
	{
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		cardId: text('card_id').notNull(),
		/** 'card' | 'comment' */
		source: text('source').notNull(),
		sourceId: text('source_id').notNull(),
		title: text('title').notNull().default(''),
		body: text('body').notNull().default(''),
		/** Set on a card's own row while the card is archived: its card and its comments leave the results. */
		archived: boolean('archived').notNull().default(false),
		document: tsvector('document')
			.notNull()
			.generatedAlwaysAs(sql`setweight(to_tsvector('simple'::regconfig, coalesce("title", '')), 'A') || setweight(to_tsvector('simple'::regconfig, coalesce("body", '')), 'B')`)
	},
	(t) => [
		primaryKey({ columns: [t.boardId, t.source, t.sourceId] }),
		index('search_entries_card_idx').on(t.boardId, t.cardId),
		index('search_entries_document_idx').using('gin', t.document)
	]
);

/** Boards whose cards the projection has indexed from their document at least once (the start-up pass skips them). */
export const searchIndexedBoards = pgTable('search_indexed_boards', {
	boardId: text('board_id')
		.primaryKey()
		.references(() => boards.id, { onDelete: 'cascade' }),
	indexedAt: timestamp('indexed_at', { withTimezone: true }).notNull()
});
