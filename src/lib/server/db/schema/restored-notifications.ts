import { bigint, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { boards } from './boards.ts';

/**
 * The notifications a restored board's original sent about it (from its export), without recipients or contents:
 * only what the automation share counts (when, about which card, a rule's or the process's doing, of which kind).
 * The originals stay in their recipients' inboxes on the old server; these keep the restored board's figures equal.
 */
export const restoredNotifications = pgTable(
	'restored_notifications',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		cardId: text('card_id'),
		/** As `notifications.kind`: a mention is a person's doing, the rest the board's. */
		kind: text('kind').notNull(),
		/** As `notifications.rule_id`: a rule's id (the restored rule's), 'process', or null. */
		ruleId: text('rule_id'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull()
	},
	(t) => [index('restored_notifications_board_idx').on(t.boardId, t.createdAt)]
);
