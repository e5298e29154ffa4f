import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { dbKinds, migrationsFolder } from '../helpers/db.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { serverDatabase } from '../helpers/board-fixture.ts';
import { openDatabase } from '../../src/lib/server/db/client.ts';
import { signUp } from '../../src/lib/server/accounts.ts';
import { createSession } from '../../src/lib/server/auth/sessions.ts';
import { SESSION_COOKIE } from '../../src/lib/server/auth/cookie.ts';
import { createBoard } from '../../src/lib/server/boards/boards.ts';
import { boardMembers } from '../../src/lib/server/db/schema/boards.ts';
import { insertCardEvents, upsertStages } from '../../src/lib/server/history.ts';

const HOUR = 3_600_000;
const ROUTES = ['stats', 'activity', 'events.csv', 'times.csv'] as const;

/** GET with a given Cookie header ('' for anonymous), as a script or the stats tab's fetch would. */
async function get(base: string, path: string, cookie: string): Promise<{ status: number; body: string }> {
	const res = await fetch(base + path, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
	return { status: res.status, body: await res.text() };
}

/** Our CSV export as rows of named fields (no field here holds a newline). */
function parseCsv(text: string): Record<string, string>[] {
	const [header, ...lines] = text.trim().split('\r\n');
	const names = header!.split(',');
	return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [names[i]!, v])));
}

describe.each(dbKinds())('flow-history endpoints: access and times.csv (%s)', (kind) => {
	let server: TestServer;
	let remove: () => Promise<void> | void = () => {};
	let viewerCookie = '';
	let boardId = '';
	let otherBoardId = '';
	// Written straight to the database before the server starts (PGlite admits one process), back-dated so lead and
	// cycle time differ and are whole hours: created → In progress 2 h later → Done 3 h after that.
	const created = Date.now() - 3 * 24 * HOUR;

	beforeAll(async () => {
		const database = await serverDatabase(kind);
		remove = database.remove;
		const { db, close } = await openDatabase(database.env.DATABASE_URL ? { url: database.env.DATABASE_URL } : { dataDir: database.env.DATA_DIR! }, migrationsFolder);
		try {
			const now = new Date(created - HOUR);
			const password = 'plum-orbit-cactus-91';
			const ownerId = await signUp(db, { name: 'Owner', email: 'owner@example.com', password }, now);
			const viewerId = await signUp(db, { name: 'Viewer', email: 'viewer@example.com', password }, now);
			const outsiderId = await signUp(db, { name: 'Outsider', email: 'outsider@example.com', password }, now);
			boardId = await createBoard(db, ownerId, 'Campaigns', now);
			otherBoardId = await createBoard(db, outsiderId, 'Elsewhere', now);
			await db.insert(boardMembers).values({ boardId, userId: viewerId, role: 'viewer', joinedAt: now });
			const [member] = await db.select({ role: boardMembers.role }).from(boardMembers).where(eq(boardMembers.userId, viewerId));
			expect(member?.role).toBe('viewer');
			viewerCookie = `${SESSION_COOKIE}=${(await createSession(db, viewerId, new Date())).token}`;
			const stages = [
				['s-backlog', 'Backlog', 'queue', 'a0'],
				['s-doing', 'In progress', 'active', 'a1'],
				['s-done', 'Done', 'done', 'a2']
			] as const;
			await upsertStages(
				db,
				stages.map(([stageId, name, k, rank]) => ({ boardId, stageId, name, kind: k, rank, deleted: false, at: now }))
			);
			const event = (type: string, at: number, fromStageId: string | null, toStageId: string, data = {}, cardId = 'card-1') => ({ boardId, cardId, type, at: new Date(at), actorId: ownerId, fromStageId, toStageId, data });
			await insertCardEvents(db, [
				event('created', created, null, 's-backlog', { title: 'Launch post' }),
				event('moved', created + 2 * HOUR, 's-backlog', 's-doing', { direction: 'forward' }),
				event('moved', created + 5 * HOUR, 's-doing', 's-done', { direction: 'forward' }),
				// A card id may start with "-" (ids are base64url); a title may be a formula someone typed.
				event('created', created + HOUR, null, 's-backlog', { title: '=HYPERLINK("http://x.example","a")' }, '-Qx_9'),
				event('moved', created + 9 * HOUR, 's-backlog', 's-done', { direction: 'forward' }, '-Qx_9')
			]);
		} finally {
			await close();
		}
		server = await startServer(database.env);
	}, 120_000);

	afterAll(async () => {
		await server?.stop();
		await remove();
	});

	it('a viewer can read the stats, activity and both CSV exports of their own board', async () => {
		for (const route of ROUTES) expect({ route, status: (await get(server.url, `/api/boards/${boardId}/${route}`, viewerCookie)).status }).toEqual({ route, status: 200 });
	});

	it('a viewer gets 404 for every flow-history endpoint of a board they are not a member of', async () => {
		for (const route of ROUTES) expect({ route, status: (await get(server.url, `/api/boards/${otherBoardId}/${route}`, viewerCookie)).status }).toEqual({ route, status: 404 });
	});

	it('anonymous callers get 401 from every flow-history endpoint (documented in docs/stats.md)', async () => {
		for (const route of ROUTES) expect({ route, status: (await get(server.url, `/api/boards/${boardId}/${route}`, '')).status }).toEqual({ route, status: 401 });
	});

	it("times.csv lists the finished card with the stats API's lead and cycle hours", async () => {
		const stats = JSON.parse((await get(server.url, `/api/boards/${boardId}/stats`, viewerCookie)).body) as {
			leadTime: { cards: { cardId: string; finishedAt: string; hours: number }[] };
			cycleTime: { cards: { cardId: string; hours: number }[] };
		};
		const lead = stats.leadTime.cards.find((c) => c.cardId === 'card-1')!;
		const cycle = stats.cycleTime.cards.find((c) => c.cardId === 'card-1')!;
		// Pins the fixture: a wrong history would make the comparison below vacuous.
		expect([lead.hours, cycle.hours]).toEqual([5, 3]);
		const csv = await get(server.url, `/api/boards/${boardId}/times.csv`, viewerCookie);
		expect(csv.body.split('\r\n')[0]).toBe('card_id,title,finished_at,lead_time_hours,cycle_time_hours');
		expect(parseCsv(csv.body).find((r) => r.card_id === 'card-1')).toEqual({
			card_id: 'card-1',
			title: 'Launch post',
			finished_at: new Date(lead.finishedAt).toISOString(),
			lead_time_hours: lead.hours.toFixed(2),
			cycle_time_hours: cycle.hours.toFixed(2)
		});
	});

	it('both CSV exports keep a card id starting with "-" exactly and neutralise the formula in its title', async () => {
		const times = (await get(server.url, `/api/boards/${boardId}/times.csv`, viewerCookie)).body;
		expect(times).toContain(`\r\n-Qx_9,"'=HYPERLINK(""http://x.example"",""a"")",`);
		expect(times.split('\r\n').find((line) => line.startsWith('-Qx_9,'))).toMatch(/,8\.00,$/);
		const events = (await get(server.url, `/api/boards/${boardId}/events.csv`, viewerCookie)).body;
		const lines = events.split('\r\n').filter((line) => line.includes(',-Qx_9,'));
		expect(lines.map((line) => line.split(',').slice(1, 3))).toEqual([
			['created', '-Qx_9'],
			['moved', '-Qx_9']
		]);
		expect(lines[1]).toContain(',Backlog,Done,');
	});

	const impossible: [string, string][] = [
		['from=2026-02-30', '"from" must be a real date'],
		['to=2026-13-01', '"to" must be a real date'],
		['from=yesterday', '"from" must be a real date'],
		['from=2026-04-31&to=2026-05-01', '"from" must be a real date'],
		['from=2026-03-10&to=2026-03-01', '"from" (2026-03-10) must be on or before "to" (2026-03-01)'],
		['forecastBy=2026-02-29', '"forecastBy" must be a real date']
	];

	it.each(impossible)('impossible dates get 400 with a message from the stats API, times.csv and the stats tab: %s', async (query, message) => {
		for (const path of [`/api/boards/${boardId}/stats`, `/api/boards/${boardId}/times.csv`, `/b/${boardId}/stats`]) {
			const res = await get(server.url, `${path}?${query}`, viewerCookie);
			expect({ path, status: res.status }).toEqual({ path, status: 400 });
			// The API answers JSON; the stats tab shows the message on its error page.
			const shown = path.startsWith('/api') ? (JSON.parse(res.body) as { message: string }).message : res.body.replace(/&quot;|&#34;/g, '"');
			expect(shown).toContain(message);
		}
	});

	it('the stats API and times.csv take a filter (q): figures for the matching cards only, a mistake refused with its place', async () => {
		const all = JSON.parse((await get(server.url, `/api/boards/${boardId}/stats`, viewerCookie)).body) as { leadTime: { count: number }; filter: unknown };
		expect(all).toMatchObject({ leadTime: { count: 2 }, filter: null });
		// The board's document has no cards (its history was written straight to the database): no card matches.
		const none = JSON.parse((await get(server.url, `/api/boards/${boardId}/stats?q=is%3Adone`, viewerCookie)).body) as { leadTime: { count: number }; filter: unknown };
		expect(none).toMatchObject({ leadTime: { count: 0 }, filter: { query: 'is:done', cards: 0 } });
		const bad = await get(server.url, `/api/boards/${boardId}/stats?q=${encodeURIComponent('is:done lable:x')}`, viewerCookie);
		expect(bad.status).toBe(400);
		expect(JSON.parse(bad.body)).toEqual({ message: expect.stringContaining('Unknown field “lable”') as unknown, start: 8, end: 14 });
		const csv = await get(server.url, `/api/boards/${boardId}/times.csv?q=is%3Adone`, viewerCookie);
		expect(csv.body.trim().split('\r\n')).toHaveLength(1);
		expect((await get(server.url, `/api/boards/${boardId}/times.csv?q=lable%3Ax`, viewerCookie)).status).toBe(400);
		// The tab shows a link's bad filter in place, with every card's figures.
		const tab = await get(server.url, `/b/${boardId}/stats?q=lable%3Ax`, viewerCookie);
		expect(tab.status).toBe(200);
		expect(tab.body).toContain('The figures below count every card.');
	});
});
