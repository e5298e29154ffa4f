import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createScratchPostgres, dbKinds, queryRows } from '../helpers/db.ts';
import { startInProcess, type InProcessFlowdeck } from '../helpers/in-process.ts';
import { startServer, tempDataDir, type TestServer } from '../helpers/server.ts';
import { HttpClient } from '../helpers/http-client.ts';
import { connectBoard, type SyncClient } from '../helpers/sync-client.ts';
import { createBoard, listBoardsForUser } from '../../src/lib/server/boards/boards.ts';
import { acceptInvite, createInvite } from '../../src/lib/server/boards/invites.ts';
import { listMembers } from '../../src/lib/server/boards/members.ts';
import { getProcessOwner, listTeamRoles } from '../../src/lib/server/boards/team-roles.ts';
import { createBoardFromTemplate, listCollaborators } from '../../src/lib/server/templates/new-board.ts';
import { saveBoardAsTemplate } from '../../src/lib/server/templates/save-board.ts';
import { deleteTemplate, getTemplate, listTemplates, saveTemplate, TemplateProblemsError } from '../../src/lib/server/templates/templates.ts';
import { libraryTemplate } from '../../src/lib/board/templates/library/index.ts';
import { exportTemplate, parseTemplateJson } from '../../src/lib/board/templates/template-json.ts';
import type { ProcessTemplate } from '../../src/lib/board/templates/template.ts';
import type { Stage } from '../../src/lib/board/types.ts';

/** The blog team's table: every step stage's name, owner role, offset and unit, and whether it needs a sign-off. */
const BLOG_STEPS = [
	['Generate idea', 'Content strategist', 30, 'calendar', false],
	['Keyword research', 'SEO strategist', 25, 'calendar', false],
	['Outline', 'Blog writer', 20, 'calendar', false],
	['Approve outline', 'SEO strategist', 15, 'calendar', true],
	['Final draft', 'Blog writer', 10, 'calendar', false],
	['Images or infographics', 'Graphic designer', 5, 'calendar', false],
	['Schedule social promotion', 'Social media manager', 4, 'calendar', false],
	['Publish and review the live version', 'Blog writer', 0, 'calendar', false]
];

const stepRows = (stages: Stage[]) => stages.filter((s) => s.step).map((s) => [s.name, s.step!.ownerRole, s.step!.offset, s.step!.unit, s.step!.approval !== null]);

/** A template file with four problems: a missing field, an offset that is no whole number, an undefined role, a cycle and a duplicate stage. */
function brokenTemplate(): unknown {
	const t = libraryTemplate('blog-post') as unknown as Record<string, unknown> & { stages: Record<string, unknown>[] };
	delete t.timeUnit;
	const stages = t.stages as { key: string; step: { offset: unknown; ownerRole: unknown; approval: { onChanges: { sendTo: string } } | null } }[];
	stages[3]!.step.offset = 20.5;
	stages[2]!.step.ownerRole = 'Chief vibes officer';
	stages[4]!.step.approval!.onChanges.sendTo = stages[4]!.key;
	stages[5]!.key = stages[1]!.key;
	return { ...t, name: 'Broken blog' };
}

const BROKEN_PATHS = ['timeUnit', 'stages[2].step.ownerRole', 'stages[3].step.offset', 'stages[4].step.approval.onChanges.sendTo', 'stages[5].key'];

describe.each(dbKinds())('process templates: the service (%s)', (kind) => {
	let fd: InProcessFlowdeck;
	const people: Record<string, { id: string; cookie: string }> = {};
	const clients: SyncClient[] = [];
	const boardCount = async () => (await queryRows<{ n: number }>(fd.app.database, sql`select count(*)::int as n from boards`))[0]!.n;

	beforeAll(async () => {
		fd = await startInProcess(kind, { unloadGraceMs: 100 });
		for (const name of ['Olivia', 'Sam', 'Priya', 'Vic', 'Stranger']) people[name] = await fd.user(name);
		// Sam and Priya (editors) and Vic (viewer) already share a board with Olivia; Stranger shares none.
		const shared = await createBoard(fd.app.ctx.db, people.Olivia!.id, 'Shared', new Date());
		for (const [who, role] of [['Sam', 'editor'], ['Priya', 'editor'], ['Vic', 'viewer']] as const) {
			const { token } = await createInvite(fd.app.ctx.db, shared, people.Olivia!.id, { role, days: 1 }, new Date());
			await acceptInvite(fd.app.ctx.db, token, people[who]!.id, new Date());
		}
	}, 60_000);

	afterAll(async () => {
		for (const c of clients) c.destroy();
		await fd?.close();
	});

	it('a board from Blog post: its stages and steps in order, the team roles with their holders, holders become editors, creator owns the process', async () => {
		const { db } = fd.app.ctx;
		const [olivia, sam, priya] = [people.Olivia!.id, people.Sam!.id, people.Priya!.id];
		expect((await listCollaborators(db, olivia)).map((c) => c.name)).toEqual(['Olivia', 'Priya', 'Sam', 'Vic']);
		const blog = libraryTemplate('blog-post')!;
		const boardId = await createBoardFromTemplate(
			db,
			olivia,
			{ name: 'Company blog', template: blog, timeZone: 'Europe/Berlin', roleHolders: { 'Content strategist': [sam], 'SEO strategist': [sam, priya, sam], 'Blog writer': [olivia] } },
			new Date()
		);

		// A member opening the board with a real sync client gets the template's stages, not the default five.
		const client = connectBoard(fd.url, boardId, { cookie: people.Sam!.cookie });
		clients.push(client);
		await client.synced();
		const seen = client.snapshot();
		expect(seen.stages.map((s) => s.name)).toEqual(blog.stages.map((s) => s.name));
		expect(stepRows(seen.stages)).toEqual(BLOG_STEPS);
		const approve = seen.stages.find((s) => s.name === 'Approve outline')!;
		const idOf = (name: string) => seen.stages.find((s) => s.name === name)!.id;
		expect(approve.step!.approval).toEqual({ approvers: { userIds: [], role: 'Marketing stakeholder' }, quorum: 1, onChanges: { sendTo: idOf('Outline') }, onReject: { archive: false, sendTo: idOf('Ideas backlog') } });
		expect(approve.exitCriteria.map((c) => c.text)).toEqual(blog.stages[4]!.exitCriteria);
		expect(seen.stages.find((s) => s.name === 'Outline')).toMatchObject({ kind: 'active', wipLimit: 3, wipMode: 'soft' });
		expect(seen.process).toMatchObject({ timeZone: 'Europe/Berlin', labels: blog.labels, checklist: blog.checklist });
		expect(seen.process.teamRoles).toMatchObject({ 'Content strategist': [sam], 'SEO strategist': [sam, priya].sort(), 'Blog writer': [olivia], 'Graphic designer': [] });
		// The server reads the same workflow.
		const reading = await fd.app.rooms.readBoard(boardId, { kind: 'workflow' });
		expect(stepRows(reading.stages)).toEqual(BLOG_STEPS);

		// Team roles stored in the template's order with their holders; holders who were not members joined as editors.
		const roles = await listTeamRoles(db, boardId, olivia);
		expect(roles.map((r) => [r.name, [...r.holders].sort()])).toEqual(blog.teamRoles.map((name) => [name, ({ 'Content strategist': [sam], 'SEO strategist': [sam, priya].sort(), 'Blog writer': [olivia] } as Record<string, string[]>)[name] ?? []]));
		expect((await listMembers(db, boardId, olivia)).map((m) => [m.name, m.role]).sort()).toEqual([
			['Olivia', 'owner'],
			['Priya', 'editor'],
			['Sam', 'editor']
		]);
		expect(await getProcessOwner(db, boardId)).toEqual({ userId: olivia, name: 'Olivia' });
		const joined = await queryRows<{ actor_id: string; kind: string }>(fd.app.database, sql`select actor_id, kind from board_activity where board_id = ${boardId} order by actor_id`);
		expect(joined).toEqual([sam, priya].sort().map((id) => ({ actor_id: id, kind: 'member_joined' })));
	});

	it('a stranger, an unknown role, a bad time zone or a bad template is refused with a message, and nothing is created', async () => {
		const { db } = fd.app.ctx;
		const olivia = people.Olivia!.id;
		const blog = libraryTemplate('blog-post')!;
		const before = await boardCount();
		const attempt = (over: Partial<Parameters<typeof createBoardFromTemplate>[2]>) =>
			createBoardFromTemplate(db, olivia, { name: 'Nope', template: blog, timeZone: 'Europe/Berlin', roleHolders: {}, ...over }, new Date());
		await expect(attempt({ roleHolders: { 'Blog writer': [people.Sam!.id, people.Stranger!.id] } })).rejects.toMatchObject({ field: 'roles', message: expect.stringMatching(/only to yourself and people you already share a board with/) });
		await expect(attempt({ roleHolders: { 'Chief vibes officer': [olivia] } })).rejects.toThrow(/no team role called “Chief vibes officer”/);
		await expect(attempt({ timeZone: 'Mars/Olympus_Mons' })).rejects.toMatchObject({ field: 'timeZone' });
		await expect(attempt({ template: brokenTemplate() as ProcessTemplate })).rejects.toBeInstanceOf(TemplateProblemsError);
		await expect(attempt({ name: '   ' })).rejects.toMatchObject({ field: 'name' });
		expect(await boardCount()).toBe(before);
		expect((await listBoardsForUser(db, people.Stranger!.id)).length).toBe(0);
	});

	it('team templates: every problem listed and nothing stored; names unique in any case; only the author deletes', async () => {
		const { db } = fd.app.ctx;
		const olivia = people.Olivia!.id;
		const refused = await saveTemplate(db, olivia, brokenTemplate()).catch((e: unknown) => e);
		expect(refused).toBeInstanceOf(TemplateProblemsError);
		expect((refused as TemplateProblemsError).problems.map((p) => p.path)).toEqual(BROKEN_PATHS);
		expect((refused as TemplateProblemsError).problems.find((p) => p.path === 'stages[3].step.offset')?.message).toBe('must be a whole number of days');
		expect((await listTemplates(db)).filter((t) => t.source === 'team')).toEqual([]);

		const mine = { ...libraryTemplate('campaign')!, name: 'Spring campaign' };
		const id = await saveTemplate(db, olivia, mine);
		expect(await getTemplate(db, id)).toEqual({ id, source: 'team', template: mine, createdBy: { id: olivia, name: 'Olivia' } });
		for (const name of ['SPRING campaign', 'blog POST']) {
			const dup = await saveTemplate(db, people.Sam!.id, { ...mine, name }).catch((e: unknown) => e);
			expect((dup as TemplateProblemsError).problems).toEqual([{ path: 'name', message: expect.stringMatching(/already the name of a template/) }]);
		}
		await expect(deleteTemplate(db, people.Sam!.id, id)).rejects.toMatchObject({ code: 'forbidden' });
		await expect(deleteTemplate(db, olivia, 'blog-post')).rejects.toMatchObject({ code: 'forbidden' });
		await deleteTemplate(db, olivia, id);
		await expect(getTemplate(db, id)).rejects.toMatchObject({ code: 'not_found' });
	});

	it('save a board as a template and start a board from it: the same process comes back (members and editors only)', async () => {
		const { db } = fd.app.ctx;
		const [olivia, sam] = [people.Olivia!.id, people.Sam!.id];
		const blog = libraryTemplate('blog-post')!;
		const source = await createBoardFromTemplate(db, olivia, { name: 'Blog source', template: blog, timeZone: 'UTC', roleHolders: { 'Blog writer': [sam] } }, new Date());
		const { token } = await createInvite(db, source, olivia, { role: 'viewer', days: 1 }, new Date());
		await acceptInvite(db, token, people.Vic!.id, new Date());
		await expect(saveBoardAsTemplate(db, fd.app.rooms, source, people.Vic!.id, { name: 'Viewer copy', description: '' })).rejects.toMatchObject({ code: 'forbidden' });
		await expect(saveBoardAsTemplate(db, fd.app.rooms, source, people.Stranger!.id, { name: 'Stolen', description: '' })).rejects.toMatchObject({ code: 'not_found' });

		const id = await saveBoardAsTemplate(db, fd.app.rooms, source, sam, { name: ' Our blog ', description: 'The blog, as we run it' });
		const saved = (await getTemplate(db, id)).template;
		expect(saved.name).toBe('Our blog');
		expect(saved.description).toBe('The blog, as we run it');
		expect(saved.teamRoles).toEqual(blog.teamRoles);
		expect(saved.stages.map((s) => [s.name, s.kind, s.wipLimit, s.exitCriteria, s.step.ownerRole, s.step.offset])).toEqual(
			blog.stages.map((s) => [s.name, s.kind, s.wipLimit, s.exitCriteria, s.step.ownerRole, s.step.offset])
		);
		expect(saved.stages.find((s) => s.name === 'Approve outline')!.step.approval).toEqual({ approvers: { role: 'Marketing stakeholder' }, quorum: 1, onChanges: { sendTo: 'outline' }, onReject: { archive: false, sendTo: 'ideas-backlog' } });
		expect([saved.labels, saved.checklist]).toEqual([blog.labels, blog.checklist]);

		const again = await createBoardFromTemplate(db, sam, { name: 'Blog again', template: saved, timeZone: 'UTC', roleHolders: {} }, new Date());
		expect(stepRows((await fd.app.rooms.readBoard(again, { kind: 'workflow' })).stages)).toEqual(BLOG_STEPS);
		// The name is taken now.
		await expect(saveBoardAsTemplate(db, fd.app.rooms, source, sam, { name: 'our BLOG', description: '' })).rejects.toBeInstanceOf(TemplateProblemsError);
	});
});

/** A request with the client's session, a body and headers of our choosing (the HttpClient only posts forms). */
async function send(client: HttpClient, method: string, path: string, body?: string | URLSearchParams, headers: Record<string, string> = {}) {
	const res = await fetch(client.base + path, {
		method,
		body,
		redirect: 'manual',
		headers: { origin: client.base, ...(client.cookieHeader ? { cookie: client.cookieHeader } : {}), ...headers }
	});
	return { status: res.status, headers: res.headers, body: await res.text() };
}

describe.each(dbKinds())('process templates: the routes (%s)', (kind) => {
	let server: TestServer;
	let cleanup: () => Promise<void> | void = () => {};
	const clients = {} as Record<'olivia' | 'sam' | 'anonymous', HttpClient>;
	let samId = '';
	const teamTemplates = async (client: HttpClient) => {
		const res = await send(client, 'GET', '/api/templates');
		expect(res.status).toBe(200);
		return (JSON.parse(res.body) as { templates: { id: string; source: string; name: string; canDelete: boolean }[] }).templates.filter((t) => t.source === 'team');
	};

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
		for (const who of ['olivia', 'sam', 'anonymous'] as const) clients[who] = new HttpClient(server.url);
		await clients.olivia.signUp('Olivia', 'olivia@example.com');
		await clients.sam.signUp('Sam', 'sam@example.com');
		// Sam joins one of Olivia's boards, so Olivia may give Sam team roles on new boards.
		const created = await clients.olivia.post('/?/create', { name: 'Shared' });
		const shared = created.location!.split('/').pop()!;
		const invite = await clients.olivia.post(`/b/${shared}/settings?/invite`, { role: 'editor', days: '7' });
		const token = /\/invite\/([a-z0-9]+)/.exec(invite.body)![1];
		expect((await clients.sam.post(`/invite/${token}`, {})).status).toBe(303);
		const settings = await clients.olivia.get(`/b/${shared}/settings`);
		samId = /name="userId" value="([a-z0-9]+)"[^<]*<label[^>]*>Role of Sam/.exec(settings.body)![1]!;
	}, 120_000);

	afterAll(async () => {
		await server?.stop();
		await cleanup();
	});

	it('signed out: 401 on every template route', async () => {
		const anon = clients.anonymous;
		expect((await send(anon, 'GET', '/api/templates')).status).toBe(401);
		expect((await send(anon, 'GET', '/api/templates/blog-post')).status).toBe(401);
		expect((await send(anon, 'POST', '/api/templates', exportTemplate(libraryTemplate('campaign')!))).status).toBe(401);
		expect((await send(anon, 'DELETE', '/api/templates/blog-post')).status).toBe(401);
	});

	it('import: a file with problems is a 400 naming each one, and nothing is stored; a good one is listed as the team’s', async () => {
		const bad = await send(clients.olivia, 'POST', '/api/templates', JSON.stringify(brokenTemplate()), { 'content-type': 'application/json' });
		expect(bad.status).toBe(400);
		const { problems } = JSON.parse(bad.body) as { problems: { path: string; message: string }[] };
		expect(problems.map((p) => p.path)).toEqual(BROKEN_PATHS);
		expect(problems.every((p) => p.message.length > 0)).toBe(true);
		const syntax = await send(clients.olivia, 'POST', '/api/templates', '{"format": "flowdeck.template",\n  "name": }');
		expect(syntax.status).toBe(400);
		expect(JSON.parse(syntax.body)).toMatchObject({ problems: [{ path: '(file)', message: expect.stringMatching(/line 2, column/) }] });
		expect(await teamTemplates(clients.olivia)).toEqual([]);

		const good = await send(clients.olivia, 'POST', '/api/templates', exportTemplate({ ...libraryTemplate('webinar-event')!, name: 'Partner webinar' }), { 'content-type': 'application/json' });
		expect(good.status).toBe(201);
		const listed = await teamTemplates(clients.sam);
		expect(listed).toEqual([expect.objectContaining({ name: 'Partner webinar', source: 'team', canDelete: false })]);
		expect((await teamTemplates(clients.olivia))[0]!.canDelete).toBe(true);
		// The same name again, in another case: refused by name.
		const dup = await send(clients.sam, 'POST', '/api/templates', exportTemplate({ ...libraryTemplate('webinar-event')!, name: 'PARTNER webinar' }));
		expect(dup.status).toBe(400);
		expect(JSON.parse(dup.body).problems).toEqual([{ path: 'name', message: expect.stringMatching(/already the name/) }]);
	});

	it('export downloads the template file; importing it under a new name gives the same template; only its author deletes it', async () => {
		const builtin = await send(clients.sam, 'GET', '/api/templates/blog-post');
		expect(builtin.status).toBe(200);
		expect(builtin.headers.get('content-disposition')).toBe(`attachment; filename="Blog post.flowdeck-template.json"; filename*=UTF-8''Blog%20post.flowdeck-template.json`);
		expect(builtin.headers.get('content-type')).toMatch(/^application\/json/);
		const parsed = parseTemplateJson(builtin.body);
		expect(parsed.ok && parsed.template).toEqual(libraryTemplate('blog-post'));

		const imported = await send(clients.sam, 'POST', '/api/templates', builtin.body.replace('"name": "Blog post"', '"name": "Sam’s blog"'));
		expect(imported.status).toBe(201);
		const { template } = JSON.parse(imported.body) as { template: { id: string } };
		const back = await send(clients.olivia, 'GET', `/api/templates/${template.id}`);
		expect(back.headers.get('content-disposition')).toContain(`filename*=UTF-8''Sam%E2%80%99s%20blog.flowdeck-template.json`);
		expect(back.body).toBe(exportTemplate({ ...libraryTemplate('blog-post')!, name: 'Sam’s blog' }));

		expect((await send(clients.olivia, 'DELETE', `/api/templates/${template.id}`)).status).toBe(403);
		expect((await send(clients.sam, 'DELETE', '/api/templates/blog-post')).status).toBe(403);
		expect((await send(clients.sam, 'DELETE', `/api/templates/${template.id}`)).status).toBe(204);
		expect((await send(clients.sam, 'GET', `/api/templates/${template.id}`)).status).toBe(404);
	});

	it('the home page creates a board from a template with its roles; a stranger is refused inline; settings save it back as a template', async () => {
		const form = (fields: [string, string][]) => send(clients.olivia, 'POST', '/?/create', new URLSearchParams(fields), { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' });
		const blog = libraryTemplate('blog-post')!;
		const role = (name: string) => `role-${blog.teamRoles.indexOf(name)}`;
		const refused = await form([['name', 'Blog'], ['template', 'blog-post'], ['timeZone', 'Europe/Berlin'], [role('Blog writer'), 'nobodywesharewith']]);
		expect(refused.status).toBe(400);
		expect(refused.body).toContain('only to yourself and people you already share a board with');
		const badZone = await form([['name', 'Blog'], ['template', 'blog-post'], ['timeZone', 'Nowhere/Special']]);
		expect(badZone.status).toBe(400);
		expect(badZone.body).toContain('is not a time zone this server knows');

		const created = await form([['name', 'Blog'], ['template', 'blog-post'], ['timeZone', 'Europe/Berlin'], [role('SEO strategist'), samId], [role('Blog writer'), samId]]);
		expect(created.status).toBe(303);
		const boardId = created.headers.get('location')!.split('/').pop()!;
		const settings = await send(clients.sam, 'GET', `/b/${boardId}/settings`, undefined, { accept: 'text/html' });
		expect(settings.status).toBe(200);
		const client = connectBoard(server.url, boardId, { cookie: clients.sam.cookieHeader });
		try {
			await client.synced();
			expect(stepRows(client.snapshot().stages)).toEqual(BLOG_STEPS);
			expect(client.snapshot().process.teamRoles).toMatchObject({ 'SEO strategist': [samId], 'Blog writer': [samId], 'Content strategist': [] });
		} finally {
			client.destroy();
		}

		const save = await send(clients.sam, 'POST', `/b/${boardId}/settings?/saveAsTemplate`, new URLSearchParams({ templateName: 'Blog, our way', templateDescription: 'Saved from a board' }), {
			'content-type': 'application/x-www-form-urlencoded',
			accept: 'text/html'
		});
		expect(save.status).toBe(200);
		expect(save.body).toContain('Saved as the template');
		expect((await teamTemplates(clients.olivia)).map((t) => t.name)).toContain('Blog, our way');
		const taken = await send(clients.sam, 'POST', `/b/${boardId}/settings?/saveAsTemplate`, new URLSearchParams({ templateName: 'blog, OUR way', templateDescription: '' }), {
			'content-type': 'application/x-www-form-urlencoded',
			accept: 'text/html'
		});
		expect(taken.status).toBe(400);
		expect(taken.body).toContain('already the name of a template');
	});
});
