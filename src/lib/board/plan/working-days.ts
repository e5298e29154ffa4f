import { isCalendarDate } from '../limits.ts';
import { PlanError } from './errors.ts';

/**
 * Calendar-day arithmetic for plans. A day is a `YYYY-MM-DD` string naming a calendar day in the board's time zone;
 * all arithmetic is on whole days counted in UTC, so the machine's own time zone and daylight-saving changes never
 * move a day. Saturdays and Sundays are the only non-working days (no public holidays yet).
 */

/** A calendar day written `YYYY-MM-DD`. */
export type Day = string;

const DAY_MS = 86_400_000;

/** `value` itself when it is a real calendar day (2027-02-29 is not); otherwise throws PlanError `invalid_day`. */
export function assertDay(value: unknown, what = 'Day'): Day {
	if (!isCalendarDate(value)) {
		throw new PlanError('invalid_day', `${what} must be a calendar date written YYYY-MM-DD, got ${JSON.stringify(value)}.`);
	}
	return value;
}

function assertWholeNumber(n: unknown, what: string): number {
	if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
		throw new PlanError('invalid_number', `${what} must be a whole number of days, got ${String(n)}.`);
	}
	return n;
}

/** Days since 1970-01-01 (negative before it). */
function toSerial(day: Day): number {
	return Date.parse(`${day}T00:00:00Z`) / DAY_MS;
}

function fromSerial(serial: number): Day {
	const date = new Date(serial * DAY_MS);
	// Outside years 0000–9999 toISOString writes "+010000-…" or fails: not a day we can name.
	const day = Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 10);
	if (!isCalendarDate(day)) throw new PlanError('out_of_range', 'The date falls outside the years 0000–9999.');
	return day;
}

/** 0 = Monday … 6 = Sunday; 1970-01-01 was a Thursday. */
function weekdayOf(serial: number): number {
	return (((serial + 3) % 7) + 7) % 7;
}

/** Whether the day is a Monday to Friday. */
export function isWorkingDay(day: Day): boolean {
	return weekdayOf(toSerial(assertDay(day))) < 5;
}

/** Working days from a fixed Monday up to and including `serial`; differences of it count working days in (a, b]. */
function workingDaysUpTo(serial: number): number {
	const sinceMonday = serial - 4; // 1970-01-05 was a Monday
	const weeks = Math.floor(sinceMonday / 7);
	return weeks * 5 + Math.min(sinceMonday - weeks * 7 + 1, 5);
}

// Formatters are costly to build and a plan reads the zone once per visit: keep one per zone (pure, no I/O).
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
	let formatter = formatters.get(timeZone);
	if (!formatter) {
		try {
			formatter = new Intl.DateTimeFormat('en-US', {
				timeZone,
				calendar: 'gregory',
				numberingSystem: 'latn',
				year: 'numeric',
				month: '2-digit',
				day: '2-digit'
			});
		} catch {
			throw new PlanError('invalid_time_zone', `"${timeZone}" is not a time zone this server knows (use an IANA name such as Europe/Berlin).`);
		}
		formatters.set(timeZone, formatter);
	}
	return formatter;
}

/** Throws PlanError `invalid_time_zone` unless `timeZone` is an IANA zone name this runtime knows. */
export function assertTimeZone(timeZone: unknown): string {
	if (typeof timeZone !== 'string' || timeZone === '') {
		throw new PlanError('invalid_time_zone', 'A board needs a time zone (an IANA name such as Europe/Berlin).');
	}
	formatterFor(timeZone);
	return timeZone;
}

/** Throws PlanError `invalid_instant` unless `instant` is a Date that holds a real time. */
export function assertInstant(instant: unknown, what = 'Time'): Date {
	if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
		throw new PlanError('invalid_instant', `${what} must be a valid point in time.`);
	}
	return instant;
}

/** The calendar day `instant` falls on in `timeZone` (the zone's own rules, daylight saving included). */
export function dayInZone(instant: Date, timeZone: string): Day {
	assertInstant(instant, 'The instant');
	assertTimeZone(timeZone);
	const parts = formatterFor(timeZone).formatToParts(instant);
	const part = (type: 'year' | 'month' | 'day') => parts.find((p) => p.type === type)?.value ?? '';
	const day = `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
	if (!isCalendarDate(day)) throw new PlanError('out_of_range', 'The date falls outside the years 0000–9999.');
	return day;
}

/** The day `n` calendar days after `day` (before it when `n` is negative), across month and year ends. */
export function addDays(day: Day, n: number): Day {
	return fromSerial(toSerial(assertDay(day)) + assertWholeNumber(n, 'The number of days'));
}

/** Calendar days from `a` to `b`: positive when `b` is later, 0 for the same day. */
export function daysBetween(a: Day, b: Day): number {
	return toSerial(assertDay(b)) - toSerial(assertDay(a));
}

/**
 * Working days from `a` to `b`: how many Mondays–Fridays lie after `a` up to and including `b` (negative when `b`
 * is earlier). Friday → next Monday is 1; Saturday → Sunday is 0.
 */
export function workingDaysBetween(a: Day, b: Day): number {
	return workingDaysUpTo(toSerial(assertDay(b))) - workingDaysUpTo(toSerial(assertDay(a)));
}

/**
 * The working day `n` working days before `day` (after it when `n` is negative); always a Monday–Friday.
 * A weekend `day` counts as its Friday, because a deadline moves earlier, never later: 0 working days before a
 * Sunday is the Friday, 1 is the Thursday, and -1 is the Monday. So `workingDaysBetween(result, day)` is `n`.
 */
export function subtractWorkingDays(day: Day, n: number): Day {
	const count = assertWholeNumber(n, 'The number of working days');
	let serial = toSerial(assertDay(day));
	const weekday = weekdayOf(serial);
	if (weekday >= 5) serial -= weekday - 4;
	// Whole weeks keep the weekday; the rest is at most four single working-day steps.
	const weeks = Math.trunc(count / 5);
	serial -= weeks * 7;
	const step = count > 0 ? -1 : 1;
	for (let left = Math.abs(count - weeks * 5); left > 0; ) {
		serial += step;
		if (weekdayOf(serial) < 5) left--;
	}
	return fromSerial(serial);
}
