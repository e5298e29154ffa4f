import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import ICAL from 'ical.js';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { serverProcessCommands } from '../../src/lib/board/doc/process-commands.ts';
import { seedBoard } from '../../src/lib/board/doc/schema.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { feedEvents, feedText, type FeedBoard } from '../../src/lib/calendar/feed-events.ts';
import { calendarItems, plansOf } from '../../src/lib/calendar/items.ts';
import { feedHash, foldLine, renderIcs, type FeedCalendar } from '../../src/lib/server/calendar-feeds/ics.ts';
import { feedResponse } from '../../src/lib/server/calendar-feeds/feed-response.ts';
import type { FeedFile } from '../../src/lib/server/calendar-feeds/read-feed.ts';

// ical.js reads properties it has no type for as raw values; these are TEXT by convention (and in RFC 7986).
for (const name of ['name', 'x-wr-calname', 'x-wr-caldesc']) ICAL.design.icalendar.property[name] = { defaultType: 'text' };

// 11:00 on 1 March 2027 in Auckland is still 28 February in UTC.
const NOW = new Date('2027-02-28T22:00:00Z');
const ORIGIN = 'https://flowdeck.example';
// Commas, semicolons, backslashes, a line break and emoji, folded over several lines: 172 of a title's 200 characters.
const HOSTILE = 'Launch, part 1; “quoted” \\ back\\slash\nsecond line ' + '🚀,é;'.repeat(25);

/** A board in Auckland: To do, In progress and Review are steps due 10, 5 and 2 calendar days before the target. */
function board() {
	const doc = new Y.Doc();
	seedBoard(doc);
	const cmd = boardCommands(doc, { userId: 'ana', now: () => NOW });
	const snap = () => readSnapshot(doc, 'Blog');
	const id = (name: string) => snap().stages.find((s) => s.name === name)!.id;
	cmd.setTimeZone('Pacific/Auckland');
	cmd.setStageStep(id('To do'), { ownerRole: 'Writer', offset: 10, unit: 'calendar', approval: null });
	cmd.setStageStep(id('In progress'), { ownerRole: 'Writer', offset: 5, unit: 'calendar', approval: null });
	cmd.setStageStep(id('Review'), { ownerRole: 'Editor', offset: 2, unit: 'calendar', approval: null });
	serverProcessCommands(doc, { userId: 'server', now: () => NOW }, { kind: 'server' }).setTeamRoles({ Writer: ['ana'], Editor: ['eve'] });
	const reading = (): FeedBoard => {
		const s = snap();
		return { id: 'board1', name: 'Blog', stages: s.stages, process: s.process, cards: Object.values(s.cards) };
	};
	return { cmd, id, snap, reading };
}

const people = { ana: 'Ana', eve: 'Eve' };
const parse = (ics: string) => new ICAL.Component(ICAL.parse(ics));
const events = (cal: ICAL.Component) => cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));

describe('feed events', () => {
	it('are the calendar tab’s items, on the days of the board’s time zone, with stable ids and readable words', () => {
		const b = board();
		const post = b.cmd.addCard(b.id('Backlog'), 'Q3 launch post') as string;
		b.cmd.setTarget(post, '2027-03-15');
		const s = b.snap();
		const tab = calendarItems(s, plansOf(s, NOW));
		const feed = feedEvents(b.reading(), { origin: ORIGIN, now: NOW, people, ownerId: null });
		expect(feed.map((e) => e.day).sort()).toEqual(tab.map((i) => i.day).sort());
		expect(feed.map((e) => [e.uid, e.day, e.summary])).toEqual([
			[`${post}-${b.id('To do')}@flowdeck.example`, '2027-03-05', 'Blog: Q3 launch post — To do due (Writer)'],
			[`${post}-${b.id('In progress')}@flowdeck.example`, '2027-03-10', 'Blog: Q3 launch post — In progress due (Writer)'],
			[`${post}-${b.id('Review')}@flowdeck.example`, '2027-03-13', 'Blog: Q3 launch post — Review due (Editor)'],
			[`${post}-target@flowdeck.example`, '2027-03-15', 'Blog: Q3 launch post — target date']
		]);
		expect(feed[2]!.description).toBe(`Step: Review (due) of “Q3 launch post”.\nOwner: Eve (Editor)\nStage now: Backlog\nTarget date: 2027-03-15\nBoard: Blog\n${ORIGIN}/b/board1?card=${post}`);
		expect(feed[3]!.url).toBe(`${ORIGIN}/b/board1?card=${post}`);
	});

	it('for one person: their cards’ target dates and the steps that fall to them; never archived cards or finished steps', () => {
		const b = board();
		const mine = b.cmd.addCard(b.id('In progress'), 'Mine') as string;
		b.cmd.setTarget(mine, '2027-03-20');
		b.cmd.addOwner(mine, 'eve');
		const gone = b.cmd.addCard(b.id('Backlog'), 'Archived') as string;
		b.cmd.setTarget(gone, '2027-03-20');
		b.cmd.setArchived(gone, true);
		const feed = feedEvents(b.reading(), { origin: ORIGIN, now: NOW, people, ownerId: 'eve' });
		// Eve owns the card (its target date and its current step, In progress) and holds Editor (Review); To do is done.
		expect(feed.map((e) => e.summary)).toEqual(['Blog: Mine — In progress due (Writer)', 'Blog: Mine — Review due (Editor)', 'Blog: Mine — target date']);
		expect(feedEvents(b.reading(), { origin: ORIGIN, now: NOW, people, ownerId: 'nobody' })).toEqual([]);
	});

	it('keep a title’s text but drop control characters, which iCalendar text may not hold', () => {
		expect(feedText('a\r\nb\rc\u0007d\te')).toBe('a\nb\ncd\te');
	});
});

describe('the iCalendar file', () => {
	const calendarOf = (title: string, name = 'Blog · Flowdeck'): FeedCalendar => {
		const b = board();
		const post = b.cmd.addCard(b.id('Backlog'), title) as string;
		b.cmd.setTarget(post, '2027-03-15');
		return { name, description: 'Target dates', timeZone: 'Pacific/Auckland', events: feedEvents(b.reading(), { origin: ORIGIN, now: NOW, people, ownerId: null }) };
	};

	it('parses with an independent parser: all-day events on the plan’s days, a hostile title intact, the name escaped', () => {
		const calendar = calendarOf(HOSTILE, 'Blog, “team”; news\nroom · Flowdeck');
		const stamp = new Date('2027-02-01T12:00:00Z');
		const ics = renderIcs(calendar, stamp);
		// Folded at 75 octets, CRLF line ends.
		for (const line of ics.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
		const cal = parse(ics);
		expect(cal.getFirstPropertyValue('x-wr-calname')).toBe('Blog, “team”; news\nroom · Flowdeck');
		expect(cal.getFirstPropertyValue('name')).toBe('Blog, “team”; news\nroom · Flowdeck');
		expect(cal.getFirstPropertyValue('x-wr-timezone')).toBe('Pacific/Auckland');
		expect(String(cal.getFirstPropertyValue('refresh-interval'))).toBe('PT1H');
		const parsed = events(cal);
		expect(parsed).toHaveLength(4);
		for (const [i, event] of parsed.entries()) {
			const mine = calendar.events[i]!;
			expect(event.uid).toBe(mine.uid);
			expect(event.startDate.isDate).toBe(true);
			expect(event.startDate.toString()).toBe(mine.day);
			expect(event.summary).toBe(mine.summary);
			expect(event.description).toBe(mine.description);
			expect(event.component.getFirstPropertyValue('dtstamp')!.toString()).toBe('2027-02-01T12:00:00Z');
		}
		expect(parsed[3]!.summary).toBe(`Blog: ${HOSTILE} — target date`);
		expect(parsed[3]!.endDate.toString()).toBe('2027-03-16');
	});

	it('folds long lines at 75 octets, never inside a character, and unfolds to the same line', () => {
		const octets = (line: string) => new TextEncoder().encode(line).length;
		for (const line of ['SUMMARY:' + 'a'.repeat(300), 'SUMMARY:' + '🚀é'.repeat(80), 'DESCRIPTION:' + 'ab€'.repeat(60), 'UID:short']) {
			const folded = foldLine(line);
			const physical = folded.split('\r\n');
			for (const [i, part] of physical.entries()) {
				expect(octets(part)).toBeLessThanOrEqual(75);
				if (i > 0) expect(part.startsWith(' ')).toBe(true);
				// No lone surrogate: every piece is whole characters.
				expect(part).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
			}
			expect(folded.replaceAll('\r\n ', '')).toBe(line);
			if (octets(line) > 75) expect(octets(physical[0]!)).toBeGreaterThan(72);
		}
	});

	it('says the same bytes for the same content and stamp; its hash changes exactly when the content does', () => {
		const stamp = new Date('2027-02-01T12:00:00Z');
		const a = calendarOf('Post');
		const b = calendarOf('Post');
		// Card ids differ between the two boards: same shape, different content.
		expect(feedHash(a)).not.toBe(feedHash(b));
		expect(renderIcs(a, stamp)).toBe(renderIcs(structuredClone(a), stamp));
		expect(feedHash(a)).toBe(feedHash(structuredClone(a)));
		const moved = structuredClone(a);
		moved.events[0]!.day = '2027-03-04';
		expect(feedHash(moved)).not.toBe(feedHash(a));
	});
});

describe('the feed’s answer', () => {
	const ics = 'BEGIN:VCALENDAR\r\nEND:VCALENDAR';
	let renders = 0;
	const file: FeedFile = { render: () => (renders++, ics), etag: 'abc', lastModified: new Date('2027-02-01T12:00:00.250Z'), filename: 'Blog, news.ics' };
	const ask = (headers: Record<string, string>) => feedResponse(new Request('https://x/calendar/s.ics', { headers }), file);

	it('is the file with its validators, or 304 when the client’s copy is current', async () => {
		const full = ask({});
		expect(full.status).toBe(200);
		expect(full.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
		expect(full.headers.get('etag')).toBe('"abc"');
		expect(full.headers.get('last-modified')).toBe('Mon, 01 Feb 2027 12:00:00 GMT');
		expect(full.headers.get('cache-control')).toBe('private, max-age=300');
		expect(await full.text()).toBe(ics);
		expect(renders).toBe(1);
		expect(ask({ 'if-none-match': '"old", W/"abc"' }).status).toBe(304);
		// A 304 has no body to make.
		expect(renders).toBe(1);
		expect(ask({ 'if-none-match': '"old"' }).status).toBe(200);
		// If-None-Match wins over If-Modified-Since.
		expect(ask({ 'if-none-match': '"old"', 'if-modified-since': 'Mon, 01 Feb 2027 12:00:00 GMT' }).status).toBe(200);
		expect(ask({ 'if-modified-since': 'Mon, 01 Feb 2027 12:00:00 GMT' }).status).toBe(304);
		expect(ask({ 'if-modified-since': 'Mon, 01 Feb 2027 11:59:59 GMT' }).status).toBe(200);
		expect(ask({ 'if-modified-since': 'yesterday' }).status).toBe(200);
		expect(await ask({ 'if-none-match': '"abc"' }).text()).toBe('');
	});
});
