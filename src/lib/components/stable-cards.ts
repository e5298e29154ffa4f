/** Structural equality of plain snapshot data: primitives, arrays and plain objects. */
export function sameData(a: unknown, b: unknown): boolean {
	if (Object.is(a, b)) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	if (Array.isArray(a) !== Array.isArray(b)) return false;
	const x = a as Record<string, unknown>;
	const y = b as Record<string, unknown>;
	let count = 0;
	for (const key in x) {
		if (!Object.hasOwn(y, key) || !sameData(x[key], y[key])) return false;
		count++;
	}
	for (const key in y) if (Object.hasOwn(y, key)) count--;
	return count === 0;
}

/**
 * The `next` list, keeping the `previous` objects (and the previous list itself) wherever nothing changed. The
 * store rebuilds every card on every update; keeping the old objects lets Svelte skip the tiles a change did not
 * touch instead of re-running every rendered tile's bindings after each move.
 */
export function keepUnchanged<T extends { id: string }>(previous: readonly T[], next: readonly T[]): T[] {
	const before = new Map<string, T>();
	for (const item of previous) before.set(item.id, item);
	let same = previous.length === next.length;
	const kept = next.map((item, i) => {
		const old = before.get(item.id);
		const keep = old !== undefined && sameData(old, item);
		if (!keep || previous[i] !== old) same = false;
		return keep ? old : item;
	});
	return same ? (previous as T[]) : kept;
}
