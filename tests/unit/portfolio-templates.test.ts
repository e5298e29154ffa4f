import { describe, expect, it } from 'vitest';
import { figuresByTemplate } from '../../src/lib/server/portfolio/template-figures.ts';
import type { BoardProcessFigures } from '../../src/lib/server/portfolio/process-figures.ts';

const DAY = 86_400_000;
const board = (template: BoardProcessFigures['template'], exits: number, clean: number, planned: number, onTime: number, withTarget: number, lateDays: number[]): BoardProcessFigures => ({
	template,
	compliance: { exits, clean, rate: exits ? clean / exits : null, target: 0.95 },
	steps: { planned, onTime },
	missed: { withTarget, lateMs: lateDays.map((d) => d * DAY) }
});
const blog = { id: 't-blog', name: 'Blog post' };
const launch = { id: 't-launch', name: 'Product launch' };

describe('the portfolio’s figures per template', () => {
	it('adds the boards of a template up, so each rate is over all their work (not an average of rates)', () => {
		const rows = figuresByTemplate([board(blog, 10, 9, 8, 6, 4, [2]), board(launch, 0, 0, 0, 0, 0, []), board(null, 50, 0, 50, 0, 50, [9]), board(blog, 30, 15, 2, 2, 6, [1, 3])]);
		expect(rows).toEqual([
			// (9 + 15) / (10 + 30) = 60 %, not the boards' 90 % and 50 % averaged; lateness 1, 2, 3 days: median 2.
			{ templateId: 't-blog', name: 'Blog post', boards: 2, exits: 40, clean: 24, compliance: 0.6, stepsPlanned: 10, stepsOnTime: 8, stepOnTimeShare: 0.8, withTarget: 10, late: 3, lateDaysP50: 2 },
			// Nothing to measure yet: nulls, not zeros.
			{ templateId: 't-launch', name: 'Product launch', boards: 1, exits: 0, clean: 0, compliance: null, stepsPlanned: 0, stepsOnTime: 0, stepOnTimeShare: null, withTarget: 0, late: 0, lateDaysP50: null }
		]);
	});
});
