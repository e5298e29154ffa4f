import { index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { users } from './accounts.ts';
import { boards } from './boards.ts';

/**
 * A secret calendar link (iCalendar feed) of one person: a board's target dates and step due dates ('board'), or the
 * steps that fall to them on every board they belong to ('person'). Only the SHA-256 of the secret is stored; the feed
 * reads with its person's access, re-checked on every fetch.
 */
export const calendarFeeds = pgTable(
	'calendar_feeds',
	{
		id: text('id').primaryKey(),
		/** 'board' | 'person'. */
		kind: text('kind').notNull(),
		/** The board of a board feed; null for a person feed. */
		boardId: text('board_id').references(() => boards.id, { onDelete: 'cascade' }),
		/** Whose access the feed reads with (and whose steps a person feed lists). */
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		secretHash: text('secret_hash').notNull().unique(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
		lastFetchedAt: timestamp('last_fetched_at', { withTimezone: true }),
		/** The SHA-256 of what the feed said at its last fetch (its ETag), and since when it says that (Last-Modified). */
		contentHash: text('content_hash'),
		contentChangedAt: timestamp('content_changed_at', { withTimezone: true }),
		revokedAt: timestamp('revoked_at', { withTimezone: true })
	},
	(t) => [
		index('calendar_feeds_user_idx').on(t.userId),
		// One live link per person and board, and one "my steps" link per person: a reset replaces it.
		uniqueIndex('calendar_feeds_live_board_idx').on(t.userId, t.boardId).where(sql`${t.kind} = 'board' and ${t.revokedAt} is null`),
		uniqueIndex('calendar_feeds_live_person_idx').on(t.userId).where(sql`${t.kind} = 'person' and ${t.revokedAt} is null`)
	]
);
