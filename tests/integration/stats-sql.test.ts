import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/lib/server/db/client.ts';
import { sql } from 'drizzle-orm';
import { dbKinds, openTestDatabase, queryRows } from '../helpers/db.ts';
import { generateFlowHistory, insertFlowHistory } from '../helpers/flow-history.ts';
import { referenceStats } from '../helpers/stats-reference.ts';
import { insertCardEvents, upsertStages } from '../../src/lib/server/history.ts';
import { boards } from '../../src/lib/server/db/schema/boards.ts';
import { boardStats, parseStatsQuery } from '../../src/lib/server/stats.ts';

const DAY = 86_400_000;
const NOW = new Date('2026-11-20T15:30:00.000Z');

/** Both answers as JSON would carry them (undefined and NaN become absent / null alike). */
const asJson = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

describe.each(dbKinds())('stats computed in SQL equal the in-memory metrics (%s)', (kind) => {
	let database: Database;

	beforeAll(async () => {
		database = await openTestDatabase(kind);
		// Times rounded to whole minutes, so that many events share a timestamp and the tie-break order matters.
		const history = generateFlowHistory({ boardId: 'board-a', seed: 11, events: 6_000, end: NOW.getTime(), days: 200 });
		for (const e of history.events) e.at = new Date(Math.floor(e.at.getTime() / 60_000) * 60_000);
		await insertFlowHistory(database.db, history);
		const at = (daysAgo: number) => new Date(NOW.getTime() - daysAgo * DAY);
		const row = (cardId: string, type: string, t: Date, extra: Record<string, unknown> = {}) => ({ boardId: 'board-a', cardId, type, at: t, actorId: null, fromStageId: null, toStageId: null, data: {}, ...extra });
		// Oddities the replay tolerates: a move before the card exists, a card created twice, a stage nobody knows,
		// a move with no stage, odd due dates, a card created straight into done, events in the future, and reopens.
		await insertCardEvents(database.db, [
			row('odd-1', 'moved', at(30), { fromStageId: 'st-ideas', toStageId: 'st-drafting' }),
			row('odd-1', 'created', at(29), { toStageId: 'st-ideas', data: { title: 'First life' } }),
			row('odd-1', 'moved', at(28), { fromStageId: 'st-ideas', toStageId: 'st-drafting' }),
			row('odd-1', 'due_changed', at(28), { data: { due: '2026-01-01' } }),
			row('odd-1', 'created', at(20), { toStageId: 'st-outline', data: { title: 'Second life' } }),
			row('odd-1', 'moved', at(10), { fromStageId: 'st-outline', toStageId: 'st-published', data: { checklist: { done: 1, total: 2 } } }),
			row('odd-2', 'created', at(15), { toStageId: 'st-gone', data: {} }),
			row('odd-2', 'moved', at(14), { fromStageId: 'st-gone', toStageId: null }),
			row('odd-2', 'moved', at(5), { toStageId: 'st-published' }),
			row('odd-2', 'due_changed', at(5), { data: { due: 'not a date' } }),
			row('odd-3', 'created', at(12), { toStageId: 'st-published', data: { title: 'Born done' } }),
			row('odd-3', 'due_changed', at(12), { data: { due: '2026-02-30' } }),
			row('odd-4', 'created', at(3), { toStageId: 'st-drafting', data: { title: 'Tomorrow' } }),
			row('odd-4', 'moved', at(-1), { fromStageId: 'st-drafting', toStageId: 'st-review' }),
			row('odd-4', 'wip_breach', at(2), { toStageId: 'st-drafting', data: { limit: 3 } }),
			// Reopened cards: one finishes again later (late), one is back at work now (ageing).
			row('odd-5', 'created', at(40), { toStageId: 'st-ideas', data: { title: 'Twice done' } }),
			row('odd-5', 'due_changed', at(40), { data: { due: '2026-10-12' } }),
			row('odd-5', 'moved', at(35), { fromStageId: 'st-ideas', toStageId: 'st-drafting' }),
			row('odd-5', 'moved', at(30), { fromStageId: 'st-drafting', toStageId: 'st-published', data: { checklist: { done: 2, total: 2 } } }),
			row('odd-5', 'moved', at(25), { fromStageId: 'st-published', toStageId: 'st-review' }),
			row('odd-5', 'moved', at(8), { fromStageId: 'st-review', toStageId: 'st-published', data: { checklist: { done: 1, total: 2 } } }),
			row('odd-6', 'created', at(22), { toStageId: 'st-drafting', data: { title: 'Back at work' } }),
			row('odd-6', 'moved', at(18), { fromStageId: 'st-drafting', toStageId: 'st-published' }),
			row('odd-6', 'moved', at(6), { fromStageId: 'st-published', toStageId: 'st-drafting' })
		]);
		// A small board whose figures are worked out by hand (see the last test): archive and restore as events in
		// time, and deadlines judged by the due date in force when a card finished.
		await database.db.insert(boards).values({ id: 'board-b', name: 'By hand', createdBy: null, createdAt: at(30) });
		const stage = (stageId: string, kind: string, rank: string) => ({ boardId: 'board-b', stageId, name: stageId, kind, rank, deleted: false, at: at(30) });
		await upsertStages(database.db, [stage('s-todo', 'queue', 'a0'), stage('s-doing', 'active', 'a1'), stage('s-wait', 'wait', 'a2'), stage('s-done', 'done', 'a3')]);
		const b = (cardId: string, type: string, daysAgo: number, extra: Record<string, unknown> = {}) => ({ ...row(cardId, type, at(daysAgo), extra), boardId: 'board-b' });
		const move = (cardId: string, daysAgo: number, from: string, to: string) => b(cardId, 'moved', daysAgo, { fromStageId: from, toStageId: to });
		await insertCardEvents(database.db, [
			b('arch-restore', 'created', 20, { toStageId: 's-todo', data: { title: 'Archived, then restored' } }),
			move('arch-restore', 18, 's-todo', 's-doing'),
			b('arch-restore', 'archived', 10),
			b('arch-restore', 'restored', 5),
			b('reopen-archive', 'created', 20, { toStageId: 's-doing', data: { title: 'Restored, then archived again' } }),
			b('reopen-archive', 'archived', 15),
			b('reopen-archive', 'restored', 12),
			b('reopen-archive', 'archived', 8),
			b('done-archived', 'created', 20, { toStageId: 's-doing', data: { title: 'Finished, then archived' } }),
			move('done-archived', 16, 's-doing', 's-done'),
			b('done-archived', 'archived', 14),
			b('reopened-archived', 'created', 20, { toStageId: 's-doing', data: { title: 'Finished, reopened, archived' } }),
			move('reopened-archived', 17, 's-doing', 's-done'),
			move('reopened-archived', 13, 's-done', 's-doing'),
			b('reopened-archived', 'archived', 11),
			b('due-after', 'created', 20, { toStageId: 's-todo', data: { title: 'Due date moved after it finished' } }),
			b('due-after', 'due_changed', 19, { data: { due: '2026-11-05', previous: null } }),
			move('due-after', 18, 's-todo', 's-doing'),
			move('due-after', 16, 's-doing', 's-done'),
			b('due-after', 'due_changed', 10, { data: { due: '2026-11-01', previous: '2026-11-05' } }),
			b('due-moved', 'created', 20, { toStageId: 's-todo', data: { title: 'Due date moved before it finished' } }),
			b('due-moved', 'due_changed', 20, { data: { due: '2026-11-01', previous: null } }),
			b('due-moved', 'due_changed', 17, { data: { due: '2026-11-06', previous: '2026-11-01' } }),
			move('due-moved', 15, 's-todo', 's-done'),
			b('future-archive', 'created', 3, { toStageId: 's-doing', data: { title: 'To be archived tomorrow' } }),
			b('future-archive', 'archived', -1)
		]);
	}, 120_000);

	afterAll(async () => {
		await database?.close();
	});

	const ranges: [string, Record<string, string>][] = [
		['the default 30 days', {}],
		['90 days, with both forecasts', { from: '2026-08-23', to: '2026-11-20', forecastBy: '2026-12-31', forecastCount: '40' }],
		['the whole history', { from: '2026-05-01', to: '2026-11-20' }],
		['two days (hourly buckets)', { from: '2026-11-18', to: '2026-11-19' }],
		['a range reaching past now', { from: '2026-11-10', to: '2026-11-30' }],
		['a range before any history', { from: '2025-01-01', to: '2025-01-31' }]
	];

	it.each(ranges)('%s', async (_, params) => {
		const query = parseStatsQuery(new URLSearchParams(params), NOW);
		const [fromSql, fromMemory] = await Promise.all([boardStats(database.db, 'board-a', query, NOW), referenceStats(database.db, 'board-a', query, NOW)]);
		expect(asJson(fromSql)).toEqual(asJson(fromMemory));
	});

	it.each(ranges)('by hand: %s', async (_, params) => {
		const query = parseStatsQuery(new URLSearchParams(params), NOW);
		const [fromSql, fromMemory] = await Promise.all([boardStats(database.db, 'board-b', query, NOW), referenceStats(database.db, 'board-b', query, NOW)]);
		expect(asJson(fromSql)).toEqual(asJson(fromMemory));
	});

	it('by hand: archive and restore are events in time, and deadlines use the due date in force at the finish', async () => {
		const stats = await boardStats(database.db, 'board-b', parseStatsQuery(new URLSearchParams({ from: '2026-10-25', to: '2026-11-20' }), NOW), NOW);
		const on = (date: string) => stats.cfd.find((d) => d.date === date)!.counts;
		const doing = ['11-03', '11-06', '11-08', '11-10', '11-12', '11-15', '11-17', '11-20'].map((d) => on(`2026-${d}`)['s-doing']);
		// 11-03: four at work. 11-06: one archived (reopen-archive), two finished. 11-08: restored, and one reopened.
		// 11-10: arch-restore and the reopened card archived. 11-12: archived again. 11-15: restored. 11-17: a new card.
		expect(doing).toEqual([4, 1, 3, 1, 0, 1, 2, 2]);
		expect(stats.wip.map((w) => w.wip)).toEqual(stats.cfd.map((d) => d.counts['s-doing']! + d.counts['s-wait']!));
		// Finished work archived from done stays done; the reopened card left done when it was reopened.
		expect([on('2026-11-04')['s-done'], on('2026-11-06')['s-done'], on('2026-11-07')['s-done'], on('2026-11-20')['s-done']]).toEqual([3, 4, 3, 3]);
		// Ageing now: the restored card, and the one archived only tomorrow; not the ones archived now.
		expect(stats.ageing.map((a) => a.cardId)).toEqual(['arch-restore', 'future-archive']);
		// due-after finished on 11-04 with 11-05 in force (moved to 11-01 afterwards); due-moved on 11-05 with 11-06
		// in force, moved there from 11-01 before it finished.
		expect(stats.dueDateHitRate).toMatchObject({ withDue: 2, onTime: 2, dueMoved: 1, rate: 1 });
	});

	it('the history is rich enough for the comparison to mean something', async () => {
		const stats = await boardStats(database.db, 'board-a', parseStatsQuery(new URLSearchParams({ from: '2026-05-01', to: '2026-11-20' }), NOW), NOW);
		expect(stats.leadTime.count).toBeGreaterThan(200);
		expect(stats.ageing.length).toBeGreaterThan(10);
		expect(Object.keys(stats.rework).length).toBeGreaterThan(0);
		expect(Object.keys(stats.dueDateHitRate.lateHoursByStage).length).toBeGreaterThan(2);
		expect(stats.stages.filter((s) => s.deleted)).toHaveLength(2);
		expect(stats.wipBreaches.length).toBeGreaterThan(5);
		// The reopened cards: counted once, at their first finish; the one back at work is ageing.
		expect(stats.leadTime.cards.filter((c) => c.cardId === 'odd-5' || c.cardId === 'odd-6')).toHaveLength(2);
		expect(stats.ageing.map((a) => a.cardId)).toContain('odd-6');
		expect(stats.rework['st-published']).toBeGreaterThanOrEqual(2);
		// Cards restored after being archived, and due dates moved before finishing, are in the generated history.
		expect(stats.dueDateHitRate.dueMoved).toBeGreaterThan(5);
		const [restored] = await queryRows<{ n: number }>(database, sql`select count(distinct card_id)::int as n from card_events where board_id = 'board-a' and type = 'restored'`);
		expect(restored!.n).toBeGreaterThan(5);
	});
});
