import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchPostgres, dbKinds } from '../helpers/db.ts';
import { startServer, tempDataDir, type TestServer } from '../helpers/server.ts';
import { HttpClient } from '../helpers/http-client.ts';
import { connectBoard, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';

/** Parses our CSV export (simple: fields without embedded newlines). */
function parseCsv(text: string): Record<string, string>[] {
	const [header, ...lines] = text.trim().split('\r\n');
	const split = (line: string) => [...line.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g)].map((m) => m[1]!.replace(/^"|"$/g, '').replace(/""/g, '"')).slice(0, header!.split(',').length);
	const names = header!.split(',');
	return lines.map((l) => Object.fromEntries(split(l).map((v, i) => [names[i]!, v])));
}

describe.each(dbKinds())('flow history through the sync server (%s)', (kind) => {
	let server: TestServer;
	let cleanup: () => Promise<void> | void = () => {};
	const open: SyncClient[] = [];
	let owner: HttpClient;
	let editor: HttpClient;
	let outsider: HttpClient;
	let boardId = '';
	let otherBoardId = '';
	let editorId = '';

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
		owner = new HttpClient(server.url);
		editor = new HttpClient(server.url);
		outsider = new HttpClient(server.url);
		await owner.signUp('Owner', 'owner@example.com');
		await editor.signUp('Editor', 'editor@example.com');
		await outsider.signUp('Outsider', 'outsider@example.com');
		boardId = (await owner.post('/?/create', { name: 'Campaigns' })).location!.split('/').pop()!;
		otherBoardId = (await outsider.post('/?/create', { name: 'Elsewhere' })).location!.split('/').pop()!;
		const invite = await owner.post(`/b/${boardId}/settings?/invite`, { role: 'editor', days: '7' });
		await editor.post(`/invite/${/\/invite\/([a-z0-9]+)/.exec(invite.body)![1]}`, {});
		const settings = await owner.get(`/b/${boardId}/settings`);
		editorId = /name="userId" value="([a-z0-9]+)"[^<]*<label[^>]*>Role of Editor/.exec(settings.body)![1]!;
	}, 120_000);

	afterAll(async () => {
		for (const c of open) c.destroy();
		await server?.stop();
		await cleanup();
	});

	it('moves made through a real sync client become events with the right actor and stages', async () => {
		const client = connectBoard(server.url, boardId, { cookie: editor.cookieHeader });
		open.push(client);
		await client.synced();
		const cmd = boardCommands(client.doc, { userId: 'claimed-by-client', now: () => new Date(0) });
		const stage = (name: string) => readSnapshot(client.doc).stages.find((s) => s.name === name)!.id;
		const card = cmd.addCard(stage('Backlog'), 'Launch post');
		cmd.moveCard(card, stage('In progress'), 0);
		cmd.moveCard(card, stage('To do'), 0);
		cmd.setBlocked(card, 'Waiting for legal');
		const rows = (await waitFor('events stored', async () => {
			const csv = await editor.get(`/api/boards/${boardId}/events.csv`);
			const parsed = parseCsv(csv.body).filter((r) => r.card_id === card);
			return parsed.length >= 4 ? parsed : undefined;
		}))!;
		expect(rows.map((r) => r.type)).toEqual(['created', 'moved', 'moved', 'blocked']);
		// The actor is who the server authenticated, never what the client wrote into the document.
		expect(new Set(rows.map((r) => r.actor_id))).toEqual(new Set([editorId]));
		expect(rows[1]).toMatchObject({ from_stage: 'Backlog', to_stage: 'In progress' });
		expect(rows[2]).toMatchObject({ from_stage: 'In progress', to_stage: 'To do' });
		expect(JSON.parse(rows[2]!.details!)).toMatchObject({ direction: 'backward' });
		// Server clock, not the client's (the client claimed 1970).
		expect(Date.parse(rows[0]!.at!)).toBeGreaterThan(Date.now() - 60_000);
	});

	it('the stats API answers members with figures and hides other boards (404) and anonymous callers (401)', async () => {
		const stats = await editor.get(`/api/boards/${boardId}/stats`);
		expect(stats.status).toBe(200);
		const body = JSON.parse(stats.body) as { stages: { name: string }[]; cfd: { counts: Record<string, number> }[] };
		expect(body.stages.map((s) => s.name)).toEqual(['Backlog', 'To do', 'In progress', 'Review', 'Done']);
		const today = body.cfd[body.cfd.length - 1]!.counts;
		expect(Object.values(today).reduce((a, b) => a + b, 0)).toBe(1);
		expect((await editor.get(`/api/boards/${otherBoardId}/stats`)).status).toBe(404);
		expect((await editor.get(`/api/boards/${otherBoardId}/events.csv`)).status).toBe(404);
		expect((await new HttpClient(server.url).get(`/api/boards/${boardId}/stats`)).status).toBe(401);
		expect((await editor.get(`/api/boards/${boardId}/stats?from=2026-13-01`)).status).toBe(400);
	});
});
