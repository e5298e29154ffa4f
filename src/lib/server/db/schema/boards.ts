import { pgTable, text, timestamp, primaryKey, index, integer, jsonb } from 'drizzle-orm/pg-core';
import { users } from './accounts.ts';

/** A board's relational record; its content lives in the board document. */
export const boards = pgTable('boards', {
	id: text('id').primaryKey(),
	name: text('name').notNull(),
	createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
	/** The member accountable for the board's process (escalations and the process review go to them); optional. */
	processOwnerId: text('process_owner_id').references(() => users.id, { onDelete: 'set null' }),
	/** Hours before a step or card is due when its owner is reminded (a board setting; default 48 and 24). */
	reminderHours: jsonb('reminder_hours').$type<number[]>().notNull().default([48, 24]),
	/** Hours a card may stay blocked before its owners and the process owner are told. */
	blockedAlertHours: integer('blocked_alert_hours').notNull().default(24),
	/** The compliance the process owner aims for, in whole per cent (the process review's target line; 95 unless set). */
	complianceTargetPercent: integer('compliance_target_percent').notNull().default(95),
	/**
	 * The template the board was created from (a built-in's id or a team template's; null: a blank board). Not a
	 * foreign key: built-ins live in code, and a deleted team template just stops being found.
	 */
	templateId: text('template_id')
});

/** Who may open a board, and with which role ('owner' | 'editor' | 'viewer'). */
export const boardMembers = pgTable(
	'board_members',
	{
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		role: text('role').notNull(),
		joinedAt: timestamp('joined_at', { withTimezone: true }).notNull()
	},
	(t) => [primaryKey({ columns: [t.boardId, t.userId] }), index('board_members_user_idx').on(t.userId)]
);

/** A shareable invite link; only the SHA-256 of its token is stored. */
export const boardInvites = pgTable(
	'board_invites',
	{
		id: text('id').primaryKey(),
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		tokenHash: text('token_hash').notNull().unique(),
		role: text('role').notNull(),
		createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		revokedAt: timestamp('revoked_at', { withTimezone: true })
	},
	(t) => [index('board_invites_board_idx').on(t.boardId)]
);
