import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKinds } from '../helpers/db.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { boardWithMembers, serverDatabase } from '../helpers/board-fixture.ts';
import { HttpClient } from '../helpers/http-client.ts';

/** A request as the app's own pages would send it (same Origin), with a session cookie ('' for anonymous). */
async function send(base: string, path: string, cookie: string, init: { method?: string; body?: string; type?: string; origin?: string } = {}) {
	const headers: Record<string, string> = { accept: 'application/json' };
	if (cookie) headers.cookie = cookie;
	if (init.body !== undefined) headers['content-type'] = init.type ?? 'text/csv';
	if (init.method === 'POST') headers.origin = init.origin ?? base;
	const res = await fetch(base + path, { method: init.method ?? 'GET', headers, body: init.body, redirect: 'manual' });
	const text = await res.text();
	let json: { message?: string; problems?: { line: number | null; message: string }[]; boardId?: string } = {};
	try {
		json = JSON.parse(text) as typeof json;
	} catch {
		// A CSV or an HTML page.
	}
	return { status: res.status, text, json };
}

describe.each(dbKinds())('export and import routes over HTTP (%s)', (kind) => {
	let server: TestServer;
	let remove: () => Promise<void> | void = () => {};
	let boardId = '';
	let owner = '';
	let viewer = '';
	let stranger = '';

	beforeAll(async () => {
		const database = await serverDatabase(kind);
		remove = database.remove;
		server = await startServer(database.env);
		({ boardId, cookies: [owner = ''] } = await boardWithMembers(server.url, ['Owner'], 'Routes'));
		// A viewer: joins through a viewer invite.
		const ownerClient = new HttpClient(server.url);
		const invite = await fetch(`${server.url}/b/${boardId}/settings?/invite`, {
			method: 'POST',
			headers: { cookie: owner, origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
			body: 'role=viewer&days=7',
			redirect: 'manual'
		});
		const token = /\/invite\/([a-z0-9]+)/.exec(await invite.text())?.[1];
		const v = new HttpClient(server.url);
		await v.signUp('Viewer', `viewer-${Math.random().toString(36).slice(2, 8)}@example.com`);
		expect((await v.post(`/invite/${token}`, {})).status).toBe(303);
		viewer = v.cookieHeader;
		await ownerClient.signUp('Stranger', `stranger-${Math.random().toString(36).slice(2, 8)}@example.com`);
		stranger = ownerClient.cookieHeader;
	}, 120_000);

	afterAll(async () => {
		await server?.stop();
		await remove();
	});

	it('who may do what: anonymous 401, a non-member 404, a viewer may export but not import, a cross-site post 403', async () => {
		for (const path of ['export.json', 'cards.csv']) {
			expect((await send(server.url, `/api/boards/${boardId}/${path}`, '')).status).toBe(401);
			expect((await send(server.url, `/api/boards/${boardId}/${path}`, stranger)).status).toBe(404);
			expect((await send(server.url, `/api/boards/${boardId}/${path}`, viewer)).status).toBe(200);
		}
		const csv = 'title\r\nFrom a viewer\r\n';
		expect((await send(server.url, `/api/boards/${boardId}/cards.csv`, viewer, { method: 'POST', body: csv })).status).toBe(403);
		expect((await send(server.url, `/api/boards/${boardId}/cards.csv`, stranger, { method: 'POST', body: csv })).status).toBe(404);
		expect((await send(server.url, `/api/boards/${boardId}/cards.csv`, owner, { method: 'POST', body: csv, origin: 'https://evil.example' })).status).toBe(403);
		expect((await send(server.url, '/api/import/flowdeck', owner, { method: 'POST', body: '{}', type: 'application/json', origin: 'https://evil.example' })).status).toBe(403);
		const cards = await send(server.url, `/api/boards/${boardId}/cards.csv`, viewer);
		expect(cards.text).not.toContain('From a viewer');
	});

	it('a CSV over 512 KB reaches the import (its problems by line, not a 413), and a good one imports', async () => {
		const big = 'title,Stauts\r\n' + Array.from({ length: 40_000 }, (_, i) => `Card ${i},x`).join('\r\n');
		expect(big.length).toBeGreaterThan(512 * 1024);
		const refused = await send(server.url, `/api/boards/${boardId}/cards.csv`, owner, { method: 'POST', body: big });
		expect(refused.status).toBe(400);
		expect(refused.json.problems?.[0]).toEqual({ line: 1, message: expect.stringContaining('column “stauts” is not one Flowdeck knows') as unknown });
		const ok = await send(server.url, `/api/boards/${boardId}/cards.csv`, owner, { method: 'POST', body: 'title,stage\r\nOver HTTP,Done\r\n' });
		expect(ok).toMatchObject({ status: 200, json: { cards: 1, created: true } });
		expect((await send(server.url, `/api/boards/${boardId}/cards.csv`, owner)).text).toContain(',Over HTTP,Done,');
	});

	it('the board export restores over HTTP as a new board; a cut-short file is refused with nothing created', async () => {
		const exported = await send(server.url, `/api/boards/${boardId}/export.json`, owner);
		expect(exported.status).toBe(200);
		const boardsBefore = (await send(server.url, '/', owner)).text.match(/href="\/b\/[^"/]+"/g)?.length ?? 0;
		const cut = await send(server.url, '/api/import/flowdeck', owner, { method: 'POST', body: exported.text.slice(0, 200), type: 'application/json' });
		expect(cut.status).toBe(400);
		expect(cut.json.message).toMatch(/not complete JSON/);
		expect((await send(server.url, '/', owner)).text.match(/href="\/b\/[^"/]+"/g)?.length ?? 0).toBe(boardsBefore);
		const restored = await send(server.url, '/api/import/flowdeck', owner, { method: 'POST', body: exported.text, type: 'application/json' });
		expect(restored.status).toBe(201);
		const csv = await send(server.url, `/api/boards/${restored.json.boardId}/cards.csv`, owner);
		expect(csv.text).toContain(',Over HTTP,Done,');
		// The viewer was found (they share this board with the owner) and keeps their role on the new board.
		expect((await send(server.url, `/api/boards/${restored.json.boardId}/export.json`, viewer)).status).toBe(200);
		expect((await send(server.url, `/api/boards/${restored.json.boardId}/export.json`, stranger)).status).toBe(404);
	});
});
