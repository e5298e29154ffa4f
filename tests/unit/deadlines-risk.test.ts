import { describe, expect, it } from 'vitest';
import { allowances, chanceOnTime, finishedChance, riskLevel, seededRandom, seedOf, type StageAhead } from '../../src/lib/board/metrics/deadlines/risk.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = Date.parse('2026-03-02T09:00:00Z');

describe('due-date risk', () => {
	it('names levels by the documented thresholds', () => {
		expect([1, 0.8, 0.79, 0.5, 0.49, 0].map(riskLevel)).toEqual(['on_track', 'on_track', 'at_risk', 'at_risk', 'likely_late', 'likely_late']);
	});

	it('counts each step’s allowance from the previous dated step, working days as 7/5 calendar days', () => {
		const steps = [
			{ stageId: 'a', name: 'A', ownerRole: null, offset: 10, unit: 'working' as const },
			{ stageId: 'x', name: 'X', ownerRole: null, offset: null, unit: 'calendar' as const },
			{ stageId: 'b', name: 'B', ownerRole: null, offset: 5, unit: 'working' as const },
			{ stageId: 'c', name: 'C', ownerRole: null, offset: 0, unit: 'calendar' as const }
		];
		expect([...allowances(steps)]).toEqual([
			['a', null],
			['x', null],
			['b', 7 * DAY],
			['c', 5 * DAY]
		]);
	});

	it('uses the allowance when a step has too little history', () => {
		// Four past stays of 10 days are too few: the 2-day allowance stands in, so the card is sure either way.
		const ahead: StageAhead[] = [
			{ stageId: 'current', samples: [], allowanceMs: null },
			{ stageId: 'next', samples: [10 * DAY, 10 * DAY, 10 * DAY, 10 * DAY], allowanceMs: 2 * DAY }
		];
		expect(chanceOnTime({ now, deadline: now + 3 * DAY, ahead, elapsedMs: 0, seed: 1 })).toBe(1);
		expect(chanceOnTime({ now, deadline: now + DAY, ahead, elapsedMs: 0, seed: 1 })).toBe(0);
		// With a fifth stay the history counts: 10 days never fit in 3.
		const enough = [ahead[0]!, { ...ahead[1]!, samples: [...ahead[1]!.samples, 10 * DAY] }];
		expect(chanceOnTime({ now, deadline: now + 3 * DAY, ahead: enough, elapsedMs: 0, seed: 1 })).toBe(0);
	});

	it('draws past stays: 3 of 5 past stays fit, so about 60 %', () => {
		const ahead: StageAhead[] = [
			{ stageId: 'current', samples: [], allowanceMs: null },
			{ stageId: 'next', samples: [DAY, DAY, DAY, 5 * DAY, 5 * DAY], allowanceMs: null }
		];
		expect(chanceOnTime({ now, deadline: now + 2 * DAY, ahead, elapsedMs: 0, seed: 7, trials: 20_000 })).toBeCloseTo(0.6, 1);
	});

	it('counts only the rest of the current stage, drawn among stays longer than the time already spent', () => {
		// 3.5 days spent: only the 4- and 5-day stays remain possible, leaving 0.5 or 1.5 days; 1 day fits half of them.
		const ahead: StageAhead[] = [{ stageId: 'current', samples: [1, 2, 3, 4, 5].map((d) => d * DAY), allowanceMs: null }];
		const chance = chanceOnTime({ now, deadline: now + DAY, ahead, elapsedMs: 3.5 * DAY, seed: 3, trials: 20_000 });
		expect(chance).toBeGreaterThan(0.45);
		expect(chance).toBeLessThan(0.55);
		// Past the target already: no chance.
		expect(chanceOnTime({ now, deadline: now - 1, ahead, elapsedMs: 0, seed: 3 })).toBe(0);
	});

	it('is reproducible: the same card and history give the same chance', () => {
		const ahead: StageAhead[] = [{ stageId: 'current', samples: [1, 2, 3, 4, 5, 6, 7].map((d) => d * DAY), allowanceMs: null }];
		const input = { now, deadline: now + 3 * DAY, ahead, elapsedMs: 0, seed: seedOf('card-1') };
		expect(chanceOnTime(input)).toBe(chanceOnTime(input));
		expect(seedOf('card-1')).not.toBe(seedOf('card-2'));
	});
});

describe('properties (fixed seed)', () => {
	it('a chance lies in 0–1 and a finished card’s is 0 or 1', () => {
		const random = seededRandom(42);
		for (let run = 0; run < 300; run++) {
			const ahead: StageAhead[] = Array.from({ length: Math.floor(random() * 5) }, (_, i) => ({
				stageId: `s${i}`,
				samples: Array.from({ length: Math.floor(random() * 8) }, () => Math.floor(random() * 10 * DAY)).sort((a, b) => a - b),
				allowanceMs: random() < 0.5 ? null : Math.floor(random() * 5 * DAY)
			}));
			const deadline = now + Math.floor((random() - 0.2) * 20 * DAY);
			const chance = chanceOnTime({ now, deadline, ahead, elapsedMs: Math.floor(random() * 6 * DAY), seed: run, trials: 50 });
			expect(chance).toBeGreaterThanOrEqual(0);
			expect(chance).toBeLessThanOrEqual(1);
			expect([0, 1]).toContain(finishedChance(now + Math.floor((random() - 0.5) * 10 * DAY), deadline));
		}
		expect(finishedChance(now, now)).toBe(1);
		expect(finishedChance(now + 1, now)).toBe(0);
	});
});
