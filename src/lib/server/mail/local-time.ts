/** Whether `tz` is an IANA time zone name this server knows ("Europe/Berlin", "UTC"). */
export function isTimeZone(tz: string): boolean {
	if (!tz || tz.length > 64) return false;
	try {
		new Intl.DateTimeFormat('en-US', { timeZone: tz });
		return true;
	} catch {
		return false;
	}
}

/** The local date (YYYY-MM-DD), hour and minute of `at` in `tz`. */
export function localParts(at: Date, tz: string): { date: string; hour: number; minute: number } {
	const parts = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
	const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
	return { date: `${get('year')}-${get('month')}-${get('day')}`, hour: Number(get('hour')), minute: Number(get('minute')) };
}

const STEP_MS = 15 * 60_000;

/**
 * The first instant strictly after `now` when the clock in `tz` shows `hour`:00, with that local date. Walks quarter
 * hours (every zone's offset is a multiple of 15 minutes), at most two days. A day whose `hour` does not exist (the
 * hour skipped when summer time starts) has no such instant: the walk finds the next day's.
 */
export function nextLocalHour(now: Date, tz: string, hour: number): { runAt: Date; localDate: string } {
	let t = Math.floor(now.getTime() / STEP_MS) * STEP_MS + STEP_MS;
	for (let i = 0; i < 4 * 24 * 3; i++, t += STEP_MS) {
		const local = localParts(new Date(t), tz);
		if (local.hour === hour && local.minute === 0) return { runAt: new Date(t), localDate: local.date };
	}
	throw new Error(`No ${hour}:00 in ${tz} within three days of ${now.toISOString()}.`);
}
