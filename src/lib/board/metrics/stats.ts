/** Nearest-rank percentile of ascending `sorted` values (p in 0..100); NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
	if (sorted.length === 0) return Number.NaN;
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** The usual summary of a duration sample, in the sample's unit. */
export interface Summary {
	p50: number | null;
	p85: number | null;
	p95: number | null;
	count: number;
}

/** p50 / p85 / p95 and count of a sample (nulls when empty). */
export function summarize(values: readonly number[]): Summary {
	const sorted = [...values].sort((a, b) => a - b);
	const at = (p: number) => (sorted.length ? percentile(sorted, p) : null);
	return { p50: at(50), p85: at(85), p95: at(95), count: sorted.length };
}

/** Median of a sample (null when empty). */
export function median(values: readonly number[]): number | null {
	return summarize(values).p50;
}

/** A small, fast, seedable PRNG (mulberry32) for reproducible simulations. */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
