import { boolean, index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './accounts.ts';
import { boards } from './boards.ts';

/** A named filter of a board: its owner's alone, or shared with everyone on the board. */
export const savedViews = pgTable(
	'saved_views',
	{
		id: text('id').primaryKey(),
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		ownerId: text('owner_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		/** A query in the filter language (src/lib/board/filter/syntax.ts). */
		query: text('query').notNull(),
		shared: boolean('shared').notNull().default(false),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull()
	},
	(t) => [index('saved_views_board_idx').on(t.boardId, t.ownerId)]
);

/** How one person likes to see one board: the swimlanes and whether unmatched cards fade or hide. */
export const boardViewPrefs = pgTable(
	'board_view_prefs',
	{
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		/** 'none' | 'owner' | 'role' | 'label' | 'expedite'. */
		lanes: text('lanes').notNull().default('none'),
		/** 'fade' | 'hide'. */
		unmatched: text('unmatched').notNull().default('fade'),
		/** Lanes this person collapsed (their keys). */
		collapsed: text('collapsed').array().notNull().default([])
	},
	(t) => [primaryKey({ columns: [t.boardId, t.userId] })]
);
