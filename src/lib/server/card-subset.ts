import { sql, type SQL } from 'drizzle-orm';

/**
 * ` and <column> in (…the given cards…)`, or nothing for every card (null). The ids travel as one JSON parameter,
 * so a filter matching 50,000 cards stays one bind parameter (the drivers cap a statement at 65,535).
 */
export function inCards(cardIds: readonly string[] | null, column: SQL = sql`card_id`): SQL {
	if (cardIds === null) return sql``;
	return sql` and ${column} in ${idSet(cardIds)}`;
}

/** `(select …the ids…)` for `x in …`: any number of ids (cards, boards) as one JSON bind parameter. */
export function idSet(ids: readonly string[]): SQL {
	return sql`(select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`;
}

/**
 * ` and card_id in ($1, $2, …)` for a few cards, or nothing for every card (null): one bind parameter per card, so the
 * planner sees the list and reads by index (keep it to a few thousand: `CARDS_PER_STATEMENT`).
 */
export function inCardList(cardIds: readonly string[] | null): SQL {
	return cardIds === null ? sql`` : sql` and card_id in (${sql.join(cardIds.map((id) => sql`${id}`), sql`, `)})`;
}
