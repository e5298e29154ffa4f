import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createScratchPostgres, dbKinds, migrationsFolder } from '../helpers/db.ts';
import { freePort, startServer, tempDataDir, type TestServer } from '../helpers/server.ts';
import { HttpClient } from '../helpers/http-client.ts';
import { FakeClock } from '../helpers/clock.ts';
import { startSmtpSink, type SinkMail, type SmtpSink } from '../helpers/smtp-sink.ts';
import { startFlowdeck, type Flowdeck } from '../../server/app.ts';
import { smtpMailer } from '../../server/mail/smtp-mailer.ts';
import { DEFAULT_SYNC_OPTIONS } from '../../server/sync/options.ts';
import { signUp } from '../../src/lib/server/accounts.ts';
import { createBoard } from '../../src/lib/server/boards/boards.ts';
import { acceptInvite, createInvite } from '../../src/lib/server/boards/invites.ts';
import { jobs } from '../../src/lib/server/db/schema/jobs.ts';
import { mailLog, passwordResets } from '../../src/lib/server/db/schema/notifications.ts';
import { channelFor } from '../../src/lib/server/notifications/notify.ts';
import { oneClickUnsubscribe } from '../../server/mail/one-click.ts';
import { unsubscribeToken } from '../../src/lib/server/mail/unsubscribe.ts';
import { openDatabase } from '../../src/lib/server/db/client.ts';
import { parseMailPrefs, saveMailPrefs } from '../../src/lib/server/mail/prefs.ts';
import { enqueueMail } from '../../src/lib/server/mail/jobs.ts';
import { requestPasswordReset, resetPassword, resetTokenValid } from '../../src/lib/server/mail/password-reset.ts';
import { notificationKinds } from '../../src/lib/notifications/kinds.ts';

const ORIGIN = 'http://flowdeck.test';
const SECOND = 1000;

/** The settings form as the page posts it: every kind at `channel`, and the digest as given. */
function prefsForm(channel: string, digest: { on: boolean; hour: number; timeZone: string }): FormData {
	const form = new FormData();
	for (const kind of notificationKinds) form.set(`channel.${kind}`, channel);
	if (digest.on) form.set('digest', 'on');
	form.set('digestHour', String(digest.hour));
	form.set('timeZone', digest.timeZone);
	return form;
}

describe.each(dbKinds())('email (%s)', (kind) => {
	let sink: SmtpSink;
	let app: Flowdeck;
	const clock = new FakeClock(Date.parse('2026-03-02T09:00:00Z'));
	let drop: () => Promise<void> | void = () => {};
	let boardId = '';
	let ownerId = '';
	let n = 0;

	/** A fresh account (its own inbox in the sink). */
	async function person(name: string): Promise<{ id: string; email: string }> {
		const email = `${name.toLowerCase()}-${++n}@example.com`;
		const id = await signUp(app.ctx.db, { name, email, password: 'plum-orbit-cactus-91' }, clock.now());
		return { id, email };
	}
	const mailsTo = (email: string): SinkMail[] => sink.mails.filter((m) => m.to.includes(email));

	beforeAll(async () => {
		sink = await startSmtpSink();
		let at: { databaseUrl: string | undefined; dataDir: string };
		if (kind === 'postgres') {
			const pg = await createScratchPostgres();
			at = { databaseUrl: pg.url, dataDir: '' };
			drop = () => pg.drop();
		} else {
			const dir = tempDataDir();
			at = { databaseUrl: undefined, dataDir: dir.dir };
			drop = () => dir.remove();
		}
		app = await startFlowdeck(
			{ port: 0, host: '127.0.0.1', origin: ORIGIN, redisUrl: undefined, migrationsFolder, ...at, sync: DEFAULT_SYNC_OPTIONS },
			{ clock, pollJobs: false, mailer: smtpMailer(sink.url, 'Flowdeck <flowdeck@example.com>') }
		);
		const owner = await person('Owner');
		ownerId = owner.id;
		boardId = await createBoard(app.ctx.db, owner.id, 'Launch', clock.now());
	});
	afterAll(async () => {
		await app?.close();
		await drop();
		await sink?.close();
	});

	it('mails an assignment as HTML and text, escaped, with a card link and one-click unsubscribe headers', async () => {
		const sam = await person('Sam');
		const id = await app.ctx.notify({ userId: sam.id, kind: 'assigned', title: 'Ada assigned you “<script>alert(1)</script>”', body: 'Due <b>Friday</b>', boardId, cardId: 'card1' });
		expect(id).not.toBeNull();
		await app.jobs.runDue();
		const mail = await sink.waitForMail((m) => m.to.includes(sam.email));
		expect(mail.subject).toBe('Ada assigned you “<script>alert(1)</script>”');
		expect(mail.html).not.toContain('<script>');
		expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
		expect(mail.html).toContain('Due &lt;b&gt;Friday&lt;/b&gt;');
		expect(mail.html).toContain(`href="${ORIGIN}/b/${boardId}?card=card1"`);
		expect(mail.text).toContain('Due <b>Friday</b>');
		expect(mail.text).toContain(`${ORIGIN}/b/${boardId}?card=card1`);
		expect(mail.headers.get('list-unsubscribe')).toMatch(new RegExp(`^<${ORIGIN}/unsubscribe/[^>]+>$`));
		expect(mail.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
		const [row] = await app.ctx.db.select().from(mailLog).where(eq(mailLog.notificationId, id!));
		expect(row).toMatchObject({ status: 'sent', attempts: 1, toAddress: sam.email, kind: 'assigned', lastError: null });
		expect(row!.messageId).toBe(mail.messageId);
	});

	it('the unsubscribe link turns email off for that kind: the next one of that kind sends nothing', async () => {
		const kim = await person('Kim');
		await app.ctx.notify({ userId: kim.id, kind: 'mention', title: 'Ada mentioned you', boardId });
		await app.jobs.runDue();
		const mail = await sink.waitForMail((m) => m.to.includes(kim.email));
		const url = /^<([^>]+)>$/.exec(mail.headers.get('list-unsubscribe')!)![1]!;
		const token = url.split('/').pop()!;
		// The RFC 8058 POST a mail provider makes from its own servers: no Origin, no cookie, no CSRF token.
		const server = createServer((req, res) => {
			if (!oneClickUnsubscribe(app.ctx.db, () => {})(req, res)) res.writeHead(418).end();
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		const post = (t: string, headers: Record<string, string> = {}) =>
			fetch(`${base}/unsubscribe/${t}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: 'List-Unsubscribe=One-Click' });
		try {
			expect((await post(`${token.slice(0, -2)}xx`)).status).toBe(404);
			expect((await post(token.replace('.mention.', '.assigned.'))).status).toBe(404);
			// Our own confirm page posts same-origin: that goes on to SvelteKit's action, not this handler.
			expect((await post(token, { origin: base })).status).toBe(418);
			const done = await post(token);
			expect(done.status).toBe(200);
			expect(await done.text()).toContain('Mentioned in a comment');
		} finally {
			server.close();
		}
		expect(await channelFor(app.ctx.db, kim.id, 'mention')).toBe('app');
		expect(await channelFor(app.ctx.db, kim.id, 'assigned')).toBe('both');
		const before = sink.mails.length;
		expect(await app.ctx.notify({ userId: kim.id, kind: 'mention', title: 'Ada mentioned you again', boardId })).not.toBeNull();
		await app.jobs.runDue();
		await app.ctx.notify({ userId: kim.id, kind: 'assigned', title: 'Still mailed', boardId });
		await app.jobs.runDue();
		await sink.waitForMail((m) => m.subject === 'Still mailed');
		expect(sink.mails.length).toBe(before + 1);
		expect(mailsTo(kim.email).map((m) => m.subject)).toEqual(['Ada mentioned you', 'Still mailed']);
	});

	it('a down mail server: queued, retried after the backoff, sent exactly once when it is back', async () => {
		const lee = await person('Lee');
		sink.setMode('refuse');
		const refusedBefore = sink.refused;
		const id = await app.ctx.notify({ userId: lee.id, kind: 'overdue', title: 'Overdue: press release', boardId });
		await app.jobs.runDue();
		expect(sink.refused).toBe(refusedBefore + 1);
		const log = async () => (await app.ctx.db.select().from(mailLog).where(eq(mailLog.notificationId, id!)))[0]!;
		expect(await log()).toMatchObject({ status: 'retrying', attempts: 1 });
		expect((await log()).lastError).toMatch(/451/);
		// The runner's backoff: 10 s after the first failure, nothing before. (Other modules' jobs may run too: count
		// attempts in the log, not jobs run.)
		clock.advance(9 * SECOND);
		await app.jobs.runDue();
		expect(await log()).toMatchObject({ status: 'retrying', attempts: 1 });
		clock.advance(1 * SECOND);
		sink.setMode('hangup');
		await app.jobs.runDue();
		expect(await log()).toMatchObject({ status: 'retrying', attempts: 2 });
		sink.setMode('accept');
		clock.advance(19 * SECOND);
		await app.jobs.runDue();
		expect(await log()).toMatchObject({ status: 'retrying', attempts: 2 });
		expect(mailsTo(lee.email)).toHaveLength(0);
		clock.advance(1 * SECOND);
		await app.jobs.runDue();
		await sink.waitForMail((m) => m.to.includes(lee.email));
		expect(await log()).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
		// A job whose completion was lost (the process died right after the send) runs again: the log says sent.
		const key = `mail:notification:${id}`;
		await app.ctx.db.update(jobs).set({ doneAt: null, lockedUntil: null, runAt: clock.now() }).where(eq(jobs.key, key));
		await app.jobs.runDue();
		expect((await app.ctx.db.select().from(jobs).where(eq(jobs.key, key)))[0]!.doneAt).not.toBeNull();
		clock.advance(3_600 * SECOND);
		await app.jobs.runDue();
		expect(await log()).toMatchObject({ status: 'sent', attempts: 3 });
		expect(mailsTo(lee.email)).toHaveLength(1);
	});

	it('a daily digest gathers the day’s notifications into one mail at the chosen local hour', async () => {
		const eve = await person('Eve');
		// 09:00 UTC is 10:00 in Berlin; Eve wants her digest at 18:00 Berlin time (17:00 UTC).
		await saveMailPrefs(app.ctx.db, app.ctx.jobs, eve.id, parseMailPrefs(prefsForm('email', { on: true, hour: 18, timeZone: 'Europe/Berlin' })), clock.now());
		const [scheduled] = await app.ctx.db.select().from(jobs).where(sql`${jobs.key} LIKE ${`mail:digest:${eve.id}:%`}`);
		expect(scheduled!.runAt.toISOString()).toBe('2026-03-02T17:00:00.000Z');
		await app.ctx.notify({ userId: eve.id, kind: 'assigned', title: 'Assigned: <Spring> post', boardId, cardId: 'c1' });
		await app.ctx.notify({ userId: eve.id, kind: 'due_soon', title: 'Due soon: newsletter', boardId, cardId: 'c2' });
		await app.jobs.runDue();
		expect(mailsTo(eve.email)).toHaveLength(0);
		const waiting = await app.ctx.db.select().from(mailLog).where(eq(mailLog.userId, eve.id));
		expect(waiting.map((w) => w.status)).toEqual(['digest', 'digest']);
		clock.advance(scheduled!.runAt.getTime() - clock.now().getTime() - 1);
		await app.jobs.runDue();
		expect(mailsTo(eve.email)).toHaveLength(0);
		clock.advance(1);
		await app.jobs.runDue();
		const digest = await sink.waitForMail((m) => m.to.includes(eve.email));
		expect(digest.subject).toBe('Your Flowdeck digest for 2026-03-02: 2 updates');
		expect(digest.text).toContain('Assigned: <Spring> post');
		expect(digest.text).toContain('Due soon: newsletter');
		expect(digest.html).toContain('Assigned: &lt;Spring&gt; post');
		expect(digest.html).toContain(`${ORIGIN}/b/${boardId}?card=c2`);
		const rows = await app.ctx.db.select().from(mailLog).where(eq(mailLog.userId, eve.id));
		expect(rows.map((r) => r.status).sort()).toEqual(['sent', 'sent', 'sent']);
		// The next day's digest is queued; a day with nothing to tell sends nothing.
		const next = await app.ctx.db.select().from(jobs).where(sql`${jobs.key} LIKE ${`mail:digest:${eve.id}:2026-03-03:%`}`);
		expect(next.map((j) => j.runAt.toISOString())).toEqual(['2026-03-03T17:00:00.000Z']);
		clock.advance(24 * 3_600 * SECOND);
		await app.jobs.runDue();
		expect(mailsTo(eve.email)).toHaveLength(1);
	});

	it('a send interrupted mid-exchange is never repeated, and a mail that keeps failing ends as failed', async () => {
		const max = await person('Max');
		// A process that died while talking to the SMTP server left its row at 'sending': the outcome is unknown.
		await enqueueMail(app.ctx.jobs, { to: max.email, subject: 'Interrupted', text: 't', html: '<p>t</p>' }, 'invite', max.id);
		const [job] = await app.ctx.db.select().from(jobs).where(sql`${jobs.payload}->'mail'->>'subject' = 'Interrupted'`);
		await app.ctx.db.insert(mailLog).values({ jobKey: job!.key, toAddress: max.email, subject: 'Interrupted', kind: 'invite', status: 'sending', attempts: 1, createdAt: clock.now(), userId: max.id });
		await app.jobs.runDue();
		const [interrupted] = await app.ctx.db.select().from(mailLog).where(eq(mailLog.jobKey, job!.key!));
		expect(interrupted).toMatchObject({ status: 'failed', attempts: 1 });
		expect(interrupted!.lastError).toMatch(/not sent again/);
		expect((await app.ctx.db.select().from(jobs).where(eq(jobs.id, job!.id)))[0]!.failedAt).not.toBeNull();

		sink.setMode('refuse');
		await enqueueMail(app.ctx.jobs, { to: max.email, subject: 'Doomed', text: 't', html: '<p>t</p>' }, 'invite', max.id);
		for (let i = 0; i < 8; i++) {
			await app.jobs.runDue();
			clock.advance(3_600 * SECOND);
		}
		sink.setMode('accept');
		await app.jobs.runDue();
		const [doomed] = await app.ctx.db.select().from(mailLog).where(eq(mailLog.subject, 'Doomed'));
		expect(doomed).toMatchObject({ status: 'failed', attempts: 8 });
		expect(doomed!.lastError).toMatch(/451/);
		expect(mailsTo(max.email)).toHaveLength(0);
	});

	it('a reset link is stored hashed and stops working after an hour', async () => {
		const ola = await person('Ola');
		await requestPasswordReset(app.ctx.db, app.ctx.jobs, { email: ola.email, address: '10.0.0.9', origin: ORIGIN }, clock.now());
		await app.jobs.runDue();
		const mail = await sink.waitForMail((m) => m.to.includes(ola.email));
		const token = new RegExp(`${ORIGIN}/reset/([a-z0-9]+)`).exec(mail.text)![1]!;
		const stored = await app.ctx.db.select().from(passwordResets).where(eq(passwordResets.userId, ola.id));
		expect(stored).toHaveLength(1);
		expect(stored[0]!.tokenHash).not.toContain(token);
		// Once sent, the mail (with its link) is not kept in the job queue either.
		const queued = await app.ctx.db.select().from(jobs).where(sql`${jobs.kind} = 'mail.send' AND ${jobs.payload}->>'kind' = 'password_reset'`);
		expect(queued.length).toBeGreaterThan(0);
		expect(JSON.stringify(queued.map((j) => j.payload))).not.toContain(token);
		expect(await resetTokenValid(app.ctx.db, token, clock.now())).toBe(true);
		clock.advance(60 * 60 * SECOND);
		expect(await resetTokenValid(app.ctx.db, token, clock.now())).toBe(false);
		await expect(resetPassword(app.ctx.db, token, 'fresh-lantern-walnut-42', clock.now())).rejects.toThrow(/expired or was already used/);
	});

	it('an assignment made on the board (the server command path and the change feed) arrives by mail', async () => {
		const ivy = await person('Ivy');
		const { token } = await createInvite(app.ctx.db, boardId, ownerId, { role: 'editor', days: 7 }, clock.now());
		await acceptInvite(app.ctx.db, token, ivy.id, clock.now());
		const { stages } = await app.rooms.readBoard(boardId, { kind: 'workflow' });
		const as = { kind: 'server' as const, actorId: ownerId };
		const [cardId] = (await app.rooms.applyAsServer(boardId, as, [{ name: 'addCard', args: [stages[0]!.id, 'Spring <launch> post'] }])) as string[];
		await app.rooms.applyAsServer(boardId, as, [{ name: 'addOwner', args: [cardId!, ivy.id] }]);
		await app.rooms.peek(boardId)?.flush();
		await app.jobs.runDue();
		const mail = await sink.waitForMail((m) => m.to.includes(ivy.email));
		expect(mail.subject).toContain('Spring <launch> post');
		expect(mail.html).toContain('Spring &lt;launch&gt; post');
		expect(mail.html).toContain(`href="${ORIGIN}/b/${boardId}?card=${cardId}"`);
		expect(mail.headers.get('list-unsubscribe')).toContain(`${ORIGIN}/unsubscribe/${ivy.id}.assigned.`);
	});
});

describe.each(dbKinds())('email over HTTP: password reset, invitations, admin log (%s)', (kind) => {
	let sink: SmtpSink;
	let server: TestServer;
	let cleanup: () => Promise<void> | void = () => {};
	let unaToken = '';
	let unaAssignedToken = '';

	beforeAll(async () => {
		sink = await startSmtpSink();
		const port = await freePort();
		const env = { SMTP_URL: sink.url, MAIL_FROM: 'Flowdeck <flowdeck@example.com>', ORIGIN: `http://127.0.0.1:${port}`, JOBS_POLL_MS: '100', ADMIN_EMAILS: '' };
		/** Before the server starts: Pat signs up first (the admin), and Una gets an unsubscribe link as a mail would carry it. */
		const seed = async (options: { url: string } | { dataDir: string }) => {
			const database = await openDatabase(options, migrationsFolder);
			const now = new Date();
			await signUp(database.db, { name: 'Pat', email: 'pat@example.com', password: 'plum-orbit-cactus-91' }, now);
			const una = await signUp(database.db, { name: 'Una', email: 'una@example.com', password: 'plum-orbit-cactus-91' }, new Date(now.getTime() + 1));
			unaToken = await unsubscribeToken(database.db, una, 'mention');
			unaAssignedToken = await unsubscribeToken(database.db, una, 'assigned');
			await database.close();
		};
		if (kind === 'postgres') {
			const scratch = await createScratchPostgres();
			await seed({ url: scratch.url });
			server = await startServer({ ...env, DATABASE_URL: scratch.url }, { port });
			cleanup = () => scratch.drop();
		} else {
			const data = tempDataDir();
			await seed({ dataDir: data.dir });
			server = await startServer({ ...env, DATA_DIR: data.dir, DATABASE_URL: '' }, { port });
			cleanup = () => data.remove();
		}
	});
	afterAll(async () => {
		await server?.stop();
		await cleanup();
		await sink?.close();
	});

	it('resets a forgotten password by mail: same answer for unknown addresses, single-use link, old sessions end', async () => {
		const pat = new HttpClient(server.url);
		await pat.logIn('pat@example.com');
		const patElsewhere = new HttpClient(server.url);
		await patElsewhere.logIn('pat@example.com');
		const stranger = new HttpClient(server.url);
		expect((await stranger.get('/login')).body).toContain('href="/forgot"');

		const known = await stranger.post('/forgot', { email: 'Pat@Example.com' });
		const unknown = await stranger.post('/forgot', { email: 'nobody@example.com' });
		expect(known.status).toBe(200);
		expect(unknown.status).toBe(200);
		expect(known.body).toContain('If an account exists for that address, we sent a link');
		expect(unknown.body).toContain('If an account exists for that address, we sent a link');
		const bad = await stranger.post('/forgot', { email: 'not-an-address' });
		expect(bad.status).toBe(400);
		expect(bad.body).toContain('Enter a valid email address');

		const mail = await sink.waitForMail((m) => m.to.includes('pat@example.com'));
		expect(mail.subject).toBe('Reset your Flowdeck password');
		const link = /(http:\/\/127\.0\.0\.1:\d+)\/reset\/([a-z0-9]+)/.exec(mail.text)!;
		expect(link[1]).toBe(server.url);
		expect(mail.html).toContain(`/reset/${link[2]}`);
		const path = `/reset/${link[2]}`;
		expect((await stranger.get(path)).body).toContain('New password');
		// A password the sign-up rules refuse does not use the link up.
		const weak = await stranger.post(path, { password: 'short' });
		expect(weak.status).toBe(400);
		expect(weak.body).toContain('Use at least 8 characters.');
		const done = await stranger.post(path, { password: 'fresh-lantern-walnut-42' });
		expect(done.status).toBe(303);
		expect(done.location).toBe('/login?reset=1');
		// Single use.
		expect((await stranger.get(path)).body).toContain('expired or was already used');
		expect((await stranger.post(path, { password: 'another-lantern-walnut-43' })).status).toBe(410);
		// Every old session ended; the old password no longer works, the new one does.
		expect((await pat.get('/account')).status).toBe(303);
		expect((await patElsewhere.get('/account')).status).toBe(303);
		await expect(new HttpClient(server.url).logIn('pat@example.com')).rejects.toThrow(/sign-in failed/);
		await new HttpClient(server.url).logIn('pat@example.com', 'fresh-lantern-walnut-42');
		expect(sink.mails.some((m) => m.to.includes('nobody@example.com'))).toBe(false);
		// Throttled (per target address, and per client address): it stops after a few tries, for known and unknown addresses alike.
		let last = 0;
		for (let i = 0; i < 3; i++) last = (await stranger.post('/forgot', { email: 'nobody@example.com' })).status;
		expect(last).toBe(429);
	});

	it('emails an invite link beside showing it; the admin (first account) sees the mail log, others get 404', async () => {
		const admin = new HttpClient(server.url);
		await admin.logIn('pat@example.com', 'fresh-lantern-walnut-42');
		const created = await admin.post('/?/create', { name: 'Campaigns <Q3>' });
		const boardId = created.location!.split('/').pop()!;
		const refused = await admin.post(`/b/${boardId}/settings?/invite`, { role: 'editor', days: '7', inviteEmail: 'not an address' });
		expect(refused.status).toBe(400);
		expect(refused.body).toContain('Enter a valid email address');
		const res = await admin.post(`/b/${boardId}/settings?/invite`, { role: 'editor', days: '7', inviteEmail: 'ria@example.com' });
		expect(res.status).toBe(200);
		const shown = /\/invite\/([a-z0-9]+)/.exec(res.body)![1];
		const mail = await sink.waitForMail((m) => m.to.includes('ria@example.com'));
		expect(mail.subject).toBe('Pat invited you to “Campaigns <Q3>” on Flowdeck');
		expect(mail.html).toContain('Campaigns &lt;Q3&gt;');
		expect(mail.text).toContain(`${server.url}/invite/${shown}`);

		const log = await admin.get('/admin/mail');
		expect(log.status).toBe(200);
		expect(log.body).toContain('SMTP is configured');
		expect(log.body).toContain('Reset your Flowdeck password');
		expect(log.body).toContain('ria@example.com');
		const other = new HttpClient(server.url);
		await other.signUp('Ria', 'ria@example.com');
		expect((await other.get('/admin/mail')).status).toBe(404);
		expect((await new HttpClient(server.url).get('/admin/mail')).status).toBe(303);
	});

	it('the settings page saves a channel per kind, refuses bad input whole, and links from the account page', async () => {
		const ria = new HttpClient(server.url);
		await ria.logIn('ria@example.com');
		expect((await ria.get('/account')).body).toContain('href="/account/notifications"');
		const page = await ria.get('/account/notifications');
		expect(page.status).toBe(200);
		expect(page.body).not.toContain('Email is not set up on this server');
		const fields: Record<string, string> = { digestHour: '7', timeZone: 'Europe/Berlin', digest: 'on' };
		for (const k of notificationKinds) fields[`channel.${k}`] = 'both';
		const bad = await ria.post('/account/notifications', { ...fields, 'channel.mention': 'pigeon', timeZone: 'Mars/Olympus' });
		expect(bad.status).toBe(400);
		expect(bad.body).toContain('Nothing was saved');
		expect(bad.body).toContain('Choose a time zone from the list');
		expect((await ria.get('/account/notifications')).body).not.toMatch(/name="channel\.mention" value="off"[^>]*checked/);
		const ok = await ria.post('/account/notifications', { ...fields, 'channel.mention': 'off' });
		expect(ok.status).toBe(200);
		expect(ok.body).toContain('07:00 (Europe/Berlin)');
		const after = (await ria.get('/account/notifications')).body;
		expect(after).toMatch(/<input[^>]*name="channel\.mention"[^>]*value="off"[^>]*checked/);
	});

	it('an unsubscribe link: GET only asks, a POST from the page or a mail provider’s one-click turns that kind’s email off', async () => {
		const anon = new HttpClient(server.url);
		const page = await anon.get(`/unsubscribe/${unaToken}`);
		expect(page.status).toBe(200);
		expect(page.body).toContain('Stop emails for “Mentioned in a comment”?');
		expect((await anon.get(`/unsubscribe/${unaToken.slice(0, -3)}abc`)).status).toBe(404);
		const una = new HttpClient(server.url);
		await una.logIn('una@example.com');
		const checked = (body: string, kind: string, channel: string) => new RegExp(`<input[^>]*name="channel\\.${kind}"[^>]*value="${channel}"[^>]*checked`).test(body);
		const settings = async () => (await una.get('/account/notifications')).body;
		expect(checked(await settings(), 'mention', 'both')).toBe(true);
		expect(checked(await settings(), 'assigned', 'both')).toBe(true);
		const done = await anon.post(`/unsubscribe/${unaToken}`, {});
		expect(done.status).toBe(200);
		expect(done.body).toContain('you get no more emails for “Mentioned in a comment”');
		expect(checked(await settings(), 'mention', 'app')).toBe(true);
		expect(checked(await settings(), 'assigned', 'both')).toBe(true);
		// RFC 8058: the provider's POST has no Origin; SvelteKit alone would refuse it as a cross-site form post.
		const oneClick = await fetch(`${server.url}/unsubscribe/${unaAssignedToken}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
		expect(oneClick.status).toBe(200);
		expect(checked(await settings(), 'assigned', 'app')).toBe(true);
		// Every other path keeps SvelteKit's cross-site check.
		expect((await anon.post('/forgot', { email: 'una@example.com' }, 'https://evil.example')).status).toBe(403);
	});
});
