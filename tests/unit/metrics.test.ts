import { describe, expect, it } from 'vitest';
import { buildTimelines, stageAt, type FlowEvent, type StageInfo } from '../../src/lib/board/metrics/history.ts';
import { cardTimes, cumulativeFlow, dueDateHitRate, flowEfficiency, leadAndCycle, quality, rework, throughputByWeek, timeInStage, wipOverTime } from '../../src/lib/board/metrics/flow.ts';
import { percentile, seededRandom, summarize } from '../../src/lib/board/metrics/stats.ts';
import { forecastHowMany, forecastWhen } from '../../src/lib/board/metrics/forecast.ts';

const H = 3_600_000;
const D = 24 * H;
const T0 = Date.parse('2026-03-02T00:00:00Z'); // a Monday
const at = (days: number, hours = 0) => T0 + days * D + hours * H;

const stages: StageInfo[] = [
	{ id: 'backlog', name: 'Backlog', kind: 'queue', order: 0 },
	{ id: 'doing', name: 'Doing', kind: 'active', order: 1 },
	{ id: 'review', name: 'Review', kind: 'wait', order: 2 },
	{ id: 'done', name: 'Done', kind: 'done', order: 3 }
];

const move = (cardId: string, t: number, fromStageId: string, toStageId: string, checklist?: { done: number; total: number }): FlowEvent => ({
	type: 'moved',
	cardId,
	at: t,
	fromStageId,
	toStageId,
	checklist
});

// A: straight through, one day per stage. B: sent back from Review once. C: still in Doing. D: created then archived unfinished.
const events: FlowEvent[] = [
	{ type: 'created', cardId: 'A', at: at(0), stageId: 'backlog', due: '2026-03-05' },
	move('A', at(1), 'backlog', 'doing'),
	move('A', at(2), 'doing', 'review'),
	move('A', at(3), 'review', 'done', { done: 3, total: 3 }),
	{ type: 'created', cardId: 'B', at: at(0, 12), stageId: 'backlog', due: '2026-03-05' },
	move('B', at(1, 12), 'backlog', 'doing'),
	move('B', at(2, 12), 'doing', 'review'),
	move('B', at(3, 12), 'review', 'doing'),
	move('B', at(4, 12), 'doing', 'done', { done: 1, total: 2 }),
	{ type: 'created', cardId: 'C', at: at(1), stageId: 'backlog' },
	move('C', at(2), 'backlog', 'doing'),
	{ type: 'created', cardId: 'D', at: at(1), stageId: 'backlog' },
	{ type: 'archived', cardId: 'D', at: at(2, 6) },
	// A finished card archived later keeps counting as done.
	{ type: 'archived', cardId: 'A', at: at(4) }
];
const cards = buildTimelines(events, stages);
const range = { from: at(0), to: at(7) };
const now = at(6, 12);

describe('percentiles', () => {
	it('uses nearest rank', () => {
		const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
		expect([percentile(sorted, 50), percentile(sorted, 85), percentile(sorted, 95), percentile(sorted, 100)]).toEqual([5, 9, 10, 10]);
		expect(summarize([])).toEqual({ p50: null, p85: null, p95: null, count: 0 });
		expect(summarize([30, 10, 20])).toEqual({ p50: 20, p85: 30, p95: 30, count: 3 });
	});
});

describe('history of hand-made cards', () => {
	it('lead and cycle time, with a move back from review', () => {
		const times = cardTimes(cards, range);
		expect(times).toEqual([
			{ cardId: 'A', finishedAt: at(3), leadHours: 72, cycleHours: 48 },
			{ cardId: 'B', finishedAt: at(4, 12), leadHours: 96, cycleHours: 72 }
		]);
		const { leadTime, cycleTime } = leadAndCycle(times);
		expect(leadTime).toEqual({ p50: 72, p85: 96, p95: 96, count: 2 });
		expect(cycleTime).toEqual({ p50: 48, p85: 72, p95: 72, count: 2 });
	});

	it('cumulative flow per day: archived unfinished cards leave, archived finished cards stay done', () => {
		const cfd = cumulativeFlow(cards, stages, range, now);
		expect(cfd.map((d) => d.date)).toEqual(['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08']);
		expect(cfd[0]!.counts).toEqual({ backlog: 2, doing: 0, review: 0, done: 0 });
		expect(cfd[1]!.counts).toEqual({ backlog: 2, doing: 2, review: 0, done: 0 }); // C, D waiting; A, B doing
		expect(cfd[2]!.counts).toEqual({ backlog: 0, doing: 1, review: 2, done: 0 }); // D archived, C doing
		expect(cfd[3]!.counts).toEqual({ backlog: 0, doing: 2, review: 0, done: 1 }); // B back in doing
		expect(cfd[4]!.counts).toEqual({ backlog: 0, doing: 1, review: 0, done: 2 });
		expect(cfd[6]!.counts).toEqual({ backlog: 0, doing: 1, review: 0, done: 2 });
	});

	it('hourly buckets for ranges under three days', () => {
		const cfd = cumulativeFlow(cards, stages, { from: at(1), to: at(2) }, now);
		expect(cfd).toHaveLength(24);
		expect(cfd[0]!.date).toBe('2026-03-03T00:00Z');
		expect(cfd[11]!.counts.doing).toBe(1);
		expect(cfd[12]!.counts.doing).toBe(2);
	});

	it('WIP counts active and waiting stages', () => {
		expect(wipOverTime(cards, stages, range, now).map((w) => w.wip)).toEqual([0, 2, 3, 2, 1, 1, 1]);
	});

	it('time in stage per visit, and the bottleneck', () => {
		const { perStage, bottleneck } = timeInStage(cards, stages, range);
		const doing = perStage.find((s) => s.stageId === 'doing')!;
		expect(doing).toEqual({ stageId: 'doing', median: 24, p85: 24, visits: 3 });
		expect(perStage.find((s) => s.stageId === 'backlog')!.median).toBe(24);
		expect(bottleneck).toBe('backlog'); // ties go to the earlier stage
	});

	it('flow efficiency = active ÷ (active + waiting) over finished cards', () => {
		// A: 24 h active, 24 h waiting. B: 24 + 24 h active, 24 h waiting.
		expect(flowEfficiency(cards, stages, range)).toBeCloseTo(72 / 120, 10);
	});

	it('deadline hit rate, and where late cards spent their time', () => {
		const due = dueDateHitRate(cards, range);
		expect(due.rate).toBe(0.5);
		expect(due.withDue).toBe(2);
		expect(due.lateHoursByStage).toEqual({ backlog: 24, doing: 48, review: 24 });
	});

	it('archive and restore are events in time: out between them, back after; restored then archived again is out again', () => {
		const life: FlowEvent[] = [
			{ type: 'created', cardId: 'R', at: at(0), stageId: 'doing' },
			{ type: 'archived', cardId: 'R', at: at(1) },
			{ type: 'restored', cardId: 'R', at: at(2) },
			{ type: 'archived', cardId: 'R', at: at(3) }
		];
		const [card] = buildTimelines(life, stages);
		expect([0, 1, 2, 3, 4].map((d) => stageAt(card!, at(d, 12)))).toEqual(['doing', null, 'doing', null, null]);
		// At the very instant of an archive the card is already out; at a restore, already back.
		expect([stageAt(card!, at(1)), stageAt(card!, at(2))]).toEqual([null, 'doing']);
		const wip = wipOverTime([card!], stages, { from: at(0), to: at(5) }, at(10)).map((w) => w.wip);
		expect(wip).toEqual([1, 0, 1, 0, 0]);
	});

	it('a finished card archived from done keeps counting there; one reopened and then archived leaves', () => {
		const [kept, reopened] = buildTimelines(
			[
				{ type: 'created', cardId: 'K', at: at(0), stageId: 'doing' },
				move('K', at(1), 'doing', 'done'),
				{ type: 'archived', cardId: 'K', at: at(2) },
				{ type: 'created', cardId: 'O', at: at(0), stageId: 'doing' },
				move('O', at(1), 'doing', 'done'),
				move('O', at(2), 'done', 'doing'),
				{ type: 'archived', cardId: 'O', at: at(3) }
			],
			stages
		);
		expect(stageAt(kept!, at(5))).toBe('done');
		expect([stageAt(reopened!, at(2, 12)), stageAt(reopened!, at(3, 12))]).toEqual(['doing', null]);
	});

	it('deadlines use the due date in force when the card finished, and count cards whose due date was moved before', () => {
		const cardsWithDue = buildTimelines(
			[
				// Moved after finishing: judged by 03-05, on time, not "moved".
				{ type: 'created', cardId: 'P', at: at(0), stageId: 'doing', due: '2026-03-05' },
				move('P', at(2), 'doing', 'done'),
				{ type: 'due_changed', cardId: 'P', at: at(3), due: '2026-03-03' },
				// Moved from 03-03 to 03-06 before finishing on 03-05: on time, moved.
				{ type: 'created', cardId: 'Q', at: at(0), stageId: 'doing' },
				{ type: 'due_changed', cardId: 'Q', at: at(0), due: '2026-03-03' },
				{ type: 'due_changed', cardId: 'Q', at: at(1), due: '2026-03-06' },
				move('Q', at(3), 'doing', 'done'),
				// Set once, then to something that is no date and back: not moved; finished late.
				{ type: 'created', cardId: 'S', at: at(0), stageId: 'doing' },
				{ type: 'due_changed', cardId: 'S', at: at(0), due: '2026-03-02' },
				{ type: 'due_changed', cardId: 'S', at: at(1), due: 'soon' },
				{ type: 'due_changed', cardId: 'S', at: at(1, 1), due: '2026-03-02' },
				move('S', at(4), 'doing', 'done'),
				// Due date removed before finishing: not counted at all.
				{ type: 'created', cardId: 'U', at: at(0), stageId: 'doing', due: '2026-03-01' },
				{ type: 'due_changed', cardId: 'U', at: at(1), due: null },
				move('U', at(2), 'doing', 'done')
			],
			stages
		);
		expect(cardsWithDue.map((c) => [c.cardId, c.dueAtFinish, c.dueMoved])).toEqual([
			['P', '2026-03-05', false],
			['Q', '2026-03-06', true],
			['S', '2026-03-02', false],
			['U', null, false]
		]);
		expect(dueDateHitRate(cardsWithDue, { from: at(0), to: at(7) })).toMatchObject({ withDue: 3, onTime: 2, dueMoved: 1 });
	});

	it('rework counts backward moves by the stage left; quality counts complete checklists at finish', () => {
		expect(rework(cards, range)).toEqual({ review: 1 });
		expect(quality(cards, range)).toEqual({ rate: 0.5, complete: 1, withChecklist: 2 });
	});

	it('throughput per week, empty weeks included', () => {
		const times = cardTimes(cards, { from: at(0), to: at(14) });
		expect(throughputByWeek(times, { from: at(0), to: at(14) })).toEqual([
			{ week: '2026-03-02', count: 2 },
			{ week: '2026-03-09', count: 0 }
		]);
	});
});

describe('forecasts', () => {
	it('with a steady two cards a day, the answers are exact', () => {
		expect(forecastHowMany([2, 2, 2], at(0), at(10))).toEqual({ p50: 20, p85: 20, p95: 20 });
		expect(forecastWhen([2, 2, 2], at(0), 10)).toEqual({ p50: '2026-03-07', p85: '2026-03-07', p95: '2026-03-07' });
	});

	it('more confidence means fewer cards, or a later date', () => {
		const samples = [0, 1, 3, 0, 2, 5, 1];
		const many = forecastHowMany(samples, at(0), at(20))!;
		expect(many.p95).toBeLessThanOrEqual(many.p85);
		expect(many.p85).toBeLessThanOrEqual(many.p50);
		const when = forecastWhen(samples, at(0), 30)!;
		expect(when.p50! <= when.p85!).toBe(true);
		expect(when.p85! <= when.p95!).toBe(true);
	});

	it('no throughput at all gives no date rather than a made-up one', () => {
		expect(forecastWhen([0, 0, 0], at(0), 5)).toEqual({ p50: null, p85: null, p95: null });
	});
});

describe('a reopened card', () => {
	// E: doing on day 1, done on day 2, reopened (back to doing) on day 3, done again on day 5.
	const reopened = buildTimelines(
		[
			{ type: 'created', cardId: 'E', at: at(0), stageId: 'backlog' },
			move('E', at(1), 'backlog', 'doing'),
			move('E', at(2), 'doing', 'done'),
			move('E', at(3), 'done', 'doing'),
			move('E', at(5), 'doing', 'done')
		],
		stages
	);

	it('lead and cycle time run to its first finish, and it counts once in throughput', () => {
		expect(cardTimes(reopened, range)).toEqual([{ cardId: 'E', finishedAt: at(2), leadHours: 48, cycleHours: 24 }]);
		expect(throughputByWeek(cardTimes(reopened, range), range).reduce((sum, w) => sum + w.count, 0)).toBe(1);
	});

	it('leaves the done band while it is reopened', () => {
		const cfd = cumulativeFlow(reopened, stages, range, now);
		expect(cfd.map((d) => d.counts.done)).toEqual([0, 0, 1, 0, 0, 1, 1]);
		expect(cfd.map((d) => d.counts.doing)).toEqual([0, 1, 0, 1, 1, 0, 0]);
		expect(rework(reopened, range)).toEqual({ done: 1 });
	});
});

/** 20 cards moving at random over 12 days; with `reopen` false a card stops moving once it reaches done. */
function randomHistory(seed: number, reopen: boolean) {
	const random = seededRandom(seed);
	const evs: FlowEvent[] = [];
	const position = new Map<string, string>();
	for (let c = 0; c < 20; c++) {
		const id = `c${c}`;
		let t = at(0) + Math.floor(random() * 5 * D);
		evs.push({ type: 'created', cardId: id, at: t, stageId: 'backlog' });
		position.set(id, 'backlog');
		for (let m = 0; m < 6; m++) {
			t += Math.floor(random() * 2 * D) + 1;
			if (t >= now || (!reopen && position.get(id) === 'done')) break;
			const to = stages[Math.floor(random() * stages.length)]!.id;
			if (to === position.get(id)) continue;
			evs.push(move(id, t, position.get(id)!, to));
			position.set(id, to);
		}
	}
	return { timelines: buildTimelines(evs, stages), position };
}

describe('properties over random histories', () => {
	const window = { from: at(0), to: at(12) };
	for (let seed = 1; seed <= 40; seed++) {
		it(`seed ${seed}: without reopens the done band never shrinks`, () => {
			const { timelines } = randomHistory(seed, false);
			const cfd = cumulativeFlow(timelines, stages, window, now);
			const finished = timelines.filter((c) => c.finishedAt !== null).length;
			expect(finished).toBeGreaterThan(0);
			for (let i = 1; i < cfd.length; i++) expect(cfd[i]!.counts.done!).toBeGreaterThanOrEqual(cfd[i - 1]!.counts.done!);
		});

		it(`seed ${seed}: with reopens, the last day matches the board and cycle ≤ lead`, () => {
			const { timelines, position } = randomHistory(seed, true);
			const cfd = cumulativeFlow(timelines, stages, window, now);
			const expected: Record<string, number> = { backlog: 0, doing: 0, review: 0, done: 0 };
			for (const card of timelines) {
				const s = stageAt(card, Math.min(now, window.to - 1));
				if (s) expected[s]!++;
			}
			expect(cfd[cfd.length - 1]!.counts).toEqual(expected);
			const finalCounts: Record<string, number> = { backlog: 0, doing: 0, review: 0, done: 0 };
			for (const s of position.values()) finalCounts[s]!++;
			expect(cfd[cfd.length - 1]!.counts).toEqual(finalCounts);
			for (const t of cardTimes(timelines, { from: 0, to: Number.MAX_SAFE_INTEGER })) if (t.cycleHours !== null) expect(t.cycleHours).toBeLessThanOrEqual(t.leadHours);
		});
	}

	it('the random histories do reopen cards, so the properties above meet them', () => {
		const reopens = Array.from({ length: 40 }, (_, i) => randomHistory(i + 1, true).timelines).filter((cards) =>
			cards.some((c) => c.finishedAt !== null && c.visits.some((v) => v.start > c.finishedAt! && v.stageId !== 'done'))
		);
		expect(reopens.length).toBeGreaterThan(20);
	});
});
