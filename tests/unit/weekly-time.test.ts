import { describe, expect, it } from 'vitest';
import { anyZoneMondayAt, lastMondayAt, localHourOn } from '../../src/lib/server/mail/weekly-time.ts';

const at = (iso: string) => new Date(iso);

describe('Monday 08:00 in a person’s time zone (the weekly process digest)', () => {
	it('finds the latest Monday 08:00 at or before an instant, with that Monday’s local date', () => {
		// Tokyo is UTC+9: Monday 08:00 there is Sunday 23:00 UTC.
		expect(lastMondayAt(at('2026-11-29T23:00:00Z'), 'Asia/Tokyo', 8)).toEqual({ at: at('2026-11-29T23:00:00Z'), monday: '2026-11-30' });
		expect(lastMondayAt(at('2026-11-29T22:59:59Z'), 'Asia/Tokyo', 8)).toEqual({ at: at('2026-11-22T23:00:00Z'), monday: '2026-11-23' });
		// Half-hour zones: Kolkata (UTC+5:30) is at 02:30 UTC.
		expect(lastMondayAt(at('2026-12-02T12:00:00Z'), 'Asia/Kolkata', 8)).toEqual({ at: at('2026-11-30T02:30:00Z'), monday: '2026-11-30' });
		// A Monday itself, before and after 08:00 in UTC.
		expect(lastMondayAt(at('2026-11-30T07:59:00Z'), 'UTC', 8).monday).toBe('2026-11-23');
		expect(lastMondayAt(at('2026-11-30T08:00:00Z'), 'UTC', 8).monday).toBe('2026-11-30');
	});

	it('follows summer time: 08:00 in New York is 13:00 UTC in winter and 12:00 UTC after the clocks go forward', () => {
		expect(localHourOn('2026-03-02', 'America/New_York', 8)).toEqual(at('2026-03-02T13:00:00Z'));
		// Summer time began on Sunday 8 March 2026.
		expect(localHourOn('2026-03-09', 'America/New_York', 8)).toEqual(at('2026-03-09T12:00:00Z'));
		expect(lastMondayAt(at('2026-03-10T00:00:00Z'), 'America/New_York', 8)).toEqual({ at: at('2026-03-09T12:00:00Z'), monday: '2026-03-09' });
	});

	it('knows the hours of the week when no clock anywhere shows Monday 08:00', () => {
		const hour = (iso: string) => Date.parse(iso);
		// Wednesday: nowhere. Sunday 18:00–19:00 UTC: Monday 08:00 at UTC+14. Monday 19:00–20:00 UTC: at UTC−12.
		expect(anyZoneMondayAt(hour('2026-12-02T10:00:00Z'), hour('2026-12-02T11:00:00Z'), 8)).toBe(false);
		expect(anyZoneMondayAt(hour('2026-12-06T17:00:00Z'), hour('2026-12-06T18:00:00Z'), 8)).toBe(true);
		expect(anyZoneMondayAt(hour('2026-12-06T16:00:00Z'), hour('2026-12-06T17:00:00Z'), 8)).toBe(false);
		expect(anyZoneMondayAt(hour('2026-12-07T19:00:00Z'), hour('2026-12-07T20:00:00Z'), 8)).toBe(true);
		expect(anyZoneMondayAt(hour('2026-12-07T20:00:00Z'), hour('2026-12-07T21:00:00Z'), 8)).toBe(false);
		// A long stop's window always holds one.
		expect(anyZoneMondayAt(hour('2026-12-01T00:00:00Z'), hour('2026-12-09T00:00:00Z'), 8)).toBe(true);
	});
});
