import { bigint, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { boards } from './boards.ts';

/**
 * The audit trail beyond card events: stage edits, card titles, labels, checklist items, description edits (from
 * the document's changes, written with its update in one transaction) and member and board changes (written by the
 * services, in the change's own transaction). Apart from `card_events` so that no stats query can count these.
 */
export const boardActivity = pgTable(
	'board_activity',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		/** The server's time (for a merged description entry: its first edit). */
		at: timestamp('at', { withTimezone: true }).notNull(),
		/** Who did it (null: the server on its own); no foreign key, so a deleted account's entries stay. */
		actorId: text('actor_id'),
		/** A kind of src/lib/board/activity.ts. */
		kind: text('kind').notNull(),
		cardId: text('card_id'),
		stageId: text('stage_id'),
		/** The kind's details (names before and after, counts), typed by its zod schema. */
		data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
		/** Entries that merge (description edits: card, actor and minute) share a key; null for the rest. */
		groupKey: text('group_key'),
		/** The automation rule that made the change (null: a person or the server). */
		ruleId: text('rule_id')
	},
	(t) => [
		index('board_activity_board_at_idx').on(t.boardId, t.at, t.id),
		index('board_activity_actor_idx').on(t.boardId, t.actorId, t.at),
		index('board_activity_card_idx').on(t.boardId, t.cardId, t.at),
		uniqueIndex('board_activity_group_idx').on(t.boardId, t.groupKey)
	]
);
