import type { Clock } from '../../src/lib/server/clock.ts';

/** A clock that only moves when the test says so. */
export class FakeClock implements Clock {
	private t: number;
	constructor(start = Date.parse('2026-01-05T09:00:00Z')) {
		this.t = start;
	}
	now(): Date {
		return new Date(this.t);
	}
	/** Moves time forward by `ms`. */
	advance(ms: number): void {
		this.t += ms;
	}
}
