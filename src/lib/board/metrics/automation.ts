import { mondayOf, weekOf, type Range } from './flow.ts';

const DAY = 86_400_000;

/** Counted actions of one UTC day: all of them, those automation rules did, and those the process did by itself. */
export interface AutomationDay {
	/** Days since 1970-01-01 (UTC). */
	day: number;
	total: number;
	byRules: number;
	byProcess: number;
}

/** One week of the automation share (Monday, UTC). */
export interface AutomationWeek {
	week: string;
	total: number;
	automated: number;
	/** automated ÷ total, null for a week without any counted action. */
	share: number | null;
}

/** The automation share of a range (see docs/stats.md): how much of the routine work the process and its rules did. */
export interface AutomationShare {
	total: number;
	byRules: number;
	byProcess: number;
	byPeople: number;
	/** (byRules + byProcess) ÷ total; null when nothing was counted. */
	share: number | null;
	/** The share users set as their goal (60 % less manual work). */
	target: number;
	weekly: AutomationWeek[];
}

/** What users asked for: the process and its rules doing 60 % of the routine work. */
export const AUTOMATION_TARGET = 0.6;

/** Folds per-day counts into the range's figure and its weekly trend (every week of the range, empty ones included). */
export function automationShare(days: readonly AutomationDay[], range: Range): AutomationShare {
	const weeks = new Map<number, { total: number; automated: number }>();
	for (let t = mondayOf(range.from); t < range.to; t += 7 * DAY) weeks.set(t, { total: 0, automated: 0 });
	let total = 0;
	let byRules = 0;
	let byProcess = 0;
	for (const d of days) {
		const at = d.day * DAY;
		if (at < range.from || at >= range.to) continue;
		total += d.total;
		byRules += d.byRules;
		byProcess += d.byProcess;
		const week = weeks.get(mondayOf(at)) ?? { total: 0, automated: 0 };
		week.total += d.total;
		week.automated += d.byRules + d.byProcess;
		weeks.set(mondayOf(at), week);
	}
	const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);
	return {
		total,
		byRules,
		byProcess,
		byPeople: total - byRules - byProcess,
		share: ratio(byRules + byProcess, total),
		target: AUTOMATION_TARGET,
		weekly: [...weeks.entries()].sort(([a], [b]) => a - b).map(([monday, w]) => ({ week: weekOf(monday), total: w.total, automated: w.automated, share: ratio(w.automated, w.total) }))
	};
}
