import { localParts } from './local-time.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const pad = (n: number) => String(n).padStart(2, '0');

/** The calendar day `days` after `day` (YYYY-MM-DD; negative goes back). */
export const addDays = (day: string, days: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

/**
 * The instant the clock in `tz` shows `hour`:00 on the local day `day`. A day without that hour (skipped when summer
 * time starts) gives the instant the clock jumps past it.
 */
export function localHourOn(day: string, tz: string, hour: number): Date {
	const wall = Date.parse(`${day}T${pad(hour)}:00:00Z`);
	let t = wall;
	// The zone's offset at the guess corrects it; twice settles any offset change between the guess and the answer.
	for (let i = 0; i < 3; i++) {
		const shown = localParts(new Date(t), tz);
		const shownWall = Date.parse(`${shown.date}T${pad(shown.hour)}:${pad(shown.minute)}:00Z`);
		if (shownWall === wall) break;
		t += wall - shownWall;
	}
	return new Date(t);
}

/** The latest Monday `hour`:00 in `tz` at or before `until`, and that Monday's local date. */
export function lastMondayAt(until: Date, tz: string, hour: number): { at: Date; monday: string } {
	const today = localParts(until, tz).date;
	const sinceMonday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7;
	let monday = addDays(today, -sinceMonday);
	let at = localHourOn(monday, tz, hour);
	if (at.getTime() > until.getTime()) {
		monday = addDays(monday, -7);
		at = localHourOn(monday, tz, hour);
	}
	return { at, monday };
}

/**
 * Whether some time zone's Monday `hour`:00 falls in (from, to]: local clocks run from UTC−12 to UTC+14, so that hour
 * happens between 14 hours before and 12 hours after Monday `hour`:00 UTC. Lets a caller skip work the rest of the week.
 */
export function anyZoneMondayAt(from: number, to: number, hour: number): boolean {
	// Monday 00:00 UTC of the week of `to` (1970-01-05 was a Monday), then the weeks back to `from`.
	let monday = Math.floor((to - 4 * DAY) / (7 * DAY)) * 7 * DAY + 4 * DAY + 7 * DAY;
	for (; monday + hour * HOUR + 12 * HOUR > from; monday -= 7 * DAY) {
		const earliest = monday + hour * HOUR - 14 * HOUR;
		const latest = monday + hour * HOUR + 12 * HOUR;
		if (earliest <= to && latest > from) return true;
	}
	return false;
}
