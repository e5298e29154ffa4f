import { describe, expect, it } from 'vitest';
import { pickAssignee } from '../../src/lib/board/plan/assign.ts';
import { PlanError } from '../../src/lib/board/plan/errors.ts';

describe('balanced assignment', () => {
	const writers = ['ana', 'ben', 'cho'];

	it('gives the card to the writer with the fewest open cards', () => {
		expect(pickAssignee(writers, { ana: 4, ben: 1, cho: 3 }, null)).toBe('ben');
		// Even when it was their turn last time: load comes before turns.
		expect(pickAssignee(writers, { ana: 4, ben: 1, cho: 3 }, 'ben')).toBe('ben');
		// Someone with no open cards at all need not be listed.
		expect(pickAssignee(writers, { ana: 2, ben: 1 }, null)).toBe('cho');
	});

	it('takes turns among equals, in holder order, wrapping round', () => {
		const even = { ana: 2, ben: 2, cho: 2 };
		expect(pickAssignee(writers, even, null)).toBe('ana');
		expect(pickAssignee(writers, even, 'ana')).toBe('ben');
		expect(pickAssignee(writers, even, 'ben')).toBe('cho');
		expect(pickAssignee(writers, even, 'cho')).toBe('ana');
		// Only the tied ones take turns: after ana the next with the fewest is cho.
		expect(pickAssignee(writers, { ana: 1, ben: 5, cho: 1 }, 'ana')).toBe('cho');
	});

	it('deals a run of cards out evenly', () => {
		const open: Record<string, number> = { ana: 0, ben: 0, cho: 0 };
		let previous: string | null = null;
		const picks: string[] = [];
		for (let i = 0; i < 6; i++) {
			previous = pickAssignee(writers, open, previous);
			picks.push(previous!);
			open[previous!]! += 1;
		}
		expect(picks).toEqual(['ana', 'ben', 'cho', 'ana', 'ben', 'cho']);
	});

	it('starts from the first holder when the last pick no longer holds the role', () => {
		expect(pickAssignee(writers, {}, 'dan')).toBe('ana');
	});

	it('picks nobody when nobody holds the role', () => {
		expect(pickAssignee([], { ana: 0 }, 'ana')).toBeNull();
	});

	it('refuses a count that is not a number of cards', () => {
		expect(() => pickAssignee(writers, { ana: -1 }, null)).toThrow(PlanError);
		expect(() => pickAssignee(writers, { ana: Number.NaN }, null)).toThrow(/open card count of ana/);
	});
});
