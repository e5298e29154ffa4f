import { seededRandom } from '../stats.ts';
import type { PlanStep } from '../../plan/plan.ts';
import { DAY } from './day-end.ts';

/** How a card stands against its target date. */
export type RiskLevel = 'on_track' | 'at_risk' | 'likely_late';

/** At least this chance of finishing by the target is on track; at least AT_RISK_FROM (below it) is at risk; less is likely late. */
export const ON_TRACK_FROM = 0.8;
/** Below this chance of finishing by the target a card is likely late. */
export const AT_RISK_FROM = 0.5;
/** With fewer past durations than this, a step's allowance from its settings stands in for its history. */
export const MIN_SAMPLES = 5;
/** Monte Carlo trials per card. */
export const TRIALS = 500;

/** The level for a chance of finishing on time (thresholds above). */
export function riskLevel(chance: number): RiskLevel {
	return chance >= ON_TRACK_FROM ? 'on_track' : chance >= AT_RISK_FROM ? 'at_risk' : 'likely_late';
}

/** How much worse a level is (0 on track … 2 likely late). */
export const levelRank = (level: RiskLevel): number => (level === 'on_track' ? 0 : level === 'at_risk' ? 1 : 2);

/** A stage still ahead of the card: the board's past stays there (ms, ascending) and the plan's allowance (ms, or null). */
export interface StageAhead {
	stageId: string;
	samples: readonly number[];
	allowanceMs: number | null;
}

/**
 * The plan's allowance per step (ms): the calendar time between the previous dated step's date and this one's.
 * Working days count as 7/5 calendar days (the plan skips weekends). The first dated step has none.
 */
export function allowances(steps: readonly PlanStep[]): Map<string, number | null> {
	const result = new Map<string, number | null>();
	let previous: number | null = null;
	for (const step of steps) {
		if (step.offset === null) {
			result.set(step.stageId, null);
			continue;
		}
		const days = previous === null ? null : previous - step.offset;
		result.set(step.stageId, days === null || days < 0 ? null : days * DAY * (step.unit === 'working' ? 7 / 5 : 1));
		previous = step.offset;
	}
	return result;
}

/** The seeded generator the forecast uses too: the same seed gives the same sequence, so a card's risk is reproducible. */
export { seededRandom };

/** A 32-bit seed from a string (FNV-1a), so each card draws its own sequence whatever order cards come in. */
export function seedOf(text: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
	return h >>> 0;
}

/** Index of the first sample greater than `x` (samples ascending). */
function firstAbove(samples: readonly number[], x: number): number {
	let lo = 0;
	let hi = samples.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (samples[mid]! > x) hi = mid;
		else lo = mid + 1;
	}
	return lo;
}

/** What the chance of an open card is computed from. */
export interface ChanceInput {
	now: number;
	/** The last millisecond of the target day. */
	deadline: number;
	/** The stages left, the one it is in first (it has been there `elapsedMs`). */
	ahead: readonly StageAhead[];
	elapsedMs: number;
	seed: number;
	trials?: number;
}

/**
 * The chance (0–1) that an open card reaches done by its deadline: a Monte Carlo over the board's past stays in the
 * stages still ahead. Each trial draws one past stay per stage; for the stage the card is in it draws among stays
 * longer than the time already spent and counts only the rest (none that long: a fresh whole stay). A stage with
 * fewer than MIN_SAMPLES past stays takes its allowance instead when it has one.
 */
export function chanceOnTime(input: ChanceInput): number {
	const budget = input.deadline - input.now;
	if (budget < 0) return 0;
	const trials = input.trials ?? TRIALS;
	const random = seededRandom(input.seed);
	const pools = input.ahead.map((s) => (s.samples.length < MIN_SAMPLES && s.allowanceMs !== null ? [s.allowanceMs] : s.samples)).filter((p, i) => i === 0 || p.length > 0);
	const current = pools[0] ?? [];
	const from = firstAbove(current, input.elapsedMs);
	// The current stage's draws: only stays longer than the time spent, counting the rest; none that long: whole ones.
	const restFrom = from < current.length ? from : 0;
	const restLess = from < current.length ? input.elapsedMs : 0;
	let onTime = 0;
	for (let trial = 0; trial < trials; trial++) {
		let total = current.length === 0 ? 0 : current[restFrom + Math.floor(random() * (current.length - restFrom))]! - restLess;
		for (let i = 1; i < pools.length && total <= budget; i++) {
			const samples = pools[i]!;
			total += samples[Math.floor(random() * samples.length)]!;
		}
		if (total <= budget) onTime++;
	}
	return onTime / trials;
}

/** The chance of a finished card: 1 when it reached done by its deadline, else 0. */
export const finishedChance = (finishedAt: number, deadline: number): 0 | 1 => (finishedAt <= deadline ? 1 : 0);
