import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/lib/server/db/client.ts';
import { boards } from '../../src/lib/server/db/schema/boards.ts';
import { rebuildMissingCardFlow, refreshCardFlow } from '../../src/lib/server/card-flow.ts';
import { boardStats, parseStatsQuery } from '../../src/lib/server/stats.ts';
import { HistoryWriter } from '../../server/history/history-writer.ts';
import { dbKinds, openTestDatabase, queryRows } from '../helpers/db.ts';
import { generateFlowHistory } from '../helpers/flow-history.ts';
import { mulberry32 } from '../helpers/prng.ts';
import { referenceStats } from '../helpers/stats-reference.ts';

const DAY = 86_400_000;
const NOW = new Date('2026-11-20T15:30:00.000Z');
const BOARD = 'board-flow';

const asJson = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

/** card_flow as rows to compare (order-independent). */
async function flowRows(database: Database) {
	const rows = await queryRows<Record<string, unknown>>(database, sql`select * from card_flow where board_id = ${BOARD} order by card_id, event_id`);
	return asJson(rows);
}

// card_flow is kept up to date as the history writer writes, batch by batch: the stats read from it must equal the
// in-memory replay of the events, and the table must equal a rebuild from scratch.
describe.each(dbKinds())('card_flow maintained by the history writer (%s)', (kind) => {
	let database: Database;

	beforeAll(async () => {
		database = await openTestDatabase(kind);
		const history = generateFlowHistory({ boardId: BOARD, seed: 7, events: 3_000, end: NOW.getTime(), days: 120 });
		await database.db.insert(boards).values({ id: BOARD, name: 'Flow', createdBy: null, createdAt: history.stages[0]!.at });
		const writer = new HistoryWriter(database.db, BOARD, () => {});
		const stages = history.stages.map(({ boardId: _, ...s }) => s);
		const events = history.events.map(({ boardId: _, ...e }) => e);
		// Stages first, except one (Review) whose events arrive before the stage is known.
		writer.stages(stages.filter((s) => s.stageId !== 'st-review'));
		await writer.flush();
		// Batches of random sizes in a shuffled order: a card's moves arrive out of order, across batches.
		const rng = mulberry32(3);
		const batches: (typeof events)[] = [];
		for (let i = 0; i < events.length; ) {
			const size = 50 + Math.floor(rng.next() * 400);
			batches.push(events.slice(i, i + size));
			i += size;
		}
		for (let i = batches.length - 1; i > 0; i--) {
			const j = Math.floor(rng.next() * (i + 1));
			[batches[i], batches[j]] = [batches[j]!, batches[i]!];
		}
		for (const [n, batch] of batches.entries()) {
			writer.events(batch);
			if (n === Math.floor(batches.length / 2)) writer.stages(stages.filter((s) => s.stageId === 'st-review'));
			await writer.flush();
		}
		const at = (daysAgo: number) => new Date(NOW.getTime() - daysAgo * DAY);
		const ev = (cardId: string, type: string, t: Date, extra: Record<string, unknown> = {}) => ({ cardId, type, at: t, actorId: null, fromStageId: null, toStageId: null, data: {}, ...extra });
		// A card created twice (the second life in a later batch), with a move written before its creation.
		writer.events([ev('twice', 'created', at(40), { toStageId: 'st-ideas', data: { title: 'First life' } }), ev('twice', 'moved', at(35), { fromStageId: 'st-ideas', toStageId: 'st-drafting' })]);
		await writer.flush();
		writer.events([ev('twice', 'moved', at(21), { fromStageId: 'st-drafting', toStageId: 'st-review' }), ev('twice', 'created', at(20), { toStageId: 'st-outline', data: { title: 'Second life' } })]);
		await writer.flush();
		writer.events([ev('twice', 'moved', at(10), { fromStageId: 'st-outline', toStageId: 'st-published', data: { checklist: { done: 1, total: 2 } } }), ev('twice', 'due_changed', at(30), { data: { due: '2026-11-01' } })]);
		await writer.flush();
		// A stage that changes kind (Design: active, then wait) and one deleted now.
		const design = stages.find((s) => s.stageId === 'st-design')!;
		writer.stages([{ ...design, kind: 'wait', at: at(1) }]);
		const scheduled = stages.find((s) => s.stageId === 'st-scheduled')!;
		writer.stages([{ ...scheduled, deleted: true, at: at(1) }]);
		await writer.flush();
	}, 120_000);

	afterAll(async () => {
		await database?.close();
	});

	const ranges: [string, Record<string, string>][] = [
		['the default 30 days', {}],
		['90 days, with both forecasts', { from: '2026-08-23', to: '2026-11-20', forecastBy: '2026-12-31', forecastCount: '40' }],
		['the whole history', { from: '2026-07-01', to: '2026-11-20' }],
		['two days (hourly buckets)', { from: '2026-11-18', to: '2026-11-19' }]
	];

	it.each(ranges)('stats over %s equal the replay', async (_, params) => {
		const query = parseStatsQuery(new URLSearchParams(params), NOW);
		const [fromSql, fromMemory] = await Promise.all([boardStats(database.db, BOARD, query, NOW), referenceStats(database.db, BOARD, query, NOW)]);
		expect(asJson(fromSql)).toEqual(asJson(fromMemory));
	});

	it('the incrementally kept rows equal a rebuild from all events', async () => {
		const kept = await flowRows(database);
		expect((kept as unknown[]).length).toBeGreaterThan(1_000);
		await refreshCardFlow(database.db, BOARD, null);
		expect(await flowRows(database)).toEqual(kept);
	});

	it('a board whose rows were cleared (as a reshaping migration does) is rebuilt once, and only it', async () => {
		const kept = await flowRows(database);
		await database.db.execute(sql`delete from card_flow where board_id = ${BOARD}`);
		expect(await rebuildMissingCardFlow(database.db)).toEqual([BOARD]);
		expect(await flowRows(database)).toEqual(kept);
		expect(await rebuildMissingCardFlow(database.db)).toEqual([]);
	});

	it('the history covers what it is meant to', async () => {
		const stats = await boardStats(database.db, BOARD, parseStatsQuery(new URLSearchParams({ from: '2026-07-01', to: '2026-11-20' }), NOW), NOW);
		expect(stats.leadTime.count).toBeGreaterThan(50);
		expect(stats.titles['twice']).toBe('Second life');
		expect(stats.stages.filter((s) => s.deleted).length).toBeGreaterThanOrEqual(3);
		expect(stats.stages.find((s) => s.id === 'st-design')?.kind).toBe('wait');
	});
});
