import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/lib/server/db/client.ts';
import { dbKinds, openTestDatabase } from '../helpers/db.ts';
import { generateFlowHistory, insertFlowHistory } from '../helpers/flow-history.ts';
import { referenceStats } from '../helpers/stats-reference.ts';
import { insertCardEvents } from '../../src/lib/server/history.ts';
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
	});
});
