import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from './accounts.ts';
import { boards } from './boards.ts';

/**
 * What Flowdeck told a person (the in-app inbox; email copies are sent from here). `key` makes a notification once
 * per key (a reminder: card, step, kind, threshold), whatever retries or processes produce it.
 */
export const notifications = pgTable(
	'notifications',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		boardId: text('board_id').references(() => boards.id, { onDelete: 'cascade' }),
		cardId: text('card_id'),
		/** A kind of src/lib/notifications/kinds.ts. */
		kind: text('kind').notNull(),
		/** One line a person reads ("Sam assigned you “Spring launch post”"). */
		title: text('title').notNull(),
		body: text('body').notNull().default(''),
		data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
		/** Who or what caused it: a rule's id, 'process', or null for a person. */
		ruleId: text('rule_id'),
		key: text('key'),
		/** Shown in the inbox (false: the person chose email only or off for this kind). */
		inApp: boolean('in_app').notNull().default(true),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
		readAt: timestamp('read_at', { withTimezone: true })
	},
	(t) => [
		uniqueIndex('notifications_key_idx').on(t.userId, t.key),
		index('notifications_user_idx').on(t.userId, t.createdAt),
		index('notifications_board_idx').on(t.boardId, t.createdAt)
	]
);

/** How a person wants each kind: 'app' | 'email' | 'both' | 'off'. Kinds without a row take the kind's default. */
export const notificationPrefs = pgTable(
	'notification_prefs',
	{
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		kind: text('kind').notNull(),
		channel: text('channel').notNull()
	},
	(t) => [primaryKey({ columns: [t.userId, t.kind] })]
);

/** A person's mail settings beyond kinds: their time zone and the daily digest's local hour (null: no digest). */
export const mailSettings = pgTable('mail_settings', {
	userId: text('user_id')
		.primaryKey()
		.references(() => users.id, { onDelete: 'cascade' }),
	timeZone: text('time_zone').notNull().default('UTC'),
	digestHour: integer('digest_hour')
});

/** Every mail Flowdeck tried to send (the admin's mail log): queued, sent, retrying, failed. */
export const mailLog = pgTable(
	'mail_log',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		toAddress: text('to_address').notNull(),
		subject: text('subject').notNull(),
		/** What it is: notification kind, 'digest', 'password_reset', 'invite'. */
		kind: text('kind').notNull(),
		status: text('status').notNull(),
		attempts: integer('attempts').notNull().default(0),
		lastError: text('last_error'),
		/** The SMTP message id once sent (what the test sink and the admin can match). */
		messageId: text('message_id'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
		sentAt: timestamp('sent_at', { withTimezone: true }),
		/** The job that sends it: one log row per job, so a retried job finds its row and never sends twice. */
		jobKey: text('job_key'),
		/** Whom it is for (null for mail to an address without an account: an invitation). */
		userId: text('user_id').references(() => users.id, { onDelete: 'set null' }),
		/** The notification it carries (status 'digest': waiting for that person's daily digest). */
		notificationId: bigint('notification_id', { mode: 'number' }).references(() => notifications.id, { onDelete: 'set null' }),
		/** The digest mail (a mail_log id) that carried this notification. */
		digestId: bigint('digest_id', { mode: 'number' })
	},
	(t) => [index('mail_log_created_idx').on(t.createdAt), uniqueIndex('mail_log_job_key_idx').on(t.jobKey), index('mail_log_user_status_idx').on(t.userId, t.status)]
);

/** Server-wide secrets made on first use (the unsubscribe links' HMAC key): they outlive restarts, as old mails do. */
export const appSecrets = pgTable('app_secrets', {
	name: text('name').primaryKey(),
	value: text('value').notNull()
});

/** "Forgot password" tokens: only the SHA-256 is stored; single use, one hour. */
export const passwordResets = pgTable(
	'password_resets',
	{
		tokenHash: text('token_hash').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		usedAt: timestamp('used_at', { withTimezone: true })
	},
	(t) => [index('password_resets_user_idx').on(t.userId)]
);
