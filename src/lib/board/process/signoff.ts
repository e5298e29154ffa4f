import { approvalState, type ApprovalState } from '../plan/approval.ts';
import type { Card, Stage } from '../types.ts';

/** What the sign-off check reads of a card. */
export type SignoffCard = Pick<Card, 'owners'> & Partial<Pick<Card, 'signoffs' | 'handoff'>>;

/**
 * Whose work the card in `stageId` is: its owners, and whoever the process took it from when it entered the stage
 * (the writer whose outline is up for approval is no longer an owner, but it is still their work).
 */
export function authorsOf(card: SignoffCard, stageId: string): string[] {
	const previous = card.handoff?.stageId === stageId ? card.handoff.previous : null;
	return previous && !card.owners.includes(previous) ? [...card.owners, previous] : [...card.owners];
}

/**
 * Where the card's sign-off in `stage` stands, or null when the stage needs none. Approvers are the rule's named
 * members plus the holders of its team role (`teamRoles`), minus the card's owners (nobody approves their own work);
 * approvals older than the card's last content change are void.
 */
export function signoffState(stage: Pick<Stage, 'id' | 'step'>, card: SignoffCard, teamRoles: Readonly<Record<string, readonly string[]>>): ApprovalState | null {
	const rule = stage.step?.approval;
	if (!rule) return null;
	const record = card.signoffs?.[stage.id];
	const holders = rule.approvers.role ? (teamRoles[rule.approvers.role] ?? []) : [];
	const decisions = (record?.decisions ?? []).map((d) => ({ ...d, at: new Date(d.at) }));
	const contentAt = record?.contentAt ? new Date(record.contentAt) : null;
	return approvalState(rule, holders, decisions, contentAt, authorsOf(card, stage.id));
}

/** Everyone who may decide on the card in `stage` (eligible approvers who are not its owners), sorted. */
export function eligibleApprovers(stage: Pick<Stage, 'step'>, owners: readonly string[], teamRoles: Readonly<Record<string, readonly string[]>>): string[] {
	const rule = stage.step?.approval;
	if (!rule) return [];
	const holders = rule.approvers.role ? (teamRoles[rule.approvers.role] ?? []) : [];
	return [...new Set([...rule.approvers.userIds, ...holders])].filter((id) => !owners.includes(id)).sort();
}
