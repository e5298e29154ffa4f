const DAY = 86_400_000;

/** A duration in ms as people read it in a review: hours under two days, else days (one decimal); signed when asked. */
export function duration(ms: number, signed = false): string {
	const sign = signed && ms > 0 ? '+' : ms < 0 ? '−' : '';
	const abs = Math.abs(ms);
	const text = abs < 2 * DAY ? `${(abs / 3_600_000).toFixed(1)} h` : `${(abs / DAY).toFixed(1)} d`;
	return sign + text;
}

/** A person's name from an answer's `people`, "Nobody" for a step no one owned, "Former member" for someone who left. */
export const personName = (people: Record<string, string>, id: string | null): string => (id === null ? 'Nobody' : (people[id] ?? 'Former member'));
