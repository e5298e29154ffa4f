import type { FlowEvent, StageInfo } from '../history.ts';

/** What the process review reads from history: the flow events, exit criteria checked, and target dates set. */
export type ReviewEvent =
	| FlowEvent
	| { type: 'exit_checked'; cardId: string; at: number; stageId: string; criterionId: string }
	| { type: 'target_changed'; cardId: string; at: number; target: string | null };

/**
 * A card's first attempt at a stage: from its first arrival there to the first time it left the stage forward.
 * One per card and stage (in the card's latest life: events before its latest `created` are ignored, as the stats do).
 */
export interface StageAttempt {
	cardId: string;
	stageId: string;
	/** When the card first entered the stage. */
	enteredAt: number;
	/** When it first left the stage forward (to a later stage). */
	leftAt: number;
	/** Every exit criterion the stage has was checked for this card before it left (history's `exit_checked`). */
	criteriaMet: boolean;
	/** The stage's criteria (ids) checked for this card before it left, in its latest life. */
	checked: string[];
	/** The card came back into the stage after leaving it (sent back, or reopened): the first attempt did not hold. */
	sentBack: boolean;
	/** The card's target date in force when it left (null: none then). */
	target: string | null;
}

/** Whether the first attempt was clean: every criterion met and the card never sent back into the stage. */
export const isClean = (a: Pick<StageAttempt, 'criteriaMet' | 'sentBack'>): boolean => a.criteriaMet && !a.sentBack;

interface CardState {
	firstEntry: Map<string, number>;
	checked: Set<string>;
	target: string | null;
	attempts: Map<string, StageAttempt>;
}

/**
 * Replays events (any order; ties keep their order) into first attempts per card and stage. A move is forward when
 * both stages are known and the target comes later in the workflow; `criteria` are the stages' exit criterion ids
 * now (history does not keep a stage's criteria over time). Refused moves never reach history (the policy reverts
 * them before they are recorded), so a refused attempt cannot be counted; a card sent back counts instead.
 */
export function stageAttempts(events: readonly ReviewEvent[], stages: readonly StageInfo[], criteria: ReadonlyMap<string, readonly string[]>): StageAttempt[] {
	const order = new Map(stages.map((s) => [s.id, s.order]));
	const cards = new Map<string, CardState>();
	for (const event of [...events].sort((a, b) => a.at - b.at)) {
		if (event.type === 'created') {
			cards.set(event.cardId, { firstEntry: new Map([[event.stageId, event.at]]), checked: new Set(), target: cards.get(event.cardId)?.target ?? null, attempts: new Map() });
			continue;
		}
		const card = cards.get(event.cardId);
		if (event.type === 'target_changed') {
			// A target may be set before history saw the card's creation in the same instant: keep it for the card.
			if (card) card.target = event.target;
			else cards.set(event.cardId, { firstEntry: new Map(), checked: new Set(), target: event.target, attempts: new Map() });
			continue;
		}
		if (!card || !card.firstEntry.size) continue;
		if (event.type === 'exit_checked') card.checked.add(`${event.stageId}:${event.criterionId}`);
		else if (event.type === 'moved') {
			const from = order.get(event.fromStageId);
			const to = order.get(event.toStageId);
			const left = event.fromStageId;
			if (from !== undefined && to !== undefined && to > from && !card.attempts.has(left)) {
				const needed = criteria.get(left) ?? [];
				const checked = [...card.checked].flatMap((key) => (key.startsWith(`${left}:`) ? [key.slice(left.length + 1)] : []));
				card.attempts.set(left, {
					cardId: event.cardId,
					stageId: left,
					enteredAt: card.firstEntry.get(left) ?? event.at,
					leftAt: event.at,
					criteriaMet: needed.every((c) => card.checked.has(`${left}:${c}`)),
					checked,
					sentBack: false,
					target: card.target
				});
			}
			const back = card.attempts.get(event.toStageId);
			if (back) back.sentBack = true;
			if (!card.firstEntry.has(event.toStageId)) card.firstEntry.set(event.toStageId, event.at);
		}
	}
	return [...cards.values()].flatMap((card) => [...card.attempts.values()]);
}
