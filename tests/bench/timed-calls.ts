import { percentile, round1 } from './stats.ts';

/** One range's timings on one database (ms). */
export interface RangeTiming {
	from: string;
	to: string;
	p50_ms: number;
	p95_ms: number;
	max_ms: number;
	samples_ms: number[];
	/** Size of the JSON the route would send. */
	response_bytes: number;
	/** The longest the server's thread went without serving anything else during a timed call (PGlite runs there). */
	longest_event_loop_gap_ms: number;
}

/** Warm-up calls of `call` (which returns the response's text), then `samples` timed ones, with the longest event-loop hold. */
export async function timeCalls(call: () => Promise<string>, counts: { samples: number; warmups: number }, from: string, to: string): Promise<RangeTiming> {
	let bytes = 0;
	for (let i = 0; i < counts.warmups; i++) bytes = (await call()).length;
	const samples: number[] = [];
	// A 1 ms ticker: the longest gap between its ticks is the longest the event loop was held.
	let lastTick = performance.now();
	let longestGap = 0;
	const ticker = setInterval(() => {
		const t = performance.now();
		longestGap = Math.max(longestGap, t - lastTick);
		lastTick = t;
	}, 1);
	try {
		for (let i = 0; i < counts.samples; i++) {
			lastTick = performance.now();
			const t = performance.now();
			await call();
			samples.push(performance.now() - t);
		}
	} finally {
		clearInterval(ticker);
	}
	const sorted = [...samples].sort((a, b) => a - b);
	return {
		longest_event_loop_gap_ms: round1(longestGap),
		from,
		to,
		p50_ms: round1(percentile(sorted, 50)),
		p95_ms: round1(percentile(sorted, 95)),
		max_ms: round1(sorted[sorted.length - 1]!),
		samples_ms: samples.map(round1),
		response_bytes: bytes
	};
}
