import { describe, expect, it } from 'vitest';
import { readReminderSettings, reminderSettingsFormSchema } from '../../src/lib/notifications/reminder-settings.ts';
import { endOfDayIn } from '../../src/lib/notifications/due-items.ts';
import { entryHref, groupByCard } from '../../src/lib/notifications/inbox.ts';

const parse = (reminderHours: string, blockedAlertHours: string) => reminderSettingsFormSchema.safeParse({ reminderHours, blockedAlertHours });
const messages = (reminderHours: string, blockedAlertHours: string) => {
	const result = parse(reminderHours, blockedAlertHours);
	return result.success ? {} : Object.fromEntries(result.error.issues.map((i) => [String(i.path[0]), i.message]));
};

describe('board reminder settings', () => {
	it('accepts up to four whole thresholds up to 30 days, largest first, and an empty list', () => {
		expect(parse('24, 48', '12').data).toEqual({ reminderHours: [48, 24], blockedAlertHours: 12 });
		expect(parse('720 1 2 3', '720').data).toEqual({ reminderHours: [720, 3, 2, 1], blockedAlertHours: 720 });
		expect(parse('  ', '1').data).toEqual({ reminderHours: [], blockedAlertHours: 1 });
	});

	it('refuses each bad field with its own message', () => {
		expect(messages('1,2,3,4,5', '0')).toEqual({ reminderHours: 'Give at most 4 reminder times.', blockedAlertHours: 'The blocked alert must be at least 1 hour.' });
		expect(messages('24, 1.5', '24').reminderHours).toBe('Each reminder time ("1.5") must be a whole number of hours.');
		expect(messages('24, soon', '24').reminderHours).toBe('Each reminder time ("soon") must be a number of hours.');
		expect(messages('-3', '24').reminderHours).toBe('Each reminder time ("-3") must be at least 1 hour.');
		expect(messages('48, -3, abc', '24').reminderHours).toBe('Each reminder time ("-3") must be at least 1 hour. Each reminder time ("abc") must be a number of hours.');
		expect(messages('24, 24', '24').reminderHours).toBe('Each reminder time may appear once.');
		expect(messages('48', '721').blockedAlertHours).toBe('The blocked alert can be at most 720 hours (30 days).');
	});

	it('reads a damaged stored value as the defaults rather than failing', () => {
		expect(readReminderSettings({ reminderHours: 'x', blockedAlertHours: -1 })).toEqual({ reminderHours: [48, 24], blockedAlertHours: 24 });
		expect(readReminderSettings({ reminderHours: [24, 9999, 48, 24], blockedAlertHours: 6 })).toEqual({ reminderHours: [48, 24], blockedAlertHours: 6 });
	});
});

describe('when a due day ends', () => {
	it('is midnight after the day in the board’s time zone, daylight saving included', () => {
		expect(endOfDayIn('2030-01-10', 'UTC').toISOString()).toBe('2030-01-11T00:00:00.000Z');
		expect(endOfDayIn('2030-01-10', 'Europe/Berlin').toISOString()).toBe('2030-01-10T23:00:00.000Z');
		expect(endOfDayIn('2030-07-10', 'Europe/Berlin').toISOString()).toBe('2030-07-10T22:00:00.000Z');
		// The day the clocks go forward in New York ends at local midnight, UTC−4.
		expect(endOfDayIn('2030-03-10', 'America/New_York').toISOString()).toBe('2030-03-11T04:00:00.000Z');
		expect(endOfDayIn('2030-12-31', 'Pacific/Auckland').toISOString()).toBe('2030-12-31T11:00:00.000Z');
	});
});

describe('the inbox', () => {
	const entry = (id: number, cardId: string | null, read = false, cardTitle: string | null = 'Post') => ({ id, kind: 'assigned' as const, title: `t${id}`, body: '', boardId: 'b1', boardName: 'Blog', cardId, createdAt: new Date(1000 - id).toISOString(), read, cardTitle });
	it('groups newest-first entries by card, keeping their order, and counts the unread', () => {
		const groups = groupByCard([entry(1, 'c1'), entry(2, 'c2', true, 'Other'), entry(3, 'c1', true), entry(4, null)]);
		expect(groups.map((g) => [g.cardId, g.cardTitle, g.entries.map((e) => e.id), g.unread])).toEqual([
			['c1', 'Post', [1, 3], 1],
			['c2', 'Other', [2], 0],
			[null, null, [4], 1]
		]);
	});
	it('opens an entry’s card on its board', () => {
		expect(entryHref({ boardId: 'b1', cardId: 'c 1' })).toBe('/b/b1?card=c%201');
		expect(entryHref({ boardId: 'b1', cardId: null })).toBe('/b/b1');
		expect(entryHref({ boardId: null, cardId: null })).toBeNull();
	});
});
