/** A seeded pseudo-random source (mulberry32): the same seed gives the same sequence on every machine. */
export interface Rng {
	/** A float in [0, 1). */
	next(): number;
	/** A whole number in [min, max] (both included). */
	int(min: number, max: number): number;
	/** True with probability `p`. */
	chance(p: number): boolean;
	/** One element of a non-empty array. */
	pick<T>(items: readonly T[]): T;
	/** A key chosen with probability proportional to its weight. */
	weighted<K extends string>(weights: Record<K, number>): K;
}

/** mulberry32 by Tommy Ettinger: 32 bits of state, good enough for test generation and tiny. */
export function mulberry32(seed: number): Rng {
	let a = seed >>> 0;
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
	return {
		next,
		int,
		chance: (p) => next() < p,
		pick: (items) => {
			if (items.length === 0) throw new Error('pick from an empty list');
			return items[int(0, items.length - 1)]!;
		},
		weighted(weights) {
			const entries = Object.entries(weights) as [keyof typeof weights, number][];
			const total = entries.reduce((sum, [, w]) => sum + w, 0);
			let roll = next() * total;
			for (const [key, w] of entries) {
				roll -= w;
				if (roll < 0) return key;
			}
			return entries[entries.length - 1]![0];
		}
	};
}
