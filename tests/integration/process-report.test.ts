import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isHttpError } from '@sveltejs/kit';
import { and, eq, like } from 'drizzle-orm';
import { dbKinds } from '../helpers/db.ts';
import { FakeClock } from '../helpers/clock.ts';
import { startSmtpSink, type SinkMail, type SmtpSink } from '../helpers/smtp-sink.ts';
import { startInProcess, type InProcessFlowdeck } from '../helpers/in-process.ts';
import { connectBoard, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { smtpMailer } from '../../server/mail/smtp-mailer.ts';
import { HistoryWriter } from '../../server/history/history-writer.ts';
import { PROCESS_DIGEST_JOB, queueProcessDigests } from '../../server/mail/process-digest.ts';
import { createBoard } from '../../src/lib/server/boards/boards.ts';
import { acceptInvite, createInvite } from '../../src/lib/server/boards/invites.ts';
import { setProcessOwner } from '../../src/lib/server/boards/team-roles.ts';
import { cardEvents } from '../../src/lib/server/db/schema/history.ts';
import { readStages } from '../../src/lib/server/history.ts';
import { jobs } from '../../src/lib/server/db/schema/jobs.ts';
import { mailLog, mailSettings } from '../../src/lib/server/db/schema/notifications.ts';
import { unsubscribe } from '../../src/lib/server/mail/unsubscribe.ts';
import { userEmail } from '../../src/lib/server/mail/admin.ts';
import { monthlyReport, reportQuery } from '../../src/lib/server/process-review/report.ts';
import { digestFigureLines } from '../../src/lib/server/mail/process-digest-mail.ts';
import { headlineFigures, type HeadlineSource } from '../../src/lib/process-report/headline.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { addDays, dayInZone } from '../../src/lib/board/plan/working-days.ts';

// The route modules themselves (the API's handler, the page's load), loaded by a computed path: their `./$types`
// exist only for svelte-check, not for the server's type check that covers the tests.
const routes = '../../src/routes';
type RouteEvent = { locals: { user: { id: string; email: string; name: string }; ctx: unknown }; params: { boardId: string }; url: URL; parent?: () => Promise<unknown> };
const processApi = ((await import(`${routes}/api/boards/[boardId]/process/+server.ts`)) as { GET: (event: RouteEvent) => Promise<Response> }).GET;
type ReportData = { problem: string | null; month: string; report: unknown };
const reportPage = ((await import(`${routes}/b/[boardId]/report/+page.server.ts`)) as { load: (event: RouteEvent) => Promise<ReportData> }).load;

const TITLE = '<img src=x onerror=alert(1)> “Spring” & launch';

// The monthly report shows the very figures of GET …/process; the weekly digest tells each board's process owner the
// past week's, on Monday at 08:00 in their zone, once, through the job queue and a real SMTP server.
describe.each(dbKinds())('the monthly process report and the weekly process digest (%s)', (kind) => {
	// Sunday 29 November 2026, noon UTC: the week of 23–29 November is the first digest's.
	const clock = new FakeClock(Date.parse('2026-11-29T12:00:00Z'));
	let sink: SmtpSink;
	let fd: InProcessFlowdeck;
	let client: SyncClient;
	const people = {} as Record<'alice' | 'bob' | 'carol' | 'dan', { id: string; cookie: string }>;
	const emails: Record<string, string> = {};
	let launch = '';
	let quiet = '';
	let empty = '';
	const db = () => fd.app.ctx.db;
	const digestsTo = (who: keyof typeof people): SinkMail[] => sink.mails.filter((m) => m.to.includes(emails[who]!) && m.subject.startsWith('Process digest'));
	const setClock = (iso: string) => clock.advance(Date.parse(iso) - clock.now().getTime());

	/** GET /api/boards/<id>/process as the route answers it (the route's own handler, given a signed-in member). */
	async function api(userId: string, boardId: string, params: URLSearchParams): Promise<HeadlineSource & Record<string, unknown>> {
		const url = new URL(`http://flowdeck.test/api/boards/${boardId}/process?${params}`);
		const event = { locals: { user: { id: userId, email: '', name: '' }, ctx: fd.app.ctx }, params: { boardId }, url };
		const res = await processApi(event);
		expect(res.status).toBe(200);
		return (await res.json()) as HeadlineSource & Record<string, unknown>;
	}
	/** The report page's server load, as SvelteKit runs it under the board's layout. */
	async function page(userId: string, boardId: string, month: string | null) {
		const url = new URL(`http://flowdeck.test/b/${boardId}/report${month === null ? '' : `?month=${encodeURIComponent(month)}`}`);
		const event = { locals: { user: { id: userId, email: '', name: '' }, ctx: fd.app.ctx }, params: { boardId }, url, parent: async () => ({ board: { id: boardId } }) };
		return reportPage(event);
	}

	beforeAll(async () => {
		sink = await startSmtpSink();
		fd = await startInProcess(kind, { unloadGraceMs: 100 }, { clock, pollJobs: false, searchBackfill: false, mailer: smtpMailer(sink.url, 'Flowdeck <flowdeck@example.com>') });
		for (const name of ['alice', 'bob', 'carol', 'dan'] as const) people[name] = await fd.user(name[0]!.toUpperCase() + name.slice(1));
		for (const [name, { id }] of Object.entries(people)) emails[name] = (await userEmail(db(), id))!.email;
		launch = await createBoard(db(), people.alice.id, 'Launch & <Co>', clock.now());
		quiet = await createBoard(db(), people.alice.id, 'Quiet board', clock.now());
		empty = await createBoard(db(), people.dan.id, 'Empty board', clock.now());
		for (const who of ['bob', 'carol'] as const) {
			const { token } = await createInvite(db(), launch, people.alice.id, { role: 'editor', days: 7 }, clock.now());
			await acceptInvite(db(), token, people[who].id, clock.now());
		}
		await setProcessOwner(db(), launch, people.alice.id, people.carol.id);
		// Carol saved her mail settings in Tokyo; Alice never did (her digests follow the board's zone).
		await db().insert(mailSettings).values({ userId: people.carol.id, timeZone: 'Asia/Tokyo' });

		client = connectBoard(fd.url, launch, { cookie: people.alice.cookie });
		await client.synced();
		const cmd = boardCommands(client.doc, { userId: people.alice.id, now: () => clock.now() });
		cmd.setTimeZone('UTC');
		const stageId = (name: string) => readSnapshot(client.doc).stages.find((s) => s.name === name)!.id;
		const [todo, doing, review, done] = ['To do', 'In progress', 'Review', 'Done'].map(stageId) as [string, string, string, string];
		cmd.setStageStep(doing, { ownerRole: null, offset: 5, unit: 'calendar', approval: null });
		cmd.setStageStep(review, { ownerRole: null, offset: 2, unit: 'calendar', approval: null });
		// An open card due tomorrow with days of work ahead: likely late, and named (escaped) in the digest.
		const risky = cmd.addCard(doing, TITLE);
		cmd.setTarget(risky, addDays(dayInZone(clock.now(), 'UTC'), 1));
		await waitFor('the server has the card and its target', async () => (await fd.app.rooms.readBoard(launch, { kind: 'card', cardId: risky })).card?.target !== null);
		// The figures read the stages' kinds and the card's events from history: wait until the server recorded them.
		await waitFor('history has the stages and the card’s target', async () => {
			const stages = await readStages(db(), launch);
			const targets = await db().select().from(cardEvents).where(and(eq(cardEvents.cardId, risky), eq(cardEvents.type, 'target_changed')));
			return stages.length === 5 && targets.length === 1;
		});

		// Back-dated history: October (the baseline) and November, cards through the steps, some late.
		const writer = new HistoryWriter(db(), launch, () => {});
		const ev = (cardId: string, type: string, at: string, extra: Record<string, unknown> = {}) => ({ cardId, type, at: new Date(at), actorId: people.alice.id, fromStageId: null, toStageId: null, data: {}, ...extra });
		const card = (id: string, start: string, target: string, hops: [string, string][]) => {
			let from = todo;
			const events = [ev(id, 'created', `${start}T09:00:00Z`, { toStageId: todo, data: { title: `Post ${id}` } }), ev(id, 'target_changed', `${start}T09:00:00Z`, { data: { target, previous: null } })];
			for (const [to, day] of hops) {
				events.push(ev(id, 'moved', `${day}T10:00:00Z`, { fromStageId: from, toStageId: to, data: { direction: 'forward' } }));
				from = to;
			}
			return events;
		};
		writer.events([
			...card('o1', '2026-10-01', '2026-10-12', [[doing, '2026-10-02'], [review, '2026-10-08'], [done, '2026-10-10']]),
			...card('o2', '2026-10-05', '2026-10-14', [[doing, '2026-10-06'], [review, '2026-10-13'], [done, '2026-10-16']]),
			...card('n1', '2026-11-02', '2026-11-12', [[doing, '2026-11-03'], [review, '2026-11-06'], [done, '2026-11-09']]),
			...card('n2', '2026-11-04', '2026-11-10', [[doing, '2026-11-05'], [review, '2026-11-11'], [done, '2026-11-13']]),
			...card('n3', '2026-11-16', '2026-11-24', [[doing, '2026-11-17'], [review, '2026-11-23'], [done, '2026-11-26']]),
			...card('n4', '2026-11-18', '2026-11-30', [[doing, '2026-11-19'], [review, '2026-11-24'], [done, '2026-11-25']])
		]);
		await writer.flush();
		// The quiet board had one card event that week; the empty board none.
		await db().insert(cardEvents).values({ boardId: quiet, cardId: 'q1', type: 'created', at: new Date('2026-11-25T10:00:00Z'), actorId: people.alice.id, data: { title: 'Quiet card' } });
	}, 90_000);

	afterAll(async () => {
		client?.destroy();
		await fd?.close();
		await sink?.close();
	});

	it('the report of a month is GET …/process of its first and last day, with the previous month as baseline', async () => {
		const report = await monthlyReport(db(), fd.app.rooms, launch, people.bob.id, '2026-11', clock.now());
		expect(report.query).toEqual({ from: '2026-11-01', to: '2026-11-30', baselineFrom: '2026-10-01', baselineTo: '2026-10-31' });
		const same = await api(people.bob.id, launch, reportQuery('2026-11'));
		expect(JSON.parse(JSON.stringify(report.review))).toEqual(same);
		expect(report.headline).toEqual(headlineFigures(same));
		// Without a baseline the API compares with the 30 days before; every other figure is the month's, the same.
		const plain = await api(people.bob.id, launch, new URLSearchParams({ from: '2026-11-01', to: '2026-11-30' }));
		for (const part of ['compliance', 'planVsActual', 'missedDeadlines', 'risk', 'automation', 'range'] as const) expect(JSON.parse(JSON.stringify(report.review[part])), part).toEqual(plain[part]);
		expect(report.review.efficiency.range.finished).toBe(4);
		// The figures the history above gives: 4 of 4 cards finished, n2 and n3 after their target dates.
		expect(report.headline.cardsOnTime).toEqual({ rate: 0.5, part: 2, of: 4 });
		expect(report.notable.late.map((c) => c.cardId).sort()).toEqual(['n2', 'n3']);
		expect(report.notable.risky.map((c) => c.title)).toEqual([TITLE]);
		expect(report.headline.lead.baselineP50).not.toBeNull();

		// The page serves the same report; the last full month by default; a bad or future month is an inline message.
		const shown = await page(people.bob.id, launch, '2026-11');
		expect(JSON.parse(JSON.stringify(shown.report))).toEqual(JSON.parse(JSON.stringify(report)));
		expect((await page(people.bob.id, launch, null)).month).toBe('2026-10');
		for (const [month, message] of [
			['2026-13', 'Choose a month written like 2026-10; got "2026-13".'],
			['nov', 'Choose a month written like 2026-10; got "nov".'],
			['2027-01', '2027-01 has not begun yet: choose 2026-11 or an earlier month.']
		] as const) {
			const refused = await page(people.bob.id, launch, month);
			expect(refused).toMatchObject({ problem: message, report: null });
		}
		// Someone who is not a member: "not found", nothing computed for them.
		const outsider = await page(people.dan.id, launch, '2026-11').then(
			() => null,
			(err: unknown) => err
		);
		expect(isHttpError(outsider) && outsider.status).toBe(404);
	});

	it('mails the week’s figures to the process owner alone at 08:00 on Monday in her zone, titles escaped', async () => {
		// Starting the server queued only the first hourly look, for the next top of the hour.
		setClock('2026-11-29T22:59:00Z');
		await fd.app.jobs.runDue();
		expect(digestsTo('carol')).toHaveLength(0);
		// 08:00 on Monday in Tokyo.
		setClock('2026-11-29T23:00:30Z');
		await fd.app.jobs.runDue();
		const mail = await sink.waitForMail((m) => m.to.includes(emails.carol!) && m.subject.startsWith('Process digest'));
		expect(mail.subject).toBe('Process digest for “Launch & <Co>”: 23 Nov 2026 to 29 Nov 2026');
		const week = headlineFigures(await api(people.carol.id, launch, new URLSearchParams({ from: '2026-11-23', to: '2026-11-29' })));
		expect(week.finished).toBe(2);
		for (const line of digestFigureLines(week)) {
			expect(mail.text).toContain(line);
			expect(mail.html).toContain(line.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;'));
		}
		expect(mail.text).toContain(`1. ${TITLE}`);
		expect(mail.html).not.toContain('<img');
		expect(mail.html).toContain('&lt;img src=x onerror=alert(1)&gt; “Spring” &amp; launch');
		expect(mail.html).toContain('Launch &amp; &lt;Co&gt;');
		expect(mail.text).toContain(`/b/${launch}/report?month=2026-11`);
		expect(mail.text).toContain(`/b/${launch}/stats?from=2026-11-23&to=2026-11-29#process-h`);
		expect(mail.text).toMatch(new RegExp(`/b/${launch}\\?card=`));
		expect(mail.headers.get('list-unsubscribe')).toMatch(/\/unsubscribe\/[^>]+>$/);
		// The board's owners are not told while it has a process owner; the other boards' digests are not due yet.
		expect(digestsTo('alice')).toHaveLength(0);
		expect(digestsTo('bob')).toHaveLength(0);
	});

	it('a board without a process owner: its owners, at 08:00 in the board’s zone; a board with nothing that week: nobody', async () => {
		// Alice never saved mail settings: her boards' zone (UTC here), 08:00 UTC.
		setClock('2026-11-30T07:59:00Z');
		await fd.app.jobs.runDue();
		expect(digestsTo('alice')).toHaveLength(0);
		setClock('2026-11-30T08:00:30Z');
		await fd.app.jobs.runDue();
		const mail = await sink.waitForMail((m) => m.to.includes(emails.alice!) && m.subject.startsWith('Process digest'));
		expect(mail.subject).toBe('Process digest for “Quiet board”: 23 Nov 2026 to 29 Nov 2026');
		expect(mail.text).toContain('No open card is at risk of missing its target date.');
		expect(digestsTo('alice')).toHaveLength(1);
		// Dan's board had no card event that week and nothing at risk: its job ran and sent nothing.
		const [danJob] = await db().select().from(jobs).where(and(eq(jobs.kind, PROCESS_DIGEST_JOB), like(jobs.key, `%:${empty}:%`)));
		expect(danJob?.doneAt).not.toBeNull();
		expect(digestsTo('dan')).toHaveLength(0);
	});

	it('sends nothing more that week, sends once after a long stop, and nothing once unsubscribed', async () => {
		// Later that Monday, and a look over the whole day again (another process, a restart): nothing new.
		setClock('2026-11-30T20:00:30Z');
		await fd.app.jobs.runDue();
		expect(await queueProcessDigests(fd.app.ctx, fd.app.jobs, Date.parse('2026-11-29T00:00:00Z'), clock.now().getTime())).toBe(0);
		await fd.app.jobs.runDue();
		expect(digestsTo('carol')).toHaveLength(1);
		expect(await db().select().from(mailLog).where(and(eq(mailLog.kind, 'process_digest'), eq(mailLog.userId, people.carol.id)))).toHaveLength(1);

		// Nothing ran for three weeks: one digest, of the last week, not one per missed Monday.
		setClock('2026-12-21T02:00:00Z');
		await fd.app.jobs.runDue();
		await fd.app.jobs.runDue();
		const carol = digestsTo('carol');
		expect(carol.map((m) => m.subject)).toEqual(['Process digest for “Launch & <Co>”: 23 Nov 2026 to 29 Nov 2026', 'Process digest for “Launch & <Co>”: 14 Dec 2026 to 20 Dec 2026']);

		// The one-click link in her mail turns this kind off: next Monday, nothing.
		const token = /\/unsubscribe\/([^>]+)>$/.exec(carol[1]!.headers.get('list-unsubscribe')!)![1]!;
		expect(await unsubscribe(db(), token)).toMatchObject({ kind: 'process_digest', channel: 'off' });
		setClock('2026-12-27T23:00:30Z');
		await fd.app.jobs.runDue();
		setClock('2026-12-28T01:00:30Z');
		await fd.app.jobs.runDue();
		const [job] = await db().select().from(jobs).where(eq(jobs.key, `${PROCESS_DIGEST_JOB}:${launch}:${people.carol.id}:2026-12-28`));
		expect(job?.doneAt).not.toBeNull();
		expect(digestsTo('carol')).toHaveLength(2);
	});
});
