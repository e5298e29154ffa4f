import { describe, expect, it } from 'vitest';
import { automationShare } from '../../src/lib/board/metrics/automation.ts';

const DAY = 86_400_000;
const dayOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY;

describe('the automation share', () => {
	// Monday 2026-03-02 to Sunday 2026-03-15: two whole weeks.
	const range = { from: Date.parse('2026-03-02T00:00:00Z'), to: Date.parse('2026-03-16T00:00:00Z') };

	it('is what the process and its rules did over everything counted, with every week of the range', () => {
		const share = automationShare(
			[
				{ day: dayOf('2026-03-03'), total: 10, byRules: 3, byProcess: 4 },
				{ day: dayOf('2026-03-05'), total: 5, byRules: 0, byProcess: 0 },
				{ day: dayOf('2026-03-20'), total: 99, byRules: 99, byProcess: 0 } // outside the range
			],
			range
		);
		expect(share).toMatchObject({ total: 15, byRules: 3, byProcess: 4, byPeople: 8, target: 0.6 });
		expect(share.share).toBeCloseTo(7 / 15);
		expect(share.weekly).toEqual([
			{ week: '2026-03-02', total: 15, automated: 7, share: 7 / 15 },
			{ week: '2026-03-09', total: 0, automated: 0, share: null }
		]);
	});

	it('has no share when nothing was counted', () => {
		expect(automationShare([], range)).toMatchObject({ total: 0, share: null });
	});
});
