import { describe, expect, it } from 'vitest';
import { cumulativeFlowFromDeltas, dailyCounts, reworkFromMoves, timeInStageFromVisits, wipFromFlow } from '../../src/lib/board/metrics/aggregates.ts';
import { deadlines } from '../../src/lib/board/metrics/flow.ts';
import { deadlineOf } from '../../src/lib/board/metrics/deadline.ts';
import type { StageInfo } from '../../src/lib/board/metrics/history.ts';
import { histogramBins } from '../../src/lib/board/metrics/stats.ts';

const H = 3_600_000;
const D = 24 * H;
const T0 = Date.parse('2026-03-02T00:00:00Z');
const stages: StageInfo[] = [
	{ id: 'backlog', name: 'Backlog', kind: 'queue', order: 0 },
	{ id: 'doing', name: 'Doing', kind: 'active', order: 1 },
	{ id: 'review', name: 'Review', kind: 'wait', order: 2 },
	{ id: 'done', name: 'Done', kind: 'done', order: 3 }
];

describe('figures from database aggregates', () => {
	it('cumulative flow is a running sum per stage; bucket 0 carries what happened before the range', () => {
		const cfd = cumulativeFlowFromDeltas(
			[
				{ stageId: 'backlog', bucket: 0, delta: 3 },
				{ stageId: 'backlog', bucket: 1, delta: -1 },
				{ stageId: 'doing', bucket: 1, delta: 1 },
				{ stageId: 'doing', bucket: 2, delta: -1 },
				{ stageId: 'done', bucket: 2, delta: 1 },
				{ stageId: 'unknown', bucket: 0, delta: 5 }
			],
			stages,
			{ from: T0, to: T0 + 3 * D }
		);
		expect(cfd).toEqual([
			{ date: '2026-03-02', counts: { backlog: 3, doing: 0, review: 0, done: 0 } },
			{ date: '2026-03-03', counts: { backlog: 2, doing: 1, review: 0, done: 0 } },
			{ date: '2026-03-04', counts: { backlog: 2, doing: 0, review: 0, done: 1 } }
		]);
		expect(wipFromFlow(cfd, stages).map((w) => w.wip)).toEqual([0, 1, 0]);
	});

	it('time in stage converts milliseconds to hours and names the slowest non-done stage', () => {
		const tis = timeInStageFromVisits(
			[
				{ stageId: 'doing', visits: 3, p50: 24 * H, p85: 30 * H },
				{ stageId: 'review', visits: 1, p50: 36 * H, p85: 36 * H },
				{ stageId: 'done', visits: 2, p50: 99 * H, p85: 99 * H }
			],
			stages
		);
		expect(tis.perStage[0]).toEqual({ stageId: 'backlog', median: null, p85: null, visits: 0 });
		expect(tis.perStage[1]).toEqual({ stageId: 'doing', median: 24, p85: 30, visits: 3 });
		expect(tis.bottleneck).toBe('review');
	});

	it('rework counts only moves to an earlier stage, by the stage left', () => {
		const moves = [
			{ fromStageId: 'review', toStageId: 'doing', count: 2 },
			{ fromStageId: 'doing', toStageId: 'review', count: 5 },
			{ fromStageId: 'done', toStageId: 'backlog', count: 1 }
		];
		expect(reworkFromMoves(moves, stages)).toEqual({ review: 2, done: 1 });
	});

	it('daily counts fill the days without finished cards with zeros', () => {
		expect(dailyCounts([{ day: 1, count: 2 }, { day: 3, count: 1 }], 5)).toEqual([0, 2, 0, 1, 0]);
	});

	it('deadlines: on time until the end of the due day (UTC); late cards add up their time per stage; a due date that is no calendar date counts as none', () => {
		const range = { from: T0, to: T0 + 10 * D };
		const due = deadlines(
			[
				{ finishedAt: Date.parse('2026-03-05T23:59:59.999Z'), due: '2026-03-05', msByStage: { doing: 5 * H } },
				{ finishedAt: Date.parse('2026-03-06T00:00:00Z'), due: '2026-03-05', msByStage: { doing: 10 * H, review: 2 * H } },
				{ finishedAt: T0 + 5 * D, due: 'not a date', msByStage: { doing: H } },
				{ finishedAt: T0 + 5 * D, due: '2026-02-30', msByStage: { doing: H } },
				{ finishedAt: T0 + 5 * D, due: null, msByStage: { doing: 100 * H } },
				{ finishedAt: T0 + 20 * D, due: '2026-03-01', msByStage: { doing: 100 * H } }
			],
			range
		);
		expect(due).toEqual({ rate: 1 / 2, onTime: 1, withDue: 2, dueMoved: 0, lateHoursByStage: { doing: 10, review: 2 } });
	});
});

describe('deadlineOf', () => {
	it('is the last millisecond of a real calendar day (UTC), else null', () => {
		expect(deadlineOf('2026-03-05')).toBe(Date.parse('2026-03-05T23:59:59.999Z'));
		expect(deadlineOf('2028-02-29')).toBe(Date.parse('2028-02-29T23:59:59.999Z'));
		expect(deadlineOf('0001-01-01')).toBe(Date.parse('0001-01-01T23:59:59.999Z'));
		for (const bad of ['2026-02-30', '2027-02-29', '2026-13-01', '2026-00-10', '2026-01-00', '0000-01-01', '2026-3-5', ' 2026-03-05', 'soon', '', null, 5]) {
			expect(deadlineOf(bad), String(bad)).toBeNull();
		}
	});
});

describe('histogram bins', () => {
	it('round widths, every value counted once, the maximum in the last bin', () => {
		// Six values → Sturges' 4 bins; a span of 20.5 / 4 = 5.125 rounds up to a width of 10.
		const bins = histogramBins([0.5, 3, 4, 9.5, 10, 21]);
		expect(bins).toEqual([
			{ x0: 0, x1: 10, count: 4 },
			{ x0: 10, x1: 20, count: 1 },
			{ x0: 20, x1: 30, count: 1 }
		]);
		expect(histogramBins([1, 2, 3, 4])).toEqual([
			{ x0: 1, x1: 2, count: 1 },
			{ x0: 2, x1: 3, count: 1 },
			{ x0: 3, x1: 4, count: 2 }
		]);
		expect(histogramBins([])).toEqual([]);
		expect(histogramBins([7, 7])).toEqual([{ x0: 7, x1: 8, count: 2 }]);
	});
});
