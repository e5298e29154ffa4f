import { sql } from 'drizzle-orm';
import { jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from './accounts.ts';

/**
 * The team's own process templates (Flowdeck serves one organisation: every signed-in user sees them). `template`
 * holds the validated template file (`ProcessTemplate`); its name is copied to `name` so that names stay unique
 * ignoring case (the index on lower(name)), which a concurrent second save could otherwise slip past.
 */
export const processTemplates = pgTable(
	'process_templates',
	{
		id: text('id').primaryKey(),
		name: text('name').notNull(),
		template: jsonb('template').notNull(),
		/** Who saved or imported it; they may delete it. Null once their account is gone. */
		createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull()
	},
	(t) => [uniqueIndex('process_templates_name_idx').on(sql`lower(${t.name})`)]
);
