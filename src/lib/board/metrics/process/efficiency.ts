import { leadAndCycle, type CardTimes, type Range } from '../flow.ts';

/** Lead and cycle time (hours, nearest rank) of the cards finished in one period. */
export interface PeriodTimes {
	finished: number;
	leadP50: number | null;
	leadP85: number | null;
	cycleP50: number | null;
	cycleP85: number | null;
}

/** A period's times with the change of its medians against the baseline's: (now − baseline) ÷ baseline; negative is faster. */
export type ComparedTimes = PeriodTimes & { leadChange: number | null; cycleChange: number | null };

/** Efficiency over a range against a baseline period (see docs/process-review.md). */
export interface Efficiency {
	baseline: PeriodTimes & { from: string; to: string };
	range: ComparedTimes;
	/** Every calendar month (UTC) the range touches, YYYY-MM, counting only its days within the range. */
	monthly: (ComparedTimes & { month: string })[];
}

/** The figures of the cards finished in `range`. */
export function periodTimes(times: readonly CardTimes[], range: Range): PeriodTimes {
	const mine = times.filter((t) => t.finishedAt >= range.from && t.finishedAt < range.to);
	const { leadTime, cycleTime } = leadAndCycle(mine);
	return { finished: mine.length, leadP50: leadTime.p50, leadP85: leadTime.p85, cycleP50: cycleTime.p50, cycleP85: cycleTime.p85 };
}

/** (now − before) ÷ before, null when either is missing or the baseline is zero. */
export function change(now: number | null, before: number | null): number | null {
	return now === null || before === null || before === 0 ? null : (now - before) / before;
}

/** The months (UTC) of a range, each clipped to it. */
export function monthsOf(range: Range): { month: string; from: number; to: number }[] {
	const out: { month: string; from: number; to: number }[] = [];
	const start = new Date(range.from);
	for (let y = start.getUTCFullYear(), m = start.getUTCMonth(); Date.UTC(y, m) < range.to; m++) {
		const from = Date.UTC(y, m);
		out.push({ month: new Date(from).toISOString().slice(0, 7), from: Math.max(from, range.from), to: Math.min(Date.UTC(y, m + 1), range.to) });
	}
	return out;
}

/**
 * Lead and cycle time per month of the range and over the whole range, each against the baseline period, with the
 * change of the medians in per cent (as a fraction). `times` must hold the cards finished in both periods.
 */
export function efficiencyAgainst(times: readonly CardTimes[], range: Range, baseline: Range): Efficiency {
	const base = periodTimes(times, baseline);
	const compare = (p: PeriodTimes): ComparedTimes => ({ ...p, leadChange: change(p.leadP50, base.leadP50), cycleChange: change(p.cycleP50, base.cycleP50) });
	const day = (t: number) => new Date(t).toISOString().slice(0, 10);
	return {
		baseline: { ...base, from: day(baseline.from), to: day(baseline.to - 1) },
		range: compare(periodTimes(times, range)),
		monthly: monthsOf(range).map(({ month, from, to }) => ({ month, ...compare(periodTimes(times, { from, to })) }))
	};
}
