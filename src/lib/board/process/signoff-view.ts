import type { ApprovalState } from '../plan/approval.ts';
import type { Card, Stage, StoredDecision } from '../types.ts';
import { authorsOf, eligibleApprovers, signoffState } from './signoff.ts';

/**
 * Why a recorded decision no longer counts: `void` (an approval given before the card changed), `answered` (a change
 * request or rejection the card was edited after), `superseded` (the person decided again since), `not_counted`
 * (the person is no longer an approver, or now owns the card).
 */
export type DecisionMark = 'void' | 'answered' | 'superseded' | 'not_counted' | null;

/** A decision as the sign-off panel lists it. */
export type DecisionView = StoredDecision & { mark: DecisionMark };

/** The sign-off panel's view of a card in a stage that needs sign-off. */
export interface SignoffView {
	state: ApprovalState;
	/** Newest first. */
	decisions: DecisionView[];
	/** Who may decide: the rule's approvers who do not own the card. */
	eligible: string[];
	/** The viewer may decide now. */
	canDecide: boolean;
	/** The viewer owns the card (and so may not sign it off). */
	ownsCard: boolean;
}

/** The sign-off of `card` in `stage` as `userId` sees it, or null when the stage needs no sign-off. */
export function signoffView(stage: Stage, card: Card, teamRoles: Readonly<Record<string, readonly string[]>>, userId: string): SignoffView | null {
	const state = signoffState(stage, card, teamRoles);
	if (!state) return null;
	const eligible = eligibleApprovers(stage, authorsOf(card, stage.id), teamRoles);
	const record = card.signoffs[stage.id];
	const contentAt = record?.contentAt ? Date.parse(record.contentAt) : null;
	const latestAt = new Map<string, number>();
	for (const d of record?.decisions ?? []) latestAt.set(d.userId, Math.max(latestAt.get(d.userId) ?? -Infinity, Date.parse(d.at)));
	const isVoid = (d: StoredDecision) => state.void.some((v) => v.userId === d.userId && v.at.getTime() === Date.parse(d.at));
	const decisions = (record?.decisions ?? [])
		.map((d): DecisionView => {
			const at = Date.parse(d.at);
			let mark: DecisionMark = null;
			if (!eligible.includes(d.userId)) mark = 'not_counted';
			else if (at < (latestAt.get(d.userId) ?? at)) mark = 'superseded';
			else if (isVoid(d)) mark = 'void';
			else if (contentAt !== null && at < contentAt) mark = d.outcome === 'approve' ? 'void' : 'answered';
			return { ...d, mark };
		})
		.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
	const ownsCard = authorsOf(card, stage.id).includes(userId);
	return { state, decisions, eligible, canDecide: !ownsCard && eligible.includes(userId), ownsCard };
}
