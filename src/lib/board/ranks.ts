import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';

/** Orders items by (rank, id) comparing code units, the one order every client and SQL (`COLLATE "C"`) agree on. */
export function compareByRank(a: { rank: string; id: string }, b: { rank: string; id: string }): number {
	if (a.rank !== b.rank) return a.rank < b.rank ? -1 : 1;
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * A rank that sorts between `before` and `after` (either may be null for an end).
 * Concurrent inserts can leave equal ranks; when the neighbours tie, the new key goes just after them.
 */
export function rankBetween(before: string | null, after: string | null): string {
	if (before !== null && after !== null && before >= after) return generateKeyBetween(before, null);
	return generateKeyBetween(before, after);
}

/** The rank for placing an item at `index` among `siblings` (already sorted, the moving item excluded). */
export function rankAtIndex(siblings: readonly { rank: string }[], index: number): string {
	const clamped = Math.max(0, Math.min(index, siblings.length));
	const before = clamped > 0 ? siblings[clamped - 1]!.rank : null;
	let after: string | null = null;
	// Skip siblings tied with `before`: there is no key strictly between equal keys.
	for (let i = clamped; i < siblings.length; i++) {
		if (siblings[i]!.rank !== before) {
			after = siblings[i]!.rank;
			break;
		}
	}
	return rankBetween(before, after);
}

/** `n` ascending ranks for a fresh list. */
export function initialRanks(n: number): string[] {
	return generateNKeysBetween(null, null, n);
}
