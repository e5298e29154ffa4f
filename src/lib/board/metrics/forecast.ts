import { percentile, seededRandom } from './stats.ts';

const DAY = 86_400_000;

/** Outcomes at 50 / 85 / 95 % confidence. */
export interface Confidence<T> {
	p50: T;
	p85: T;
	p95: T;
}

/**
 * "How many cards by `byDate`?" — Monte Carlo over past daily throughput: each trial sums a random past day per
 * future day. At 85 % confidence we finish *at least* this many, so it reads the 15th percentile of outcomes.
 */
export function forecastHowMany(dailySamples: readonly number[], now: number, byDate: number, trials = 10_000, seed = 1): Confidence<number> | null {
	const days = Math.ceil((byDate - now) / DAY);
	if (dailySamples.length === 0 || days <= 0) return null;
	const random = seededRandom(seed);
	const outcomes = new Array<number>(trials);
	for (let t = 0; t < trials; t++) {
		let sum = 0;
		for (let d = 0; d < days; d++) sum += dailySamples[Math.floor(random() * dailySamples.length)]!;
		outcomes[t] = sum;
	}
	outcomes.sort((a, b) => a - b);
	return { p50: percentile(outcomes, 50), p85: percentile(outcomes, 15), p95: percentile(outcomes, 5) };
}

/** "When will these `count` cards be done?" — days until the simulated total reaches `count`; 85 % = 85th percentile. */
export function forecastWhen(dailySamples: readonly number[], now: number, count: number, trials = 10_000, seed = 1, maxDays = 3650): Confidence<string | null> | null {
	if (dailySamples.length === 0 || count <= 0) return null;
	if (!dailySamples.some((n) => n > 0)) return { p50: null, p85: null, p95: null };
	const random = seededRandom(seed);
	const outcomes = new Array<number>(trials);
	for (let t = 0; t < trials; t++) {
		let done = 0;
		let day = 0;
		while (done < count && day < maxDays) {
			done += dailySamples[Math.floor(random() * dailySamples.length)]!;
			day++;
		}
		outcomes[t] = day;
	}
	outcomes.sort((a, b) => a - b);
	const date = (days: number) => (days >= maxDays ? null : new Date(now + days * DAY).toISOString().slice(0, 10));
	return { p50: date(percentile(outcomes, 50)), p85: date(percentile(outcomes, 85)), p95: date(percentile(outcomes, 95)) };
}
