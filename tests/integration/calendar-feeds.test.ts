import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { createScratchPostgres, dbKinds } from '../helpers/db.ts';
import { startServer, tempDataDir, type TestServer } from '../helpers/server.ts';
import { HttpClient } from '../helpers/http-client.ts';
import { connectBoard, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { addDays, dayInZone } from '../../src/lib/board/plan/working-days.ts';
import { libraryTemplate } from '../../src/lib/board/templates/library/index.ts';

type Who = 'olivia' | 'sam' | 'stranger';
const BLOG = libraryTemplate('blog-post')!;
const TARGET = '2030-04-15';
// Commas, semicolons, backslashes, a line break and emoji that fold across lines: a title that must survive intact.
const HOSTILE = 'Launch, part 1; “quoted” \\ back\\slash\nsecond line ' + '🚀,é;'.repeat(25);
// The blog template's steps, calendar days before the target date.
const STEPS: [string, string, number][] = [
	['Generate idea', 'Content strategist', 30],
	['Keyword research', 'SEO strategist', 25],
	['Outline', 'Blog writer', 20],
	['Approve outline', 'SEO strategist', 15],
	['Final draft', 'Blog writer', 10],
	['Images or infographics', 'Graphic designer', 5],
	['Schedule social promotion', 'Social media manager', 4],
	['Publish and review the live version', 'Blog writer', 0]
];

/** One parsed event: what a calendar app would show. */
interface Shown {
	uid: string;
	day: string;
	allDay: boolean;
	summary: string;
	description: string;
	url: string;
}

/** Parses a feed with ical.js (not the library that wrote it). */
function parseFeed(ics: string): { name: string; timeZone: string | null; events: Shown[] } {
	const cal = new ICAL.Component(ICAL.parse(ics));
	const events = cal.getAllSubcomponents('vevent').map((v) => {
		const e = new ICAL.Event(v);
		return { uid: e.uid, day: e.startDate.toString(), allDay: e.startDate.isDate, summary: e.summary, description: e.description, url: String(v.getFirstPropertyValue('url')) };
	});
	return { name: String(cal.getFirstPropertyValue('x-wr-calname')), timeZone: (cal.getFirstPropertyValue('x-wr-timezone') as string | null) ?? null, events };
}

describe.each(dbKinds())('calendar feeds over HTTP (%s)', (kind) => {
	let server: TestServer;
	let cleanup: () => Promise<void> | void = () => {};
	const http = {} as Record<Who, HttpClient>;
	const clients: SyncClient[] = [];
	let samId = '';
	let auckland = '';
	let newYork = '';
	let post = '';
	let hostile = '';
	const stageOf: Record<string, string> = {};

	/** A JSON request as our own pages send it (same origin, the session cookie). */
	async function api(who: Who | null, method: 'GET' | 'POST' | 'DELETE', path: string, origin = server.url): Promise<{ status: number; json: Record<string, unknown> }> {
		const headers: Record<string, string> = { accept: 'application/json', origin };
		if (who) headers.cookie = http[who].cookieHeader;
		const res = await fetch(server.url + path, { method, headers });
		const text = await res.text();
		return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
	}
	/** Makes (or resets) a feed; returns its https URL. */
	async function newFeed(who: Who, path: string): Promise<string> {
		const res = await api(who, 'POST', path);
		expect(res.status, JSON.stringify(res.json)).toBe(201);
		expect(res.json.webcal).toBe(String(res.json.url).replace(/^http:/, 'webcal:'));
		return String(res.json.url);
	}
	/** Fetches a feed as a calendar app does: no cookie. */
	const fetchFeed = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers });
	async function feed(url: string) {
		const res = await fetchFeed(url);
		const body = await res.text();
		expect(res.status, body).toBe(200);
		return { res, body, ...parseFeed(body) };
	}
	/** A sync client of a person's on a board, as their browser would be. */
	async function open(who: Who, boardId: string) {
		const client = connectBoard(server.url, boardId, { cookie: http[who].cookieHeader });
		clients.push(client);
		await client.synced();
		return { client, cmd: boardCommands(client.doc, { userId: who, now: () => new Date() }) };
	}
	/** The server's plan of a card (what its plan API says), once it has the target date. */
	async function planOf(boardId: string, cardId: string, target: string) {
		return waitFor(`the server plans ${cardId} from ${target}`, async () => {
			const res = await api('olivia', 'GET', `/api/boards/${boardId}/cards/${cardId}/plan`);
			const plan = res.json as { targetDate?: string; steps?: { stageId: string; name: string; plannedDue: string }[] };
			return plan.targetDate === target ? plan.steps! : null;
		});
	}
	/** Creates a board from the blog template in `timeZone`, with Sam as its writer. */
	async function blogBoard(name: string, timeZone: string): Promise<string> {
		const res = await http.olivia.post('/?/create', { name, template: 'blog-post', timeZone, [`role-${BLOG.teamRoles.indexOf('Blog writer')}`]: samId });
		expect(res.status, res.body.slice(0, 300)).toBe(303);
		return res.location!.split('/').pop()!;
	}

	beforeAll(async () => {
		if (kind === 'postgres') {
			const scratch = await createScratchPostgres();
			server = await startServer({ DATABASE_URL: scratch.url });
			cleanup = () => scratch.drop();
		} else {
			const data = tempDataDir();
			server = await startServer({ DATA_DIR: data.dir, DATABASE_URL: '' });
			cleanup = () => data.remove();
		}
		for (const who of ['olivia', 'sam', 'stranger'] as const) {
			http[who] = new HttpClient(server.url);
			await http[who].signUp(who[0]!.toUpperCase() + who.slice(1), `${who}@example.com`);
		}
		// Sam shares a first board with Olivia, so she may name him a role holder on the blog boards.
		const first = (await http.olivia.post('/?/create', { name: 'Team' })).location!.split('/').pop()!;
		const invite = await http.olivia.post(`/b/${first}/settings?/invite`, { role: 'editor', days: '7' });
		expect((await http.sam.post(`/invite/${/\/invite\/([a-z0-9]+)/.exec(invite.body)![1]}`, {})).status).toBe(303);
		const settings = (await http.olivia.get(`/b/${first}/settings`)).body;
		samId = /name="userId" value="([a-z0-9]+)"[^<]*<label[^>]*>Role of Sam/.exec(settings)![1]!;
		auckland = await blogBoard('Blog', 'Pacific/Auckland');
		newYork = await blogBoard('Blog US', 'America/New_York');
		// The owner is listed first among the members who may hold a role.
		const oliviaId = /name="holder" value="([a-z0-9]+)"/.exec((await http.olivia.get(`/b/${newYork}/settings`)).body)![1]!;

		const { client, cmd } = await open('olivia', auckland);
		for (const s of readSnapshot(client.doc).stages) stageOf[s.name] = s.id;
		post = cmd.addCard(stageOf['Ideas backlog']!, 'Q3 launch post') as string;
		cmd.setTarget(post, TARGET);
		const us = await open('olivia', newYork);
		const usPost = us.cmd.addCard(readSnapshot(us.client.doc).stages[0]!.id, 'US post') as string;
		// Olivia owns it (before the target date is set: once the server has the date, it has her too).
		us.cmd.addOwner(usPost, oliviaId);
		us.cmd.setTarget(usPost, '2030-05-01');
		await planOf(auckland, post, TARGET);
		await planOf(newYork, usPost, '2030-05-01');
	}, 180_000);

	afterAll(async () => {
		for (const c of clients) c.destroy();
		await server?.stop();
		await cleanup();
	});

	it('a board’s feed: each card on its target date and each step on the plan’s date, all day, in the board’s words', async () => {
		const url = await newFeed('olivia', `/api/boards/${auckland}/calendar-feed`);
		expect(url).toMatch(new RegExp(`^${server.url}/calendar/[a-z2-7]{32}\\.ics$`));
		const { res, name, timeZone, events } = await feed(url);
		expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
		expect(res.headers.get('cache-control')).toBe('private, max-age=300');
		expect(name).toBe('Blog · Flowdeck');
		expect(timeZone).toBe('Pacific/Auckland');

		const plan = await planOf(auckland, post, TARGET);
		const host = new URL(server.url).host;
		const expected = [
			...STEPS.map(([step, role, offset]) => ({ uid: `${post}-${stageOf[step]}@${host}`, day: addDays(TARGET, -offset), summary: `Blog: Q3 launch post — ${step} due (${role})` })),
			{ uid: `${post}-target@${host}`, day: TARGET, summary: 'Blog: Q3 launch post — target date' }
		];
		expect(events.map(({ uid, day, summary }) => ({ uid, day, summary }))).toEqual(expected);
		// The dates are the ones the server's own plan gives, as whole days (DTSTART;VALUE=DATE), never shifted to UTC.
		for (const step of plan) expect(events.find((e) => e.uid === `${post}-${step.stageId}@${host}`)?.day).toBe(step.plannedDue);
		expect(events.every((e) => e.allDay)).toBe(true);
		const outline = events.find((e) => e.summary.includes('— Outline due'))!;
		expect(outline.description).toContain('Owner: Sam (Blog writer)');
		expect(outline.description).toContain('Stage now: Ideas backlog');
		expect(outline.url).toBe(`${server.url}/b/${auckland}?card=${post}`);
	});

	it('answers 304 to a current copy, keeps its event ids, and moves the events when the target date moves', async () => {
		const url = await newFeed('olivia', `/api/boards/${auckland}/calendar-feed`);
		const first = await feed(url);
		const etag = first.res.headers.get('etag')!;
		const lastModified = first.res.headers.get('last-modified')!;
		expect(etag).toMatch(/^"[\w-]+"$/);
		const again = await feed(url);
		expect(again.body).toBe(first.body);
		expect(again.res.headers.get('etag')).toBe(etag);
		expect((await fetchFeed(url, { 'if-none-match': etag })).status).toBe(304);
		expect((await fetchFeed(url, { 'if-modified-since': lastModified })).status).toBe(304);

		const { cmd } = await open('olivia', auckland);
		cmd.setTarget(post, '2030-04-22');
		await planOf(auckland, post, '2030-04-22');
		const moved = await fetchFeed(url, { 'if-none-match': etag });
		expect(moved.status).toBe(200);
		expect(moved.headers.get('etag')).not.toBe(etag);
		const after = parseFeed(await moved.text());
		expect(after.events.map((e) => e.uid)).toEqual(first.events.map((e) => e.uid));
		expect(after.events.map((e) => e.day)).toEqual(first.events.map((e) => addDays(e.day, 7)));
		expect(Date.parse(moved.headers.get('last-modified')!)).toBeGreaterThanOrEqual(Date.parse(lastModified));
		cmd.setTarget(post, TARGET);
		await planOf(auckland, post, TARGET);
	});

	it('carries a hostile title intact, and says “late” by the board’s own today', async () => {
		const { cmd } = await open('olivia', auckland);
		hostile = cmd.addCard(stageOf['Ideas backlog']!, HOSTILE) as string;
		cmd.setTarget(hostile, '2030-06-01');
		// Outline set by hand to today in UTC: in Auckland that day may already be over.
		const utcToday = new Date().toISOString().slice(0, 10);
		cmd.setStepDue(hostile, stageOf.Outline!, utcToday);
		await planOf(auckland, hostile, '2030-06-01');
		const { events } = await feed(await newFeed('olivia', `/api/boards/${auckland}/calendar-feed`));
		const mine = events.filter((e) => e.uid.startsWith(`${hostile}-`));
		expect(mine.find((e) => e.uid.startsWith(`${hostile}-target@`))!.summary).toBe(`Blog: ${HOSTILE} — target date`);
		expect(mine.find((e) => e.uid.startsWith(`${hostile}-target@`))!.description).toContain(`Target date of “${HOSTILE}”.`);
		const outline = mine.find((e) => e.uid.startsWith(`${hostile}-${stageOf.Outline}@`))!;
		expect(outline.day).toBe(utcToday);
		const word = dayInZone(new Date(), 'Pacific/Auckland') > utcToday ? 'late' : 'due';
		expect(outline.summary).toBe(`Blog: ${HOSTILE} — Outline ${word} (Blog writer)`);
	});

	it('“my steps”: the steps that fall to the person and their cards’ target dates, on every board they are on', async () => {
		const sam = await feed(await newFeed('sam', '/api/calendar-feeds/my-steps'));
		expect(sam.name).toBe('My steps · Flowdeck');
		// Two boards in two zones: no single zone to name.
		expect(sam.timeZone).toBeNull();
		// Sam is the writer of every card: the hostile one's steps are his too.
		expect(sam.events.filter((e) => e.uid.startsWith(`${hostile}-`)).map((e) => e.day)).toEqual([new Date().toISOString().slice(0, 10), '2030-05-22', '2030-06-01'].sort());
		const summaries = sam.events.filter((e) => !e.uid.startsWith(`${hostile}-`)).map((e) => e.summary);
		expect(summaries).toEqual([
			'Blog: Q3 launch post — Outline due (Blog writer)',
			'Blog: Q3 launch post — Final draft due (Blog writer)',
			'Blog US: US post — Outline due (Blog writer)',
			'Blog: Q3 launch post — Publish and review the live version due (Blog writer)',
			'Blog US: US post — Final draft due (Blog writer)',
			'Blog US: US post — Publish and review the live version due (Blog writer)'
		]);
		// In date order across the boards.
		expect(sam.events.map((e) => e.day)).toEqual(sam.events.map((e) => e.day).sort());
		const olivia = await feed(await newFeed('olivia', '/api/calendar-feeds/my-steps'));
		// Olivia holds no role: only the card she owns, on its target date, in New York's days.
		expect(olivia.events.map((e) => [e.day, e.summary])).toEqual([['2030-05-01', 'Blog US: US post — target date']]);
		expect(olivia.timeZone).toBe('America/New_York');
	});

	it('a member removed from a board: their board feed is not found, and their “my steps” loses the board', async () => {
		const boardFeed = await newFeed('sam', `/api/boards/${newYork}/calendar-feed`);
		const mySteps = await newFeed('sam', '/api/calendar-feeds/my-steps');
		expect((await feed(boardFeed)).events.length).toBe(9);
		const removed = await http.olivia.post(`/b/${newYork}/settings?/removeMember`, { id: samId });
		expect(removed.status, removed.body.slice(0, 300)).toBe(200);
		expect(removed.body).toContain('Member removed.');
		const gone = await fetchFeed(boardFeed);
		expect(gone.status).toBe(404);
		expect(await gone.text()).toBe('This calendar link does not exist or was turned off.');
		const left = await feed(mySteps);
		expect(left.events.length).toBe(6);
		expect(left.events.every((e) => e.summary.startsWith('Blog: '))).toBe(true);
		expect((await api('sam', 'GET', `/api/boards/${newYork}/calendar-feed`)).status).toBe(404);
	});

	it('turning a link off or resetting it makes the old link 404; nobody else can manage or guess one', async () => {
		const path = `/api/boards/${auckland}/calendar-feed`;
		const old = await newFeed('olivia', path);
		expect((await fetchFeed(old)).status).toBe(200);
		const status = await api('olivia', 'GET', path);
		expect(status.json.feed).toMatchObject({ createdAt: expect.any(String), lastFetchedAt: expect.any(String) });
		expect(JSON.stringify(status.json)).not.toMatch(/calendar\//);

		const reset = await newFeed('olivia', path);
		expect(reset).not.toBe(old);
		expect((await fetchFeed(old)).status).toBe(404);
		expect((await fetchFeed(reset)).status).toBe(200);
		expect((await api('olivia', 'DELETE', path)).json).toEqual({ turnedOff: true });
		expect((await fetchFeed(reset)).status).toBe(404);
		expect((await api('olivia', 'GET', path)).json).toEqual({ feed: null });
		expect((await api('olivia', 'DELETE', path)).json).toEqual({ turnedOff: false });

		expect((await api(null, 'GET', path)).status).toBe(401);
		expect((await api('stranger', 'GET', path)).status).toBe(404);
		expect((await api('stranger', 'POST', path)).status).toBe(404);
		expect((await api('olivia', 'POST', path, 'https://evil.example')).status).toBe(403);
		expect((await api('olivia', 'DELETE', '/api/calendar-feeds/my-steps', 'https://evil.example')).status).toBe(403);
		for (const guess of ['a'.repeat(32), 'not-a-secret', '../../etc/passwd']) expect((await fetchFeed(`${server.url}/calendar/${encodeURIComponent(guess)}.ics`)).status).toBe(404);
	});

	it('throttles a link fetched too often, telling the app when to come back', async () => {
		const url = await newFeed('olivia', `/api/boards/${auckland}/calendar-feed`);
		for (let i = 0; i < 30; i++) expect((await fetchFeed(url, { 'if-none-match': '"x"' })).status).toBe(200);
		const refused = await fetchFeed(url);
		expect(refused.status).toBe(429);
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(500);
		expect(await refused.text()).toMatch(/fetched too often\. Try again in \d+ minutes\./);
		// Another link is counted apart.
		expect((await fetchFeed(await newFeed('olivia', `/api/boards/${auckland}/calendar-feed`))).status).toBe(200);
	});
});
