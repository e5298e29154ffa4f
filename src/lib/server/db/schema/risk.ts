import { pgTable, primaryKey, real, text, timestamp } from 'drizzle-orm/pg-core';
import { boards } from './boards.ts';

/**
 * The delivery-risk level each open card with a target date had at the last check (on track, at risk, likely late),
 * so its owners and the process owner hear once per change of level (src/lib/server/process-review/risk-alerts.ts).
 * A card that finished, was archived or lost its target date has no row: it starts afresh if it comes back.
 */
export const cardRiskLevels = pgTable(
	'card_risk_levels',
	{
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		cardId: text('card_id').notNull(),
		/** on_track | at_risk | likely_late */
		level: text('level').notNull(),
		/** The chance of finishing by the target date when the level was last set (0–1). */
		chance: real('chance').notNull(),
		changedAt: timestamp('changed_at', { withTimezone: true }).notNull()
	},
	(t) => [primaryKey({ columns: [t.boardId, t.cardId] })]
);
