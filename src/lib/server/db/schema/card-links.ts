import { bigint, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { boards } from './boards.ts';

/**
 * A card a rule created on another board for a card of its own board (a cross-team hand-off), written by the server
 * when the rule's "create a linked card" action runs, stamped with the server's clock. The cards' descriptions link
 * each other for people; this row is what the portfolio's hand-off figures read.
 */
export const cardLinks = pgTable(
	'card_links',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		fromBoardId: text('from_board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		fromCardId: text('from_card_id').notNull(),
		toBoardId: text('to_board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		toCardId: text('to_card_id').notNull(),
		/** When the linked card was created: the hand-off. */
		createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
		/** The rule whose action created it (no reference: the link outlives a deleted rule). */
		ruleId: text('rule_id')
	},
	(t) => [index('card_links_to_idx').on(t.toBoardId, t.createdAt), index('card_links_from_idx').on(t.fromBoardId, t.createdAt)]
);
