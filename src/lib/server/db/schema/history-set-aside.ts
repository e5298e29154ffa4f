import { bigint, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { boards } from './boards.ts';

/**
 * History batches the server could not write for a reason retrying will not fix (a row the database refuses), kept
 * whole so that nothing is lost: an operator sees them (`/health` counts them) and replays them once the cause is
 * fixed (`npm run history:replay`). Rows go when their board is deleted.
 */
export const historySetAside = pgTable(
	'history_set_aside',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		/** The batch's card events as written (`at` as ISO text). */
		events: jsonb('events').$type<Record<string, unknown>[]>().notNull(),
		/** The batch's stage metadata as written (`at` as ISO text). */
		stages: jsonb('stages').$type<Record<string, unknown>[]>().notNull(),
		/** The batch's audit entries (`board_activity` rows, `at` as ISO text). */
		activity: jsonb('activity').$type<Record<string, unknown>[]>().notNull().default([]),
		/** SQLSTATE and the database's short message of the last failure (never the statement or its parameters). */
		error: text('error').notNull(),
		attempts: integer('attempts').notNull(),
		setAsideAt: timestamp('set_aside_at', { withTimezone: true }).notNull()
	},
	(t) => [index('history_set_aside_board_idx').on(t.boardId)]
);
