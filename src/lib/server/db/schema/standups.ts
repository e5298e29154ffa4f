import { index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { boards } from './boards.ts';

/**
 * A board's standups: who ran each, when it started and ended. The latest `ended_at` is where the next standup's
 * "since the last standup" window starts. A standup replaced by a newer one before it ended is `abandoned_at`, not
 * ended, so it never moves the window.
 */
export const standups = pgTable(
	'standups',
	{
		id: text('id').primaryKey(),
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		/** Who steers it; no foreign key, so a deleted account's standups stay in the record. */
		facilitatorId: text('facilitator_id').notNull(),
		/** Server time. */
		startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
		/** Where its window of changes started (server time). */
		since: timestamp('since', { withTimezone: true }).notNull(),
		endedAt: timestamp('ended_at', { withTimezone: true }),
		abandonedAt: timestamp('abandoned_at', { withTimezone: true }),
		/** The filter (the board's filter language) it was started with; null: every card. */
		query: text('query'),
		/** The cards that filter matched when it started: the walk and the summary cover only these (null: every card). */
		cardIds: jsonb('card_ids').$type<string[]>(),
		/** The summary worked out when it ended (src/lib/board/standup/summary.ts), with its text. */
		summary: jsonb('summary').$type<Record<string, unknown>>()
	},
	(t) => [index('standups_board_started_idx').on(t.boardId, t.startedAt), index('standups_board_ended_idx').on(t.boardId, t.endedAt)]
);
