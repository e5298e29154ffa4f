import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
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
		/** created | moved | blocked | unblocked | owner_added | owner_removed | due_changed | checklist_completed | exit_checked | archived | deleted | restored | wip_breach, and the process's (all: CARD_EVENT_TYPES in src/lib/board/activity.ts) */
		type: text('type').notNull(),
		at: timestamp('at', { withTimezone: true }).notNull(),
		/** The user whose change it was (null for the server's own). */
		actorId: text('actor_id'),
		fromStageId: text('from_stage_id'),
		toStageId: text('to_stage_id'),
		/** Type-specific details (title, reason, due date, checklist counts, limits, direction). */
		data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
		/** The automation rule that made the change (null: a person, or the process itself: see data.via). */
		ruleId: text('rule_id')
	},
	(t) => [
		index('card_events_board_at_idx').on(t.boardId, t.at),
		index('card_events_card_idx').on(t.boardId, t.cardId),
		// The stats' soft-WIP breaches of a range.
		index('card_events_type_at_idx').on(t.boardId, t.type, t.at)
	]
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
 * per visit (a `created` or `moved` event) and per archive or restore from the card's latest `created` on, with the
 * end of the visit and the card's own figures (when it was created, started, finished; its title, the due date it
 * is judged by and its deadline), worked out
 * once on write so that a stats request only counts and sums along indexes. Derived data: `refreshCardFlow` can
 * rebuild any part of it, and `rebuildMissingCardFlow` fills boards that have events but no rows.
 */
export const cardFlow = pgTable(
	'card_flow',
	{
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		cardId: text('card_id').notNull(),
		/** The card_events row that started the visit. */
		eventId: bigint('event_id', { mode: 'number' }).notNull(),
		/** created | moved (a visit), archived | restored (the card leaves or comes back within its visit) */
		type: text('type').notNull(),
		/** When the visit (or the archive or restore) happened, epoch milliseconds (as the metrics use them). */
		t: bigint('t', { mode: 'number' }).notNull(),
		fromId: text('from_id').notNull(),
		/** The visit's stage (for an archive or restore: the stage the card was in). */
		toId: text('to_id').notNull(),
		/** done | active | wait, from the stage's current kind (null for other kinds and unknown stages). */
		stageKind: text('stage_kind'),
		/** A move into done: the checklist counts it recorded. */
		checklist: jsonb('checklist'),
		/** When the visit ended (the card's next visit), null while it lasts and on archive and restore rows. */
		endT: bigint('end_t', { mode: 'number' }),
		createdT: bigint('created_t', { mode: 'number' }).notNull(),
		finishedT: bigint('finished_t', { mode: 'number' }),
		startedT: bigint('started_t', { mode: 'number' }),
		/** The due date the card is judged by: the one in force when it finished (its latest, if it never did). */
		due: text('due'),
		/** The end of the due date's day (epoch ms), null without a due date that is a real calendar date. */
		deadlineT: bigint('deadline_t', { mode: 'number' }),
		title: text('title'),
		/** Where the card first appeared (its first `created`), for the replay's order. */
		firstT: bigint('first_t', { mode: 'number' }),
		firstId: bigint('first_id', { mode: 'number' }),
		/** The card was archived from this row's time until its next row. */
		archived: boolean('archived').notNull(),
		/** This visit is the card's first arrival in a done stage: one row per finished card. */
		finishing: boolean('finishing').notNull(),
		/** How much of this visit came before the card finished (ms); null when none did or it never finished. */
		preFinishMs: bigint('pre_finish_ms', { mode: 'number' }),
		/** On the finishing row: the card's time in active and in waiting stages before it finished (ms). */
		activeMs: bigint('active_ms', { mode: 'number' }),
		waitMs: bigint('wait_ms', { mode: 'number' }),
		/** On the finishing row: before it finished, the card's due date was set to more than one real date. */
		dueMoved: boolean('due_moved'),
		/** The card counts on the cumulative flow from `t` to `flow_end_t`: not archived, or archived from a done stage. */
		counted: boolean('counted').notNull(),
		/** The card's next row (visit, archive or restore): where this row's stretch of the cumulative flow ends. */
		flowEndT: bigint('flow_end_t', { mode: 'number' }),
		/** UTC day numbers (days since 1970-01-01) of `t` and `flow_end_t`, so daily counts group along an index. */
		startDay: integer('start_day').notNull(),
		flowEndDay: integer('flow_end_day')
	},
	// One index per question a stats request asks, each holding what that question reads (index-only scans).
	(t) => [
		primaryKey({ columns: [t.boardId, t.cardId, t.eventId] }),
		// The stretch going on now (ageing work): still open, or ending after now.
		index('card_flow_now_idx').on(t.boardId, t.flowEndT),
		index('card_flow_finishing_idx').on(t.boardId, t.finishedT).where(sql`${t.finishing}`),
		index('card_flow_late_idx')
			.on(t.boardId, t.finishedT, t.toId, t.preFinishMs)
			.where(sql`${t.finishedT} > ${t.deadlineT} and ${t.preFinishMs} is not null`),
		index('card_flow_arrivals_idx').on(t.boardId, t.toId, t.startDay, t.t).where(sql`${t.counted}`),
		index('card_flow_departures_idx').on(t.boardId, t.toId, t.flowEndDay, t.flowEndT).where(sql`${t.counted} and ${t.flowEndT} is not null`),
		index('card_flow_visit_length_idx').on(t.boardId, t.toId, t.endT, t.t).where(sql`${t.endT} is not null`),
		index('card_flow_moves_idx').on(t.boardId, t.fromId, t.toId, t.t).where(sql`${t.type} = 'moved'`)
	]
);

/**
 * Each card's first attempt at each stage, replayed on write from `card_flow` and the card's `exit_checked` and
 * `target_changed` events (see stage-attempts.ts), so the process review counts along an index instead of replaying
 * history per request. "Forward" follows the workflow's order when written: a change of order rebuilds the board's
 * rows. Derived data, like `card_flow`.
 */
export const stageAttemptRows = pgTable(
	'stage_attempts',
	{
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		cardId: text('card_id').notNull(),
		stageId: text('stage_id').notNull(),
		/** When the card first entered the stage, and first left it forward (epoch ms). */
		enteredT: bigint('entered_t', { mode: 'number' }).notNull(),
		leftT: bigint('left_t', { mode: 'number' }).notNull(),
		/** The card came back into the stage afterwards. */
		sentBack: boolean('sent_back').notNull(),
		/** The stage's exit criteria (ids) checked before it left; the review compares them with the stage's criteria now. */
		checked: jsonb('checked').$type<string[]>().notNull(),
		/** The target date in force when it left, as a day number (days since 1970-01-01); null: none, or not a real date. */
		targetDay: integer('target_day')
	},
	(t) => [
		primaryKey({ columns: [t.boardId, t.cardId, t.stageId] }),
		// What a review reads of a range, in the index: an index-only scan.
		index('stage_attempts_left_idx').on(t.boardId, t.leftT, t.stageId, t.enteredT, t.sentBack, t.targetDay, t.checked)
	]
);
