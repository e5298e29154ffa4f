import { assertDay, assertTimeZone, type Day } from '../../plan/working-days.ts';
import { endOfDayIn } from '../../../notifications/due-items.ts';

// Working out a day's end builds Intl formatters (a tenth of a millisecond each): a 1,000-card board reads few days.
const ends = new Map<string, number>();

/**
 * The last millisecond of `day` in `timeZone` (epoch ms): a target date is met when the card is done by then, as a
 * reminder's due moment is the first instant after it (daylight saving included).
 */
export function dayEndIn(day: Day, timeZone: string): number {
	const key = `${timeZone} ${day}`;
	let end = ends.get(key);
	if (end === undefined) {
		end = endOfDayIn(assertDay(day), assertTimeZone(timeZone)).getTime() - 1;
		// A board's cards share few target days; the bound only keeps a long-running server's memory flat.
		if (ends.size >= 10_000) ends.clear();
		ends.set(key, end);
	}
	return end;
}

/** One day in milliseconds. */
export const DAY = 86_400_000;
