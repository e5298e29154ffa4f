/**
 * "Since the last standup": where a standup's window of changes starts. Pure; the time zone is the board's, so the
 * machine's own zone never moves it.
 */

const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
	let f = formatters.get(timeZone);
	if (!f) {
		f = new Intl.DateTimeFormat('en-US', { timeZone, calendar: 'gregory', numberingSystem: 'latn', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
		formatters.set(timeZone, f);
	}
	return f;
}

/** The wall-clock reading of `t` in `timeZone`, as if it were UTC (epoch ms, whole seconds). */
function wallClock(t: number, timeZone: string): number {
	const parts = formatterFor(timeZone).formatToParts(new Date(t));
	const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
	return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
}

/** How far `timeZone` is ahead of UTC at instant `t` (ms). */
function offsetAt(t: number, timeZone: string): number {
	return wallClock(t, timeZone) - Math.floor(t / 1000) * 1000;
}

/**
 * The instant whose wall clock in `timeZone` reads `wall` (a UTC-encoded local time, whole seconds). In the hour that
 * repeats when summer time ends, the earlier one; in the hour summer time skips, the instant after the gap.
 */
export function instantOfWallClock(wall: number, timeZone: string): number {
	// The zone's offsets half a day either side cover any transition near `wall`.
	const candidates = [wall - offsetAt(wall - DAY_MS / 2, timeZone), wall - offsetAt(wall + DAY_MS / 2, timeZone)];
	const exact = candidates.filter((t) => wallClock(t, timeZone) === wall);
	return exact.length > 0 ? Math.min(...exact) : Math.max(...candidates);
}

/** 0 = Monday … 6 = Sunday, of a UTC-encoded local time. */
function weekday(wall: number): number {
	return (new Date(wall).getUTCDay() + 6) % 7;
}

/**
 * Where the window of "what changed since the last standup" starts: the end of the board's previous standup, or,
 * without one, the same time of day on the previous working day in the board's time zone (24 hours back, skipping
 * Saturday and Sunday: on a Monday it starts on Friday at the same time). Throws RangeError on an unknown zone.
 */
export function standupWindowStart(now: Date, timeZone: string, previousEnd: Date | null): Date {
	if (previousEnd) return previousEnd;
	const wall = wallClock(now.getTime(), timeZone);
	let back = wall - DAY_MS;
	while (weekday(back) >= 5) back -= DAY_MS;
	return new Date(instantOfWallClock(back, timeZone) + (((now.getTime() % 1000) + 1000) % 1000));
}
