import { assertDay, assertTimeZone, type Day } from '../../plan/working-days.ts';
import { endOfDayIn } from '../../../notifications/due-items.ts';

/**
 * The last millisecond of `day` in `timeZone` (epoch ms): a target date is met when the card is done by then, as a
 * reminder's due moment is the first instant after it (daylight saving included).
 */
export function dayEndIn(day: Day, timeZone: string): number {
	return endOfDayIn(assertDay(day), assertTimeZone(timeZone)).getTime() - 1;
}

/** One day in milliseconds. */
export const DAY = 86_400_000;
