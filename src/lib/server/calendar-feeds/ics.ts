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

const utf8Length = (codePoint: number) => (codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4);

/** One content line folded as RFC 5545 says: at most 75 octets a line, never inside a character; CRLF + space between. */
export function foldLine(line: string): string {
	// eslint-disable-next-line no-control-regex -- ASCII: one octet a character
	if (/^[\u0000-\u007f]*$/.test(line)) {
		if (line.length <= 75) return line;
		const parts = [line.slice(0, 75)];
		for (let at = 75; at < line.length; at += 74) parts.push(line.slice(at, at + 74));
		return parts.join('\r\n ');
	}
	const parts: string[] = [];
	let current = '';
	let octets = 0;
	let limit = 75;
	for (const char of line) {
		const n = utf8Length(char.codePointAt(0)!);
		if (octets + n > limit) {
			parts.push(current);
			current = '';
			octets = 0;
			// The continuation line's leading space is one of its 75 octets.
			limit = 74;
		}
		current += char;
		octets += n;
	}
	parts.push(current);
	return parts.join('\r\n ');
}

/**
 * The feed as an iCalendar (RFC 5545) file: each event all day (DTSTART;VALUE=DATE) on its day in the board's time
 * zone, so no app shifts it into another day; transparent (a deadline does not make anyone busy). `stamp` is when the
 * content last changed (DTSTAMP and LAST-MODIFIED): the same content with the same stamp gives the same bytes.
 *
 * ical-generator writes every property and escapes every value; only the folding of long lines is done here:
 * ical-generator 10 folds the whole file one character at a time with a new TextEncoder each, which took 10.9 s for
 * 9,000 events (4.6 MB) on this machine, blocking the server; folding each event's lines here takes milliseconds.
 */
export function renderIcs(calendar: FeedCalendar, stamp: Date): string {
	const cal = ical({
		prodId: { company: 'Flowdeck', product: 'Flowdeck', language: 'EN' },
		name: escapeText(calendar.name),
		ttl: REFRESH_SECONDS,
		x: { 'X-WR-CALDESC': feedText(calendar.description), ...(calendar.timeZone ? { 'X-WR-TIMEZONE': calendar.timeZone } : {}) }
	});
	// Without events, the calendar's own text is its properties (before any component, as RFC 5545 orders them).
	const head = cal.toString().replace(/END:VCALENDAR$/, '');
	const events = calendar.events.map((event) => {
		const start = dayStart(event.day);
		// The date-only values are written from the UTC date, which is the day itself at UTC midnight.
		const text = cal
			.createEvent({
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
			})
			.toString();
		return text.split('\r\n').map(foldLine).join('\r\n');
	});
	return `${head}${events.join('')}END:VCALENDAR`;
}

/** A digest of everything a feed says (its ETag): it changes exactly when the feed's content does. */
export function feedHash(calendar: FeedCalendar): string {
	return createHash('sha256').update(JSON.stringify(calendar)).digest('base64url');
}
