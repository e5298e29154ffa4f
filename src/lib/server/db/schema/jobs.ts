import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * The durable queue of timed work (reminders, digests, timed rules, mail and webhook deliveries), the same on PGlite
 * and PostgreSQL (see docs/architecture.md, "Timed work"). A job with a `key` exists once per key, ever: that is what
 * makes a reminder go out once per card, step, kind and threshold, across restarts and processes.
 */
export const jobs = pgTable(
	'jobs',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		/** Which handler runs it (server/jobs/handlers). */
		kind: text('kind').notNull(),
		payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
		/** Once per key, ever (null: no such promise). */
		key: text('key'),
		runAt: timestamp('run_at', { withTimezone: true }).notNull(),
		attempts: integer('attempts').notNull().default(0),
		maxAttempts: integer('max_attempts').notNull().default(8),
		/** A claimed job is someone's until then; a crashed runner's job is claimed again after it. */
		lockedUntil: timestamp('locked_until', { withTimezone: true }),
		lockedBy: text('locked_by'),
		/** Set when it ran well past its time (the server was down). */
		late: boolean('late').notNull().default(false),
		doneAt: timestamp('done_at', { withTimezone: true }),
		/** Gave up after `maxAttempts` (or a handler said it can never succeed). */
		failedAt: timestamp('failed_at', { withTimezone: true }),
		lastError: text('last_error'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull()
	},
	(t) => [
		uniqueIndex('jobs_key_idx').on(t.key),
		index('jobs_due_idx')
			.on(t.runAt)
			.where(sql`done_at IS NULL AND failed_at IS NULL`),
		index('jobs_kind_idx').on(t.kind, t.createdAt)
	]
);
