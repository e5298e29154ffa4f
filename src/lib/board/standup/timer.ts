/** How a speaker's time reads against the soft limit: fine, nearly up (amber), over (red). It never stops anyone. */
export type TimerState = 'ok' | 'amber' | 'red';

/** Amber from this share of the limit on. */
const AMBER_FROM = 0.75;

/** The timer's state after `elapsedMs` of a `limitMs` soft limit. */
export function timerState(elapsedMs: number, limitMs: number): TimerState {
	if (elapsedMs > limitMs) return 'red';
	return elapsedMs >= limitMs * AMBER_FROM ? 'amber' : 'ok';
}

/** Elapsed time as m:ss (minutes keep counting past 59). */
export function formatElapsed(elapsedMs: number): string {
	const seconds = Math.max(0, Math.floor(elapsedMs / 1000));
	return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
