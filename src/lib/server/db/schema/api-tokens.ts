import { index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './accounts.ts';

/**
 * A personal access token for the REST API. `secretHash` is the SHA-256 of the whole token (`fdk_…`); the token
 * itself is shown once and never stored. Revoked tokens stay (with `revokedAt`) so a caller is told why it fails.
 */
export const apiTokens = pgTable(
	'api_tokens',
	{
		id: text('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		secretHash: text('secret_hash').notNull().unique(),
		/** 'read' | 'write' (write includes read). */
		scope: text('scope').notNull(),
		/** The boards the token reaches; null: every board its owner is a member of. */
		boardIds: text('board_ids').array(),
		expiresAt: timestamp('expires_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
		/** Updated at most once a minute, so a busy token does not write on every request. */
		lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
		revokedAt: timestamp('revoked_at', { withTimezone: true })
	},
	(t) => [index('api_tokens_user_idx').on(t.userId)]
);

/**
 * A POST's `Idempotency-Key` per token: the request's fingerprint and, once answered, the response to replay for 24 h.
 * `responseStatus` null: the first request is still running.
 */
export const apiIdempotency = pgTable(
	'api_idempotency',
	{
		tokenId: text('token_id')
			.notNull()
			.references(() => apiTokens.id, { onDelete: 'cascade' }),
		key: text('key').notNull(),
		requestHash: text('request_hash').notNull(),
		responseStatus: integer('response_status'),
		responseBody: jsonb('response_body'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull()
	},
	(t) => [primaryKey({ columns: [t.tokenId, t.key] }), index('api_idempotency_created_idx').on(t.createdAt)]
);
