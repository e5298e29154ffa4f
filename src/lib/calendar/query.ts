import { isCalendarDate } from '../board/limits.ts';
import type { Day } from '../board/plan/working-days.ts';
import type { CalendarView } from './period.ts';

/** What the calendar's URL says: the view, a day in the period shown, and the filters. */
export interface CalendarQuery {
	view: CalendarView;
	/** A day in the period shown; null: the period containing today. */
	date: Day | null;
	/** A member's user id, or 'me'; null: everyone. */
	owner: string | null;
	/** A team role name; null: every role. */
	role: string | null;
	/** A query in the board's filter language (src/lib/board/filter/), if any. */
	q?: string | null;
}

/** A parsed query and, when part of the link made no sense, what was ignored (to tell the reader). */
export interface ParsedCalendarQuery {
	query: CalendarQuery;
	problem: string | null;
}

/** Reads `?view=week&date=2027-03-29&owner=me&role=Writer`; a bad view or date is ignored and reported. */
export function parseCalendarQuery(params: URLSearchParams): ParsedCalendarQuery {
	const problems: string[] = [];
	const rawView = params.get('view');
	let view: CalendarView = 'month';
	if (rawView === 'week' || rawView === 'month') view = rawView;
	else if (rawView !== null) problems.push(`“${rawView}” is not a view (month or week); showing the month.`);
	const rawDate = params.get('date');
	let date: Day | null = null;
	if (rawDate !== null && isCalendarDate(rawDate)) date = rawDate;
	else if (rawDate !== null) problems.push(`“${rawDate}” is not a calendar date like 2027-03-29; showing today.`);
	const owner = params.get('owner') || null;
	const role = params.get('role') || null;
	const q = params.get('q')?.trim() || null;
	return { query: { view, date, owner, role, ...(q ? { q } : {}) }, problem: problems.length ? problems.join(' ') : null };
}

/** The calendar's URL for a query: only what differs from the defaults is written, in a fixed order. */
export function calendarHref(base: string, query: CalendarQuery): string {
	const params = new URLSearchParams();
	if (query.view !== 'month') params.set('view', query.view);
	if (query.date) params.set('date', query.date);
	if (query.owner) params.set('owner', query.owner);
	if (query.role) params.set('role', query.role);
	if (query.q) params.set('q', query.q);
	const search = params.toString();
	return search ? `${base}?${search}` : base;
}
