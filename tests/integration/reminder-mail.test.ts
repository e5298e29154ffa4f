import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createScratchPostgres, dbKinds } from '../helpers/db.ts';
import { startInProcess, type InProcessFlowdeck } from '../helpers/in-process.ts';
import { FakeClock } from '../helpers/clock.ts';
import { startSmtpSink, type SinkMail, type SmtpSink } from '../helpers/smtp-sink.ts';
import { connectBoard, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { smtpMailer } from '../../server/mail/smtp-mailer.ts';
import { users } from '../../src/lib/server/db/schema/accounts.ts';
import { notifications } from '../../src/lib/server/db/schema/notifications.ts';
import { createBoard } from '../../src/lib/server/boards/boards.ts';
import { acceptInvite, createInvite } from '../../src/lib/server/boards/invites.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { addDays, dayInZone } from '../../src/lib/board/plan/working-days.ts';
import { endOfDayIn } from '../../src/lib/notifications/due-items.ts';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const FROM = 'Flowdeck <flowdeck@example.com>';

/** A board with Alice (owner, connected) and Bob (editor) on `fd`; Bob's email address. */
async function boardWithBob(fd: InProcessFlowdeck, clock: FakeClock) {
	const alice = await fd.user('Alice');
	const bob = await fd.user('Bob');
	const db = fd.app.ctx.db;
	const boardId = await createBoard(db, alice.id, 'Launch', clock.now());
	const { token } = await createInvite(db, boardId, alice.id, { role: 'editor', days: 7 }, clock.now());
	await acceptInvite(db, token, bob.id, clock.now());
	const [row] = await db.select({ email: users.email }).from(users).where(eq(users.id, bob.id));
	const client = connectBoard(fd.url, boardId, { cookie: alice.cookie });
	await client.synced();
	const cmd = boardCommands(client.doc, { userId: alice.id, now: () => clock.now() });
	return { boardId, bob: { ...bob, email: row!.email }, client, cmd };
}

/** Gives Bob a card due `days` days ahead (end of that day in the board's zone); resolves once the server holds it. */
async function bobsDueCard(fd: InProcessFlowdeck, board: Awaited<ReturnType<typeof boardWithBob>>, clock: FakeClock, days: number) {
	const [todo] = readSnapshot(board.client.doc).stages.map((s) => s.id);
	const zone = readSnapshot(board.client.doc).process.timeZone;
	const day = addDays(dayInZone(clock.now(), zone), days);
	const card = board.cmd.addCard(todo!, 'Spring launch post');
	board.cmd.addOwner(card, board.bob.id);
	board.cmd.setDue(card, day);
	await waitFor('the server holds the due date', async () => (await fd.app.rooms.readBoard(board.boardId, { kind: 'card', cardId: card })).card?.due === day);
	await fd.app.rooms.peek(board.boardId)?.flush();
	return { card, day, dueAt: endOfDayIn(day, zone).getTime() };
}

describe.each(dbKinds())('reminders by mail (%s)', (kind) => {
	const clock = new FakeClock(Math.floor(Date.now() / MINUTE) * MINUTE);
	let sink: SmtpSink;
	let fd: InProcessFlowdeck;
	const clients: SyncClient[] = [];

	beforeAll(async () => {
		sink = await startSmtpSink();
		fd = await startInProcess(kind, { unloadGraceMs: 100 }, { clock, pollJobs: false, mailer: smtpMailer(sink.url, FROM) });
	}, 60_000);
	afterAll(async () => {
		for (const c of clients) c.destroy();
		await fd?.close();
		await sink?.close();
	});

	it('mails the owner the assignment, then 48 and 24 hours before the due date under a fake clock, each once', async () => {
		const board = await boardWithBob(fd, clock);
		clients.push(board.client);
		const { day, dueAt } = await bobsDueCard(fd, board, clock, 4);
		const toBob = (m: SinkMail) => m.to.includes(board.bob.email);

		await fd.app.jobs.runDue();
		const assigned = await sink.waitForMail((m) => toBob(m) && /assigned you/.test(m.subject));
		expect(assigned.text).toContain('Spring launch post');
		expect(sink.mails.filter(toBob).some((m) => /due in/.test(m.subject))).toBe(false);

		clock.advance(dueAt - 48 * HOUR + MINUTE - clock.now().getTime());
		await fd.app.jobs.runDue();
		await fd.app.jobs.runDue(); // the reminder job made the mail job
		const in48 = await sink.waitForMail((m) => toBob(m) && m.subject.includes('due in 48 hours'));
		expect(in48.subject).toContain(day);
		expect(in48.headers.get('list-unsubscribe')).toMatch(/\/unsubscribe\//);

		clock.advance(dueAt - 24 * HOUR + MINUTE - clock.now().getTime());
		await fd.app.jobs.runDue();
		await fd.app.jobs.runDue();
		await sink.waitForMail((m) => toBob(m) && m.subject.includes('due in 24 hours'));

		// Running again sends nothing more: one mail per threshold.
		expect(await fd.app.jobs.runDue()).toBe(0);
		expect(sink.mails.filter((m) => toBob(m) && /due in/.test(m.subject)).map((m) => m.subject.match(/due in (\d+) hours/)![1])).toEqual(['48', '24']);
	});
});

describe.skipIf(!dbKinds().includes('postgres'))('two server processes on one PostgreSQL', () => {
	const clock = new FakeClock(Math.floor(Date.now() / MINUTE) * MINUTE);
	let sink: SmtpSink;
	let first: InProcessFlowdeck;
	let second: InProcessFlowdeck;
	let scratch: { url: string; drop(): Promise<void> };
	const clients: SyncClient[] = [];

	beforeAll(async () => {
		sink = await startSmtpSink();
		scratch = await createScratchPostgres();
		const overrides = { clock, pollJobs: false, mailer: smtpMailer(sink.url, FROM) };
		// The first serves the board's sockets; the second shares only the database (and so the job queue).
		[first, second] = await Promise.all([startInProcess({ databaseUrl: scratch.url }, { unloadGraceMs: 100 }, overrides), startInProcess({ databaseUrl: scratch.url }, { unloadGraceMs: 100 }, overrides)]);
	}, 60_000);
	afterAll(async () => {
		for (const c of clients) c.destroy();
		await second?.close();
		await first?.close();
		await scratch?.drop();
		await sink?.close();
	});

	it('never send the same reminder twice, however their runners race', async () => {
		const board = await boardWithBob(first, clock);
		clients.push(board.client);
		const { card, dueAt } = await bobsDueCard(first, board, clock, 3);
		clock.advance(dueAt - 48 * HOUR + MINUTE - clock.now().getTime());
		// Both runners claim due work at once, twice (reminders, then their mail).
		for (let round = 0; round < 3; round++) await Promise.all([first.app.jobs.runDue(), second.app.jobs.runDue()]);
		const reminders = await first.app.ctx.db
			.select()
			.from(notifications)
			.where(and(eq(notifications.userId, board.bob.id), eq(notifications.cardId, card), eq(notifications.kind, 'due_soon')));
		expect(reminders.map((n) => n.data.hours)).toEqual([48]);
		await sink.waitForMail((m) => m.to.includes(board.bob.email) && m.subject.includes('due in 48 hours'));
		await Promise.all([first.app.jobs.runDue(), second.app.jobs.runDue()]);
		expect(sink.mails.filter((m) => m.to.includes(board.bob.email) && m.subject.includes('due in 48 hours'))).toHaveLength(1);
	});
});
