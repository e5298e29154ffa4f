import { describe, expect, it } from 'vitest';
import { buildTimelines, type FlowEvent, type StageInfo } from '../../src/lib/board/metrics/history.ts';
import { seededRandom } from '../../src/lib/board/metrics/stats.ts';
import { stageAttempts, type ReviewEvent, type StageAttempt } from '../../src/lib/board/metrics/process/attempts.ts';
import { compliance } from '../../src/lib/board/metrics/process/compliance.ts';
import { AllowanceError, offsetsForAllowance, planVsActual, type ReviewStep } from '../../src/lib/board/metrics/process/plan-actual.ts';
import { efficiencyAgainst, monthsOf } from '../../src/lib/board/metrics/process/efficiency.ts';
import type { CardTimes } from '../../src/lib/board/metrics/flow.ts';

const H = 3_600_000;
const D = 24 * H;
const T0 = Date.parse('2026-03-02T09:00:00Z'); // a Monday
const at = (days: number) => T0 + days * D;

const stages: StageInfo[] = [
	{ id: 'draft', name: 'Draft', kind: 'active', order: 0 },
	{ id: 'review', name: 'Review', kind: 'wait', order: 1 },
	{ id: 'publish', name: 'Publish', kind: 'active', order: 2 },
	{ id: 'done', name: 'Done', kind: 'done', order: 3 }
];
const criteria = new Map([
	['draft', ['c1', 'c2']],
	['review', ['r1']]
]);
const created = (cardId: string, t: number): ReviewEvent => ({ type: 'created', cardId, at: t, stageId: 'draft' });
const move = (cardId: string, t: number, fromStageId: string, toStageId: string, checklist?: { done: number; total: number }): ReviewEvent => ({ type: 'moved', cardId, at: t, fromStageId, toStageId, checklist });
const check = (cardId: string, t: number, stageId: string, criterionId: string): ReviewEvent => ({ type: 'exit_checked', cardId, at: t, stageId, criterionId });
const target = (cardId: string, t: number, day: string | null): ReviewEvent => ({ type: 'target_changed', cardId, at: t, target: day });

// A: clean through every stage. B: left Draft with a criterion unchecked, was sent back, then passed. C: clean out of
// Draft in the second week, still in Review. (Worked out by hand below.)
const events: ReviewEvent[] = [
	created('A', at(0)),
	target('A', at(0), '2026-03-09'),
	check('A', at(1), 'draft', 'c1'),
	check('A', at(1), 'draft', 'c2'),
	move('A', at(2), 'draft', 'review'),
	check('A', at(3), 'review', 'r1'),
	move('A', at(4), 'review', 'publish'),
	move('A', at(5), 'publish', 'done', { done: 2, total: 2 }),
	created('B', at(0)),
	target('B', at(0), '2026-03-06'),
	check('B', at(1), 'draft', 'c1'),
	move('B', at(2), 'draft', 'review'),
	move('B', at(3), 'review', 'draft'),
	check('B', at(3), 'draft', 'c2'),
	move('B', at(4), 'draft', 'review'),
	check('B', at(8), 'review', 'r1'),
	move('B', at(9), 'review', 'publish'),
	move('B', at(10), 'publish', 'done', { done: 1, total: 2 }),
	created('C', at(7)),
	check('C', at(7), 'draft', 'c1'),
	check('C', at(7), 'draft', 'c2'),
	move('C', at(8), 'draft', 'review')
];
const range = { from: Date.parse('2026-03-02T00:00:00Z'), to: Date.parse('2026-03-16T00:00:00Z') };
const flowOnly = (list: readonly ReviewEvent[]) => list.filter((e): e is FlowEvent => e.type !== 'exit_checked' && e.type !== 'target_changed');

describe('first attempts at a stage', () => {
	it('marks a refused-in-spirit exit (criterion unchecked, sent back) and keeps the clean ones', () => {
		const attempts = stageAttempts(events, stages, criteria);
		const of = (card: string, stage: string) => attempts.find((a) => a.cardId === card && a.stageId === stage);
		expect(of('A', 'draft')).toMatchObject({ enteredAt: at(0), leftAt: at(2), criteriaMet: true, sentBack: false, target: '2026-03-09' });
		expect(of('B', 'draft')).toMatchObject({ leftAt: at(2), criteriaMet: false, sentBack: true });
		// B's Review attempt counts from its first arrival, day 2, to its first forward exit, day 9.
		expect(of('B', 'review')).toMatchObject({ enteredAt: at(2), leftAt: at(9), criteriaMet: true, sentBack: false });
		expect(of('C', 'review')).toBeUndefined();
		expect(attempts).toHaveLength(7);
	});

	it('starts over when a card is created again', () => {
		const again = [created('X', at(0)), move('X', at(1), 'draft', 'review'), created('X', at(2)), check('X', at(2), 'draft', 'c1'), check('X', at(2), 'draft', 'c2'), move('X', at(3), 'draft', 'review')];
		expect(stageAttempts(again, stages, criteria)).toEqual([{ cardId: 'X', stageId: 'draft', enteredAt: at(2), leftAt: at(3), criteriaMet: true, checked: ['c1', 'c2'], sentBack: false, target: null }]);
	});
});

describe('compliance over time', () => {
	const figures = compliance(stageAttempts(events, stages, criteria), buildTimelines(flowOnly(events), stages), range, stages.map((s) => s.id));

	it('counts 6 of 7 exits clean, below the 95 % target', () => {
		expect(figures).toMatchObject({ exits: 7, clean: 6, criteriaMissed: 1, sentBack: 1, target: 0.95, met: false });
		expect(figures.rate).toBeCloseTo(6 / 7);
	});

	it('splits by stage and by week, and counts quality of finished cards', () => {
		expect(figures.perStage).toEqual([
			{ stageId: 'draft', exits: 3, clean: 2, rate: 2 / 3, criteriaMissed: 1, sentBack: 1 },
			{ stageId: 'review', exits: 2, clean: 2, rate: 1, criteriaMissed: 0, sentBack: 0 },
			{ stageId: 'publish', exits: 2, clean: 2, rate: 1, criteriaMissed: 0, sentBack: 0 }
		]);
		expect(figures.weekly.map((w) => [w.week, w.exits, w.clean, w.quality.complete, w.quality.withChecklist])).toEqual([
			['2026-03-02', 4, 3, 1, 1],
			['2026-03-09', 3, 3, 0, 1]
		]);
		expect(figures.quality).toEqual({ rate: 0.5, complete: 1, withChecklist: 2 });
	});

	it('meets a target the owner lowered', () => {
		expect(compliance(stageAttempts(events, stages, criteria), [], range, [], 0.8).met).toBe(true);
	});

	it('keeps every share between 0 and 1 and every count adding up, on random histories', () => {
		const rnd = seededRandom(15);
		const ids = stages.map((s) => s.id);
		for (let run = 0; run < 200; run++) {
			const list: ReviewEvent[] = [];
			for (let c = 0; c < 6; c++) {
				const card = `k${c}`;
				let t = at(Math.floor(rnd() * 10));
				let stage = 'draft';
				list.push(created(card, t));
				for (let step = 0; step < 8; step++) {
					t += Math.floor(rnd() * 2 * D);
					if (rnd() < 0.4) list.push(check(card, t, ids[Math.floor(rnd() * 2)]!, rnd() < 0.5 ? 'c1' : rnd() < 0.5 ? 'c2' : 'r1'));
					const to = ids[Math.floor(rnd() * ids.length)]!;
					if (to !== stage) list.push(move(card, t, stage, to, { done: Math.floor(rnd() * 3), total: 2 }));
					stage = to;
				}
			}
			const f = compliance(stageAttempts(list, stages, criteria), buildTimelines(flowOnly(list), stages), range, ids);
			for (const part of [f, ...f.perStage, ...f.weekly]) {
				expect(part.clean).toBeLessThanOrEqual(part.exits);
				if (part.rate !== null) expect(part.rate >= 0 && part.rate <= 1).toBe(true);
			}
			if (f.quality.rate !== null) expect(f.quality.rate >= 0 && f.quality.rate <= 1).toBe(true);
			expect(f.perStage.reduce((n, s) => n + s.exits, 0)).toBe(f.exits);
			expect(f.weekly.reduce((n, w) => n + w.exits, 0)).toBe(f.exits);
		}
	});
});

describe('plan against actual', () => {
	const steps: ReviewStep[] = [
		{ stageId: 'draft', name: 'Draft', offset: 5, unit: 'working' },
		{ stageId: 'review', name: 'Review', offset: 2, unit: 'working' },
		{ stageId: 'publish', name: 'Publish', offset: 0, unit: 'working' }
	];

	it('compares leaving days with planned days and times in step with allowances', () => {
		const review = planVsActual(stageAttempts(events, stages, criteria), steps, range, 'UTC');
		// Draft: A due Mon 03-02, left Wed; B due Fri 02-27, left Wed; C had no target. Days: 2, 2, 1 working days.
		expect(review[0]).toMatchObject({ stageId: 'draft', left: 3, planned: 2, onTime: 0, onTimeRate: 0, p50: 2, p85: 2, allowance: null, suggestion: null });
		// Review: A due Thu 03-05, left Fri; B due Wed 03-04, left Wed 03-11. Days: 2 and 5; allows 5 − 2 = 3.
		expect(review[1]).toMatchObject({ stageId: 'review', left: 2, planned: 2, onTime: 0, p50: 2, p85: 5, allowance: 3, suggestion: null });
		// Publish: A due Mon 03-09, left Sat 03-07 (on time, 0 working days); B due Fri 03-06, left Thu 03-12 (1 day).
		expect(review[2]).toMatchObject({ stageId: 'publish', left: 2, planned: 2, onTime: 1, onTimeRate: 0.5, p50: 0, p85: 1, allowance: 2, suggestion: null });
	});

	const outline: ReviewStep[] = [
		{ stageId: 'brief', name: 'Brief', offset: 12, unit: 'working' },
		{ stageId: 'outline', name: 'Approve outline', offset: 7, unit: 'working' },
		{ stageId: 'write', name: 'Write', offset: 2, unit: 'working' }
	];
	const monday = Date.parse('2026-03-02T10:00:00Z');
	// Left after 7, 7, 7, 5 and 3 working days: p85 is 7 (the 5th of 5).
	const leftAfter = ['2026-03-11', '2026-03-11', '2026-03-11', '2026-03-09', '2026-03-05'];
	const attempts: StageAttempt[] = leftAfter.map((day, i) => ({ cardId: `c${i}`, stageId: 'outline', enteredAt: monday, leftAt: Date.parse(`${day}T15:00:00Z`), criteriaMet: true, checked: [], sentBack: false, target: null }));

	it('suggests the p85 as the new allowance, and applying it moves only the steps before', () => {
		const [, step] = planVsActual(attempts, outline, range, 'UTC');
		expect(step).toMatchObject({ p85: 7, allowance: 5, suggestion: { days: 7, message: '“Approve outline” takes 7 working days at p85; the plan allows 5 — change it to 7?' } });
		expect(offsetsForAllowance(outline, 'outline', 7)).toEqual(new Map([['brief', 14]]));
		expect(offsetsForAllowance(outline, 'write', 5)).toEqual(new Map());
		expect(offsetsForAllowance(outline, 'write', 3)).toEqual(new Map([['brief', 10], ['outline', 5]]));
	});

	it('makes no suggestion from too few cards, and refuses allowances it cannot give', () => {
		expect(planVsActual(attempts.slice(0, 2), outline, range, 'UTC')[1]!.suggestion).toBeNull();
		expect(() => offsetsForAllowance(outline, 'brief', 3)).toThrow(AllowanceError);
		expect(() => offsetsForAllowance(outline, 'outline', -1)).toThrow('whole number of days');
		expect(() => offsetsForAllowance(outline, 'gone', 3)).toThrow('not a step');
	});
});

describe('efficiency against a baseline', () => {
	const card = (day: string, leadHours: number, cycleHours: number | null): CardTimes => ({ cardId: day, finishedAt: Date.parse(`${day}T12:00:00Z`), leadHours, cycleHours });
	const times = [card('2026-01-05', 10, 5), card('2026-01-15', 20, 10), card('2026-01-25', 30, null), card('2026-03-10', 99, 99), card('2026-03-20', 8, 4), card('2026-04-05', 30, 10), card('2026-04-20', 99, 99)];
	const jan = { from: Date.parse('2026-01-01T00:00:00Z'), to: Date.parse('2026-02-01T00:00:00Z') };
	const span = { from: Date.parse('2026-03-15T00:00:00Z'), to: Date.parse('2026-04-10T00:00:00Z') };

	it('gives the change of median lead and cycle time per month and over the range', () => {
		const e = efficiencyAgainst(times, span, jan);
		expect(e.baseline).toMatchObject({ from: '2026-01-01', to: '2026-01-31', finished: 3, leadP50: 20, cycleP50: 5 });
		expect(e.range).toMatchObject({ finished: 2, leadP50: 8, cycleP50: 4, leadChange: -0.6, cycleChange: -0.2 });
		expect(e.monthly.map((m) => [m.month, m.finished, m.leadChange, m.cycleChange])).toEqual([
			['2026-03', 1, -0.6, -0.2],
			['2026-04', 1, 0.5, 1]
		]);
	});

	it('has no change without a baseline', () => {
		expect(efficiencyAgainst(times, span, { from: 0, to: 1 }).range.leadChange).toBeNull();
	});

	it('cuts a range into its months, across a year end', () => {
		expect(monthsOf({ from: Date.parse('2025-12-20T00:00:00Z'), to: Date.parse('2026-01-02T00:00:00Z') }).map((m) => m.month)).toEqual(['2025-12', '2026-01']);
	});
});
