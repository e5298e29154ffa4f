import { describe, expect, it } from 'vitest';
import { PlanError } from '../../src/lib/board/plan/errors.ts';
import { addDays, dayInZone, daysBetween, isWorkingDay, subtractWorkingDays, workingDaysBetween } from '../../src/lib/board/plan/working-days.ts';

const planError = (fn: () => unknown): PlanError => {
	try {
		fn();
	} catch (error) {
		if (error instanceof PlanError) return error;
		throw error;
	}
	throw new Error('expected a PlanError');
};

describe('dayInZone', () => {
	it('puts the same instant on different days in Tokyo and Los Angeles', () => {
		const instant = new Date('2027-03-31T20:00:00Z');
		expect(dayInZone(instant, 'Asia/Tokyo')).toBe('2027-04-01');
		expect(dayInZone(instant, 'America/Los_Angeles')).toBe('2027-03-31');
		expect(dayInZone(instant, 'UTC')).toBe('2027-03-31');
	});

	it('reads the day right on the days Berlin changes its clocks', () => {
		// 00:05 local on the spring-forward Sunday is still Saturday in UTC.
		expect(dayInZone(new Date('2027-03-27T23:05:00Z'), 'Europe/Berlin')).toBe('2027-03-28');
		expect(dayInZone(new Date('2027-03-27T22:55:00Z'), 'Europe/Berlin')).toBe('2027-03-27');
		// After the change Berlin is UTC+2: 22:30 UTC is already Monday there (a fixed +1 would say Sunday).
		expect(dayInZone(new Date('2027-03-28T22:30:00Z'), 'Europe/Berlin')).toBe('2027-03-29');
		// Fall back: 00:05 CEST on Sunday 31 October, and 23:30 UTC that evening is 00:30 CET on Monday.
		expect(dayInZone(new Date('2027-10-30T22:05:00Z'), 'Europe/Berlin')).toBe('2027-10-31');
		expect(dayInZone(new Date('2027-10-31T23:30:00Z'), 'Europe/Berlin')).toBe('2027-11-01');
		expect(dayInZone(new Date('2027-10-31T22:30:00Z'), 'Europe/Berlin')).toBe('2027-10-31');
	});

	it('reads the day right on the days New York changes its clocks', () => {
		expect(dayInZone(new Date('2027-03-14T05:05:00Z'), 'America/New_York')).toBe('2027-03-14'); // 00:05 EST
		expect(dayInZone(new Date('2027-03-14T04:55:00Z'), 'America/New_York')).toBe('2027-03-13');
		expect(dayInZone(new Date('2027-03-15T03:30:00Z'), 'America/New_York')).toBe('2027-03-14'); // 23:30 EDT
		expect(dayInZone(new Date('2027-11-07T04:05:00Z'), 'America/New_York')).toBe('2027-11-07'); // 00:05 EDT
		// After falling back New York is UTC-5: 04:30 UTC on the 8th is still the 7th there.
		expect(dayInZone(new Date('2027-11-08T04:30:00Z'), 'America/New_York')).toBe('2027-11-07');
		expect(dayInZone(new Date('2027-11-08T05:30:00Z'), 'America/New_York')).toBe('2027-11-08');
	});

	it('refuses an unknown time zone and an invalid instant', () => {
		expect(planError(() => dayInZone(new Date(), 'Mars/Olympus')).code).toBe('invalid_time_zone');
		expect(planError(() => dayInZone(new Date(), 'Mars/Olympus')).message).toContain('Mars/Olympus');
		expect(planError(() => dayInZone(new Date(Number.NaN), 'UTC')).code).toBe('invalid_instant');
	});
});

describe('addDays and daysBetween', () => {
	it('crosses month ends, year ends and leap days', () => {
		expect(addDays('2027-01-31', 1)).toBe('2027-02-01');
		expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
		expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
		expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
		expect(addDays('2028-02-28', 2)).toBe('2028-03-01');
		expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
		expect(addDays('2100-02-28', 1)).toBe('2100-03-01'); // 2100 is not a leap year
		expect(addDays('2000-02-28', 1)).toBe('2000-02-29'); // 2000 is
		expect(addDays('2027-03-31', -30)).toBe('2027-03-01');
		expect(addDays('2027-03-31', 0)).toBe('2027-03-31');
		expect(daysBetween('2028-02-01', '2028-03-01')).toBe(29);
		expect(daysBetween('2027-02-01', '2027-03-01')).toBe(28);
		expect(daysBetween('2027-03-31', '2027-03-01')).toBe(-30);
	});

	it('refuses days that do not exist and fractional counts', () => {
		for (const bad of ['2027-02-29', '2027-13-01', '2027-04-31', '27-3-1', '2027-3-1', '', 'tomorrow']) {
			const error = planError(() => addDays(bad, 1));
			expect(error.code).toBe('invalid_day');
			expect(error.message).toContain('YYYY-MM-DD');
		}
		expect(planError(() => addDays('2027-03-01', 1.5)).code).toBe('invalid_number');
		expect(planError(() => addDays('9999-12-31', 1)).code).toBe('out_of_range');
	});
});

describe('working days', () => {
	it('knows Saturdays and Sundays are not working days', () => {
		expect(['2027-03-26', '2027-03-27', '2027-03-28', '2027-03-29'].map(isWorkingDay)).toEqual([true, false, false, true]);
	});

	it('counts back over weekends', () => {
		expect(subtractWorkingDays('2027-03-31', 0)).toBe('2027-03-31'); // Wednesday
		expect(subtractWorkingDays('2027-03-31', 3)).toBe('2027-03-26'); // the Friday before
		expect(subtractWorkingDays('2027-03-31', 5)).toBe('2027-03-24');
		expect(subtractWorkingDays('2027-03-31', 10)).toBe('2027-03-17');
		expect(subtractWorkingDays('2027-03-29', 1)).toBe('2027-03-26'); // Monday back to Friday
	});

	it('counts from a weekend day as from its Friday, so a deadline moves earlier, never later', () => {
		expect(subtractWorkingDays('2027-03-28', 0)).toBe('2027-03-26'); // Sunday → Friday
		expect(subtractWorkingDays('2027-03-27', 0)).toBe('2027-03-26'); // Saturday → Friday
		expect(subtractWorkingDays('2027-03-28', 1)).toBe('2027-03-25'); // Thursday
		expect(subtractWorkingDays('2027-03-27', -1)).toBe('2027-03-29'); // forwards: Monday
	});

	it('crosses month ends, year ends and a leap day', () => {
		expect(subtractWorkingDays('2027-03-01', 1)).toBe('2027-02-26');
		expect(subtractWorkingDays('2028-03-01', 1)).toBe('2028-02-29');
		expect(subtractWorkingDays('2027-01-04', 1)).toBe('2027-01-01'); // public holidays are not known
		expect(subtractWorkingDays('2027-01-04', 2)).toBe('2026-12-31');
		expect(subtractWorkingDays('2026-12-31', -1)).toBe('2027-01-01');
	});

	it('counts the working days between two days', () => {
		expect(workingDaysBetween('2027-03-26', '2027-03-29')).toBe(1); // Friday → Monday
		expect(workingDaysBetween('2027-03-27', '2027-03-28')).toBe(0); // Saturday → Sunday
		expect(workingDaysBetween('2027-03-29', '2027-03-26')).toBe(-1);
		expect(workingDaysBetween('2027-03-31', '2027-03-31')).toBe(0);
		expect(workingDaysBetween('2027-03-01', '2027-03-31')).toBe(22); // 23 working days in March 2027
		expect(workingDaysBetween('2028-02-28', '2028-03-01')).toBe(2); // over the leap day
		expect(workingDaysBetween('2026-12-30', '2027-01-05')).toBe(4);
	});

	it('agrees with itself: n working days back is n working days between, and always a weekday', () => {
		for (let offset = 0; offset < 21; offset++) {
			const day = addDays('2027-12-20', offset);
			for (let n = -12; n <= 12; n++) {
				const back = subtractWorkingDays(day, n);
				expect(isWorkingDay(back)).toBe(true);
				expect(workingDaysBetween(back, day)).toBe(n);
			}
		}
	});
});
