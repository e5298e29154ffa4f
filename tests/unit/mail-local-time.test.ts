import { describe, expect, it } from 'vitest';
import { isTimeZone, localParts, nextLocalHour } from '../../src/lib/server/mail/local-time.ts';

describe('the digest hour in a person’s time zone', () => {
	it('finds the next occurrence, today or tomorrow', () => {
		expect(nextLocalHour(new Date('2026-03-02T09:00:00Z'), 'Europe/Berlin', 18)).toEqual({ runAt: new Date('2026-03-02T17:00:00Z'), localDate: '2026-03-02' });
		expect(nextLocalHour(new Date('2026-03-02T17:00:00Z'), 'Europe/Berlin', 18)).toEqual({ runAt: new Date('2026-03-03T17:00:00Z'), localDate: '2026-03-03' });
		expect(nextLocalHour(new Date('2026-03-02T16:59:59Z'), 'Europe/Berlin', 18).runAt).toEqual(new Date('2026-03-02T17:00:00Z'));
		// Midnight, and a date that differs from UTC's.
		expect(nextLocalHour(new Date('2026-03-02T09:00:00Z'), 'Pacific/Auckland', 0)).toEqual({ runAt: new Date('2026-03-02T11:00:00Z'), localDate: '2026-03-03' });
	});

	it('handles half- and quarter-hour zones', () => {
		expect(nextLocalHour(new Date('2026-03-02T00:00:00Z'), 'Asia/Kolkata', 8).runAt).toEqual(new Date('2026-03-02T02:30:00Z'));
		expect(nextLocalHour(new Date('2026-03-02T00:00:00Z'), 'Asia/Kathmandu', 8).runAt).toEqual(new Date('2026-03-02T02:15:00Z'));
	});

	it('follows summer time, and skips to the next day when the hour does not exist', () => {
		// Berlin moves from UTC+1 to UTC+2 on 2026-03-29 at 02:00 local.
		expect(nextLocalHour(new Date('2026-03-28T12:00:00Z'), 'Europe/Berlin', 8).runAt).toEqual(new Date('2026-03-29T06:00:00Z'));
		expect(nextLocalHour(new Date('2026-03-28T12:00:00Z'), 'Europe/Berlin', 2)).toEqual({ runAt: new Date('2026-03-30T00:00:00Z'), localDate: '2026-03-30' });
	});

	it('knows IANA names and refuses others', () => {
		expect(isTimeZone('Europe/Berlin')).toBe(true);
		expect(isTimeZone('UTC')).toBe(true);
		expect(isTimeZone('Mars/Olympus')).toBe(false);
		expect(isTimeZone('')).toBe(false);
		expect(localParts(new Date('2026-01-01T00:30:00Z'), 'UTC')).toEqual({ date: '2026-01-01', hour: 0, minute: 30 });
	});
});
