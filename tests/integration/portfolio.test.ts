import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Database } from '../../src/lib/server/db/client.ts';
import { dbKinds, openTestDatabase } from '../helpers/db.ts';
import { generateFlowHistory, insertFlowHistory } from '../helpers/flow-history.ts';
import { startInProcess, type InProcessFlowdeck } from '../helpers/in-process.ts';
import { connectBoard, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { signUp } from '../../src/lib/server/accounts.ts';
import { createBoard } from '../../src/lib/server/boards/boards.ts';
import { boardMembers } from '../../src/lib/server/db/schema/boards.ts';
import { cardLinks } from '../../src/lib/server/db/schema/card-links.ts';
import { insertCardEvents, upsertStages, type CardEventRow } from '../../src/lib/server/history.ts';
import { boardStats, parseStatsQuery } from '../../src/lib/server/stats.ts';
import { portfolio } from '../../src/lib/server/portfolio/portfolio.ts';
import { saveRule } from '../../src/lib/server/rules/store.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = new Date('2026-11-20T12:00:00.000Z');
const at = (daysAgo: number) => new Date(NOW.getTime() - daysAgo * DAY);
const { range } = parseStatsQuery(new URLSearchParams({ to: '2026-11-20' }), NOW);

describe.each(dbKinds())('the portfolio over hand-made histories (%s)', (kind) => {
	let database: Database;
	let alex = '';
	let sam = '';
	const boardIds: Record<'plain' | 'generated' | 'empty' | 'sams' | 'receiving', string> = { plain: '', generated: '', empty: '', sams: '', receiving: '' };

	beforeAll(async () => {
		database = await openTestDatabase(kind);
		const db = database.db;
		alex = await signUp(db, { name: 'Alex', email: 'alex@example.test', password: 'a long enough password' }, at(60));
		sam = await signUp(db, { name: 'Sam', email: 'sam@example.test', password: 'a long enough password' }, at(60));
		for (const name of ['plain', 'empty', 'receiving'] as const) boardIds[name] = await createBoard(db, alex, name, at(60));
		boardIds.sams = await createBoard(db, sam, 'sams', at(60));
		// Stages as a board's recorder writes them; every hand-made board has the same four.
		for (const boardId of [boardIds.plain, boardIds.receiving, boardIds.sams]) {
			const stage = (stageId: string, kind: string, rank: string) => ({ boardId, stageId, name: stageId, kind, rank, deleted: false, at: at(60) });
			await upsertStages(db, [stage('todo', 'queue', 'a0'), stage('doing', 'active', 'a1'), stage('done', 'done', 'a2')]);
		}
		const ev = (boardId: string, cardId: string, type: string, daysAgo: number, extra: Partial<CardEventRow> = {}): CardEventRow => ({
			boardId, cardId, type, at: at(daysAgo), actorId: alex, fromStageId: null, toStageId: null, data: {}, ...extra
		});
		const created = (b: string, card: string, daysAgo: number) => ev(b, card, 'created', daysAgo, { toStageId: 'todo', data: { title: card } });
		const move = (b: string, card: string, daysAgo: number, from: string, to: string, extra: Partial<CardEventRow> = {}) => ev(b, card, 'moved', daysAgo, { fromStageId: from, toStageId: to, ...extra });
		const due = (b: string, card: string, daysAgo: number, date: string) => ev(b, card, 'due_changed', daysAgo, { data: { due: date } });
		const p = boardIds.plain;
		await insertCardEvents(db, [
			// Finished 2 days after creation, by its due date.
			created(p, 'c1', 10), due(p, 'c1', 10, '2026-11-12'), move(p, 'c1', 9, 'todo', 'doing'), move(p, 'c1', 8, 'doing', 'done'),
			// Finished after 5 days, two days late.
			created(p, 'c2', 10), due(p, 'c2', 10, '2026-11-13'), move(p, 'c2', 5, 'todo', 'done'),
			// Finished after 2 days, no due date.
			created(p, 'c3', 6), move(p, 'c3', 4, 'todo', 'done'),
			// Still at work; a rule moved it.
			created(p, 'c4', 3), move(p, 'c4', 2, 'todo', 'doing', { ruleId: 'rule-1', actorId: null }),
			// Finished before the range.
			created(p, 'c5', 40), move(p, 'c5', 35, 'todo', 'done')
		]);
		// Sam's board, with a finished card Alex must not see.
		await insertCardEvents(db, [created(boardIds.sams, 's1', 5), move(boardIds.sams, 's1', 4, 'todo', 'done')]);
		// The receiving team: three linked cards from Alex's plain board, one from Sam's board, one from long ago.
		const r = boardIds.receiving;
		await insertCardEvents(db, [
			// Picked up by a person's move a day after the hand-off (the rule's and the process's assignments before it
			// are not someone taking it up); done 3 days after it.
			created(r, 'h1', 9), ev(r, 'h1', 'owner_added', 8.9, { ruleId: 'rule-9', actorId: null, data: { userId: sam } }),
			ev(r, 'h1', 'owner_added', 8.5, { actorId: null, data: { userId: sam, via: 'process' } }),
			move(r, 'h1', 8, 'todo', 'doing'), move(r, 'h1', 6, 'doing', 'done'),
			// Picked up by a person's assignment 12 hours after it, not done.
			created(r, 'h2', 7), ev(r, 'h2', 'owner_added', 6.5, { data: { userId: sam } }),
			// Untouched.
			created(r, 'h3', 2),
			created(r, 'h4', 3), created(r, 'h5', 50)
		]);
		const link = (fromBoardId: string, fromCardId: string, toCardId: string, daysAgo: number) => ({ fromBoardId, fromCardId, toBoardId: r, toCardId, createdAt: at(daysAgo), ruleId: 'rule-x' });
		await db.insert(cardLinks).values([link(p, 'c1', 'h1', 9), link(p, 'c2', 'h2', 7), link(p, 'c3', 'h3', 2), link(boardIds.sams, 's1', 'h4', 3), link(p, 'c5', 'h5', 50)]);
		// A bigger board, whose figures must equal its stats tab's.
		const history = generateFlowHistory({ boardId: 'generated', seed: 5, events: 3_000, end: NOW.getTime(), days: 90 });
		await insertFlowHistory(db, history, 'generated');
		await db.insert(boardMembers).values({ boardId: 'generated', userId: alex, role: 'viewer', joinedAt: at(60) });
		boardIds.generated = 'generated';
	}, 120_000);

	afterAll(async () => {
		await database?.close();
	});

	it('lists only the caller’s boards, with the figures worked out by hand', async () => {
		const mine = await portfolio(database.db, alex, range);
		expect(mine.boards.map((b) => b.name).sort()).toEqual(['empty', 'generated', 'plain', 'receiving']);
		const plain = mine.boards.find((b) => b.id === boardIds.plain)!;
		// c1, c2, c3 finished in the range; c1 on time, c2 late, c3 without a due date; lead times 48, 120, 48 hours.
		// Counted routine work: 5 moves (c1 two, c2, c3, c4) and 2 due dates; one of the moves (c4’s) by a rule.
		expect(plain).toMatchObject({ role: 'owner', throughput: 3, withDue: 2, onTimeShare: 0.5, leadTimeP50: 48 });
		expect(plain.automationShare).toBeCloseTo(1 / 7);
		expect(mine.boards.find((b) => b.id === boardIds.empty)).toMatchObject({ throughput: 0, withDue: 0, onTimeShare: null, automationShare: null, leadTimeP50: null });
		expect((await portfolio(database.db, sam, range)).boards.map((b) => b.name)).toEqual(['sams']);
	});

	it('gives every board the numbers its stats tab gives for the same range', async () => {
		const mine = await portfolio(database.db, alex, range);
		const query = parseStatsQuery(new URLSearchParams({ to: '2026-11-20' }), NOW);
		for (const board of mine.boards) {
			const stats = await boardStats(database.db, board.id, query, NOW);
			expect({ name: board.name, throughput: board.throughput, onTime: board.onTimeShare, withDue: board.withDue, automation: board.automationShare, lead: board.leadTimeP50 }).toEqual({
				name: board.name,
				throughput: stats.leadTime.count,
				onTime: stats.dueDateHitRate.rate,
				withDue: stats.dueDateHitRate.withDue,
				automation: stats.automation.share,
				lead: stats.leadTime.p50
			});
		}
		expect(mine.boards.find((b) => b.id === 'generated')!.throughput).toBeGreaterThan(20);
	});

	it('times the hand-offs between the caller’s boards, from hand-off to pick-up and to done', async () => {
		const { handoffs } = await portfolio(database.db, alex, range);
		// Sam's board's hand-off is not Alex's to see; the one 50 days ago is outside the range.
		expect(handoffs).toEqual([
			{ fromBoardId: boardIds.plain, toBoardId: boardIds.receiving, fromBoard: 'plain', toBoard: 'receiving', handedOff: 3, pickedUp: 2, done: 1, pickupP50: 12, pickupP85: 24, doneP50: 72, doneP85: 72 }
		]);
		expect((await portfolio(database.db, sam, range)).handoffs).toEqual([]);
	});
});

describe.each(dbKinds())('a rule’s linked card is a hand-off the portfolio times (%s)', (kind) => {
	let fd: InProcessFlowdeck;
	const clients: SyncClient[] = [];
	afterAll(async () => {
		for (const c of clients) c.destroy();
		await fd?.close();
	});
	beforeAll(async () => {
		fd = await startInProcess(kind, { unloadGraceMs: 100 });
	}, 60_000);

	it('records the link when the rule creates the card, and the receiving team’s move picks it up', async () => {
		const alex = await fd.user('Alex');
		const db = fd.app.ctx.db;
		const [marketing, sales] = [await createBoard(db, alex.id, 'Marketing', new Date()), await createBoard(db, alex.id, 'Sales', new Date())];
		const open = async (boardId: string) => {
			const client = connectBoard(fd.url, boardId, { cookie: alex.cookie });
			clients.push(client);
			await client.synced();
			return { cmd: boardCommands(client.doc, { userId: alex.id, now: () => new Date() }), stages: readSnapshot(client.doc).stages.map((s) => s.id) };
		};
		const m = await open(marketing);
		const ruleId = await saveRule(db, { boardId: marketing, name: 'Hand leads to sales', userId: alex.id, enabled: true, definition: { trigger: { kind: 'entered_stage', stageId: m.stages[1]! }, conditions: [], actions: [{ kind: 'create_linked_card', boardId: sales, title: 'Follow up the leads' }], allowRetrigger: false } }, new Date());
		await fd.app.ctx.rules!.invalidate(marketing);
		const card = m.cmd.addCard(m.stages[0]!, 'Webinar');
		m.cmd.moveCard(card, m.stages[1]!, 0);
		const [link] = await waitFor('the link is stored', async () => {
			const rows = await db.select().from(cardLinks).where(eq(cardLinks.fromBoardId, marketing));
			return rows.length ? rows : null;
		});
		expect(link).toMatchObject({ fromBoardId: marketing, fromCardId: card, toBoardId: sales, ruleId });
		const today = { from: Date.now() - DAY, to: Date.now() + DAY };
		expect((await portfolio(db, alex.id, today)).handoffs).toMatchObject([{ fromBoard: 'Marketing', toBoard: 'Sales', handedOff: 1, pickedUp: 0, done: 0, pickupP50: null }]);
		const s = await open(sales);
		s.cmd.moveCard(link!.toCardId, s.stages[1]!, 0);
		const [lane] = await waitFor('the move is recorded as the pick-up', async () => {
			const lanes = (await portfolio(db, alex.id, today)).handoffs;
			return lanes[0]?.pickedUp === 1 ? lanes : null;
		});
		expect(lane!.pickupP50).toBeGreaterThanOrEqual(0);
		expect(lane!.pickupP50).toBeLessThan(1);
	});
});
