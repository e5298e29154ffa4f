import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, like } from 'drizzle-orm';
import { createScratchPostgres, dbKinds, migrationsFolder } from '../helpers/db.ts';
import { tempDataDir } from '../helpers/server.ts';
import { FakeClock } from '../helpers/clock.ts';
import { connectBoard, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { startFlowdeck, type Flowdeck } from '../../server/app.ts';
import { DEFAULT_SYNC_OPTIONS } from '../../server/sync/options.ts';
import { hardenServer } from '../../server/sync/harden.ts';
import { signUp } from '../../src/lib/server/accounts.ts';
import { createSession } from '../../src/lib/server/auth/sessions.ts';
import { SESSION_COOKIE } from '../../src/lib/server/auth/cookie.ts';
import { createBoard } from '../../src/lib/server/boards/boards.ts';
import { acceptInvite, createInvite } from '../../src/lib/server/boards/invites.ts';
import { addTeamRole, setProcessOwner, setTeamRoleHolders } from '../../src/lib/server/boards/team-roles.ts';
import { decideOnCard } from '../../src/lib/server/process/card-process.ts';
import { notifications } from '../../src/lib/server/db/schema/notifications.ts';
import { jobs } from '../../src/lib/server/db/schema/jobs.ts';
import { inboxStream } from '../../src/lib/server/notifications/stream.ts';
import { markRead, readInbox } from '../../src/lib/server/notifications/inbox.ts';
import { unreadCount } from '../../src/lib/server/notifications/notify.ts';
import { getReminderSettings, saveReminderSettings } from '../../src/lib/server/notifications/reminder-settings.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { processCommands } from '../../src/lib/board/doc/process-commands.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { addDays, dayInZone } from '../../src/lib/board/plan/working-days.ts';
import { endOfDayIn } from '../../src/lib/notifications/due-items.ts';
import type { InboxPush } from '../../src/lib/notifications/kinds.ts';
import type { StepSettings } from '../../src/lib/board/types.ts';

const HOUR = 3_600_000;
const MINUTE = 60_000;

type Location = { databaseUrl: string | undefined; dataDir: string };

/** The backend on `at` (kept across restarts), on a real HTTP server for sync sockets, with the test's clock; jobs run only on `runDue`. */
async function boot(at: Location, clock: FakeClock): Promise<{ app: Flowdeck; url: string; close(): Promise<void> }> {
	const app = await startFlowdeck({ port: 0, host: '127.0.0.1', origin: undefined, redisUrl: undefined, migrationsFolder, ...at, sync: { ...DEFAULT_SYNC_OPTIONS, unloadGraceMs: 100 } }, { clock, pollJobs: false });
	const server: Server = createServer((_req, res) => {
		res.statusCode = 404;
		res.end();
	});
	server.on('upgrade', (req, socket, head) => {
		if (!app.handleUpgrade(req, socket, head)) socket.destroy();
	});
	hardenServer(server, { handshakeTimeoutMs: DEFAULT_SYNC_OPTIONS.handshakeTimeoutMs });
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		app,
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		async close() {
			const closed = new Promise<void>((resolve) => server.close(() => resolve()));
			server.closeAllConnections();
			await app.close();
			await closed;
		}
	};
}

describe.each(dbKinds())('notifications and reminders (%s)', (kind) => {
	// Near the real time: the engine stamps some things (a blocker's time) with its own clock.
	const clock = new FakeClock(Math.floor(Date.now() / MINUTE) * MINUTE);
	let at: Location;
	let drop: () => Promise<void> | void = () => {};
	let fd: Awaited<ReturnType<typeof boot>>;
	const clients: SyncClient[] = [];
	const people = {} as Record<'alice' | 'bob' | 'carol', { id: string; cookie: string }>;
	let boardId = '';
	let alice: SyncClient;
	let stages: { todo: string; doing: string; review: string; design: string; done: string };
	let timeZone = 'UTC';

	const db = () => fd.app.ctx.db;
	const cmd = () => boardCommands(alice.doc, { userId: people.alice.id, now: () => clock.now() });
	const process_ = () => processCommands(alice.doc, { userId: people.alice.id, now: () => clock.now() });
	/** Every notification of `userId`, oldest first. */
	const inboxOf = (userId: string) => db().select().from(notifications).where(eq(notifications.userId, userId)).orderBy(notifications.id);
	const ofKind = async (userId: string, kind: string, cardId?: string) => (await inboxOf(userId)).filter((n) => n.kind === kind && (!cardId || n.cardId === cardId));
	/** Waits until the server holds what the client wrote and every extension (notifications included) finished with it. */
	async function settled(check: () => Promise<boolean>): Promise<void> {
		await waitFor('the server applied the change', check);
		await fd.app.rooms.peek(boardId)?.flush();
	}
	const serverCard = async (cardId: string) => (await fd.app.rooms.readBoard(boardId, { kind: 'card', cardId })).card;
	/** A new card owned by Bob (added by Alice), fully settled on the server. */
	async function bobsCard(title: string, stageId = stages.todo): Promise<string> {
		const card = cmd().addCard(stageId, title);
		cmd().addOwner(card, people.bob.id);
		await settled(async () => (await serverCard(card))?.owners.includes(people.bob.id) ?? false);
		return card;
	}
	/** A due date `days` days ahead in the board's time zone, and the moment it falls due. */
	const dueIn = (days: number) => {
		const day = addDays(dayInZone(clock.now(), timeZone), days);
		return { day, dueAt: endOfDayIn(day, timeZone).getTime() };
	};
	const setClock = (ms: number) => clock.advance(ms - clock.now().getTime());

	beforeAll(async () => {
		if (kind === 'postgres') {
			const pg = await createScratchPostgres();
			at = { databaseUrl: pg.url, dataDir: '' };
			drop = () => pg.drop();
		} else {
			const dir = tempDataDir();
			at = { databaseUrl: undefined, dataDir: dir.dir };
			drop = () => dir.remove();
		}
		fd = await boot(at, clock);
		for (const name of ['alice', 'bob', 'carol'] as const) {
			const id = await signUp(db(), { name: name[0]!.toUpperCase() + name.slice(1), email: `${name}-${Math.random().toString(36).slice(2, 8)}@example.com`, password: 'plum-orbit-cactus-91' }, clock.now());
			const { token } = await createSession(db(), id, clock.now());
			people[name] = { id, cookie: `${SESSION_COOKIE}=${token}` };
		}
		boardId = await createBoard(db(), people.alice.id, 'Launch', clock.now());
		for (const who of ['bob', 'carol'] as const) {
			const { token } = await createInvite(db(), boardId, people.alice.id, { role: 'editor', days: 7 }, clock.now());
			await acceptInvite(db(), token, people[who].id, clock.now());
		}
		alice = connectBoard(fd.url, boardId, { cookie: people.alice.cookie });
		clients.push(alice);
		await alice.synced();
		const [todo, doing, done] = readSnapshot(alice.doc).stages.map((s) => s.id);
		const review = cmd().addStage('Review', 'wait');
		const design = cmd().addStage('Design', 'active');
		const approval: StepSettings['approval'] = { approvers: { userIds: [people.carol.id], role: null }, quorum: 1, onChanges: { sendTo: null }, onReject: { archive: false, sendTo: null } };
		process_().setStageStep(review, { ownerRole: null, offset: null, unit: 'calendar', approval });
		process_().setStageStep(design, { ownerRole: 'Designer', offset: null, unit: 'calendar', approval: null });
		stages = { todo: todo!, doing: doing!, review, design, done: done! };
		timeZone = readSnapshot(alice.doc).process.timeZone;
		await settled(async () => (await fd.app.rooms.readBoard(boardId, { kind: 'workflow' })).stages.some((s) => s.id === design && s.step?.ownerRole === 'Designer'));
	}, 60_000);

	afterAll(async () => {
		for (const c of clients) c.destroy();
		await fd?.close();
		await drop();
	});

	it('tells a person assigned by hand, once, naming the card and the board; nobody is told they assigned themself', async () => {
		const card = await bobsCard('Spring launch post');
		cmd().addOwner(card, people.alice.id);
		await settled(async () => (await serverCard(card))?.owners.includes(people.alice.id) ?? false);
		const told = await ofKind(people.bob.id, 'assigned', card);
		expect(told).toHaveLength(1);
		expect(told[0]!.title).toBe('Alice assigned you “Spring launch post” on Launch');
		expect(told[0]!.data).toMatchObject({ cardId: card, cardTitle: 'Spring launch post', by: people.alice.id });
		expect(told[0]!.ruleId).toBe('process');
		expect(await ofKind(people.alice.id, 'assigned', card)).toEqual([]);
		// The inbox groups it under its card, with the board's name.
		const inbox = await readInbox(db(), people.bob.id);
		expect(inbox.groups.find((g) => g.cardId === card)).toMatchObject({ boardName: 'Launch', cardTitle: 'Spring launch post', unread: 1 });
	});

	it('tells the person a hand-off or a rule assigned, recording which of them did it', async () => {
		const write = cmd().addStage('Write', 'active');
		process_().setStageStep(write, { ownerRole: 'Writer', offset: null, unit: 'calendar', approval: null });
		const roleId = await addTeamRole(db(), boardId, people.alice.id, 'Writer', clock.now(), fd.app.ctx.teamRoles);
		await setTeamRoleHolders(db(), boardId, people.alice.id, roleId, [people.bob.id], fd.app.ctx.teamRoles);
		await waitFor('the role is mirrored into the board', () => readSnapshot(alice.doc).process.teamRoles.Writer?.length === 1);
		const card = cmd().addCard(stages.todo, 'Customer story');
		cmd().moveCard(card, write, 0);
		await settled(async () => (await serverCard(card))?.owners.includes(people.bob.id) ?? false);
		const handed = await ofKind(people.bob.id, 'assigned', card);
		expect(handed.map((n) => [n.title, n.ruleId, n.data.via])).toEqual([['“Customer story” on Launch was handed to you (Writer)', 'process', 'process']]);

		await fd.app.rooms.applyAsServer(boardId, { kind: 'automation', actorId: null, rule: { id: 'rule-assign-carol', depth: 0 } }, [{ name: 'addOwner', args: [card, people.carol.id] }]);
		const byRule = await ofKind(people.carol.id, 'assigned', card);
		expect(byRule.map((n) => [n.title, n.ruleId])).toEqual([['A rule assigned you “Customer story” on Launch', 'rule-assign-carol']]);
		cmd().deleteStage(write, stages.todo);
	});

	it('asks the approver when a card enters a sign-off step, and tells the owner the decision', async () => {
		const card = await bobsCard('Pricing page');
		cmd().moveCard(card, stages.review, 0);
		await settled(async () => (await serverCard(card))?.stageId === stages.review);
		const asked = await ofKind(people.carol.id, 'approval_requested', card);
		expect(asked.map((n) => n.title)).toEqual(['Your approval is requested: “Pricing page” on Launch (Review)']);
		// The owner is not an approver of their own card.
		expect(await ofKind(people.bob.id, 'approval_requested', card)).toEqual([]);

		await decideOnCard(db(), fd.app.ctx.documents, boardId, people.carol.id, card, { stageId: stages.review, outcome: 'approve', comment: 'Ship it' });
		await fd.app.rooms.peek(boardId)?.flush();
		const decided = await ofKind(people.bob.id, 'decision', card);
		expect(decided).toHaveLength(1);
		expect(decided[0]).toMatchObject({ title: 'Carol approved “Pricing page” on Launch (Review)', body: 'Ship it' });
		expect(await ofKind(people.carol.id, 'decision', card)).toEqual([]);
	});

	it('tells the process owner (else the board owners) when nobody holds the role a step needs', async () => {
		const card = await bobsCard('Hero image');
		cmd().moveCard(card, stages.design, 0);
		await settled(async () => (await serverCard(card))?.handoff?.stageId === stages.design);
		// Without a process owner set, the board's owner hears of it.
		const boardOwnerTold = await waitFor('the owner is told', async () => {
			const rows = await ofKind(people.alice.id, 'unstaffed', card);
			return rows.length > 0 ? rows : null;
		});
		expect(boardOwnerTold[0]!.title).toBe('No one holds the role “Designer” that “Hero image” on Launch needs in Design');

		await setProcessOwner(db(), boardId, people.alice.id, people.carol.id);
		cmd().moveCard(card, stages.todo, 0);
		cmd().moveCard(card, stages.design, 0);
		await waitFor('the process owner is told', async () => (await ofKind(people.carol.id, 'unstaffed', card)).length === 1);
		await fd.app.rooms.peek(boardId)?.flush();
		expect(await ofKind(people.alice.id, 'unstaffed', card)).toHaveLength(1);
	});

	it('reminds the owner 48 and 24 hours before the due date and when it is overdue, each once', async () => {
		const card = await bobsCard('Newsletter');
		const { day, dueAt } = dueIn(4);
		cmd().setDue(card, day);
		await settled(async () => (await serverCard(card))?.due === day);
		expect(await fd.app.jobs.runDue()).toBe(0);
		expect(await ofKind(people.bob.id, 'due_soon', card)).toEqual([]);

		setClock(dueAt - 48 * HOUR + MINUTE);
		await fd.app.jobs.runDue();
		expect((await ofKind(people.bob.id, 'due_soon', card)).map((n) => [n.title, n.data.hours])).toEqual([[`“Newsletter” on Launch is due in 48 hours (${day})`, 48]]);

		setClock(dueAt - 24 * HOUR + MINUTE);
		await fd.app.jobs.runDue();
		expect((await ofKind(people.bob.id, 'due_soon', card)).map((n) => n.data.hours)).toEqual([48, 24]);
		expect(await ofKind(people.bob.id, 'overdue', card)).toEqual([]);

		setClock(dueAt + MINUTE);
		await fd.app.jobs.runDue();
		expect((await ofKind(people.bob.id, 'overdue', card)).map((n) => n.title)).toEqual([`“Newsletter” on Launch is overdue (due ${day})`]);
		// Nothing is sent twice, and the reminders count as the process's work.
		expect(await fd.app.jobs.runDue()).toBe(0);
		expect(await ofKind(people.bob.id, 'due_soon', card)).toHaveLength(2);
		expect((await ofKind(people.bob.id, 'overdue', card)).every((n) => n.ruleId === 'process')).toBe(true);
	});

	it('reminds the owner of the step a card is in, and stops once the card is done', async () => {
		const card = await bobsCard('Landing page copy');
		cmd().moveCard(card, stages.review, 0);
		const { day, dueAt } = dueIn(3);
		process_().setStepDue(card, stages.review, day);
		await settled(async () => (await serverCard(card))?.stepDues[stages.review] === day);
		setClock(dueAt - 48 * HOUR + MINUTE);
		await fd.app.jobs.runDue();
		const sent = await ofKind(people.bob.id, 'due_soon', card);
		expect(sent.map((n) => [n.title, n.data.step])).toEqual([[`The Review step of “Landing page copy” on Launch is due in 48 hours (${day})`, stages.review]]);

		cmd().moveCard(card, stages.done, 0);
		await settled(async () => (await serverCard(card))?.stageId === stages.done);
		setClock(dueAt + MINUTE);
		await fd.app.jobs.runDue();
		expect(await ofKind(people.bob.id, 'due_soon', card)).toHaveLength(1);
		expect(await ofKind(people.bob.id, 'overdue', card)).toEqual([]);
	});

	it('follows a changed due date: the old reminders lapse, the new date gets its own', async () => {
		const card = await bobsCard('Webinar');
		const first = dueIn(5);
		cmd().setDue(card, first.day);
		await settled(async () => (await serverCard(card))?.due === first.day);
		const second = dueIn(8);
		cmd().setDue(card, second.day);
		await settled(async () => (await serverCard(card))?.due === second.day);

		setClock(first.dueAt - 48 * HOUR + MINUTE);
		await fd.app.jobs.runDue();
		setClock(first.dueAt + MINUTE);
		await fd.app.jobs.runDue();
		expect(await ofKind(people.bob.id, 'due_soon', card)).toEqual([]);
		expect(await ofKind(people.bob.id, 'overdue', card)).toEqual([]);

		setClock(second.dueAt - 48 * HOUR + MINUTE);
		await fd.app.jobs.runDue();
		expect((await ofKind(people.bob.id, 'due_soon', card)).map((n) => n.data.due)).toEqual([second.day]);
	});

	it('tells the owner and the process owner about a card blocked longer than the board allows, unless it was unblocked', async () => {
		const formOf = (fields: Record<string, string>) => {
			const f = new FormData();
			for (const [k, v] of Object.entries(fields)) f.set(k, v);
			return f;
		};
		await saveReminderSettings(db(), boardId, people.alice.id, formOf({ reminderHours: '48, 24', blockedAlertHours: '6' }));
		const stuck = await bobsCard('Press kit');
		const freed = await bobsCard('Partner list');
		cmd().setBlocked(stuck, 'Waiting for legal');
		cmd().setBlocked(freed, 'Waiting for the partner');
		await settled(async () => (await serverCard(freed))?.blocked !== null);
		cmd().setBlocked(freed, null);
		await settled(async () => (await serverCard(freed))?.blocked === null);

		clock.advance(6 * HOUR + MINUTE);
		await fd.app.jobs.runDue();
		const toBob = await ofKind(people.bob.id, 'blocked_long', stuck);
		expect(toBob.map((n) => n.title)).toEqual(['“Press kit” on Launch has been blocked for over 6 hours']);
		expect(toBob[0]!.body).toContain('Waiting for legal');
		expect(await ofKind(people.carol.id, 'blocked_long', stuck)).toHaveLength(1); // the process owner
		expect(await ofKind(people.bob.id, 'blocked_long', freed)).toEqual([]);
	});

	it('refuses bad reminder settings with a message per field and saves nothing', async () => {
		const f = new FormData();
		f.set('reminderHours', '72, 48, 24, 12, 6');
		f.set('blockedAlertHours', '0');
		const refusal = (form: FormData) => saveReminderSettings(db(), boardId, people.alice.id, form).then(() => null, (e: unknown) => e as { fields?: Record<string, string> });
		const err = await refusal(f);
		expect(err?.fields).toEqual({ reminderHours: 'Give at most 4 reminder times.', blockedAlertHours: 'The blocked alert must be at least 1 hour.' });
		f.set('reminderHours', '24, 800');
		f.set('blockedAlertHours', '4');
		const tooLong = await refusal(f);
		expect(tooLong?.fields?.reminderHours).toMatch(/at most 720 hours/);
		// Bob is an editor, not an owner.
		f.set('reminderHours', '24');
		await expect(saveReminderSettings(db(), boardId, people.bob.id, f)).rejects.toMatchObject({ code: 'forbidden' });
		expect(await getReminderSettings(db(), boardId)).toEqual({ reminderHours: [48, 24], blockedAlertHours: 6 });
	});

	it('streams the unread count live, and mark read lowers it', async () => {
		const abort = new AbortController();
		const response = inboxStream(fd.app.ctx.hub, people.bob.id, () => unreadCount(db(), people.bob.id), abort.signal, 50);
		expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
		const reader = response.body!.getReader();
		const decoder = new TextDecoder();
		let text = '';
		const pushes = (): InboxPush[] => [...text.matchAll(/^event: inbox\ndata: (.*)$/gm)].map((m) => JSON.parse(m[1]!) as InboxPush);
		const readUntil = async (done: () => boolean) => {
			while (!done()) {
				const { value, done: ended } = await reader.read();
				if (ended) throw new Error('the stream ended');
				text += decoder.decode(value, { stream: true });
			}
		};
		const before = await unreadCount(db(), people.bob.id);
		await readUntil(() => pushes().length >= 1);
		expect(pushes()[0]).toEqual({ unread: before });

		await bobsCard('Case study');
		await readUntil(() => pushes().some((p) => p.entry?.title === 'Alice assigned you “Case study” on Launch'));
		expect(pushes().at(-1)!.unread).toBe(before + 1);

		await markRead(fd.app.ctx, people.bob.id, { all: true });
		await readUntil(() => pushes().at(-1)!.unread === 0);
		// A comment now and then keeps proxies from closing a quiet stream.
		await readUntil(() => text.includes(': keep-alive\n\n'));
		abort.abort();
		expect((await reader.read()).done).toBe(true);
		// Carol's unread entries are untouched by Bob's "mark all read".
		expect(await unreadCount(db(), people.carol.id)).toBeGreaterThan(0);
		const [carols] = await db().select({ id: notifications.id }).from(notifications).where(and(eq(notifications.userId, people.carol.id)));
		await markRead(fd.app.ctx, people.bob.id, { id: carols!.id });
		expect(await unreadCount(db(), people.carol.id)).toBeGreaterThan(0);
	});

	it('schedules the reminders of due dates it has no job for when the board loads', async () => {
		const card = await bobsCard('Brand guide');
		const { day, dueAt } = dueIn(10);
		cmd().setDue(card, day);
		await settled(async () => (await serverCard(card))?.due === day);
		// As if the date had been set before reminders existed (or its jobs were lost): no job for it.
		await fd.app.ctx.db.delete(jobs).where(like(jobs.key, `%:${card}:%`));
		for (const c of clients.splice(0)) c.destroy();
		await fd.close();
		fd = await boot(at, clock);
		await fd.app.rooms.readBoard(boardId, { kind: 'workflow' });
		await fd.app.rooms.peek(boardId)?.flush();
		setClock(dueAt - 48 * HOUR + MINUTE);
		await fd.app.jobs.runDue();
		expect((await ofKind(people.bob.id, 'due_soon', card)).map((n) => n.data.hours)).toEqual([48]);
		alice = connectBoard(fd.url, boardId, { cookie: people.alice.cookie });
		clients.push(alice);
		await alice.synced();
	});

	it('sends a reminder that fell due while the server was down once, after it starts again', async () => {
		const card = await bobsCard('Annual report');
		const { day, dueAt } = dueIn(6);
		cmd().setDue(card, day);
		await settled(async () => (await serverCard(card))?.due === day);
		for (const c of clients.splice(0)) c.destroy();
		await fd.close();

		// Both thresholds passed during the outage: the nearer one is sent, once; the 48-hour one is superseded.
		setClock(dueAt - 24 * HOUR + 30 * MINUTE);
		fd = await boot(at, clock);
		await fd.app.jobs.runDue();
		await fd.app.jobs.runDue();
		const sent = await ofKind(people.bob.id, 'due_soon', card);
		expect(sent.map((n) => [n.data.hours, n.data.late])).toEqual([[24, true]]);
		// The board was loaded to check the card; loading it again schedules nothing new.
		await waitFor('the board unloads', () => !fd.app.rooms.has(boardId));
		await fd.app.rooms.readBoard(boardId, { kind: 'workflow' });
		await fd.app.rooms.peek(boardId)?.flush();
		await fd.app.jobs.runDue();
		expect(await ofKind(people.bob.id, 'due_soon', card)).toHaveLength(1);
	});
});
