import { index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from './accounts.ts';
import { boards } from './boards.ts';

/**
 * A board's team roles ("Content strategist", "SEO strategist", …): who does which step of the process. Not access
 * roles (owner/editor/viewer, in board_members): a team role grants nothing, it names who a step is handed to.
 */
export const boardTeamRoles = pgTable(
	'board_team_roles',
	{
		id: text('id').primaryKey(),
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		/** Order on the settings page (the order the template or the owner gave). */
		position: integer('position').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull()
	},
	(t) => [uniqueIndex('board_team_roles_board_name_idx').on(t.boardId, t.name)]
);

/** Who holds a team role: zero or more members per role, and a member may hold several. */
export const boardTeamRoleHolders = pgTable(
	'board_team_role_holders',
	{
		roleId: text('role_id')
			.notNull()
			.references(() => boardTeamRoles.id, { onDelete: 'cascade' }),
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' })
	},
	(t) => [primaryKey({ columns: [t.roleId, t.userId] }), index('board_team_role_holders_board_idx').on(t.boardId, t.userId)]
);
