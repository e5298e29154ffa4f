import { describe, expect, it } from 'vitest';
import { indexAmongAll } from '../../src/lib/board/filter/placement.ts';

const cards = (ids: string) => ids.split('').map((id) => ({ id }));
/** The stage's order after moving `id` to `shownIndex` among the shown cards. */
function drop(all: string, shown: string, id: string, shownIndex: number): string {
	const rest = all.replace(id, '');
	const at = indexAmongAll(cards(all), cards(shown), shownIndex, id);
	return rest.slice(0, at) + id + rest.slice(at);
}

describe('a move in a filtered view', () => {
	it('lands right under the shown card it was dropped under, hidden cards staying put', () => {
		// a B c D e: B and D shown; dropping X between B and D puts it after B, before hidden c.
		expect(drop('aBcDeX', 'BDX', 'X', 1)).toBe('aBXcDe');
		expect(drop('aBcDeX', 'BDX', 'X', 2)).toBe('aBcDXe');
	});

	it('lands above the first shown card when dropped on top, and at the end of an empty view', () => {
		expect(drop('aBcDe', 'BD', 'D', 0)).toBe('aDBce');
		expect(drop('abc', '', 'X', 0)).toBe('abcX');
	});

	it('matches an unfiltered move when everything is shown', () => {
		expect(drop('abcd', 'abcd', 'a', 2)).toBe('bcad');
		expect(drop('abcd', 'abcd', 'd', 0)).toBe('dabc');
	});
});
