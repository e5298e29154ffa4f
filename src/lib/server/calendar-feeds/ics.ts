import { createHash } from 'node:crypto';
import ical, { ICalEventTransparency } from 'ical-generator';
import { feedText, type FeedEvent } from '../../calendar/feed-events.ts';

/** How often calendar apps are asked to fetch a feed again (REFRESH-INTERVAL and X-PUBLISHED-TTL), in seconds. */
export const REFRESH_SECONDS = 3600;

/** A feed's whole content before it is written out. */
export interface FeedCalendar {
	/** X-WR-CALNAME: "Blog · Flowdeck". */
	name: string;
	/** X-WR-CALDESC. */
	description: string;
	/** The board's time zone (X-WR-TIMEZONE, a hint: the events are whole days there); null for a feed of several boards. */
	timeZone: string | null;
	events: FeedEvent[];
}

/** RFC 5545 TEXT escaping: ical-generator 10 writes the calendar's NAME and X-WR-CALNAME as given, unescaped. */
function escapeText(text: string): string {
	return feedText(text)
		.replace(/[\\;,]/g, (c) => `\\${c}`)
		.replace(/\n/g, '\\n');
}

const DAY_MS = 86_400_000;
const dayStart = (day: string) => new Date(`${day}T00:00:00.000Z`);

/**
 * The feed as an iCalendar (RFC 5545) file: each event all day (DTSTART;VALUE=DATE) on its day in the board's time
 * zone, so no app shifts it into another day; transparent (a deadline does not make anyone busy). `stamp` is when the
 * content last changed (DTSTAMP and LAST-MODIFIED): the same content with the same stamp gives the same bytes.
 */
export function renderIcs(calendar: FeedCalendar, stamp: Date): string {
	const cal = ical({
		prodId: { company: 'Flowdeck', product: 'Flowdeck', language: 'EN' },
		name: escapeText(calendar.name),
		ttl: REFRESH_SECONDS,
		x: { 'X-WR-CALDESC': feedText(calendar.description), ...(calendar.timeZone ? { 'X-WR-TIMEZONE': calendar.timeZone } : {}) }
	});
	for (const event of calendar.events) {
		const start = dayStart(event.day);
		// The date-only values are written from the UTC date, which is the day itself at UTC midnight.
		cal.createEvent({
			id: event.uid,
			allDay: true,
			start,
			end: new Date(start.getTime() + DAY_MS),
			stamp,
			lastModified: stamp,
			summary: event.summary,
			description: event.description,
			url: event.url,
			transparency: ICalEventTransparency.TRANSPARENT
		});
	}
	return cal.toString();
}

/** A digest of everything a feed says (its ETag): it changes exactly when the feed's content does. */
export function feedHash(calendar: FeedCalendar): string {
	return createHash('sha256').update(JSON.stringify(calendar)).digest('base64url');
}
