import { addDays, assertDay, daysBetween, dayInZone, type Day } from '../board/plan/working-days.ts';

/**
 * The calendar's periods: months and Monday-to-Sunday weeks of `YYYY-MM-DD` days. Days are the board's days (read in
 * its time zone by `todayIn`); everything else is whole-day arithmetic, so daylight-saving changes never shift a day.
 */

/** What the calendar shows: a month grid or one week. */
export type CalendarView = 'month' | 'week';

/** A period on screen: its weeks (Monday first, seven days each) and its first and last day. */
export interface CalendarPeriod {
	view: CalendarView;
	/** The first day of the month (month view) or the Monday (week view). */
	anchor: Day;
	weeks: Day[][];
	/** The first and last day shown (a month grid includes the neighbouring months' days that fill its weeks). */
	start: Day;
	end: Day;
}

const A_MONDAY = '1970-01-05';

/** 0 = Monday … 6 = Sunday. */
export function weekdayIndex(day: Day): number {
	return (((daysBetween(A_MONDAY, day) % 7) + 7) % 7);
}

/** The Monday of the week `day` falls in. */
export function startOfWeek(day: Day): Day {
	return addDays(day, -weekdayIndex(day));
}

/** The seven days, Monday to Sunday, of the week `day` falls in. */
export function weekDays(day: Day): Day[] {
	const monday = startOfWeek(day);
	return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

/** The first day of the month `day` falls in. */
export function startOfMonth(day: Day): Day {
	return `${assertDay(day).slice(0, 7)}-01`;
}

/** The first day of the month `n` months after the one `day` falls in (before it when negative). */
export function addMonths(day: Day, n: number): Day {
	const [year, month] = assertDay(day).split('-').map(Number) as [number, number];
	const index = year * 12 + (month - 1) + n;
	const y = Math.floor(index / 12);
	return assertDay(`${String(y).padStart(4, '0')}-${String(index - y * 12 + 1).padStart(2, '0')}-01`);
}

/** The weeks (Monday first) that cover the month `day` falls in: 4 to 6 rows of seven days. */
export function monthWeeks(day: Day): Day[][] {
	const first = startOfMonth(day);
	const last = addDays(addMonths(first, 1), -1);
	const weeks: Day[][] = [];
	for (let monday = startOfWeek(first); monday <= last; monday = addDays(monday, 7)) weeks.push(weekDays(monday));
	return weeks;
}

/** The period of `view` that contains `day`. */
export function periodOf(view: CalendarView, day: Day): CalendarPeriod {
	const weeks = view === 'month' ? monthWeeks(day) : [weekDays(day)];
	return { view, anchor: view === 'month' ? startOfMonth(day) : startOfWeek(day), weeks, start: weeks[0]![0]!, end: weeks.at(-1)![6]! };
}

/** A day in the period `steps` periods after the one containing `day` (its first day: the 1st or the Monday). */
export function shiftPeriod(view: CalendarView, day: Day, steps: number): Day {
	return view === 'month' ? addMonths(day, steps) : addDays(startOfWeek(day), 7 * steps);
}

/** Whether `day` lies in the month of `anchor`. */
export function inMonth(day: Day, anchor: Day): boolean {
	return day.slice(0, 7) === anchor.slice(0, 7);
}

/** Today in the board's time zone. */
export function todayIn(now: Date, timeZone: string): Day {
	return dayInZone(now, timeZone);
}

/** Monday and Sunday of the week `day` falls in. */
export function weekRange(day: Day): { start: Day; end: Day } {
	const start = startOfWeek(day);
	return { start, end: addDays(start, 6) };
}
