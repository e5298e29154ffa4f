import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchPostgres, dbKinds } from '../helpers/db.ts';
import { startServer, tempDataDir, type TestServer } from '../helpers/server.ts';
import { HttpClient } from '../helpers/http-client.ts';

type Who = 'owner' | 'editor' | 'viewer' | 'outsider' | 'anonymous';
const WHO: Who[] = ['owner', 'editor', 'viewer', 'outsider', 'anonymous'];

/** 303 to /login for anonymous visitors is written as 'login'. */
type Expect = number | 'login';

describe.each(dbKinds())('every board route checks the role (%s)', (kind) => {
	let server: TestServer;
	let cleanup: () => Promise<void> | void = () => {};
	const clients = {} as Record<Who, HttpClient>;
	let boardId = '';
	const userIds = {} as Record<string, string>;

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
		for (const who of WHO) clients[who] = new HttpClient(server.url);
		for (const who of ['owner', 'editor', 'viewer', 'outsider'] as const) await clients[who].signUp(who, `${who}@example.com`);
		const created = await clients.owner.post('/?/create', { name: 'Campaigns' });
		expect(created.status).toBe(303);
		boardId = created.location!.split('/').pop()!;
		for (const role of ['editor', 'viewer'] as const) {
			const res = await clients.owner.post(`/b/${boardId}/settings?/invite`, { role, days: '7' });
			const token = /\/invite\/([a-z0-9]+)/.exec(res.body)?.[1];
			expect(token, 'invite link on the settings page').toBeTruthy();
			expect((await clients[role].post(`/invite/${token}`, {})).status).toBe(303);
		}
		const settings = await clients.owner.get(`/b/${boardId}/settings`);
		for (const m of settings.body.matchAll(/name="userId" value="([a-z0-9]+)"[^<]*<label[^>]*>Role of (\w+)/g)) userIds[m[2]!] = m[1]!;
	}, 120_000);

	afterAll(async () => {
		await server?.stop();
		await cleanup();
	});

	/** Asserts every visitor gets the expected status; 'login' = redirected to sign in. */
	async function expectMatrix(run: (c: HttpClient) => Promise<{ status: number; location: string | null }>, expected: Record<Who, Expect>, order: Who[] = WHO) {
		const actual = {} as Record<Who, Expect>;
		for (const who of order) {
			const res = await run(clients[who]);
			actual[who] = res.status === 303 && res.location?.startsWith('/login') ? 'login' : res.status;
		}
		expect(actual).toEqual(expected);
	}

	it('board page: members 200, outsiders 404, anonymous to login', async () => {
		await expectMatrix((c) => c.get(`/b/${boardId}`), { owner: 200, editor: 200, viewer: 200, outsider: 404, anonymous: 'login' });
	});

	it('settings page: members 200, outsiders 404, anonymous to login', async () => {
		await expectMatrix((c) => c.get(`/b/${boardId}/settings`), { owner: 200, editor: 200, viewer: 200, outsider: 404, anonymous: 'login' });
	});

	it('a viewer sees no edit controls; the owner sees member management', async () => {
		const viewerPage = await clients.viewer.get(`/b/${boardId}/settings`);
		expect(viewerPage.body).not.toContain('?/rename');
		expect(viewerPage.body).not.toContain('?/invite');
		expect(viewerPage.body).not.toContain('?/delete');
		const ownerPage = await clients.owner.get(`/b/${boardId}/settings`);
		expect(ownerPage.body).toContain('?/invite');
		expect(ownerPage.body).toContain('?/delete');
	});

	it('search and the board list answer members only: anonymous 401, nothing to search for 400 with a message, no query run', async () => {
		expect((await clients.anonymous.get('/api/search?q=launch')).status).toBe(401);
		expect((await clients.anonymous.get('/api/boards')).status).toBe(401);
		for (const q of ['', '%21%21%21', '%22-%22']) {
			const refused = await clients.owner.get(`/api/search?q=${q}`);
			expect(refused.status, q).toBe(400);
			expect((JSON.parse(refused.body) as { error: string }).error).toMatch(/^(Type a word to search for\.|Search for words or numbers: symbols alone match nothing\.)$/);
		}
		const found = await clients.owner.get('/api/search?q=launch%20%22plan');
		expect(found.status).toBe(200);
		expect(JSON.parse(found.body)).toEqual({ results: [] });
		const owners = JSON.parse((await clients.owner.get('/api/boards')).body) as { boards: { id: string; name: string; role: string }[] };
		expect(owners.boards).toContainEqual({ id: boardId, name: 'Campaigns', role: 'owner' });
		const outsiders = JSON.parse((await clients.outsider.get('/api/boards')).body) as { boards: unknown[] };
		expect(outsiders.boards.filter((b) => (b as { id: string }).id === boardId)).toEqual([]);
	});

	it('rename: owner and editor', async () => {
		await expectMatrix((c) => c.post(`/b/${boardId}/settings?/rename`, { name: 'Campaigns 2027' }), {
			owner: 200,
			editor: 200,
			viewer: 403,
			outsider: 404,
			anonymous: 'login'
		});
	});

	it('create invite: owner only', async () => {
		await expectMatrix((c) => c.post(`/b/${boardId}/settings?/invite`, { role: 'viewer', days: '1' }), {
			owner: 200,
			editor: 403,
			viewer: 403,
			outsider: 404,
			anonymous: 'login'
		});
	});

	it('revoke invite: owner only', async () => {
		await expectMatrix((c) => c.post(`/b/${boardId}/settings?/revokeInvite`, { id: 'whatever' }), {
			owner: 200,
			editor: 403,
			viewer: 403,
			outsider: 404,
			anonymous: 'login'
		});
	});

	it('change role: owner only', async () => {
		await expectMatrix((c) => c.post(`/b/${boardId}/settings?/changeRole`, { userId: userIds.viewer!, role: 'viewer' }), {
			owner: 200,
			editor: 403,
			viewer: 403,
			outsider: 404,
			anonymous: 'login'
		});
	});

	it('remove member: owner only (the owner goes last and removes no one real)', async () => {
		await expectMatrix(
			(c) => c.post(`/b/${boardId}/settings?/removeMember`, { id: userIds.viewer! }),
			{ owner: 200, editor: 403, viewer: 403, outsider: 404, anonymous: 'login' },
			['editor', 'viewer', 'outsider', 'anonymous', 'owner']
		);
		// The owner really removed the viewer: put them back for the remaining checks.
		expect((await clients.viewer.get(`/b/${boardId}`)).status).toBe(404);
		const res = await clients.owner.post(`/b/${boardId}/settings?/invite`, { role: 'viewer', days: '7' });
		const token = /\/invite\/([a-z0-9]+)/.exec(res.body)![1];
		await clients.viewer.post(`/invite/${token}`, {});
		expect((await clients.viewer.get(`/b/${boardId}`)).status).toBe(200);
	});

	it('delete: owner only, and only with the name typed', async () => {
		await expectMatrix((c) => c.post(`/b/${boardId}/settings?/delete`, { confirm: 'wrong name' }), {
			owner: 400,
			editor: 403,
			viewer: 403,
			outsider: 404,
			anonymous: 'login'
		});
	});

	it('refuses a cross-origin form post (403) and changes nothing', async () => {
		const res = await clients.owner.post(`/b/${boardId}/settings?/rename`, { name: 'Hijacked' }, 'http://evil.example');
		expect(res.status).toBe(403);
		expect((await clients.owner.get(`/b/${boardId}`)).body).not.toContain('Hijacked');
	});

	it('leave: any member; outsiders 404; then the board is gone for the leaver', async () => {
		await expectMatrix(
			(c) => c.post(`/b/${boardId}/settings?/leave`, {}),
			{ owner: 400, editor: 303, viewer: 303, outsider: 404, anonymous: 'login' },
			['outsider', 'anonymous', 'owner', 'editor', 'viewer']
		);
		expect((await clients.editor.get(`/b/${boardId}`)).status).toBe(404);
	});

	it('after deletion every route answers 404, with a plain message', async () => {
		expect((await clients.owner.post(`/b/${boardId}/settings?/delete`, { confirm: 'Campaigns 2027' })).status).toBe(303);
		const page = await clients.owner.get(`/b/${boardId}`);
		expect(page.status).toBe(404);
		expect(page.body).toContain('does not exist');
		expect(page.body).not.toMatch(/at .*\.js:\d+/);
	});

	it('sign-in throttling answers 429 with Retry-After', async () => {
		const anon = new HttpClient(server.url);
		let last = { status: 0, location: null as string | null, body: '' };
		for (let i = 0; i < 6; i++) last = await anon.post('/login', { email: 'owner@example.com', password: `wrong-${i}-password` });
		expect(last.status).toBe(429);
		expect(last.body).toContain('Too many sign-in attempts');
	});

	it('the template library: any signed-in user gets the built-in process templates with their steps; anonymous callers 401', async () => {
		expect((await clients.anonymous.get('/api/templates')).status).toBe(401);
		const res = await clients.outsider.get('/api/templates');
		expect(res.status).toBe(200);
		const { templates } = JSON.parse(res.body) as { templates: { id: string; name: string; stages: { name: string; ownerRole: string | null; offset: number | null; unit: string; approval: boolean }[] }[] };
		expect(templates.map((t) => t.id)).toEqual(['blog-post', 'campaign', 'product-launch', 'webinar-event', 'email-newsletter', 'lead-handoff', 'customer-story']);
		const blog = templates.find((t) => t.id === 'blog-post')!;
		const steps = blog.stages.filter((s) => s.offset !== null);
		expect(steps.map((s) => [s.ownerRole, s.offset, s.unit])).toEqual([
			['Content strategist', 30, 'calendar'],
			['SEO strategist', 25, 'calendar'],
			['Blog writer', 20, 'calendar'],
			['SEO strategist', 15, 'calendar'],
			['Blog writer', 10, 'calendar'],
			['Graphic designer', 5, 'calendar'],
			['Social media manager', 4, 'calendar'],
			['Blog writer', 0, 'calendar']
		]);
		expect(blog.stages.find((s) => s.name.startsWith('Approve'))?.approval).toBe(true);
	});
});
