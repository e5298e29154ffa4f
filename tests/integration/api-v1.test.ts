import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv2020 from 'ajv/dist/2020.js';
import { createScratchPostgres, dbKinds } from '../helpers/db.ts';
import { startServer, tempDataDir, type TestServer } from '../helpers/server.ts';
import { HttpClient } from '../helpers/http-client.ts';
import { ApiCaller, createTokenViaPage } from '../helpers/api-client.ts';
import { connectBoard, waitFor, type SyncClient } from '../helpers/sync-client.ts';

type Who = 'alice' | 'bob' | 'vic' | 'stranger';
const PEOPLE: Who[] = ['alice', 'bob', 'vic', 'stranger'];
/** Small enough for a quick burst to pass it; each section of the test uses its own token to stay under it. */
const RATE = 60;

describe.each(dbKinds())('REST API v1 with personal access tokens (%s)', (kind) => {
	let server: TestServer;
	let cleanup: () => Promise<void> | void = () => {};
	let api: ApiCaller;
	const http = {} as Record<Who, HttpClient>;
	const ids = {} as Record<Who, string>;
	const clients: SyncClient[] = [];
	let boardId = '';
	let otherBoardId = '';
	let stages: { id: string; name: string; exitCriteria: { id: string; text: string }[] }[] = [];
	/** Tokens by purpose. */
	const t = {} as Record<'aliceWrite' | 'aliceRead' | 'aliceOther' | 'bobWrite' | 'vicWrite' | 'strangerWrite' | 'alice2', string>;

	beforeAll(async () => {
		if (kind === 'postgres') {
			const scratch = await createScratchPostgres();
			server = await startServer({ DATABASE_URL: scratch.url, API_RATE_LIMIT_PER_MINUTE: String(RATE) });
			cleanup = () => scratch.drop();
		} else {
			const data = tempDataDir();
			server = await startServer({ DATA_DIR: data.dir, DATABASE_URL: '', API_RATE_LIMIT_PER_MINUTE: String(RATE) });
			cleanup = () => data.remove();
		}
		api = new ApiCaller(server.url);
		for (const who of PEOPLE) {
			http[who] = new HttpClient(server.url);
			await http[who].signUp(who[0]!.toUpperCase() + who.slice(1), `${who}@example.com`);
		}
		t.aliceWrite = await createTokenViaPage(http.alice, { name: 'CMS sync', scope: 'write' });
		t.strangerWrite = await createTokenViaPage(http.stranger, { name: 'Mine', scope: 'write' });
	}, 180_000);

	afterAll(async () => {
		for (const c of clients) c.destroy();
		await server?.stop();
		await cleanup();
	});

	it('refuses requests without a valid token with 401 problem+json, and ignores a session cookie', async () => {
		const none = await api.call(null, 'GET', '/boards');
		expect(none.status).toBe(401);
		expect(none.headers.get('content-type')).toBe('application/problem+json');
		expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
		expect(none.body).toMatchObject({ status: 401, rule: 'unauthenticated', reason: 'missing' });
		expect((await api.call('fdk_notarealtoken', 'GET', '/boards')).body).toMatchObject({ reason: 'unknown' });
		expect((await api.call(null, 'GET', '/boards', undefined, { authorization: 'Basic abc' })).body).toMatchObject({ reason: 'malformed' });
		// A signed-in browser's cookie is not a credential here: no cross-site script can ride on it.
		const cookie = await api.call(null, 'GET', '/boards', undefined, { cookie: http.alice.cookieHeader });
		expect(cookie.status).toBe(401);
		// A revoked or expired token says so.
		const doomed = await createTokenViaPage(http.alice, { name: 'Doomed', scope: 'read' });
		expect((await api.call(doomed, 'GET', '/boards')).status).toBe(200);
		const page = await http.alice.get('/account/tokens');
		expect(page.body).toContain('Doomed');
		expect(page.body).not.toContain(doomed);
		// The revoke form appears only after confirming in the browser; post it as the page would.
		const list = await listTokenIds(http.alice);
		const res = await http.alice.post('/account/tokens?/revoke', { id: list.get('Doomed')! });
		expect(res.status).toBe(200);
		const revoked = await api.call(doomed, 'GET', '/boards');
		expect(revoked.status).toBe(401);
		expect(revoked.body).toMatchObject({ rule: 'unauthenticated', reason: 'revoked' });
		expect(revoked.body.detail).toContain('Doomed');
		// An expiry in the past is refused when creating (a token that expires is refused when used: api-tokens.test.ts).
		const past = await fetch(`${server.url}/account/tokens?/create`, {
			method: 'POST',
			headers: { cookie: http.alice.cookieHeader, origin: server.url, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
			body: new URLSearchParams({ name: 'Old', scope: 'read', reach: 'all', expires: '2020-01-01' }).toString()
		});
		expect(await past.text()).toContain('future');
	});

	it('creates boards from a template and lists the boards a token reaches, page by page', async () => {
		const created = await api.call(t.aliceWrite, 'POST', '/boards', { name: 'Blog', templateId: 'blog-post', timeZone: 'Europe/Berlin' });
		expect(created.status, JSON.stringify(created.body)).toBe(201);
		boardId = created.body.id;
		const blank = await api.call(t.aliceWrite, 'POST', '/boards', { name: 'Ops' });
		expect(blank.status).toBe(201);
		otherBoardId = blank.body.id;
		for (const n of [1, 2, 3]) expect((await api.call(t.aliceWrite, 'POST', '/boards', { name: `Extra ${n}` })).status).toBe(201);
		const bad = await api.call(t.aliceWrite, 'POST', '/boards', { name: '', templateId: 'nope' });
		expect(bad.status).toBe(422);
		expect(bad.body.rule).toBe('validation');
		expect(bad.body.errors[0].path).toBe('name');
		const unknownTemplate = await api.call(t.aliceWrite, 'POST', '/boards', { name: 'X', templateId: 'no-such-template' });
		expect(unknownTemplate.status).toBe(422);
		// Pages of two, in id order, each board once.
		const seen: string[] = [];
		let cursor: string | null = null;
		do {
			const page = await api.call(t.aliceWrite, 'GET', `/boards?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
			expect(page.status).toBe(200);
			expect(page.body.data.length).toBeLessThanOrEqual(2);
			if (page.body.nextCursor) expect(page.headers.get('link')).toContain('rel="next"');
			seen.push(...page.body.data.map((b: { id: string }) => b.id));
			cursor = page.body.nextCursor;
		} while (cursor);
		expect(seen).toHaveLength(5);
		expect(seen).toEqual([...seen].sort());
		expect(seen).toContain(boardId);
		expect((await api.call(t.aliceWrite, 'GET', '/boards?cursor=garbage')).body.rule).toBe('invalid_request');
		expect((await api.call(t.aliceWrite, 'GET', '/boards?limit=5000')).status).toBe(400);
		const board = await api.call(t.aliceWrite, 'GET', `/boards/${boardId}`);
		expect(board.body).toMatchObject({ id: boardId, name: 'Blog', role: 'owner', timeZone: 'Europe/Berlin' });
		stages = board.body.stages;
		expect(stages.length).toBeGreaterThan(2);
		// People on the board: bob edits, vic views.
		for (const [who, role] of [['bob', 'editor'], ['vic', 'viewer']] as const) {
			const res = await http.alice.post(`/b/${boardId}/settings?/invite`, { role, days: '7' });
			const invite = /\/invite\/([a-z0-9]+)/.exec(res.body)![1]!;
			expect((await http[who].post(`/invite/${invite}`, {})).status).toBe(303);
		}
		const members = await api.call(t.aliceWrite, 'GET', `/boards/${boardId}/members`);
		for (const m of members.body.data as { userId: string; name: string }[]) ids[m.name.toLowerCase() as Who] = m.userId;
		expect(Object.keys(ids).sort()).toEqual(['alice', 'bob', 'vic']);
	});

	it('scopes tokens: read-only tokens cannot write, chosen boards only, roles and membership still apply', async () => {
		t.aliceRead = await createTokenViaPage(http.alice, { name: 'Dashboard', scope: 'read' });
		t.aliceOther = await createTokenViaPage(http.alice, { name: 'Ops only', scope: 'write', boards: [otherBoardId] });
		t.bobWrite = await createTokenViaPage(http.bob, { name: 'Bob', scope: 'write' });
		t.vicWrite = await createTokenViaPage(http.vic, { name: 'Vic', scope: 'write' });
		const stageId = stages[0]!.id;
		const before = (await api.call(t.aliceRead, 'GET', `/boards/${boardId}/cards?archived=all`)).body.data.length;

		const readOnly = await api.call(t.aliceRead, 'POST', `/boards/${boardId}/cards`, { stageId, title: 'Nope' });
		expect(readOnly.status).toBe(403);
		expect(readOnly.body.rule).toBe('token_scope');
		const notGranted = await api.call(t.aliceOther, 'GET', `/boards/${boardId}/cards`);
		expect(notGranted.status).toBe(403);
		expect(notGranted.body.rule).toBe('token_board');
		expect((await api.call(t.aliceOther, 'GET', '/boards')).body.data.map((b: { id: string }) => b.id)).toEqual([otherBoardId]);
		expect((await api.call(t.aliceOther, 'POST', '/boards', { name: 'Nope' })).body.rule).toBe('token_board');
		const viewer = await api.call(t.vicWrite, 'POST', `/boards/${boardId}/cards`, { stageId, title: 'Nope' });
		expect(viewer.status).toBe(403);
		expect(viewer.body.rule).toBe('role');
		expect((await api.call(t.vicWrite, 'GET', `/boards/${boardId}/cards`)).status).toBe(200);
		const stranger = await api.call(t.strangerWrite, 'GET', `/boards/${boardId}`);
		expect(stranger.status).toBe(404);
		expect(stranger.body.rule).toBe('not_found');
		expect((await api.call(t.strangerWrite, 'POST', `/boards/${boardId}/cards`, { stageId, title: 'Nope' })).status).toBe(404);
		// Nothing was created by any of them.
		expect((await api.call(t.aliceRead, 'GET', `/boards/${boardId}/cards?archived=all`)).body.data.length).toBe(before);
	});

	it('creates, reads, updates, moves, archives and deletes cards through the board’s rules, live on open boards', async () => {
		const live = connectBoard(server.url, boardId, { cookie: http.bob.cookieHeader });
		clients.push(live);
		await live.synced();
		const [first, second] = [stages[0]!, stages[1]!];
		const created = await api.call(t.aliceWrite, 'POST', `/boards/${boardId}/cards`, { stageId: first.id, title: 'Launch post', description: 'Draft *it*', due: '2030-01-31', labels: [{ name: 'Blog', color: 'sky' }], owners: [ids.bob] });
		expect(created.status, JSON.stringify(created.body)).toBe(201);
		const card = created.body;
		expect(card).toMatchObject({ title: 'Launch post', description: 'Draft *it*', due: '2030-01-31', stageId: first.id, owners: [ids.bob], archived: false });
		// Bob's open board has it, without reloading.
		await waitFor('the card reaches the open board', () => live.snapshot().cards[card.id]?.title === 'Launch post');

		expect((await api.call(t.aliceWrite, 'GET', `/boards/${boardId}/cards/${card.id}`)).body.id).toBe(card.id);
		expect((await api.call(t.aliceWrite, 'GET', `/boards/${boardId}/cards/nosuchcard`)).status).toBe(404);
		const bad = await api.call(t.aliceWrite, 'POST', `/boards/${boardId}/cards`, { stageId: first.id, title: '   ', due: '2030-02-30' });
		expect(bad.status).toBe(422);
		expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['due', 'title']);
		expect((await api.call(t.aliceWrite, 'POST', `/boards/${boardId}/cards`, { stageId: 'nostage', title: 'X' })).status).toBe(422);
		expect((await api.call(t.aliceWrite, 'POST', `/boards/${boardId}/cards`, { stageId: first.id, title: 'X', owners: [ids.alice, 'stranger1'] })).body.errors[0].path).toBe('owners.1');
		expect((await api.call(t.aliceWrite, 'POST', `/boards/${boardId}/cards`, '{not json')).status).toBe(400);
		expect((await api.call(t.aliceWrite, 'POST', `/boards/${boardId}/cards`, '<card/>', { 'content-type': 'application/xml' })).status).toBe(415);

		const patched = await api.call(t.bobWrite, 'PATCH', `/boards/${boardId}/cards/${card.id}`, { title: 'Launch post v2', blocked: 'Waiting on legal', target: '2030-03-01' });
		expect(patched.status, JSON.stringify(patched.body)).toBe(200);
		expect(patched.body).toMatchObject({ title: 'Launch post v2', target: '2030-03-01', blocked: { reason: 'Waiting on legal', by: ids.bob } });
		await waitFor('the edit reaches the open board', () => live.snapshot().cards[card.id]?.title === 'Launch post v2');
		expect((await api.call(t.bobWrite, 'PATCH', `/boards/${boardId}/cards/${card.id}`, {})).status).toBe(422);
		expect((await api.call(t.bobWrite, 'PATCH', `/boards/${boardId}/cards/${card.id}`, { colour: 'red' })).status).toBe(422);

		// The blog template's first stage has a definition of done: the move waits for it, then goes through.
		const early = await api.call(t.bobWrite, 'POST', `/boards/${boardId}/cards/${card.id}/move`, { stageId: second.id });
		expect(early.status).toBe(409);
		expect(early.body.rule).toBe('exit_criteria');
		const criteria = stages[0]!.exitCriteria;
		expect(criteria.length).toBeGreaterThan(0);
		for (const c of criteria) expect((await api.call(t.bobWrite, 'PUT', `/boards/${boardId}/cards/${card.id}/exit-checks/${first.id}/${c.id}`)).status).toBe(200);
		const unchecked = await api.call(t.bobWrite, 'DELETE', `/boards/${boardId}/cards/${card.id}/exit-checks/${first.id}/${criteria[0]!.id}`);
		expect(Object.keys(unchecked.body.exitChecks)).not.toContain(`${first.id}:${criteria[0]!.id}`);
		expect((await api.call(t.bobWrite, 'PUT', `/boards/${boardId}/cards/${card.id}/exit-checks/${first.id}/${criteria[0]!.id}`)).body.exitChecks[`${first.id}:${criteria[0]!.id}`].by).toBe(ids.bob);
		expect((await api.call(t.bobWrite, 'PUT', `/boards/${boardId}/cards/${card.id}/exit-checks/${first.id}/nosuch`)).status).toBe(404);
		const moved = await api.call(t.bobWrite, 'POST', `/boards/${boardId}/cards/${card.id}/move`, { stageId: second.id });
		expect(moved.status, JSON.stringify(moved.body)).toBe(200);
		expect(moved.body.stageId).toBe(second.id);
		await waitFor('the move reaches the open board', () => live.snapshot().cards[card.id]?.stageId === second.id);

		const archived = await api.call(t.bobWrite, 'PATCH', `/boards/${boardId}/cards/${card.id}`, { archived: true });
		expect(archived.body.archived).toBe(true);
		expect((await api.call(t.bobWrite, 'GET', `/boards/${boardId}/cards`)).body.data.map((c: { id: string }) => c.id)).not.toContain(card.id);
		expect((await api.call(t.bobWrite, 'GET', `/boards/${boardId}/cards?archived=true`)).body.data.map((c: { id: string }) => c.id)).toEqual([card.id]);
		expect((await api.call(t.bobWrite, 'PATCH', `/boards/${boardId}/cards/${card.id}`, { archived: false })).body.archived).toBe(false);

		const doomed = await api.call(t.bobWrite, 'POST', `/boards/${boardId}/cards`, { stageId: first.id, title: 'Doomed' });
		expect((await api.call(t.bobWrite, 'DELETE', `/boards/${boardId}/cards/${doomed.body.id}`)).status).toBe(204);
		expect((await api.call(t.bobWrite, 'GET', `/boards/${boardId}/cards/${doomed.body.id}`)).status).toBe(404);
		await waitFor('the deletion reaches the open board', () => !live.snapshot().cards[doomed.body.id]);
	});

	it('surfaces WIP limits and exit criteria as refusals with their rule, changing nothing', async () => {
		const limited = await api.call(t.aliceWrite, 'POST', `/boards/${otherBoardId}/stages`, { name: 'Review', kind: 'active', wipLimit: 1, wipMode: 'hard', exitCriteria: ['Facts checked'] });
		expect(limited.status, JSON.stringify(limited.body)).toBe(201);
		expect(limited.body).toMatchObject({ name: 'Review', wipLimit: 1, wipMode: 'hard', exitCriteria: [{ text: 'Facts checked' }] });
		const review = limited.body;
		const done = (await api.call(t.aliceOther, 'POST', `/boards/${otherBoardId}/stages`, { name: 'Shipped', kind: 'done' })).body;
		expect((await api.call(t.aliceOther, 'GET', `/boards/${otherBoardId}/stages/${review.id}`)).body.id).toBe(review.id);
		const a = (await api.call(t.aliceOther, 'POST', `/boards/${otherBoardId}/cards`, { stageId: review.id, title: 'A' })).body;
		const full = await api.call(t.aliceOther, 'POST', `/boards/${otherBoardId}/cards`, { stageId: review.id, title: 'B' });
		expect(full.status).toBe(409);
		expect(full.body).toMatchObject({ rule: 'wip_limit', limit: 1 });
		expect(full.body.detail).toContain('WIP limit');
		const inReview = await api.call(t.aliceOther, 'GET', `/boards/${otherBoardId}/cards?stageId=${review.id}`);
		expect(inReview.body.data.map((c: { title: string }) => c.title)).toEqual(['A']);

		const firstStage = (await api.call(t.aliceOther, 'GET', `/boards/${otherBoardId}/stages`)).body.data[0];
		const b = (await api.call(t.aliceOther, 'POST', `/boards/${otherBoardId}/cards`, { stageId: firstStage.id, title: 'B' })).body;
		const blockedMove = await api.call(t.aliceOther, 'POST', `/boards/${otherBoardId}/cards/${b.id}/move`, { stageId: review.id });
		expect(blockedMove.status).toBe(409);
		expect(blockedMove.body.rule).toBe('wip_limit');

		const exit = await api.call(t.aliceOther, 'POST', `/boards/${otherBoardId}/cards/${a.id}/move`, { stageId: done.id });
		expect(exit.status).toBe(409);
		expect(exit.body).toMatchObject({ rule: 'exit_criteria', missing: [{ text: 'Facts checked' }] });
		expect((await api.call(t.aliceOther, 'GET', `/boards/${otherBoardId}/cards/${a.id}`)).body.stageId).toBe(review.id);
		const checked = await api.call(t.aliceOther, 'PUT', `/boards/${otherBoardId}/cards/${a.id}/exit-checks/${review.id}/${review.exitCriteria[0].id}`);
		expect(checked.status).toBe(200);
		expect(Object.keys(checked.body.exitChecks)).toEqual([`${review.id}:${review.exitCriteria[0].id}`]);
		expect((await api.call(t.aliceOther, 'POST', `/boards/${otherBoardId}/cards/${a.id}/move`, { stageId: done.id })).body.stageId).toBe(done.id);
		// Now there is room: B moves in. Lifting the limit by PATCH lets a third card in too.
		expect((await api.call(t.aliceOther, 'POST', `/boards/${otherBoardId}/cards/${b.id}/move`, { stageId: review.id, index: 0 })).status).toBe(200);
		const soft = await api.call(t.aliceOther, 'PATCH', `/boards/${otherBoardId}/stages/${review.id}`, { wipMode: 'soft', name: 'Fact check' });
		expect(soft.body).toMatchObject({ wipMode: 'soft', wipLimit: 1, name: 'Fact check' });
		expect((await api.call(t.aliceOther, 'POST', `/boards/${otherBoardId}/cards`, { stageId: review.id, title: 'C' })).status).toBe(201);
		expect((await api.call(t.aliceOther, 'PATCH', `/boards/${otherBoardId}/stages/${review.id}`, { wipLimit: 0 })).status).toBe(422);
		expect((await api.call(t.aliceOther, 'PATCH', `/boards/${otherBoardId}/stages/nostage`, { name: 'X' })).status).toBe(404);
	});

	it('replays an idempotent POST, refuses the key with another body, and never creates twice', async () => {
		const stageId = stages[0]!.id;
		const key = `key-${kind}-1`;
		const body = { stageId, title: 'Exactly once' };
		const first = await api.call(t.aliceWrite, 'POST', `/boards/${boardId}/cards`, body, { 'idempotency-key': key });
		expect(first.status).toBe(201);
		const again = await api.call(t.aliceWrite, 'POST', `/boards/${boardId}/cards`, body, { 'idempotency-key': key });
		expect(again.status).toBe(201);
		expect(again.headers.get('idempotent-replayed')).toBe('true');
		expect(again.body.id).toBe(first.body.id);
		const other = await api.call(t.aliceWrite, 'POST', `/boards/${boardId}/cards`, { stageId, title: 'Something else' }, { 'idempotency-key': key });
		expect(other.status).toBe(422);
		expect(other.body.rule).toBe('idempotency_mismatch');
		// Ten at once with one key: one card, the others replay or are told it is in flight.
		const burst = await Promise.all(Array.from({ length: 10 }, () => api.call(t.aliceWrite, 'POST', `/boards/${boardId}/cards`, { stageId, title: 'Burst' }, { 'idempotency-key': `key-${kind}-2` })));
		expect(burst.every((r) => r.status === 201 || (r.status === 409 && r.body.rule === 'idempotency_in_flight')), JSON.stringify(burst.map((r) => r.status))).toBe(true);
		const titles = (await api.call(t.aliceWrite, 'GET', `/boards/${boardId}/cards?limit=200`)).body.data.map((c: { title: string }) => c.title);
		expect(titles.filter((x: string) => x === 'Exactly once')).toHaveLength(1);
		expect(titles.filter((x: string) => x === 'Burst')).toHaveLength(1);
	});

	it('pages cards in board order and filters them with the filter language', async () => {
		t.alice2 = await createTokenViaPage(http.alice, { name: 'Pager', scope: 'write', boards: [boardId] });
		const stageId = stages[1]!.id;
		for (const n of [1, 2, 3, 4, 5]) expect((await api.call(t.alice2, 'POST', `/boards/${boardId}/cards`, { stageId, title: `Page ${n}`, labels: n % 2 ? [{ name: 'Odd', color: 'red' }] : [] })).status).toBe(201);
		const all = (await api.call(t.alice2, 'GET', `/boards/${boardId}/cards?limit=200`)).body.data.map((c: { id: string }) => c.id);
		const paged: string[] = [];
		let cursor: string | null = null;
		do {
			const page = await api.call(t.alice2, 'GET', `/boards/${boardId}/cards?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
			paged.push(...page.body.data.map((c: { id: string }) => c.id));
			cursor = page.body.nextCursor;
		} while (cursor);
		expect(paged).toEqual(all);
		const odd = await api.call(t.alice2, 'GET', `/boards/${boardId}/cards?q=${encodeURIComponent('label:Odd')}`);
		expect(odd.body.data.map((c: { title: string }) => c.title)).toEqual(['Page 1', 'Page 3', 'Page 5']);
		const mistake = await api.call(t.alice2, 'GET', `/boards/${boardId}/cards?q=${encodeURIComponent('due:<banana')}`);
		expect(mistake.status).toBe(400);
		expect(mistake.body.rule).toBe('filter');
		expect(typeof mistake.body.start).toBe('number');
	});

	it('manages checklists, owners and comments, and reads the plan, activity, stats and process review', async () => {
		const stageId = stages[0]!.id;
		const card = (await api.call(t.bobWrite, 'POST', `/boards/${boardId}/cards`, { stageId, title: 'Parts' })).body;
		const item = await api.call(t.bobWrite, 'POST', `/boards/${boardId}/cards/${card.id}/checklist`, { text: 'Proofread' });
		expect(item.status).toBe(201);
		const ticked = await api.call(t.bobWrite, 'PATCH', `/boards/${boardId}/cards/${card.id}/checklist/${item.body.id}`, { done: true, text: 'Proofread twice' });
		expect(ticked.body).toMatchObject({ done: true, text: 'Proofread twice' });
		expect((await api.call(t.bobWrite, 'PATCH', `/boards/${boardId}/cards/${card.id}/checklist/nosuchitem`, { done: true })).status).toBe(404);
		expect((await api.call(t.bobWrite, 'DELETE', `/boards/${boardId}/cards/${card.id}/checklist/${item.body.id}`)).status).toBe(204);

		expect((await api.call(t.bobWrite, 'PUT', `/boards/${boardId}/cards/${card.id}/owners/${ids.alice}`)).body.owners).toContain(ids.alice);
		const stranger = await api.call(t.bobWrite, 'PUT', `/boards/${boardId}/cards/${card.id}/owners/nosuchperson`);
		expect(stranger.status).toBe(422);
		expect((await api.call(t.bobWrite, 'DELETE', `/boards/${boardId}/cards/${card.id}/owners/${ids.alice}`)).body.owners).not.toContain(ids.alice);

		const comment = await api.call(t.bobWrite, 'POST', `/boards/${boardId}/cards/${card.id}/comments`, { body: 'Looks good @Alice' });
		expect(comment.status).toBe(201);
		expect(comment.body).toMatchObject({ body: 'Looks good @Alice', mine: true });
		expect((await api.call(t.bobWrite, 'POST', `/boards/${boardId}/cards/${card.id}/comments`, { body: 'Hi @Nobody' })).status).toBe(422);
		expect((await api.call(t.aliceWrite, 'PATCH', `/boards/${boardId}/cards/${card.id}/comments/${comment.body.id}`, { body: 'Mine now' })).status).toBe(403);
		expect((await api.call(t.bobWrite, 'PATCH', `/boards/${boardId}/cards/${card.id}/comments/${comment.body.id}`, { body: 'Looks great' })).body.editedAt).not.toBeNull();
		const second = await api.call(t.bobWrite, 'POST', `/boards/${boardId}/cards/${card.id}/comments`, { body: 'Second' });
		const page1 = await api.call(t.aliceRead, 'GET', `/boards/${boardId}/cards/${card.id}/comments?limit=1`);
		expect(page1.body.data.map((c: { body: string }) => c.body)).toEqual(['Looks great']);
		const page2 = await api.call(t.aliceRead, 'GET', `/boards/${boardId}/cards/${card.id}/comments?limit=1&cursor=${encodeURIComponent(page1.body.nextCursor)}`);
		expect(page2.body).toMatchObject({ data: [{ body: 'Second', mine: false }], nextCursor: null });
		expect((await api.call(t.bobWrite, 'DELETE', `/boards/${boardId}/cards/${card.id}/comments/${second.body.id}`)).status).toBe(204);

		const plan = await api.call(t.aliceRead, 'GET', `/boards/${boardId}/cards/${card.id}/plan`);
		expect(plan.status).toBe(200);
		expect(plan.body.timeZone).toBe('Europe/Berlin');
		const activity = await api.call(t.aliceRead, 'GET', `/boards/${boardId}/activity?limit=5`);
		expect(activity.body.data).toHaveLength(5);
		expect(activity.body.data[0].actorId).toBe(ids.bob);
		const more = await api.call(t.aliceRead, 'GET', `/boards/${boardId}/activity?limit=5&cursor=${encodeURIComponent(activity.body.nextCursor)}`);
		expect(more.body.data[0].key).not.toBe(activity.body.data[0].key);
		expect(Date.parse(more.body.data[0].at)).toBeLessThanOrEqual(Date.parse(activity.body.data[4].at));
		const stats = await api.call(t.aliceRead, 'GET', `/boards/${boardId}/stats`);
		expect(stats.status).toBe(200);
		expect(stats.body.stages.length).toBeGreaterThan(0);
		expect((await api.call(t.aliceRead, 'GET', `/boards/${boardId}/stats?from=2030-13-01`)).status).toBe(400);
		const process = await api.call(t.aliceRead, 'GET', `/boards/${boardId}/process`);
		expect(process.status, JSON.stringify(process.body).slice(0, 300)).toBe(200);
		expect(process.body).toHaveProperty('compliance');
		expect(process.body).toHaveProperty('risk');
	});

	it('refuses a token whose owner left the board', async () => {
		const cards = await api.call(t.bobWrite, 'GET', `/boards/${boardId}/cards`);
		expect(cards.status).toBe(200);
		expect((await http.bob.post(`/b/${boardId}/settings?/leave`, {})).status).toBe(303);
		const after = await api.call(t.bobWrite, 'GET', `/boards/${boardId}/cards`);
		expect(after.status).toBe(404);
		expect(after.body.rule).toBe('not_found');
		expect((await api.call(t.bobWrite, 'POST', `/boards/${boardId}/cards`, { stageId: stages[0]!.id, title: 'After leaving' })).status).toBe(404);
		expect((await api.call(t.bobWrite, 'GET', '/boards')).body.data.map((b: { id: string }) => b.id)).not.toContain(boardId);
	});

	it('answers unknown paths and methods with problem+json', async () => {
		const missing = await fetch(`${server.url}/api/v1/nothing/here`, { headers: { authorization: `Bearer ${t.aliceRead}` } });
		expect(missing.status).toBe(404);
		expect(missing.headers.get('content-type')).toBe('application/problem+json');
		const method = await fetch(`${server.url}/api/v1/boards`, { method: 'DELETE', headers: { authorization: `Bearer ${t.aliceRead}` } });
		expect(method.status).toBe(405);
		expect(method.headers.get('allow')).toBe('GET, POST');
	});

	it('limits each token’s requests a minute with 429 and Retry-After, other tokens unaffected', async () => {
		const burner = await createTokenViaPage(http.alice, { name: 'Burner', scope: 'read' });
		const started = performance.now();
		const answers = await Promise.all(Array.from({ length: RATE + 20 }, () => api.call(burner, 'GET', '/boards?limit=1')));
		const ms = performance.now() - started;
		const ok = answers.filter((a) => a.status === 200).length;
		const limited = answers.filter((a) => a.status === 429);
		expect(ok).toBe(RATE);
		expect(limited).toHaveLength(20);
		expect(limited[0]!.body.rule).toBe('rate_limit');
		const retry = Number(limited[0]!.headers.get('retry-after'));
		expect(retry).toBeGreaterThan(0);
		expect(retry).toBeLessThanOrEqual(60);
		// Another token of the same person, and another person, still get through.
		expect((await api.call(t.aliceRead, 'GET', '/boards?limit=1')).status).toBe(200);
		expect((await api.call(t.strangerWrite, 'GET', '/boards?limit=1')).status).toBe(200);
		console.info(`${kind}: ${RATE + 20} requests in ${ms.toFixed(0)} ms (${((RATE + 20) / (ms / 1000)).toFixed(0)}/s)`);
	});

	it('serves a valid OpenAPI 3.1 document that every response seen above matches', async () => {
		const res = await fetch(`${server.url}/api/v1/openapi.json`);
		expect(res.status).toBe(200);
		const doc = (await res.json()) as OpenApi;
		expect(doc.openapi).toBe('3.1.0');
		await SwaggerParser.validate(structuredClone(doc) as never);
		const ajv = new Ajv2020({ strict: false, allErrors: true });
		ajv.addSchema(doc.components.schemas.Problem, '#/components/schemas/Problem');
		const templates = Object.keys(doc.paths).map((p) => ({ p, re: new RegExp(`^${p.replace(/\{\w+\}/g, '[^/]+')}$`) }));
		const checked = new Set<string>();
		const failures: string[] = [];
		for (const seen of api.seen) {
			const template = templates.find((x) => x.re.test(seen.path));
			const op = template && doc.paths[template.p]![seen.method.toLowerCase()];
			if (!op) continue;
			const response = op.responses[String(seen.status)];
			if (!response) {
				failures.push(`${seen.method} ${template.p} answered ${seen.status}, which the document does not list`);
				continue;
			}
			checked.add(`${seen.method} ${template.p}`);
			const resolved = '$ref' in response ? doc.components.responses[String(response.$ref).split('/').pop()!]! : response;
			const [type, media] = Object.entries(resolved.content ?? {})[0] ?? [];
			if (!media) {
				if (seen.body !== undefined) failures.push(`${seen.method} ${template.p} ${seen.status} has a body the document does not describe`);
				continue;
			}
			if (!seen.contentType.startsWith(type!)) failures.push(`${seen.method} ${template.p} ${seen.status}: ${seen.contentType}, documented ${type}`);
			const schema = media.schema.$ref ? doc.components.schemas.Problem : media.schema;
			const validate = ajv.compile(schema);
			if (!validate(seen.body)) failures.push(`${seen.method} ${template.p} ${seen.status}: ${ajv.errorsText(validate.errors)}`);
		}
		expect(failures).toEqual([]);
		// Every operation in the document was exercised by this file.
		const operations = Object.entries(doc.paths).flatMap(([p, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${p}`));
		expect(operations.filter((o) => !checked.has(o))).toEqual([]);
	});

	/** The account page's token ids by name. */
	async function listTokenIds(client: HttpClient): Promise<Map<string, string>> {
		const res = await fetch(`${server.url}/account/tokens/__data.json`, { headers: { cookie: client.cookieHeader } });
		const text = await res.text();
		const map = new Map<string, string>();
		// devalue's flat array: each token's object points at its id and name strings.
		const data = JSON.parse(text) as { nodes: ({ data: unknown[] } | null)[] };
		const node = data.nodes.find((n) => n && Array.isArray(n.data) && (n.data[0] as Record<string, number>)?.tokens !== undefined)!;
		const flat = node.data;
		const root = flat[0] as Record<string, number>;
		for (const index of flat[root.tokens!] as number[]) {
			const token = flat[index] as Record<string, number>;
			map.set(flat[token.name!] as string, flat[token.id!] as string);
		}
		return map;
	}
});

interface OpenApiResponse {
	description: string;
	$ref?: string;
	content?: Record<string, { schema: { $ref?: string } & Record<string, unknown> }>;
}
interface OpenApi {
	openapi: string;
	paths: Record<string, Record<string, { responses: Record<string, OpenApiResponse> }>>;
	components: { schemas: { Problem: Record<string, unknown> }; responses: Record<string, OpenApiResponse> };
}
