/** Where the server reads the time; tests pass a fake one. */
export interface Clock {
	now(): Date;
}

/** The real wall clock. */
export const systemClock: Clock = { now: () => new Date() };
