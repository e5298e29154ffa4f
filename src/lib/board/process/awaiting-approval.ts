import type { ApprovalState } from '../plan/approval.ts';
import type { BoardSnapshot, Card, Stage } from '../types.ts';
import { authorsOf, eligibleApprovers, signoffState } from './signoff.ts';

/** A card waiting for someone's sign-off decision, with where its sign-off stands. */
export interface AwaitingApproval {
	card: Card;
	stage: Stage;
	state: ApprovalState;
}

/** Whether `userId`'s latest decision on the card in `stageId` still stands (made after the card's last content change). */
function hasStandingDecision(card: Card, stageId: string, userId: string): boolean {
	const record = card.signoffs[stageId];
	if (!record) return false;
	let latest: number | null = null;
	for (const d of record.decisions) if (d.userId === userId) latest = Math.max(latest ?? -Infinity, Date.parse(d.at));
	if (latest === null) return false;
	return record.contentAt === null || latest >= Date.parse(record.contentAt);
}

/**
 * The cards waiting for `userId`'s decision, in board order: live cards whose current stage needs sign-off, where
 * the user may decide (an approver who does not own the card), the sign-off is pending, and the user's latest
 * decision there does not stand (none yet, or made before the card last changed).
 */
export function awaitingApprovalBy(
	snapshot: Pick<BoardSnapshot, 'stages' | 'cardsByStage'>,
	teamRoles: Readonly<Record<string, readonly string[]>>,
	userId: string
): AwaitingApproval[] {
	const waiting: AwaitingApproval[] = [];
	for (const stage of snapshot.stages) {
		if (!stage.step?.approval) continue;
		for (const card of snapshot.cardsByStage[stage.id] ?? []) {
			if (card.archived || card.stageId !== stage.id) continue;
			if (!eligibleApprovers(stage, authorsOf(card, stage.id), teamRoles).includes(userId)) continue;
			const state = signoffState(stage, card, teamRoles);
			if (!state || state.status !== 'pending' || hasStandingDecision(card, stage.id, userId)) continue;
			waiting.push({ card, stage, state });
		}
	}
	return waiting;
}

/** Whether `userId` is named, or holds the team role named, as an approver of some stage of the board. */
export function approvesAnywhere(stages: readonly Stage[], teamRoles: Readonly<Record<string, readonly string[]>>, userId: string): boolean {
	return stages.some((stage) => eligibleApprovers(stage, [], teamRoles).includes(userId));
}
