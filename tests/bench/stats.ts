/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
	if (samples.length === 0) return NaN;
	const sorted = [...samples].sort((a, b) => a - b);
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Rounds to one decimal (milliseconds read best that way in a table). */
export function round1(value: number): number {
	return Math.round(value * 10) / 10;
}

/** p50, p95, p99 and max of samples, rounded to 0.1. */
export function summary(samples: readonly number[]): { n: number; p50: number; p95: number; p99: number; max: number } {
	const sorted = [...samples].sort((a, b) => a - b);
	return {
		n: sorted.length,
		p50: round1(percentile(sorted, 50)),
		p95: round1(percentile(sorted, 95)),
		p99: round1(percentile(sorted, 99)),
		max: round1(sorted.length ? sorted[sorted.length - 1]! : NaN)
	};
}

/** Milliseconds since the Unix epoch with sub-millisecond resolution, comparable across processes. */
export function epochNow(): number {
	return performance.timeOrigin + performance.now();
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
