import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './accounts.ts';
import { boards } from './boards.ts';

/**
 * Each Trello export taken in as a board: the Trello board's id and the SHA-256 of the file, so importing the same
 * export (or another export of the same Trello board) again is noticed. Goes with the board it made.
 */
export const trelloImports = pgTable(
	'trello_imports',
	{
		boardId: text('board_id')
			.primaryKey()
			.references(() => boards.id, { onDelete: 'cascade' }),
		trelloBoardId: text('trello_board_id').notNull(),
		/** Hex SHA-256 of the uploaded file's bytes. */
		fileHash: text('file_hash').notNull(),
		importedBy: text('imported_by').references(() => users.id, { onDelete: 'set null' }),
		importedAt: timestamp('imported_at', { withTimezone: true }).notNull()
	},
	(t) => [index('trello_imports_source_idx').on(t.trelloBoardId)]
);
