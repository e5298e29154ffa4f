import type { Compliance } from '../board/metrics/process/compliance.ts';
import type { StepReview } from '../board/metrics/process/plan-actual.ts';
import type { Efficiency } from '../board/metrics/process/efficiency.ts';
import type { RiskLevel } from '../board/metrics/deadlines/risk.ts';

/** What the headline reads of a process review answer (GET …/process gives all of it). */
export interface HeadlineSource {
	compliance: Pick<Compliance, 'rate' | 'target' | 'met' | 'exits' | 'clean' | 'quality'>;
	planVsActual: { steps: readonly Pick<StepReview, 'planned' | 'onTime'>[] };
	efficiency: Pick<Efficiency, 'range' | 'baseline'>;
	automation: { target: number; monthly: readonly { total: number; automated: number }[] };
	missedDeadlines: { withTarget: number; late: readonly unknown[] };
	risk: { cards: readonly { level: RiskLevel }[] };
}

/** A share with what it counts: `rate` is `part ÷ of`, null when there is nothing to count. */
export interface Share {
	rate: number | null;
	part: number;
	of: number;
}

/** The report's and the weekly digest's headline figures, every one read off the review (nothing recomputed). */
export interface HeadlineFigures {
	compliance: Share & { target: number; met: boolean | null };
	quality: Share;
	/** Of the step exits with a planned day, those on or before it (all steps together). */
	stepsOnTime: Share;
	/** Of the cards finished with a target date, those on or before it. */
	cardsOnTime: Share;
	/** Median lead and cycle time (hours) against the baseline's, and the change (−0.3: 30 % faster). */
	lead: { p50: number | null; baselineP50: number | null; change: number | null };
	cycle: { p50: number | null; baselineP50: number | null; change: number | null };
	finished: number;
	automation: Share & { target: number };
	/** Open cards at risk or likely late now. */
	atRisk: number;
}

const share = (part: number, of: number): Share => ({ rate: of > 0 ? part / of : null, part, of });

/** The headline figures of a review answer: sums of its parts where it gives them per step or per month. */
export function headlineFigures(review: HeadlineSource): HeadlineFigures {
	const { compliance: c, efficiency: e } = review;
	const planned = review.planVsActual.steps.reduce((n, s) => n + s.planned, 0);
	const onTime = review.planVsActual.steps.reduce((n, s) => n + s.onTime, 0);
	const automated = review.automation.monthly.reduce((n, m) => n + m.automated, 0);
	const counted = review.automation.monthly.reduce((n, m) => n + m.total, 0);
	const missed = review.missedDeadlines;
	return {
		compliance: { rate: c.rate, part: c.clean, of: c.exits, target: c.target, met: c.met },
		quality: { rate: c.quality.rate, part: c.quality.complete, of: c.quality.withChecklist },
		stepsOnTime: share(onTime, planned),
		cardsOnTime: share(missed.withTarget - missed.late.length, missed.withTarget),
		lead: { p50: e.range.leadP50, baselineP50: e.baseline.leadP50, change: e.range.leadChange },
		cycle: { p50: e.range.cycleP50, baselineP50: e.baseline.cycleP50, change: e.range.cycleChange },
		finished: e.range.finished,
		automation: { ...share(automated, counted), target: review.automation.target },
		atRisk: review.risk.cards.filter((r) => r.level !== 'on_track').length
	};
}

/** A share as people read it: "87 %", or "—" with nothing to count. */
export const percent = (rate: number | null): string => (rate === null ? '—' : `${Math.round(rate * 100)} %`);

/** Hours as days with one decimal ("3.5 d"), or "—". */
export const inDays = (hours: number | null): string => (hours === null ? '—' : `${(hours / 24).toFixed(1)} d`);

/** A change of a median as people say it: "30 % faster", "12 % slower", "no change", or "—". */
export const changeText = (c: number | null): string => (c === null ? '—' : Math.round(c * 100) === 0 ? 'no change' : `${Math.abs(Math.round(c * 100))} % ${c < 0 ? 'faster' : 'slower'}`);
