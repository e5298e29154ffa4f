import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, isDayKey, machineDate } from '../../src/lib/format/dates.ts';

describe('formatDate', () => {
	it("follows the reader's locale", () => {
		expect(formatDate('2026-03-31', { locale: 'en-GB' })).toBe('31 Mar 2026');
		expect(formatDate('2026-03-31', { locale: 'en-US' })).toBe('Mar 31, 2026');
		expect(formatDate('2026-03-31', { locale: 'de-DE' })).toBe('31.03.2026');
	});

	it('uses the browser locale when none is given', () => {
		const expected = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.UTC(2026, 2, 31));
		expect(formatDate('2026-03-31')).toBe(expected);
	});

	it('shows a calendar day as that day in every time zone (a due date never moves a day)', () => {
		for (const timeZone of ['Pacific/Honolulu', 'UTC', 'Pacific/Kiritimati']) {
			expect(formatDate('2026-01-01', { locale: 'en-GB', timeZone })).toBe('1 Jan 2026');
		}
	});

	it('shows an instant as the day it falls on where the reader is', () => {
		expect(formatDate('2026-03-31T23:30:00Z', { locale: 'en-GB', timeZone: 'UTC' })).toBe('31 Mar 2026');
		expect(formatDate('2026-03-31T23:30:00Z', { locale: 'en-GB', timeZone: 'Europe/Berlin' })).toBe('1 Apr 2026');
		expect(formatDate(new Date(Date.UTC(2026, 2, 31, 12)), { locale: 'en-GB', timeZone: 'UTC' })).toBe('31 Mar 2026');
	});

	it('returns text that is not a date unchanged rather than "Invalid Date"', () => {
		expect(formatDate('next friday', { locale: 'en-GB' })).toBe('next friday');
	});
});

describe('formatDateTime', () => {
	it('shows date and time in the locale and time zone', () => {
		expect(formatDateTime('2026-03-31T14:05:00Z', { locale: 'en-GB', timeZone: 'UTC' })).toBe('31 Mar 2026, 14:05');
		expect(formatDateTime('2026-03-31T14:05:00Z', { locale: 'en-US', timeZone: 'America/New_York' })).toMatch(/^Mar 31, 2026, 10:05\sAM$/);
	});

	it('reads the stats hour buckets ("…T14:00Z")', () => {
		expect(formatDateTime('2026-03-31T14:00Z', { locale: 'en-GB', timeZone: 'UTC' })).toBe('31 Mar 2026, 14:00');
	});

	it('shows a calendar day without inventing a time', () => {
		expect(formatDateTime('2026-03-31', { locale: 'en-GB' })).toBe('31 Mar 2026');
	});
});

describe('machineDate and isDayKey', () => {
	it('keeps a day key, and gives an instant as ISO', () => {
		expect(isDayKey('2026-03-31')).toBe(true);
		expect(isDayKey('2026-03-31T00:00:00Z')).toBe(false);
		expect(machineDate('2026-03-31')).toBe('2026-03-31');
		expect(machineDate('2026-03-31T14:00Z')).toBe('2026-03-31T14:00:00.000Z');
		expect(machineDate('nonsense')).toBe('');
	});
});
