import { describe, expect, it } from 'vitest';
import { compareByRank, initialRanks, rankAtIndex, rankBetween } from '../../src/lib/board/ranks.ts';

type Item = { id: string; rank: string };

/** Inserts `id` at `index` the way the board does: rank from the sorted siblings, then re-sort. */
function insertAt(list: Item[], id: string, index: number): Item[] {
	const rank = rankAtIndex(list, index);
	return [...list, { id, rank }].sort(compareByRank);
}

function expectStrictlyAscending(ranks: string[]): void {
	for (let i = 1; i < ranks.length; i++) expect(ranks[i - 1]! < ranks[i]!, `${ranks[i - 1]} < ${ranks[i]}`).toBe(true);
}

describe('compareByRank', () => {
	it('orders by rank first, whatever the ids', () => {
		const items = [
			{ id: 'a', rank: 'a2' },
			{ id: 'z', rank: 'a0' },
			{ id: 'm', rank: 'a1' }
		];
		expect(items.sort(compareByRank).map((i) => i.id)).toEqual(['z', 'm', 'a']);
	});

	it('breaks rank ties by id', () => {
		const items = [
			{ id: 'card-c', rank: 'a0' },
			{ id: 'card-a', rank: 'a0' },
			{ id: 'card-b', rank: 'a0' }
		];
		expect(items.sort(compareByRank).map((i) => i.id)).toEqual(['card-a', 'card-b', 'card-c']);
		expect(compareByRank({ id: 'x', rank: 'a0' }, { id: 'x', rank: 'a0' })).toBe(0);
	});

	it('compares ranks by code units, so upper case sorts before lower case', () => {
		// localeCompare would put 'a0' before 'Zz' and 'a' before 'B'.
		expect('a0'.localeCompare('Zz')).toBeLessThan(0);
		expect(compareByRank({ id: '1', rank: 'Zz' }, { id: '2', rank: 'a0' })).toBeLessThan(0);
		expect(compareByRank({ id: '1', rank: 'a0' }, { id: '2', rank: 'Zz' })).toBeGreaterThan(0);
		expect(compareByRank({ id: '1', rank: 'B' }, { id: '2', rank: 'a' })).toBeLessThan(0);
		expect(compareByRank({ id: '1', rank: 'a' }, { id: '2', rank: 'B' })).toBeGreaterThan(0);
	});

	it('compares tied ids by code units too', () => {
		expect(compareByRank({ id: 'Z', rank: 'a0' }, { id: 'a', rank: 'a0' })).toBeLessThan(0);
		expect(compareByRank({ id: 'a', rank: 'a0' }, { id: 'B', rank: 'a0' })).toBeGreaterThan(0);
		const items = [
			{ id: 'b', rank: 'a0' },
			{ id: 'B', rank: 'a0' },
			{ id: 'a', rank: 'a0' },
			{ id: 'A', rank: 'a0' }
		];
		expect(items.sort(compareByRank).map((i) => i.id)).toEqual(['A', 'B', 'a', 'b']);
	});
});

describe('rankBetween', () => {
	it('gives a first rank for an empty list', () => {
		expect(typeof rankBetween(null, null)).toBe('string');
		expect(rankBetween(null, null).length).toBeGreaterThan(0);
	});

	it('places before the first, after the last, and between two', () => {
		const [a, b] = initialRanks(2) as [string, string];
		const start = rankBetween(null, a);
		const end = rankBetween(b, null);
		const middle = rankBetween(a, b);
		expect(start < a).toBe(true);
		expect(end > b).toBe(true);
		expect(middle > a && middle < b).toBe(true);
	});

	it('goes just after two equal neighbours instead of failing', () => {
		const [tie] = initialRanks(1) as [string];
		const key = rankBetween(tie, tie);
		expect(key > tie).toBe(true);
	});
});

describe('rankAtIndex', () => {
	const siblings = initialRanks(3).map((rank, i) => ({ id: `c${i}`, rank }));

	it('places an item at the start, in the middle and at the end', () => {
		expect(insertAt(siblings, 'new', 0).map((i) => i.id)).toEqual(['new', 'c0', 'c1', 'c2']);
		expect(insertAt(siblings, 'new', 1).map((i) => i.id)).toEqual(['c0', 'new', 'c1', 'c2']);
		expect(insertAt(siblings, 'new', 2).map((i) => i.id)).toEqual(['c0', 'c1', 'new', 'c2']);
		expect(insertAt(siblings, 'new', 3).map((i) => i.id)).toEqual(['c0', 'c1', 'c2', 'new']);
	});

	it('gives a rank for an empty list', () => {
		expect(insertAt([], 'only', 0)).toHaveLength(1);
	});

	it('clamps indexes outside the list to the ends', () => {
		expect(insertAt(siblings, 'new', -5).map((i) => i.id)).toEqual(['new', 'c0', 'c1', 'c2']);
		expect(insertAt(siblings, 'new', 99).map((i) => i.id)).toEqual(['c0', 'c1', 'c2', 'new']);
	});

	it('inserting between equal ranks lands after the tie and before the next distinct rank', () => {
		const [r0, tie, r2] = initialRanks(3) as [string, string, string];
		// Two clients inserted at the same spot concurrently and picked the same rank.
		const tied = [
			{ id: 'before', rank: r0 },
			{ id: 'x', rank: tie },
			{ id: 'y', rank: tie },
			{ id: 'after', rank: r2 }
		];
		const key = rankAtIndex(tied, 2);
		expect(key > tie).toBe(true);
		expect(key < r2).toBe(true);
		expect(insertAt(tied, 'new', 2).map((i) => i.id)).toEqual(['before', 'x', 'y', 'new', 'after']);
	});

	it('inserting between equal ranks at the end of the list still goes after the tie', () => {
		const [r0, tie] = initialRanks(2) as [string, string];
		const tied = [
			{ id: 'before', rank: r0 },
			{ id: 'x', rank: tie },
			{ id: 'y', rank: tie }
		];
		const key = rankAtIndex(tied, 2);
		expect(key > tie).toBe(true);
		expect(insertAt(tied, 'new', 2).map((i) => i.id)).toEqual(['before', 'x', 'y', 'new']);
	});

	it('skips a run of several equal ranks to find the next distinct one', () => {
		const [tie, next] = initialRanks(2) as [string, string];
		const tied = [
			{ id: 'a', rank: tie },
			{ id: 'b', rank: tie },
			{ id: 'c', rank: tie },
			{ id: 'd', rank: next }
		];
		const key = rankAtIndex(tied, 1);
		expect(key > tie && key < next).toBe(true);
	});

	it('inserting before a tie goes between the previous rank and the tie', () => {
		const [r0, tie] = initialRanks(2) as [string, string];
		const tied = [
			{ id: 'before', rank: r0 },
			{ id: 'x', rank: tie },
			{ id: 'y', rank: tie }
		];
		const key = rankAtIndex(tied, 1);
		expect(key > r0 && key < tie).toBe(true);
		expect(rankAtIndex(tied.slice(1), 0) < tie).toBe(true);
	});

	it('keeps many inserts at the same middle position strictly ordered', () => {
		let list: Item[] = initialRanks(2).map((rank, i) => ({ id: `edge${i}`, rank }));
		// Always insert right after the first item: each new one goes above the previous newcomer.
		for (let n = 0; n < 300; n++) list = insertAt(list, `n${String(n).padStart(3, '0')}`, 1);
		expectStrictlyAscending(list.map((i) => i.rank));
		expect(list[0]!.id).toBe('edge0');
		expect(list.at(-1)!.id).toBe('edge1');
		expect(list[1]!.id).toBe('n299');
		expect(list[300]!.id).toBe('n000');
	});

	it('keeps many inserts at the start and at the end strictly ordered', () => {
		let list: Item[] = [];
		for (let n = 0; n < 200; n++) list = insertAt(list, `s${n}`, 0);
		for (let n = 0; n < 200; n++) list = insertAt(list, `e${n}`, list.length);
		expectStrictlyAscending(list.map((i) => i.rank));
		expect(list[0]!.id).toBe('s199');
		expect(list[199]!.id).toBe('s0');
		expect(list[200]!.id).toBe('e0');
		expect(list.at(-1)!.id).toBe('e199');
	});
});

describe('initialRanks', () => {
	it('gives n distinct ascending ranks', () => {
		const ranks = initialRanks(50);
		expect(ranks).toHaveLength(50);
		expect(new Set(ranks).size).toBe(50);
		expectStrictlyAscending(ranks);
		expect([...ranks].sort()).toEqual(ranks);
	});

	it('gives nothing for zero', () => {
		expect(initialRanks(0)).toEqual([]);
	});
});
