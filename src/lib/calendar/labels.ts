import type { Day } from '../board/plan/working-days.ts';
import type { CalendarPeriod } from './period.ts';

/**
 * Words for calendar days in the reader's locale (or a pinned one, for tests). A day is a calendar day, not an
 * instant: it is formatted in UTC so it never shifts west of Greenwich.
 */

const cache = new Map<string, Intl.DateTimeFormat>();

function format(day: Day, options: Intl.DateTimeFormatOptions, locale: string | undefined): string {
	const key = `${locale ?? ''}|${JSON.stringify(options)}`;
	let formatter = cache.get(key);
	if (!formatter) cache.set(key, (formatter = new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' })));
	return formatter.format(new Date(`${day}T00:00:00Z`));
}

/** "Monday, 29 March 2027": a day cell's accessible name. */
export function longDay(day: Day, locale?: string): string {
	return format(day, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }, locale);
}

/** "Mon 29 Mar": a short day heading (week view, agenda, lists). */
export function shortDay(day: Day, locale?: string): string {
	return format(day, { weekday: 'short', day: 'numeric', month: 'short' }, locale);
}

/** "Mon", "Tue", …: the grid's column headings, Monday first. */
export function weekdayNames(locale?: string): string[] {
	// 2024-01-01 was a Monday.
	return Array.from({ length: 7 }, (_, i) => format(`2024-01-0${i + 1}`, { weekday: 'short' }, locale));
}

/** The period's title: "March 2027", or a week's "29 Mar – 4 Apr 2027". */
export function periodTitle(period: CalendarPeriod, locale?: string): string {
	if (period.view === 'month') return format(period.anchor, { month: 'long', year: 'numeric' }, locale);
	const sameYear = period.start.slice(0, 4) === period.end.slice(0, 4);
	const from = format(period.start, sameYear ? { day: 'numeric', month: 'short' } : { day: 'numeric', month: 'short', year: 'numeric' }, locale);
	return `${from} – ${format(period.end, { day: 'numeric', month: 'short', year: 'numeric' }, locale)}`;
}
