/**
 * Times calendar feeds: `node --import tsx tests/bench/calendar-feed.ts` (needs `npx vite build` first).
 * 1. Building one board's feed in memory (feedEvents + renderIcs) for 1,000 cards with eight steps each.
 * 2. Over HTTP, the built server on PGlite: a board feed of 200 cards, and a "my steps" feed over 10 such boards
 *    (the person is every board's writer). Medians of 20 fetches after 2 warm-ups, each a full 200 answer.
 */
import { feedEvents, type FeedBoard } from '../../src/lib/calendar/feed-events.ts';
import { renderIcs } from '../../src/lib/server/calendar-feeds/ics.ts';
import { libraryTemplate } from '../../src/lib/board/templates/library/index.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import type { Card, Stage } from '../../src/lib/board/types.ts';
import { startServer, tempDataDir } from '../helpers/server.ts';
import { HttpClient } from '../helpers/http-client.ts';
import { connectBoard, waitFor } from '../helpers/sync-client.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const day = (n: number) => new Date(Date.UTC(2031, 0, 1 + n)).toISOString().slice(0, 10);

function inMemory(): void {
	const stages: Stage[] = Array.from({ length: 10 }, (_, i) => ({
		id: `s${i}`, name: `Stage ${i}`, rank: `a${i}`, kind: i === 9 ? 'done' : i === 0 ? 'queue' : 'active', wipLimit: null, wipMode: 'soft', exitCriteria: [],
		step: i === 0 || i === 9 ? null : { ownerRole: 'Writer', offset: 30 - i * 3, unit: 'calendar', approval: null }
	}));
	const cards = Array.from({ length: 1000 }, (_, i): Card => ({
		id: `card-${i}`, title: `Card ${i}, a post; about things`, description: '', stageId: 's0', rank: 'a0', owners: [], due: null, labels: [], blocked: null,
		checklist: [], exitChecks: {}, movedAt: '2030-12-01T00:00:00Z', archived: false, target: { day: day(i % 300), at: '2030-12-01T00:00:00Z' }, stepDues: {}, handoff: null, signoffs: {}
	}));
	const board: FeedBoard = { id: 'b', name: 'Blog', stages, process: { timeZone: 'Pacific/Auckland', teamRoles: { Writer: ['u1'] }, labels: [], checklist: [] }, cards };
	const times: number[] = [];
	let size = 0;
	for (let run = 0; run < 13; run++) {
		const start = performance.now();
		const events = feedEvents(board, { origin: 'https://flowdeck.example', now: new Date('2030-12-01T00:00:00Z'), people: { u1: 'Sam' }, ownerId: null });
		size = renderIcs({ name: 'Blog · Flowdeck', description: '', timeZone: 'Pacific/Auckland', events }, new Date()).length;
		if (run >= 3) times.push(performance.now() - start);
	}
	console.log(`in memory: 1,000 cards, 9,000 events, ${(size / 1e6).toFixed(1)} MB: median ${median(times).toFixed(0)} ms`);
}

async function overHttp(): Promise<void> {
	const data = tempDataDir();
	const server = await startServer({ DATA_DIR: data.dir, DATABASE_URL: '' });
	try {
		const http = new HttpClient(server.url);
		await http.signUp('Sam', 'sam@example.com');
		const blog = libraryTemplate('blog-post')!;
		const writer = `role-${blog.teamRoles.indexOf('Blog writer')}`;
		const first = (await http.post('/?/create', { name: 'Blog 0', template: 'blog-post', timeZone: 'Europe/Berlin' })).location!.split('/').pop()!;
		const me = /name="holder" value="([a-z0-9]+)"/.exec((await http.get(`/b/${first}/settings`)).body)![1]!;
		const boards: string[] = [];
		for (let b = 0; b < 10; b++) boards.push((await http.post('/?/create', { name: `Blog ${b + 1}`, template: 'blog-post', timeZone: 'Europe/Berlin', [writer]: me })).location!.split('/').pop()!);
		for (const boardId of boards) {
			const client = connectBoard(server.url, boardId, { cookie: http.cookieHeader });
			await client.synced();
			const cmd = boardCommands(client.doc, { userId: me, now: () => new Date() });
			const backlog = readSnapshot(client.doc).stages[0]!.id;
			let last = '';
			for (let i = 0; i < 200; i++) cmd.setTarget((last = cmd.addCard(backlog, `Post ${i}`) as string), day(i));
			// Updates arrive in order: once the server plans the last card, it has them all.
			await waitFor('the server has every card', async () => {
				const res = await fetch(`${server.url}/api/boards/${boardId}/cards/${last}/plan`, { headers: { cookie: http.cookieHeader, accept: 'application/json' } });
				return res.status === 200 && ((await res.json()) as { targetDate?: string }).targetDate === day(199);
			}, 60_000, 50);
			client.destroy();
		}
		const link = async (path: string) => {
			const res = await fetch(server.url + path, { method: 'POST', headers: { cookie: http.cookieHeader, origin: server.url, accept: 'application/json' } });
			return ((await res.json()) as { url: string }).url;
		};
		for (const [label, url] of [
			['board feed, 200 cards (1,800 events)', await link(`/api/boards/${boards[0]}/calendar-feed`)],
			['"my steps" over 10 boards of 200 cards (6,000 events)', await link('/api/calendar-feeds/my-steps')]
		] as const) {
			const times: number[] = [];
			let bytes = 0;
			let etag = '';
			for (let run = 0; run < 22; run++) {
				const start = performance.now();
				const res = await fetch(url);
				const body = await res.text();
				if (res.status !== 200) throw new Error(`${res.status} ${body}`);
				bytes = body.length;
				etag = res.headers.get('etag')!;
				if (run >= 2) times.push(performance.now() - start);
			}
			const start = performance.now();
			const cached = await fetch(url, { headers: { 'if-none-match': etag } });
			await cached.text();
			console.log(`${label}, ${(bytes / 1e6).toFixed(2)} MB: median ${median(times).toFixed(0)} ms per fetch (${cached.status} in ${(performance.now() - start).toFixed(0)} ms)`);
		}
	} finally {
		await server.stop();
		data.remove();
	}
}

inMemory();
await overHttp();
