import { signoffState } from '../process/signoff.ts';
import type { Card, Stage } from '../types.ts';
import type { StandupChange } from './changes.ts';

/** A card the summary names. */
export interface SummaryCard {
	id: string;
	title: string;
	stage: string;
}

/** A stage whose WIP limit was breached during the window. */
export interface SummaryBreach {
	stageId: string;
	stage: string;
	/** How far over its limit the stage went at worst. */
	over: number;
	times: number;
}

/** What a standup ends with. */
export interface StandupSummary {
	finished: SummaryCard[];
	newlyBlocked: SummaryCard[];
	overdue: SummaryCard[];
	wipBreaches: SummaryBreach[];
	waitingForApproval: SummaryCard[];
	/** The filter the standup walked (its cards are the only ones named); null or absent: every card. */
	filter?: string | null;
}

/** A `wip_breach` card event of the window. */
export interface BreachRow {
	toStageId: string | null;
	data: Record<string, unknown>;
}

/** What the summary is worked out from: the board now, the window's changes and breaches, today in the board's zone. */
export interface SummaryInput {
	stages: readonly Stage[];
	/** The board's cards now (archived ones are skipped). */
	cards: readonly Card[];
	changes: readonly StandupChange[];
	breaches: readonly BreachRow[];
	/** YYYY-MM-DD in the board's time zone. */
	today: string;
	teamRoles: Readonly<Record<string, readonly string[]>>;
	/** Names of stages that no longer exist (from history), for breaches in them. */
	stageNames?: ReadonlyMap<string, string>;
	/** The filter the cards were chosen by, said in the summary (null: every card). */
	filter?: string | null;
}

/**
 * The standup's summary: cards finished in the window (and still on the board), cards blocked in the window and still
 * blocked, live unfinished cards past their due date, stages whose WIP limit was breached in the window, and cards
 * whose sign-off is pending — each list in board order.
 */
export function standupSummary(input: SummaryInput): StandupSummary {
	const stageById = new Map(input.stages.map((s) => [s.id, s]));
	const stageIndex = new Map(input.stages.map((s, i) => [s.id, i]));
	const live = input.cards.filter((c) => !c.archived && stageById.has(c.stageId));
	live.sort((a, b) => stageIndex.get(a.stageId)! - stageIndex.get(b.stageId)! || (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : a.id < b.id ? -1 : 1));
	const ref = (c: Card): SummaryCard => ({ id: c.id, title: c.title, stage: stageById.get(c.stageId)!.name });
	const finishedIds = new Set(input.changes.filter((c) => c.kind === 'finished').map((c) => c.cardId));
	const blockedIds = new Set(input.changes.filter((c) => c.kind === 'blocked').map((c) => c.cardId));
	const breaches = new Map<string, SummaryBreach>();
	for (const b of input.breaches) {
		if (!b.toStageId) continue;
		const over = typeof b.data.over === 'number' ? b.data.over : 1;
		const seen = breaches.get(b.toStageId);
		if (seen) {
			seen.over = Math.max(seen.over, over);
			seen.times++;
		} else breaches.set(b.toStageId, { stageId: b.toStageId, stage: stageById.get(b.toStageId)?.name ?? input.stageNames?.get(b.toStageId) ?? 'A deleted stage', over, times: 1 });
	}
	return {
		finished: live.filter((c) => finishedIds.has(c.id) && stageById.get(c.stageId)!.kind === 'done').map(ref),
		newlyBlocked: live.filter((c) => blockedIds.has(c.id) && c.blocked).map(ref),
		overdue: live.filter((c) => c.due !== null && c.due < input.today && stageById.get(c.stageId)!.kind !== 'done').map(ref),
		wipBreaches: [...breaches.values()].sort((a, b) => (stageIndex.get(a.stageId) ?? Infinity) - (stageIndex.get(b.stageId) ?? Infinity)),
		waitingForApproval: live.filter((c) => signoffState(stageById.get(c.stageId)!, c, input.teamRoles)?.status === 'pending').map(ref),
		filter: input.filter ?? null
	};
}

/** Whether the summary has nothing to say. */
export function summaryIsEmpty(s: StandupSummary): boolean {
	return s.finished.length + s.newlyBlocked.length + s.overdue.length + s.wipBreaches.length + s.waitingForApproval.length === 0;
}

/** The summary as plain text (markdown list style), for the clipboard and the board's activity; the heading names its filter. */
export function summaryText(s: StandupSummary, heading: string): string {
	const lines = [s.filter ? `${heading}, cards matching ${s.filter}` : heading];
	const section = (title: string, items: string[]) => {
		if (items.length === 0) return;
		lines.push('', `${title} (${items.length}):`, ...items.map((i) => `- ${i}`));
	};
	const card = (c: SummaryCard) => `${c.title} (${c.stage})`;
	section('Finished', s.finished.map(card));
	section('Newly blocked', s.newlyBlocked.map(card));
	section('Overdue', s.overdue.map(card));
	section('WIP limit breached', s.wipBreaches.map((b) => `${b.stage}: up to ${b.over} over, ${b.times} time${b.times === 1 ? '' : 's'}`));
	section('Waiting for approval', s.waitingForApproval.map(card));
	if (summaryIsEmpty(s)) lines.push('', 'Nothing finished, blocked, overdue, over a WIP limit or waiting for approval.');
	return lines.join('\n');
}
