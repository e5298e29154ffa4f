import { addDays, assertDay, assertTimeZone, type Day } from '../../plan/working-days.ts';

const DAY_MS = 86_400_000;
const wallClocks = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time at `t` in `timeZone`, read as if it were UTC (epoch ms): its difference to `t` is the zone's offset. */
function wallClock(t: number, timeZone: string): number {
	let format = wallClocks.get(timeZone);
	if (!format) {
		format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
		wallClocks.set(timeZone, format);
	}
	const part: Record<string, number> = {};
	for (const p of format.formatToParts(t)) if (p.type !== 'literal') part[p.type] = Number(p.value);
	return Date.UTC(part.year!, part.month! - 1, part.day!, part.hour!, part.minute!, part.second!) + (t % 1000 + 1000) % 1000;
}

/**
 * The last millisecond of `day` in `timeZone` (epoch ms): a target date is met when the card is done by then. The
 * zone's offset is read at that moment, so a day with a daylight-saving change ends at its own midnight.
 */
export function dayEndIn(day: Day, timeZone: string): number {
	assertTimeZone(timeZone);
	const nextMidnight = Date.parse(`${addDays(assertDay(day), 1)}T00:00:00Z`);
	let t = nextMidnight;
	// Two corrections settle it: the first uses the offset near midnight UTC, the second the one at local midnight.
	for (let i = 0; i < 2; i++) t -= wallClock(t, timeZone) - nextMidnight;
	return t - 1;
}

/** Milliseconds as days (a fraction), for people to read. */
export const msToDays = (ms: number): number => ms / DAY_MS;
/** One day in milliseconds. */
export const DAY = DAY_MS;
