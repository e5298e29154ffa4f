import { signoffState } from '../process/signoff.ts';
import { tilePlan, type TileProcess } from '../process/tile-plan.ts';
import type { Card, Stage } from '../types.ts';
import type { CardFacts } from './compile.ts';

/** The latest time the card itself records: its move, block, target date, hand-off or a sign-off decision. */
function latestStamp(card: Card): number {
	let latest = Date.parse(card.movedAt) || 0;
	const bump = (iso: string | null | undefined) => {
		const t = iso ? Date.parse(iso) : NaN;
		if (t > latest) latest = t;
	};
	bump(card.blocked?.at);
	bump(card.target?.at);
	bump(card.handoff?.at);
	for (const record of Object.values(card.signoffs)) for (const d of record.decisions) bump(d.at);
	return latest;
}

/**
 * What a query needs to know of a card besides the card: its due date (its own, else its current step's planned
 * date), whether its sign-off is pending, and when it last changed (`lastChanged`: from the history, when known).
 */
export function cardFacts(card: Card, stagesById: ReadonlyMap<string, Stage>, process: TileProcess | null, now: Date, lastChanged?: number): CardFacts {
	const stage = stagesById.get(card.stageId);
	const step = card.due || !process ? null : tilePlan(card, process.steps, process.process, now)?.step;
	const approval = stage?.step?.approval && process ? signoffState(stage, card, process.process.teamRoles) : null;
	return {
		card,
		due: card.due ?? step?.due ?? null,
		waitingApproval: approval?.status === 'pending',
		updatedAt: Math.max(latestStamp(card), lastChanged ?? 0)
	};
}
