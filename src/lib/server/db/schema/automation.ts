import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './accounts.ts';
import { boards } from './boards.ts';

/** A board's automation rule: when → if → then, as the rule form saved it (validated by its zod schema). */
export const rules = pgTable(
	'rules',
	{
		id: text('id').primaryKey(),
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		enabled: boolean('enabled').notNull().default(false),
		/** The rule itself: { trigger, conditions, actions, allowRetrigger }. */
		definition: jsonb('definition').$type<Record<string, unknown>>().notNull(),
		/** Why it was switched off by itself (a stage, role or person it names is gone); null while sound. */
		brokenReason: text('broken_reason'),
		createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull()
	},
	(t) => [index('rules_board_idx').on(t.boardId)]
);

/** A rule's run log: one row per time it fired. */
export const ruleRuns = pgTable(
	'rule_runs',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		ruleId: text('rule_id')
			.notNull()
			.references(() => rules.id, { onDelete: 'cascade' }),
		boardId: text('board_id').notNull(),
		cardId: text('card_id'),
		at: timestamp('at', { withTimezone: true }).notNull(),
		/** 'done' | 'skipped' | 'refused' | 'loop' | 'error' */
		outcome: text('outcome').notNull(),
		/** What it did, or why not (the policy's or the error's message). */
		message: text('message').notNull().default(''),
		depth: integer('depth').notNull().default(0)
	},
	(t) => [index('rule_runs_rule_idx').on(t.ruleId, t.at)]
);

/** A board's webhook endpoint; the signing secret is shown once and kept to sign (it cannot be hashed). */
export const webhookEndpoints = pgTable(
	'webhook_endpoints',
	{
		id: text('id').primaryKey(),
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		url: text('url').notNull(),
		/** Standard Webhooks secret, `whsec_` + base64. */
		secret: text('secret').notNull(),
		/** Event kinds it receives. */
		kinds: jsonb('kinds').$type<string[]>().notNull(),
		enabled: boolean('enabled').notNull().default(true),
		/** Deliveries that gave up in a row; disabled past the limit. */
		failures: integer('failures').notNull().default(0),
		disabledReason: text('disabled_reason'),
		createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull()
	},
	(t) => [index('webhook_endpoints_board_idx').on(t.boardId)]
);

/** One message to an endpoint and its attempts (the delivery log). */
export const webhookDeliveries = pgTable(
	'webhook_deliveries',
	{
		id: text('id').primaryKey(),
		endpointId: text('endpoint_id')
			.notNull()
			.references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
		kind: text('kind').notNull(),
		payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
		/** 'pending' | 'delivered' | 'retrying' | 'failed' */
		status: text('status').notNull(),
		attempts: integer('attempts').notNull().default(0),
		responseStatus: integer('response_status'),
		durationMs: integer('duration_ms'),
		responseExcerpt: text('response_excerpt'),
		lastError: text('last_error'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
		lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true })
	},
	(t) => [index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.createdAt)]
);
