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

/** Equal-width histogram bins with a round width (1, 2 or 5 × 10ⁿ), about Sturges' count; [x0, x1), the last bin closed. */
export function histogramBins(values: readonly number[]): { x0: number; x1: number; count: number }[] {
	if (values.length === 0) return [];
	const min = Math.min(...values);
	const max = Math.max(...values);
	const target = Math.ceil(Math.log2(values.length)) + 1;
	const raw = (max - min) / target || 1;
	const power = 10 ** Math.floor(Math.log10(raw));
	const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
	const start = Math.floor(min / step) * step;
	const bins = Array.from({ length: Math.max(1, Math.ceil((max - start) / step) + (max === start ? 1 : 0)) }, (_, i) => ({ x0: start + i * step, x1: start + (i + 1) * step, count: 0 }));
	for (const v of values) bins[Math.min(bins.length - 1, Math.floor((v - start) / step))]!.count++;
	return bins;
}
