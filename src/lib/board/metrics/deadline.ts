const DAY = 86_400_000;

/**
 * The last millisecond of a due date's UTC day, or null when the due date is missing or not a real calendar date
 * (YYYY-MM-DD, years 0001–9999): such a card counts as having no due date. card_flow's `deadline_t` is the same.
 */
export function deadlineOf(due: unknown): number | null {
	if (typeof due !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(due) || due.startsWith('0000')) return null;
	const midnight = Date.parse(`${due}T00:00:00Z`);
	// Date.parse accepts some days that do not exist (2026-02-30); the round trip rejects them.
	if (Number.isNaN(midnight) || new Date(midnight).toISOString().slice(0, 10) !== due) return null;
	return midnight + DAY - 1;
}
