import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createScratchPostgres, dbKinds } from '../helpers/db.ts';
import { startServer, tempDataDir, type TestServer } from '../helpers/server.ts';
import { HttpClient } from '../helpers/http-client.ts';
import { connectBoard, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { parseCsv } from '../helpers/history-check.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { processCommands } from '../../src/lib/board/doc/process-commands.ts';
import { boardMaps, cardKey } from '../../src/lib/board/doc/schema.ts';
import { placesOf } from '../../src/lib/board/doc/places.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { FORGED_MESSAGE } from '../../server/engine/process-engine.ts';
import type { StepSettings } from '../../src/lib/board/types.ts';

type Who = 'olivia' | 'sam' | 'eddie' | 'erin' | 'vic' | 'stranger';
const PEOPLE: Who[] = ['olivia', 'sam', 'eddie', 'erin', 'vic', 'stranger'];
const TARGET = '2030-04-15'; // a Monday

/** A stage's step settings for the test's process. */
const step = (ownerRole: string | null, offset: number | null, unit: 'working' | 'calendar', approval: StepSettings['approval'] = null): StepSettings => ({ ownerRole, offset, unit, approval });

describe.each(dbKinds())('plans, hand-offs and approvals on the server (%s)', (kind) => {
	let server: TestServer;
	let cleanup: () => Promise<void> | void = () => {};
	const http = {} as Record<Who, HttpClient>;
	const ids = {} as Record<Who, string>;
	const clients: SyncClient[] = [];
	let boardId = '';
	let olivia: SyncClient;
	let sam: SyncClient;
	const stage = { backlog: '', research: '', outline: '', approve: '', draft: '', done: '' };
	let post = '';

	/** A JSON request as our own pages send it (same origin, the session cookie). */
	async function api(who: Who, method: 'GET' | 'POST', path: string, body?: unknown, origin = server.url): Promise<{ status: number; json: Record<string, unknown> }> {
		const headers: Record<string, string> = { cookie: http[who].cookieHeader, accept: 'application/json' };
		if (method === 'POST') Object.assign(headers, { 'content-type': 'application/json', origin });
		const res = await fetch(server.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
		const text = await res.text();
		return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
	}
	const decide = (who: Who, cardId: string, body: unknown) => api(who, 'POST', `/api/boards/${boardId}/cards/${cardId}/decisions`, body);
	const planOf = async (who: Who, cardId: string) => api(who, 'GET', `/api/boards/${boardId}/cards/${cardId}/plan`);
	type PlanStep = { stageId: string; name: string; plannedDue: string | null; status: string; owners: string[]; enteredAt: string | null; leftAt: string | null; approval: Record<string, unknown> };
	const steps = async (cardId: string) => (await planOf('olivia', cardId)).json.steps as PlanStep[];

	/** The board's history export as objects (type, actor and the event's data). */
	async function events(cardId: string): Promise<{ type: string; actor: string; data: Record<string, unknown> }[]> {
		const res = await http.olivia.get(`/api/boards/${boardId}/events.csv`);
		const [header, ...rows] = parseCsv(res.body);
		const col = (name: string) => header!.indexOf(name);
		return rows
			.filter((r) => r[col('card_id')] === cardId)
			.map((r) => ({ type: r[col('type')]!, actor: r[col('actor_id')]!, data: JSON.parse(r[col('details')]!.replace(/^'/, '') || '{}') as Record<string, unknown> }));
	}
	/** The card's activity as the panel shows it. */
	async function sentences(cardId: string): Promise<string[]> {
		const { json } = await api('olivia', 'GET', `/api/boards/${boardId}/activity?card=${cardId}`);
		return (json.entries as { text: string }[]).map((e) => e.text);
	}
	/** Posts a settings form with repeated fields (holders), as the browser does. */
	async function settings(action: string, fields: [string, string][]): Promise<number> {
		const res = await fetch(`${server.url}/b/${boardId}/settings?/${action}`, {
			method: 'POST',
			redirect: 'manual',
			headers: { cookie: http.olivia.cookieHeader, origin: server.url, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
			body: new URLSearchParams(fields).toString()
		});
		// use:enhance's answer: { type: 'success' | 'failure' | 'error' | 'redirect', … }.
		const answer = (await res.json()) as { type: string };
		expect(answer.type, `${action}: ${JSON.stringify(answer)}`).toBe('success');
		return res.status;
	}
	/** Adds a team role and names its holders through the settings page; returns the role's id. */
	async function teamRole(name: string, holders: Who[]): Promise<string> {
		await settings('addTeamRole', [['name', name]]);
		const page = (await http.olivia.get(`/b/${boardId}/settings`)).body;
		const found = [...page.matchAll(/action="\?\/setRoleHolders"[^>]*>\s*<input type="hidden" name="id" value="([^"]+)"[\s\S]*?Who holds ([^<]+)<\/legend>/g)].find((m) => m[2] === name);
		expect(found, `the settings page lists ${name}`).toBeTruthy();
		await settings('setRoleHolders', [['id', found![1]!], ...holders.map((w): [string, string] => ['holder', ids[w]])]);
		return found![1]!;
	}
	const teamRolesIn = (doc: Y.Doc) => readSnapshot(doc).process.teamRoles;
	/** A modified client's move that skips the browser's own checks. */
	const rawMove = (client: SyncClient, cardId: string, to: string) => placesOf(client.doc).set(cardId, { stageId: to, rank: 'a5', enteredAt: Date.now() });

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
		for (const who of PEOPLE) {
			http[who] = new HttpClient(server.url);
			await http[who].signUp(who[0]!.toUpperCase() + who.slice(1), `${who}@example.com`);
		}
		const created = await http.olivia.post('/?/create', { name: 'Blog' });
		boardId = created.location!.split('/').pop()!;
		for (const [who, role] of [['sam', 'editor'], ['eddie', 'editor'], ['erin', 'editor'], ['vic', 'viewer']] as const) {
			const res = await http.olivia.post(`/b/${boardId}/settings?/invite`, { role, days: '7' });
			const token = /\/invite\/([a-z0-9]+)/.exec(res.body)![1]!;
			expect((await http[who].post(`/invite/${token}`, {})).status).toBe(303);
		}
		const page = await http.olivia.get(`/b/${boardId}/settings`);
		for (const m of page.body.matchAll(/name="userId" value="([a-z0-9]+)"[^<]*<label[^>]*>Role of (\w+)/g)) ids[m[2]!.toLowerCase() as Who] = m[1]!;
		// Team roles before anyone opens the board: the room gets them when it opens.
		await teamRole('Writer', ['sam']);
		// The owner is listed first among the members who may hold a role.
		ids.olivia = /name="holder" value="([a-z0-9]+)"/.exec((await http.olivia.get(`/b/${boardId}/settings`)).body)?.[1] ?? '';
		await teamRole('Editor', ['eddie', 'erin']);
		await teamRole('SEO strategist', []);
	}, 180_000);

	afterAll(async () => {
		for (const c of clients) c.destroy();
		await server?.stop();
		await cleanup();
	});

	it('mirrors the team roles into the board’s document when its room opens, and as they change', async () => {
		expect(Object.values(ids).every((id) => /^[a-z0-9]+$/.test(id)), JSON.stringify(ids)).toBe(true);
		olivia = connectBoard(server.url, boardId, { cookie: http.olivia.cookieHeader });
		sam = connectBoard(server.url, boardId, { cookie: http.sam.cookieHeader });
		clients.push(olivia, sam);
		await Promise.all([olivia.synced(), sam.synced()]);
		await waitFor('the document has the team roles', () => teamRolesIn(sam.doc).Editor?.length === 2);
		expect(teamRolesIn(sam.doc)).toEqual({ Writer: [ids.sam], Editor: [ids.eddie, ids.erin].sort(), 'SEO strategist': [] });
		// A change while the board is open reaches everyone on it before the settings page answers.
		const proofreader = await teamRole('Proofreader', ['sam', 'eddie']);
		await waitFor('the new role is mirrored', () => teamRolesIn(olivia.doc).Proofreader?.length === 2);
		await settings('deleteTeamRole', [['id', proofreader]]);
		await waitFor('the deleted role is gone', () => !('Proofreader' in teamRolesIn(sam.doc)));
	});

	it('plans a card from its target date: calendar days as counted, working days skipping the weekend', async () => {
		const cmd = { ...boardCommands(olivia.doc, { userId: ids.olivia, now: () => new Date() }), ...processCommands(olivia.doc, { userId: ids.olivia, now: () => new Date() }) };
		const [backlog, todo, doing, review, done] = readSnapshot(olivia.doc).stages.map((s) => s.id) as [string, string, string, string, string];
		Object.assign(stage, { backlog, research: todo, outline: doing, approve: review, done });
		cmd.renameStage(todo, 'Keyword research');
		cmd.renameStage(doing, 'Outline');
		cmd.renameStage(review, 'Approve outline');
		stage.draft = cmd.addStage('Draft', 'active');
		cmd.moveStage(stage.draft, 4);
		cmd.setStageStep(stage.research, step('SEO strategist', 30, 'calendar'));
		cmd.setStageStep(stage.outline, step('Writer', 21, 'calendar'));
		cmd.setStageStep(
			stage.approve,
			step(null, 18, 'calendar', { approvers: { userIds: [], role: 'Editor' }, quorum: 2, onChanges: { sendTo: stage.outline }, onReject: { archive: true, sendTo: null } })
		);
		cmd.setStageStep(stage.draft, step('Writer', 2, 'working'));
		post = cmd.addCard(stage.backlog, 'Post');
		cmd.setTarget(post, TARGET);
		await waitFor('the server has the card with its target date', async () => (await planOf('olivia', post)).json.targetDate === TARGET);

		const plan = await planOf('vic', post);
		expect(plan.status).toBe(200);
		expect(plan.json).toMatchObject({ targetDate: TARGET, timeZone: 'UTC' });
		const planned = plan.json.steps as PlanStep[];
		expect(planned.map((s) => [s.name, s.plannedDue, s.status])).toEqual([
			['Keyword research', '2030-03-16', 'upcoming'],
			['Outline', '2030-03-25', 'upcoming'],
			['Approve outline', '2030-03-28', 'upcoming'],
			// 2 working days before Monday the 15th: Thursday the 11th, over the weekend.
			['Draft', '2030-04-11', 'upcoming']
		]);
		expect(planned[0]).toMatchObject({ ownerRole: 'SEO strategist', owners: [], unstaffed: true, enteredAt: null, leftAt: null });
		expect(planned[1]).toMatchObject({ ownerRole: 'Writer', owners: [ids.sam] });
		expect(planned[2]!.approval).toEqual({ required: true, quorum: 2, status: 'pending', approvals: 0, needed: 2, decisions: [] });
	});

	it('hands a card to the role holder as it enters a step (seen by everyone, recorded as the process’s on behalf of the mover), and records a step nobody holds', async () => {
		const cmd = boardCommands(olivia.doc, { userId: ids.olivia, now: () => new Date() });
		cmd.moveCard(post, stage.research, 0);
		await waitFor('Sam’s client sees the unstaffed hand-off', () => sam.snapshot().cards[post]?.handoff?.stageId === stage.research);
		expect(sam.snapshot().cards[post]!.handoff).toMatchObject({ role: 'SEO strategist', userId: null });
		cmd.moveCard(post, stage.outline, 0);
		await waitFor('Sam’s client sees the card handed to Sam', () => sam.snapshot().cards[post]?.owners.includes(ids.sam));
		expect(sam.snapshot().cards[post]!.handoff).toMatchObject({ stageId: stage.outline, role: 'Writer', userId: ids.sam });

		const history = await waitFor('history has the hand-off', async () => {
			const rows = await events(post);
			return rows.some((e) => e.type === 'handed_off') ? rows : null;
		});
		expect(history!.find((e) => e.type === 'handoff_unstaffed')).toEqual({ type: 'handoff_unstaffed', actor: ids.olivia, data: { stageId: stage.research, role: 'SEO strategist', via: 'process' } });
		expect(history!.find((e) => e.type === 'handed_off')).toEqual({ type: 'handed_off', actor: ids.olivia, data: { stageId: stage.outline, role: 'Writer', userId: ids.sam, via: 'process' } });
		expect(history!.find((e) => e.type === 'owner_added')).toEqual({ type: 'owner_added', actor: ids.olivia, data: { userId: ids.sam, via: 'process' } });
		expect(history!.find((e) => e.type === 'target_changed')).toEqual({ type: 'target_changed', actor: ids.olivia, data: { target: TARGET, previous: null } });
		const said = await sentences(post);
		expect(said).toContain('Process handed “Post” to Sam for Outline (moved by Olivia)');
		expect(said).toContain('No one holds SEO strategist for Keyword research on “Post”');
		expect(said).toContain('Process on “Post” added Sam as owner (moved by Olivia)');
	});

	it('enforces the sign-off on the server: approvers only, never one’s own work, a comment for changes, a quorum of two before the card may leave', async () => {
		const cmd = boardCommands(olivia.doc, { userId: ids.olivia, now: () => new Date() });
		cmd.moveCard(post, stage.approve, 0);
		await waitFor('the server has the card in Approve outline', async () => (await steps(post)).find((s) => s.stageId === stage.approve)?.status === 'current');

		// Eddie is an approver but owns the card now: nobody signs off their own work.
		cmd.addOwner(post, ids.eddie);
		await waitFor('the server knows Eddie owns it', async () => (await steps(post)).find((s) => s.stageId === stage.approve)?.owners.includes(ids.eddie));
		const own = await decide('eddie', post, { stageId: stage.approve, outcome: 'approve' });
		expect(own).toEqual({ status: 403, json: { message: 'Nobody signs off their own work: this card is yours.' } });
		cmd.removeOwner(post, ids.eddie);
		await waitFor('Eddie no longer owns it', async () => !(await steps(post)).find((s) => s.stageId === stage.approve)?.owners.includes(ids.eddie));
		// Olivia (the board's owner) is no approver; Sam, the writer the card was handed to, owns it.
		expect(await decide('olivia', post, { stageId: stage.approve, outcome: 'approve' })).toEqual({ status: 403, json: { message: 'You are not one of the approvers of Approve outline.' } });
		expect((await decide('sam', post, { stageId: stage.approve, outcome: 'approve' })).status).toBe(403);
		// A change request needs its comment; bad bodies are refused; nothing is recorded.
		expect(await decide('eddie', post, { stageId: stage.approve, outcome: 'changes', comment: '   ' })).toEqual({ status: 400, json: { message: 'Say what should change.' } });
		expect((await decide('eddie', post, { stageId: stage.approve, outcome: 'maybe' })).status).toBe(400);
		expect((await decide('eddie', post, { stageId: stage.approve, outcome: 'approve', extra: true })).status).toBe(400);
		expect((await api('eddie', 'POST', `/api/boards/${boardId}/cards/${post}/decisions`, { stageId: stage.approve, outcome: 'approve' }, 'https://evil.example')).status).toBe(403);
		expect((await steps(post)).find((s) => s.stageId === stage.approve)!.approval.decisions).toEqual([]);

		expect(await decide('eddie', post, { stageId: stage.approve, outcome: 'approve', comment: 'Good angle' })).toEqual({ status: 200, json: { status: 'pending', approvals: 1, needed: 2 } });
		// One approval of two: a client that moves the card on anyway (skipping its own check) is put back and told why.
		rawMove(olivia, post, stage.draft);
		await waitFor('Olivia is told', () => olivia.notices.some((n) => n.type === 'refused' && n.cardId === post));
		expect(olivia.notices.find((n) => n.type === 'refused' && n.cardId === post)).toMatchObject({ message: "Can't leave Approve outline before it is signed off (1 of 2 approvals so far)." });
		await waitFor('the card is back in Approve outline', () => olivia.snapshot().cards[post]?.stageId === stage.approve && sam.snapshot().cards[post]?.stageId === stage.approve);

		expect(await decide('erin', post, { stageId: stage.approve, outcome: 'approve' })).toEqual({ status: 200, json: { status: 'approved', approvals: 2, needed: 2 } });
		await waitFor('Olivia’s client has both approvals', () => olivia.snapshot().cards[post]?.signoffs[stage.approve]?.decisions.length === 2);
		expect(cmd.moveCard(post, stage.draft, 0)).toBeNull();
		await waitFor('the card moved on and was handed to the writer', () => sam.snapshot().cards[post]?.stageId === stage.draft && sam.snapshot().cards[post]?.handoff?.stageId === stage.draft);
		expect((await steps(post)).find((s) => s.stageId === stage.draft)).toMatchObject({ status: 'current', owners: [ids.sam] });
		const said = await waitFor('the decisions are in the activity', async () => {
			const all = await sentences(post);
			return all.some((s) => s.startsWith('Erin approved')) ? all : null;
		});
		expect(said).toContain('Eddie approved “Post” in Approve outline: Good angle');
		expect(said).toContain('Erin approved “Post” in Approve outline');
	});

	it('shows finished steps with when the card entered and left them and who held it then', async () => {
		const done = (await steps(post)).filter((s) => s.status === 'done');
		expect(done.map((s) => s.name)).toEqual(['Keyword research', 'Outline', 'Approve outline']);
		for (const s of done) {
			expect(Date.parse(s.enteredAt!)).toBeLessThanOrEqual(Date.parse(s.leftAt!));
			// A finished step shows the day it was left.
			expect(s.plannedDue).toBe(s.leftAt!.slice(0, 10));
		}
		expect(done[0]!.owners).toEqual([]);
		expect(done[1]!.owners).toEqual([ids.sam]);
		expect(done[1]!.leftAt).toBe(done[2]!.enteredAt);
	});

	it('voids approvals when the content changes, and a change request sends the card back to the named stage and its role holder', async () => {
		const cmd = boardCommands(olivia.doc, { userId: ids.olivia, now: () => new Date() });
		const second = cmd.addCard(stage.approve, 'Second post');
		await waitFor('the server has the second card', async () => (await planOf('olivia', second)).status === 200);
		expect((await decide('eddie', second, { stageId: stage.approve, outcome: 'approve' })).json).toEqual({ status: 'pending', approvals: 1, needed: 2 });
		expect((await decide('erin', second, { stageId: stage.approve, outcome: 'approve' })).json).toEqual({ status: 'approved', approvals: 2, needed: 2 });
		cmd.setTitle(second, 'Second post, shorter');
		const voided = await waitFor('the approvals are void after the edit', async () => {
			const approval = (await steps(second)).find((s) => s.stageId === stage.approve)!.approval;
			return approval.status === 'pending' ? approval : null;
		});
		expect(voided).toMatchObject({ approvals: 0, needed: 2 });
		expect((voided!.decisions as unknown[]).length).toBe(2);

		expect(await decide('eddie', second, { stageId: stage.approve, outcome: 'changes', comment: 'Cut the intro' })).toEqual({ status: 200, json: { status: 'changes_requested', approvals: 0, needed: 2 } });
		await waitFor('everyone sees it back in Outline, with the writer', () => {
			const card = sam.snapshot().cards[second];
			return card?.stageId === stage.outline && card.owners.includes(ids.sam) && card.handoff?.stageId === stage.outline;
		});
		const history = await waitFor('history has the decision and the hand-off', async () => {
			const rows = await events(second);
			return rows.some((e) => e.type === 'handed_off') ? rows : null;
		});
		expect(history!.filter((e) => e.type === 'signoff_decided').map((e) => [e.actor, e.data.outcome, e.data.comment])).toEqual([
			[ids.eddie, 'approve', ''],
			[ids.erin, 'approve', ''],
			[ids.eddie, 'changes', 'Cut the intro']
		]);
		expect(history!.find((e) => e.type === 'handed_off')).toMatchObject({ actor: ids.eddie, data: { stageId: stage.outline, userId: ids.sam } });
		const said = await sentences(second);
		expect(said).toContain('Eddie requested changes on “Second post, shorter”: Cut the intro');
		// Deciding on a card that is no longer in that stage changes nothing.
		expect(await decide('erin', second, { stageId: stage.approve, outcome: 'approve' })).toEqual({ status: 409, json: { message: 'The card is no longer in that stage; reload to see where it is.' } });
	});

	it('undoes a decision a client forges into the document: its sender is told, the document and history have none', async () => {
		const cmd = boardCommands(olivia.doc, { userId: ids.olivia, now: () => new Date() });
		const third = cmd.addCard(stage.approve, 'Third post');
		await waitFor('the server has the third card', async () => (await planOf('olivia', third)).status === 200);
		const forged = { decisions: [{ userId: ids.eddie, outcome: 'approve', at: new Date().toISOString(), comment: '' }], contentAt: null };
		olivia.doc.transact(() => boardMaps(olivia.doc).signoffs.set(cardKey(third, stage.approve), forged));
		await waitFor('Olivia is told the forged decision was undone', () => olivia.notices.some((n) => n.type === 'refused' && n.cardId === third && n.message === FORGED_MESSAGE));
		await waitFor('her copy no longer has it', () => !boardMaps(olivia.doc).signoffs.has(cardKey(third, stage.approve)));
		expect(sam.snapshot().cards[third]?.signoffs).toEqual({});
		expect((await steps(third)).find((s) => s.stageId === stage.approve)!.approval).toMatchObject({ status: 'pending', decisions: [] });
		// History was written for the card (its creation) and holds no decision.
		const history = await waitFor('the third card’s history is stored', async () => {
			const rows = await events(third);
			return rows.length > 0 ? rows : null;
		});
		expect(history!.map((e) => e.type)).not.toContain('signoff_decided');
	});

	it('viewers may read plans but not decide (403); strangers learn nothing about the board (404)', async () => {
		expect(await decide('vic', post, { stageId: stage.approve, outcome: 'approve' })).toEqual({ status: 403, json: { message: 'Viewers cannot change this board. Ask an owner for editor access.' } });
		expect((await planOf('vic', post)).status).toBe(200);
		expect((await decide('stranger', post, { stageId: stage.approve, outcome: 'approve' })).status).toBe(404);
		expect((await planOf('stranger', post)).status).toBe(404);
		expect((await api('stranger', 'GET', `/api/boards/no-such-board/cards/${post}/plan`)).status).toBe(404);
		expect((await planOf('olivia', 'no-such-card')).status).toBe(404);
		expect((await decide('eddie', 'no-such-card', { stageId: stage.approve, outcome: 'approve' })).status).toBe(404);
		expect((await fetch(`${server.url}/api/boards/${boardId}/cards/${post}/plan`)).status).toBe(401);
	});

	it('holdings count only while the person is a member: removing a holder takes them out of the document’s team roles', async () => {
		await teamRole('Reviewer', ['vic', 'sam']);
		await waitFor('Vic holds Reviewer in the document', () => teamRolesIn(sam.doc).Reviewer?.includes(ids.vic));
		expect(await settings('removeMember', [['id', ids.vic]])).toBe(200);
		await waitFor('Vic no longer holds it', () => teamRolesIn(sam.doc).Reviewer?.length === 1);
		expect(teamRolesIn(olivia.doc).Reviewer).toEqual([ids.sam]);
	});
});
