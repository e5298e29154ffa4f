import { compareByRank } from './ranks.ts';
import { signoffState, type SignoffCard } from './process/signoff.ts';
import type { Card, ExitCriterion, Stage } from './types.ts';

/** Why a move is refused; the message is shown to the user as is. */
export type MoveRefusal =
	| { code: 'wip_limit'; message: string; limit: number }
	| { code: 'exit_criteria'; message: string; missing: ExitCriterion[] }
	| { code: 'no_stage'; message: string }
	| { code: 'approval'; message: string; approvals: number; needed: number };

/** Everything the move rules need to know. */
export interface MoveCheck {
	stages: readonly Stage[];
	/** Owners and sign-offs matter when the card leaves a stage that needs sign-off (none given: not signed off). */
	card: Pick<Card, 'id' | 'stageId' | 'exitChecks'> & Partial<SignoffCard>;
	/** Team role holders (the document's mirror), for sign-offs by role. */
	teamRoles?: Readonly<Record<string, readonly string[]>>;
	toStageId: string;
	/** Non-archived cards already in the target stage, the moving card excluded. */
	cardsInTarget: number;
}

/** The key under which a card records that a stage's criterion is met. */
export function exitCheckKey(stageId: string, criterionId: string): string {
	return `${stageId}:${criterionId}`;
}

/** Whether a stage can carry a WIP limit at all (done stages never do). */
export function stageHasLimit(stage: Pick<Stage, 'kind' | 'wipLimit'>): stage is Pick<Stage, 'kind'> & { wipLimit: number } {
	return stage.kind !== 'done' && stage.wipLimit !== null && stage.wipLimit > 0;
}

/** The criteria of `stage` this card has not met yet, in their listed order. */
export function missingExitCriteria(stage: Stage, card: Pick<Card, 'exitChecks'>): ExitCriterion[] {
	return stage.exitCriteria.filter((c) => !card.exitChecks[exitCheckKey(stage.id, c.id)]);
}

/** Whether moving from one stage to another goes forward in the workflow. */
export function isForward(stages: readonly Stage[], fromId: string, toId: string): boolean {
	const ordered = [...stages].sort(compareByRank);
	return ordered.findIndex((s) => s.id === toId) > ordered.findIndex((s) => s.id === fromId);
}

/** Null if the move is allowed; otherwise why not. Reordering within a stage and moving backward are always allowed past exit criteria. */
export function checkMove({ stages, card, toStageId, cardsInTarget, teamRoles = {} }: MoveCheck): MoveRefusal | null {
	if (toStageId === card.stageId) return null;
	const target = stages.find((s) => s.id === toStageId);
	if (!target) return { code: 'no_stage', message: 'That stage no longer exists.' };
	const from = stages.find((s) => s.id === card.stageId);
	if (from && isForward(stages, from.id, target.id)) {
		const missing = missingExitCriteria(from, card);
		if (missing.length > 0) {
			return {
				code: 'exit_criteria',
				message: `Can't leave ${from.name} yet. Still to do: ${missing.map((m) => m.text).join('; ')}.`,
				missing
			};
		}
		const signoff = signoffState(from, { owners: card.owners ?? [], signoffs: card.signoffs }, teamRoles);
		if (signoff && signoff.status !== 'approved') {
			const why =
				signoff.status === 'rejected' ? 'it was rejected' : signoff.status === 'changes_requested' ? 'changes were requested' : `${signoff.approvals} of ${signoff.needed} approvals so far`;
			return { code: 'approval', message: `Can't leave ${from.name} before it is signed off (${why}).`, approvals: signoff.approvals, needed: signoff.needed };
		}
	}
	if (stageHasLimit(target) && target.wipMode === 'hard' && cardsInTarget >= target.wipLimit) {
		return {
			code: 'wip_limit',
			message: `${target.name} is at its WIP limit of ${target.wipLimit} card${target.wipLimit === 1 ? '' : 's'}. Finish something there first.`,
			limit: target.wipLimit
		};
	}
	return null;
}

/** A stage's load against its limit: `count / limit` and whether it is over. */
export function wipStatus(stage: Stage, count: number): { text: string; over: boolean; atLimit: boolean } {
	if (!stageHasLimit(stage)) return { text: String(count), over: false, atLimit: false };
	return { text: `${count} / ${stage.wipLimit}`, over: count > stage.wipLimit, atLimit: count >= stage.wipLimit };
}
