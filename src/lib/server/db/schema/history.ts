import { bigint, boolean, index, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
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

/**
 * Each card's replayed history, kept up to date as events and stage kinds are written (see card-flow.ts): one row
 * per event from the card's latest `created` on, with the end of the visit it starts and the card's own figures
 * (when it was created, started, finished, left; its title and due date), so a stats request reads these rows
 * instead of sorting and windowing every event. Derived data: `refreshCardFlow` can rebuild any part of it.
 */
export const cardFlow = pgTable(
	'card_flow',
	{
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		cardId: text('card_id').notNull(),
		/** The card_events row. */
		eventId: bigint('event_id', { mode: 'number' }).notNull(),
		type: text('type').notNull(),
		/** Epoch milliseconds, as the metrics use them. */
		t: bigint('t', { mode: 'number' }).notNull(),
		/** A created or moved event: it starts a visit of `toId`. */
		visit: boolean('visit').notNull(),
		fromId: text('from_id').notNull(),
		toId: text('to_id').notNull(),
		/** done | active | wait, from the stage's current kind (null for other kinds and unknown stages). */
		stageKind: text('stage_kind'),
		/** A move into done: the checklist counts it recorded. */
		checklist: jsonb('checklist'),
		/** When the visit this row starts ended (the card's next visit), null while it lasts. */
		endT: bigint('end_t', { mode: 'number' }),
		createdT: bigint('created_t', { mode: 'number' }).notNull(),
		finishedT: bigint('finished_t', { mode: 'number' }),
		startedT: bigint('started_t', { mode: 'number' }),
		due: text('due'),
		title: text('title'),
		/** Where the card first appeared (its first `created`), for the replay's order. */
		firstT: bigint('first_t', { mode: 'number' }),
		firstId: bigint('first_id', { mode: 'number' }),
		/** When an unfinished card was archived (it left the board then). */
		goneT: bigint('gone_t', { mode: 'number' }),
		archived: boolean('archived').notNull()
	},
	// The ranges a stats request reads: cards finished, visits ended and events made in the range.
	(t) => [
		primaryKey({ columns: [t.boardId, t.cardId, t.eventId] }),
		index('card_flow_finished_idx').on(t.boardId, t.finishedT),
		index('card_flow_end_idx').on(t.boardId, t.endT),
		index('card_flow_t_idx').on(t.boardId, t.t)
	]
);
