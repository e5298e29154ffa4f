import { describe, expect, it } from 'vitest';
import { countAbove, dropSpotAmong } from '../../src/lib/dnd/drop-spot.ts';
import { keepUnchanged, sameData } from '../../src/lib/components/stable-cards.ts';

// Tiles 100 px tall with their middles at 50, 150, 250, 350.
const ids = ['a', 'b', 'c', 'd'];
const mid = (i: number) => 50 + 100 * i;

describe('drop spot', () => {
	it('counts the tiles whose middle is above the point', () => {
		expect(countAbove(4, mid, 0)).toBe(0);
		expect(countAbove(4, mid, 149)).toBe(1);
		expect(countAbove(4, mid, 151)).toBe(2);
		expect(countAbove(4, mid, 999)).toBe(4);
		expect(countAbove(0, mid, 10)).toBe(0);
	});

	it('places a card from another column before the first tile below the point, or after the last one', () => {
		expect(dropSpotAmong(ids, mid, 10, 'x')).toEqual({ index: 0, beforeId: 'a', afterId: null });
		expect(dropSpotAmong(ids, mid, 200, 'x')).toEqual({ index: 2, beforeId: 'c', afterId: null });
		expect(dropSpotAmong(ids, mid, 900, 'x')).toEqual({ index: 4, beforeId: null, afterId: 'd' });
		expect(dropSpotAmong([], mid, 900, 'x')).toEqual({ index: 0, beforeId: null, afterId: null });
	});

	it('counts positions without the dragged card itself (what moveCard takes)', () => {
		// Dragging b down past c: the spot is after c, index 2 among a, c, d.
		expect(dropSpotAmong(ids, mid, 300, 'b')).toEqual({ index: 2, beforeId: 'd', afterId: null });
		// Holding b where it is: index 1, its own position.
		expect(dropSpotAmong(ids, mid, 140, 'b')).toEqual({ index: 1, beforeId: 'c', afterId: null });
		// Dragging the last card to the end: after c, index 3.
		expect(dropSpotAmong(ids, mid, 900, 'd')).toEqual({ index: 3, beforeId: null, afterId: 'c' });
	});
});

// A card as the board snapshot has it (only the fields that matter here).
const card = (id: string, title = id) => ({
	id,
	title,
	stageId: 's1',
	owners: ['u1'],
	due: null,
	labels: [{ name: 'x', color: 'red' }],
	blocked: null,
	movedAt: '2026-01-01T00:00:00.000Z'
});

describe('stable cards', () => {
	it('compares plain data structurally', () => {
		expect(sameData(card('a'), card('a'))).toBe(true);
		expect(sameData(card('a'), { ...card('a'), labels: [{ name: 'x', color: 'blue' }] })).toBe(false);
		expect(sameData([1, 2], { 0: 1, 1: 2 })).toBe(false);
		expect(sameData({ a: undefined }, { b: undefined })).toBe(false);
	});

	it('keeps unchanged cards, and the list itself when nothing changed', () => {
		const before = [card('a'), card('b'), card('c')];
		expect(keepUnchanged(before, [card('a'), card('b'), card('c')])).toBe(before);
		const after = keepUnchanged(before, [card('a'), card('b', 'renamed'), card('c')]);
		expect(after).not.toBe(before);
		expect(after[0]).toBe(before[0]);
		expect(after[1]!.title).toBe('renamed');
		expect(after[2]).toBe(before[2]);
	});

	it('sees a reorder or a removal as a new list of the same objects', () => {
		const before = [card('a'), card('b'), card('c')];
		const reordered = keepUnchanged(before, [card('b'), card('a'), card('c')]);
		expect(reordered).not.toBe(before);
		expect(reordered).toEqual([before[1], before[0], before[2]]);
		expect(reordered[0]).toBe(before[1]);
		const shorter = keepUnchanged(before, [card('a'), card('b')]);
		expect(shorter).not.toBe(before);
		expect(shorter[1]).toBe(before[1]);
	});
});
