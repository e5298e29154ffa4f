import { assertTimeZone } from './working-days.ts';

const DAY = 86_400_000;
/** How far apart the offsets are sampled: no zone changes its offset twice within a week. */
const SAMPLE_MS = 7 * DAY;

const clocks = new Map<string, Intl.DateTimeFormat>();

/** A cached formatter of the wall clock in `timeZone` (24-hour, Gregorian, Latin digits). */
function clockIn(timeZone: string): Intl.DateTimeFormat {
	let clock = clocks.get(timeZone);
	if (!clock) {
		clock = new Intl.DateTimeFormat('en-US', {
			timeZone,
			calendar: 'gregory',
			numberingSystem: 'latn',
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric'
		});
		clocks.set(timeZone, clock);
	}
	return clock;
}

/** The zone's offset from UTC at instant `t` (epoch ms): local wall-clock time minus UTC, in ms. */
export function offsetAt(timeZone: string, t: number): number {
	const parts: Record<string, number> = {};
	for (const p of clockIn(timeZone).formatToParts(new Date(t))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
	const second = Math.floor(t / 1000) * 1000;
	return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) - second;
}

/** The zone's offsets over [from, to): each one from its start (epoch ms, ascending; the first is `from`). */
export interface ZoneOffsets {
	starts: number[];
	offsets: number[];
}

/**
 * The UTC offsets `timeZone` keeps over [from, to) and the instants they change (to the second), so a local day can be
 * worked out as integer arithmetic: floor((t + offset) / day). Sampled weekly, then each change found by halving.
 */
export function zoneOffsets(timeZone: string, from: number, to: number): ZoneOffsets {
	assertTimeZone(timeZone);
	const out: ZoneOffsets = { starts: [from], offsets: [offsetAt(timeZone, from)] };
	for (let t = from; t < to; t += SAMPLE_MS) {
		const next = Math.min(t + SAMPLE_MS, to);
		const offset = offsetAt(timeZone, next);
		if (offset === out.offsets.at(-1)) continue;
		// The change lies in (t, next]: halve down to the second it happens.
		let lo = Math.floor(t / 1000);
		let hi = Math.ceil(next / 1000);
		while (hi - lo > 1) {
			const mid = Math.floor((lo + hi) / 2);
			if (offsetAt(timeZone, mid * 1000) === out.offsets.at(-1)) lo = mid;
			else hi = mid;
		}
		out.starts.push(hi * 1000);
		out.offsets.push(offset);
	}
	return out;
}
