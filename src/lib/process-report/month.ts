/** A report month, YYYY-MM (UTC calendar months, as the stats count days). */
export type Month = string;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Whether `value` is a month written YYYY-MM (2026-11; not 2026-13 or 2026-1). */
export const isMonth = (value: string): boolean => MONTH.test(value);

/** The month `delta` months after `month` (negative: before). */
export function shiftMonth(month: Month, delta: number): Month {
	const [y, m] = month.split('-').map(Number) as [number, number];
	const d = new Date(Date.UTC(y, m - 1 + delta, 1));
	return d.toISOString().slice(0, 7);
}

/** The month `at` falls in (UTC). */
export const monthOf = (at: Date): Month => at.toISOString().slice(0, 7);

/** The first and last day (YYYY-MM-DD, inclusive) of a month. */
export function daysOf(month: Month): { from: string; to: string } {
	const [y, m] = month.split('-').map(Number) as [number, number];
	return { from: `${month}-01`, to: new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10) };
}

/** A month as people read it: "November 2026" (in the reader's language when `locale` is left out). */
export function monthName(month: Month, locale?: string): string {
	const [y, m] = month.split('-').map(Number) as [number, number];
	return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, 1)));
}
