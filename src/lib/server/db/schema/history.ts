import { bigint, index, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { boards } from './boards.ts';

/**
 * What happened to cards, written by the sync server alone from the changes it applied, stamped with the
 * server's clock and the acting user. Stats, activity feeds and reminders read from here.
 */
export const cardEvents = pgTable(
	'card_events',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		cardId: text('card_id').notNull(),
		/** created | moved | blocked | unblocked | owner_added | owner_removed | due_changed | checklist_completed | exit_checked | archived | restored | wip_breach */
		type: text('type').notNull(),
		at: timestamp('at', { withTimezone: true }).notNull(),
		/** The user whose change it was (null for the server's own). */
		actorId: text('actor_id'),
		fromStageId: text('from_stage_id'),
		toStageId: text('to_stage_id'),
		/** Type-specific details (title, reason, due date, checklist counts, limits, direction). */
		data: jsonb('data').$type<Record<string, unknown>>().notNull().default({})
	},
	(t) => [index('card_events_board_at_idx').on(t.boardId, t.at), index('card_events_card_idx').on(t.boardId, t.cardId)]
);

/** Every stage a board has had, with its latest name, kind and order, so history stays readable after renames and deletions. */
export const boardStages = pgTable(
	'board_stages',
	{
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		stageId: text('stage_id').notNull(),
		name: text('name').notNull(),
		kind: text('kind').notNull(),
		rank: text('rank').notNull(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
		deletedAt: timestamp('deleted_at', { withTimezone: true })
	},
	(t) => [primaryKey({ columns: [t.boardId, t.stageId] })]
);
