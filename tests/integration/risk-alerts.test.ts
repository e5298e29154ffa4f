import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { dbKinds } from '../helpers/db.ts';
import { FakeClock } from '../helpers/clock.ts';
import { startInProcess, type InProcessFlowdeck } from '../helpers/in-process.ts';
import { connectBoard, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { createBoard } from '../../src/lib/server/boards/boards.ts';
import { acceptInvite, createInvite } from '../../src/lib/server/boards/invites.ts';
import { setProcessOwner } from '../../src/lib/server/boards/team-roles.ts';
import { selectRows } from '../../src/lib/server/db/client.ts';
import { notifications } from '../../src/lib/server/db/schema/notifications.ts';
import { cardRiskLevels } from '../../src/lib/server/db/schema/risk.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { addDays, dayInZone } from '../../src/lib/board/plan/working-days.ts';
import { runRiskCheck } from '../../server/notifications/risk-jobs.ts';
import { riskForRequest } from '../../src/lib/server/process-review/deadlines-request.ts';
import { DomainError } from '../../src/lib/server/errors.ts';

const MINUTE = 60_000;

// The owners and the process owner hear when a card's delivery risk changes level, once per change, through the
// hourly job on the queue; the board's own sync client sets the target dates.
describe.each(dbKinds())('delivery-risk notifications (%s)', (kind) => {
	const clock = new FakeClock(Math.floor(Date.now() / MINUTE) * MINUTE);
	let fd: InProcessFlowdeck;
	let alice: SyncClient;
	const people = {} as Record<'alice' | 'bob' | 'carol' | 'dan', { id: string; cookie: string }>;
	let boardId = '';
	let draft = '';
	let card = '';
	const db = () => fd.app.ctx.db;
	const cmd = () => boardCommands(alice.doc, { userId: people.alice.id, now: () => clock.now() });
	const riskOf = (userId: string) => db().select().from(notifications).where(and(eq(notifications.userId, userId), eq(notifications.kind, 'delivery_risk'))).orderBy(notifications.id);
	const serverCard = async () => (await fd.app.rooms.readBoard(boardId, { kind: 'card', cardId: card })).card;
	/** Sets the card's target `days` ahead (UTC) and waits until the server holds it. */
	async function target(days: number) {
		const day = addDays(dayInZone(clock.now(), 'UTC'), days);
		cmd().setTarget(card, day);
		await waitFor('the server has the target date', async () => (await serverCard())?.target?.day === day);
		return day;
	}

	beforeAll(async () => {
		fd = await startInProcess(kind, { unloadGraceMs: 100 }, { clock, pollJobs: false, searchBackfill: false });
		for (const name of ['alice', 'bob', 'carol', 'dan'] as const) people[name] = await fd.user(name[0]!.toUpperCase() + name.slice(1));
		boardId = await createBoard(db(), people.alice.id, 'Blog', clock.now());
		for (const who of ['bob', 'carol'] as const) {
			const { token } = await createInvite(db(), boardId, people.alice.id, { role: 'editor', days: 7 }, clock.now());
			await acceptInvite(db(), token, people[who].id, clock.now());
		}
		await setProcessOwner(db(), boardId, people.alice.id, people.carol.id);
		alice = connectBoard(fd.url, boardId, { cookie: people.alice.cookie });
		await alice.synced();
		cmd().setTimeZone('UTC');
		const stageNamed = (name: string) => readSnapshot(alice.doc).stages.find((s) => s.name === name)!.id;
		draft = stageNamed('In progress');
		// A new board's workflow: Backlog, To do, In progress, Review, Done. Review is allowed the 3 days from In
		// progress's date to its own: with no history yet, 3 days of work lie ahead of a card in progress.
		cmd().setStageStep(draft, { ownerRole: null, offset: 5, unit: 'calendar', approval: null });
		cmd().setStageStep(stageNamed('Review'), { ownerRole: null, offset: 2, unit: 'calendar', approval: null });
		card = cmd().addCard(draft, 'Spring launch post');
		cmd().addOwner(card, people.bob.id);
		await waitFor('the server has the card and its owner', async () => (await serverCard())?.owners.includes(people.bob.id) ?? false);
	}, 90_000);

	afterAll(async () => {
		alice?.destroy();
		await fd?.close();
	});

	it('the hourly job stores a card first seen on track without telling anyone', async () => {
		await target(60);
		// The sweep finds boards by their recorded target dates: wait until history has this one.
		await waitFor('history has the target date', async () => (await selectRows<{ n: number }>(db(), sql`select count(*)::int as n from card_events where board_id = ${boardId} and type = 'target_changed'`))[0]!.n > 0);
		// Starting the server queued nothing for now: the first sweep is at the next top of the hour.
		expect(await fd.app.jobs.runDue()).toBe(0);
		clock.advance(60 * MINUTE);
		await fd.app.jobs.runDue();
		const [row] = await db().select().from(cardRiskLevels).where(eq(cardRiskLevels.cardId, card));
		expect(row).toMatchObject({ level: 'on_track', chance: 1 });
		expect(await riskOf(people.bob.id)).toHaveLength(0);
		// The next sweep is queued for the next hour.
		const next = await selectRows<{ n: number }>(db(), sql`select count(*)::int as n from jobs where kind = 'risk.sweep' and done_at is null and run_at > ${clock.now().toISOString()}::timestamptz`);
		expect(next[0]!.n).toBe(1);
	});

	it('tells the owner and the process owner once when the level worsens, not again while it holds, and when it recovers', async () => {
		const day = await target(1);
		clock.advance(MINUTE);
		const changes = await runRiskCheck(fd.app.ctx, boardId);
		expect(changes.map((c) => [c.from, c.risk.level, c.told])).toEqual([['on_track', 'likely_late', true]]);
		for (const who of ['bob', 'carol'] as const) {
			const told = await riskOf(people[who].id);
			expect(told.map((n) => n.title)).toEqual([`“Spring launch post” on Blog is likely late (0 % chance of being done by ${day})`]);
			expect(told[0]).toMatchObject({ boardId, cardId: card, ruleId: 'process' });
		}
		// Alice (an owner, not the card's owner nor the process owner) and Dan (not a member) hear nothing.
		expect(await riskOf(people.alice.id)).toHaveLength(0);
		expect(await riskOf(people.dan.id)).toHaveLength(0);

		clock.advance(MINUTE);
		expect(await runRiskCheck(fd.app.ctx, boardId)).toEqual([]);
		expect(await riskOf(people.bob.id)).toHaveLength(1);

		await target(60);
		clock.advance(MINUTE);
		expect((await runRiskCheck(fd.app.ctx, boardId)).map((c) => c.risk.level)).toEqual(['on_track']);
		expect((await riskOf(people.bob.id)).map((n) => n.title)[1]).toMatch(/^“Spring launch post” on Blog is back on track \(100 % chance/);
	});

	it('forgets a card that loses its target date, and the risk API is for members only', async () => {
		cmd().setTarget(card, null);
		await waitFor('the server cleared the target', async () => (await serverCard())?.target === null);
		await runRiskCheck(fd.app.ctx, boardId);
		expect(await db().select().from(cardRiskLevels).where(eq(cardRiskLevels.boardId, boardId))).toEqual([]);
		expect((await riskForRequest(db(), fd.app.ctx.documents, boardId, people.bob.id, clock.now())).cards).toEqual([]);
		await expect(riskForRequest(db(), fd.app.ctx.documents, boardId, people.dan.id, clock.now())).rejects.toMatchObject({ code: 'not_found' } satisfies Partial<DomainError>);
	});
});
