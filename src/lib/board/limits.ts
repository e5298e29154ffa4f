/**
 * The most a board may hold, enforced twice with the same numbers: by the browser's commands (a clear message
 * before anything is written) and by the server's content guard (a modified client's write is reverted and its
 * sender told). Documented in docs/board.md.
 */
export const LIMITS = {
	/** Card title, stage name, checklist item, exit criterion, blocking reason. */
	shortText: 200,
	/** A card's description (Markdown). */
	description: 20_000,
	/** A label's name. */
	labelName: 40,
	/** Labels on one card. */
	labelsPerCard: 20,
	/** Checklist items on one card. */
	checklistItemsPerCard: 100,
	/** Owners of one card. */
	ownersPerCard: 20,
	/** Stages on a board. */
	stages: 50,
	/** Exit criteria of one stage. */
	exitCriteriaPerStage: 20
} as const;

/** What ids look like (cards, stages, checklist items, criteria, users): URL-safe and short. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Whether `value` is a real calendar date written YYYY-MM-DD (2026-02-30 is not). */
export function isCalendarDate(value: unknown): value is string {
	if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
	const date = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** `value` as history keeps it: text past `max` characters is cut (with an ellipsis), anything else as it is. */
export function clipForHistory<T>(value: T, max: number = LIMITS.shortText): T {
	return (typeof value === 'string' && value.length > max ? `${value.slice(0, max)}…` : value) as T;
}
