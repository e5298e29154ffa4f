// The one place the UI turns dates into text: every screen shows them in the same style, in the reader's locale
// (Intl with an `undefined` locale follows the browser's language settings).

/** What can be shown as a date: a `YYYY-MM-DD` calendar day, an ISO instant, a Date or epoch milliseconds. */
export type DateInput = string | number | Date;

/** For tests and callers that must pin the output; left out, the reader's locale and time zone apply. */
export interface DateFormatOptions {
	locale?: string;
	timeZone?: string;
}

const DAY_KEY = /^\d{4}-\d{2}-\d{2}$/;
const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(style: 'date' | 'dateTime', options: DateFormatOptions, timeZone: string | undefined): Intl.DateTimeFormat {
	const key = `${style}|${options.locale ?? ''}|${timeZone ?? ''}`;
	let found = cache.get(key);
	if (!found) {
		found = new Intl.DateTimeFormat(options.locale, { dateStyle: 'medium', ...(style === 'dateTime' ? { timeStyle: 'short' } : {}), timeZone });
		cache.set(key, found);
	}
	return found;
}

/** True for a bare calendar day such as a due date (`2026-03-31`), which has no time and no time zone. */
export function isDayKey(value: unknown): value is string {
	return typeof value === 'string' && DAY_KEY.test(value);
}

/** Parses an input, or returns null when it is not a valid date. Hour buckets such as `2026-03-31T14:00Z` are accepted. */
function toDate(value: DateInput): Date | null {
	// Chromium refuses "…T14:00Z" (minutes without seconds before the zone) on some builds; complete it.
	const date = typeof value === 'string' ? new Date(/T\d{2}:\d{2}Z$/.test(value) ? value.replace('Z', ':00Z') : value) : new Date(value);
	return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * A date like "31 Mar 2026" (en-GB) or "Mar 31, 2026" (en-US). A calendar day (`YYYY-MM-DD`) is shown as that very
 * day wherever the reader is; an instant is shown as the day it falls on in the reader's time zone.
 * Text that is not a date is returned unchanged, so a bad value is visible rather than hidden.
 */
export function formatDate(value: DateInput, options: DateFormatOptions = {}): string {
	if (isDayKey(value)) {
		const date = toDate(`${value}T00:00:00Z`);
		// A day key is a calendar day, not an instant: formatting it in UTC keeps it from shifting a day west of Greenwich.
		return date ? formatter('date', options, 'UTC').format(date) : value;
	}
	const date = toDate(value);
	return date ? formatter('date', options, options.timeZone).format(date) : String(value);
}

/** A date and time like "31 Mar 2026, 14:05" in the reader's locale and time zone; a calendar day shows as a date. */
export function formatDateTime(value: DateInput, options: DateFormatOptions = {}): string {
	if (isDayKey(value)) return formatDate(value, options);
	const date = toDate(value);
	return date ? formatter('dateTime', options, options.timeZone).format(date) : String(value);
}

/** An ISO string for a `<time datetime>` attribute, so the exact value stays machine-readable behind the text. */
export function machineDate(value: DateInput): string {
	if (isDayKey(value)) return value;
	const date = toDate(value);
	return date ? date.toISOString() : '';
}
