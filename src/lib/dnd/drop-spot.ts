/** Where a dragged card would land in a column: its index among the other cards, and the tile to mark. */
export interface DropSpot {
	/** Position among the column's cards without the dragged one (what `moveCard` takes). */
	index: number;
	/** The tile the insertion line is drawn above, or null when it goes after the last tile. */
	beforeId: string | null;
	/** The tile the insertion line is drawn below (only when `beforeId` is null), or null in an empty column. */
	afterId: string | null;
}

/** How many of `count` items, ordered by ascending `midpoint(i)`, lie above `y` (a binary search: log n reads). */
export function countAbove(count: number, midpoint: (i: number) => number, y: number): number {
	let low = 0;
	let high = count;
	while (low < high) {
		const mid = (low + high) >>> 1;
		if (midpoint(mid) < y) low = mid + 1;
		else high = mid;
	}
	return low;
}

/** The drop spot at height `y` among ordered tiles (ids with vertical midpoints), ignoring the dragged card. */
export function dropSpotAmong(ids: readonly string[], midpoint: (i: number) => number, y: number, draggedId: string): DropSpot {
	const others: number[] = [];
	for (let i = 0; i < ids.length; i++) if (ids[i] !== draggedId) others.push(i);
	const index = countAbove(others.length, (k) => midpoint(others[k]!), y);
	const before = others[index];
	const last = others[others.length - 1];
	return { index, beforeId: before === undefined ? null : ids[before]!, afterId: before === undefined && last !== undefined ? ids[last]! : null };
}

/**
 * The drop spot at height `y` in a column's card list element, from its rendered tiles (`[data-card-id]` children).
 * Reads only a logarithmic number of tile rectangles, so it is cheap enough for every pointer move. Columns render
 * their first cards only; the tiles are a prefix of the column, so the index is right for the whole column.
 */
export function dropSpotIn(list: Element, y: number, draggedId: string): DropSpot {
	const tiles: HTMLElement[] = [];
	for (const child of list.children) if (child instanceof HTMLElement && child.dataset.cardId) tiles.push(child);
	const midpoint = (i: number) => {
		const rect = tiles[i]!.getBoundingClientRect();
		return rect.top + rect.height / 2;
	};
	return dropSpotAmong(
		tiles.map((t) => t.dataset.cardId!),
		midpoint,
		y,
		draggedId
	);
}
