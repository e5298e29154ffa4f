import { describe, expect, it } from 'vitest';
import { addMonths, monthWeeks, periodOf, shiftPeriod, startOfWeek, todayIn, weekDays, weekRange, weekdayIndex } from '../../src/lib/calendar/period.ts';
import { longDay, periodTitle, weekdayNames } from '../../src/lib/calendar/labels.ts';
import { calendarHref, parseCalendarQuery } from '../../src/lib/calendar/query.ts';
import { stageColor, stageColors } from '../../src/lib/board/process/stage-colors.ts';

describe('weeks', () => {
	it('start on Monday, also across a month and a year end', () => {
		expect(weekdayIndex('2027-03-29')).toBe(0);
		expect(weekdayIndex('2027-04-04')).toBe(6);
		expect(startOfWeek('2027-04-04')).toBe('2027-03-29');
		expect(weekDays('2026-12-31')).toEqual(['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03']);
		expect(weekRange('2027-01-01')).toEqual({ start: '2026-12-28', end: '2027-01-03' });
	});

	it('keep seven whole days through a daylight-saving change (Europe/Berlin springs forward on 2027-03-28)', () => {
		const week = weekDays('2027-03-28');
		expect(week).toEqual(['2027-03-22', '2027-03-23', '2027-03-24', '2027-03-25', '2027-03-26', '2027-03-27', '2027-03-28']);
		// Today is read in the board's zone: 23:30 UTC on the 28th is already the 29th in Berlin (UTC+2 after the change)
		// and still the 28th in New York.
		const instant = new Date('2027-03-28T23:30:00Z');
		expect(todayIn(instant, 'Europe/Berlin')).toBe('2027-03-29');
		expect(todayIn(instant, 'America/New_York')).toBe('2027-03-28');
		// The autumn change (Berlin falls back on 2027-10-31) neither doubles nor drops a day.
		expect(weekDays('2027-10-31').at(-1)).toBe('2027-10-31');
		expect(todayIn(new Date('2027-10-30T22:30:00Z'), 'Europe/Berlin')).toBe('2027-10-31');
	});
});

describe('month grid', () => {
	it('covers the month in whole Monday-first weeks, with the neighbouring months filling the edges', () => {
		const march = monthWeeks('2027-03-17');
		expect(march).toHaveLength(5);
		expect(march[0]![0]).toBe('2027-03-01'); // 1 March 2027 is a Monday
		expect(march.at(-1)).toEqual(['2027-03-29', '2027-03-30', '2027-03-31', '2027-04-01', '2027-04-02', '2027-04-03', '2027-04-04']);
		for (const week of march) expect(week).toHaveLength(7);
		// Every day of the grid appears once, in order, including the daylight-saving Sunday.
		const days = march.flat();
		expect(new Set(days).size).toBe(35);
		expect(days).toContain('2027-03-28');
	});

	it('has six rows when the month needs them and four for a February that fits', () => {
		expect(monthWeeks('2027-08-01')).toHaveLength(6); // Sunday the 1st, 31 days
		expect(monthWeeks('2027-02-10')).toHaveLength(4); // Monday the 1st, 28 days
		expect(monthWeeks('2028-02-10').flat()).toContain('2028-02-29');
	});

	it('crosses year ends and steps by whole months', () => {
		const december = periodOf('month', '2026-12-25');
		expect(december.anchor).toBe('2026-12-01');
		expect(december.start).toBe('2026-11-30');
		expect(december.end).toBe('2027-01-03');
		expect(addMonths('2027-01-31', 1)).toBe('2027-02-01');
		expect(addMonths('2027-01-15', -1)).toBe('2026-12-01');
		expect(shiftPeriod('month', '2026-12-25', 1)).toBe('2027-01-01');
		expect(shiftPeriod('month', '2027-01-25', -13)).toBe('2025-12-01');
	});
});

describe('week view', () => {
	it('is one row from Monday to Sunday and steps by seven days', () => {
		const week = periodOf('week', '2027-04-01');
		expect(week.weeks).toHaveLength(1);
		expect(week.start).toBe('2027-03-29');
		expect(week.end).toBe('2027-04-04');
		expect(shiftPeriod('week', '2027-04-01', 1)).toBe('2027-04-05');
		expect(shiftPeriod('week', '2027-04-01', -1)).toBe('2027-03-22');
	});
});

describe('labels', () => {
	it('name days and periods without shifting them by the reader’s zone', () => {
		expect(longDay('2027-03-29', 'en-GB')).toBe('Monday, 29 March 2027');
		expect(weekdayNames('en-GB')).toEqual(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
		expect(periodTitle(periodOf('month', '2027-03-10'), 'en-GB')).toBe('March 2027');
		expect(periodTitle(periodOf('week', '2027-03-31'), 'en-GB')).toBe('29 Mar – 4 Apr 2027');
		expect(periodTitle(periodOf('week', '2026-12-30'), 'en-GB')).toBe('28 Dec 2026 – 3 Jan 2027');
	});
});

describe('the calendar link', () => {
	it('round-trips the view, the date and the filters', () => {
		const query = { view: 'week' as const, date: '2027-03-29', owner: 'me', role: 'SEO strategist' };
		const href = calendarHref('/b/x/calendar', query);
		expect(href).toBe('/b/x/calendar?view=week&date=2027-03-29&owner=me&role=SEO+strategist');
		expect(parseCalendarQuery(new URL(href, 'http://h').searchParams)).toEqual({ query, problem: null });
		expect(calendarHref('/b/x/calendar', { view: 'month', date: null, owner: null, role: null })).toBe('/b/x/calendar');
	});

	it('carries a filter-language query too', () => {
		const query = { view: 'month' as const, date: null, owner: null, role: null, q: 'label:seo -is:blocked' };
		const href = calendarHref('/b/x/calendar', query);
		expect(href).toBe('/b/x/calendar?q=label%3Aseo+-is%3Ablocked');
		expect(parseCalendarQuery(new URL(href, 'http://h').searchParams)).toEqual({ query, problem: null });
	});

	it('ignores a view or date that makes no sense, and says so', () => {
		const parsed = parseCalendarQuery(new URLSearchParams('view=year&date=2027-02-30'));
		expect(parsed.query).toEqual({ view: 'month', date: null, owner: null, role: null });
		expect(parsed.problem).toContain('“year” is not a view');
		expect(parsed.problem).toContain('“2027-02-30” is not a calendar date');
	});
});

describe('stage colours', () => {
	it('follow board order and stay put for the same order', () => {
		const colors = stageColors([{ id: 'a' }, { id: 'b' }]);
		expect(colors.a).toEqual(stageColor(0));
		expect(colors.b!.solid).not.toBe(colors.a!.solid);
		expect(stageColor(10)).toEqual(stageColor(0));
		expect(stageColor(0).tint).toMatch(/^rgba\(\d+, \d+, \d+, 0\.22\)$/);
	});
});
