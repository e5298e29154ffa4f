// The process review's view of a generated history (tests/helpers/flow-history.ts): the board's live document as the
// review route would read it, for the benchmark and the integration tests that hold the stored figures to a replay.
import type { Card, Stage, StageKind } from '../../src/lib/board/types.ts';
import type { CardsReading } from '../../server/engine/board-reading.ts';
import type { FlowHistory } from './flow-history.ts';

/** Working days each live stage of the generated workflow is planned to take, in workflow order (by name). */
const STEP_DAYS: Record<string, number> = { Outline: 1, Drafting: 3, Review: 2, Design: 2, Scheduled: 2 };

/**
 * The board's live document as the route reads it: the history's live stages, planned back from the target date
 * (each step's offset the sum of the allowances after it), Review with the exit criterion the history checks and
 * Design with one it never does; and the cards still open at the end of the history with their target dates.
 */
export function liveBoard(history: FlowHistory): CardsReading {
	const live = history.stages.filter((s) => !s.deleted).sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0));
	let offset = 0;
	const offsets = new Map<string, number>();
	for (const s of [...live].reverse()) {
		if (s.kind === 'done') continue;
		offsets.set(s.stageId, offset);
		offset += STEP_DAYS[s.name] ?? 2;
	}
	const criteria: Record<string, Stage['exitCriteria']> = { Review: [{ id: 'legal-ok', text: 'Legal said yes' }], Design: [{ id: 'alt-text', text: 'Images have alt text' }] };
	const stages: Stage[] = live.map((s) => ({
		id: s.stageId,
		name: s.name,
		rank: s.rank,
		kind: s.kind as StageKind,
		wipLimit: null,
		wipMode: 'soft',
		exitCriteria: criteria[s.name] ?? [],
		step: s.kind === 'done' ? null : { ownerRole: null, offset: offsets.get(s.stageId) ?? null, unit: 'working', approval: null }
	}));
	return { name: 'Process benchmark', stages, process: { timeZone: 'Europe/Berlin', teamRoles: {}, labels: [], checklist: [] }, cards: openCards(history, stages) };
}

/** The cards outside done stages and not archived at the end of the history, with their latest target dates. */
function openCards(history: FlowHistory, stages: readonly Stage[]): Card[] {
	const live = new Map(stages.map((s) => [s.id, s]));
	const state = new Map<string, { stageId: string; movedAt: number; archived: boolean; target: string | null; title: string }>();
	for (const e of history.events) {
		const card = state.get(e.cardId);
		if (e.type === 'created') state.set(e.cardId, { stageId: e.toStageId!, movedAt: e.at.getTime(), archived: false, target: null, title: String(e.data.title ?? '') });
		else if (!card) continue;
		else if (e.type === 'moved') Object.assign(card, { stageId: e.toStageId!, movedAt: e.at.getTime() });
		else if (e.type === 'archived' || e.type === 'restored') card.archived = e.type === 'archived';
		else if (e.type === 'target_changed') card.target = (e.data.target as string | null) ?? null;
	}
	return [...state].flatMap(([id, c]): Card[] => {
		const stage = live.get(c.stageId);
		if (c.archived || !stage || stage.kind === 'done') return [];
		const at = new Date(c.movedAt).toISOString();
		return [{ id, title: c.title, description: '', stageId: c.stageId, rank: 'a0', owners: [], due: null, labels: [], blocked: null, checklist: [], exitChecks: {}, movedAt: at, archived: false, target: c.target ? { day: c.target, at } : null, stepDues: {}, handoff: null, signoffs: {} }];
	});
}
