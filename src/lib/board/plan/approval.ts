import { PlanError } from './errors.ts';

/** Who signs off a step, how many of them must, and what happens when they ask for changes or reject. */
export interface ApprovalRule {
	/** Named approvers, plus everyone holding `role` (when set). */
	approvers: { userIds: readonly string[]; role: string | null };
	/** Every eligible approver, or at least this many of them. */
	quorum: 'all' | number;
	onChanges: { sendTo: string | null };
	onReject: { archive: boolean; sendTo: string | null };
}

/** What an approver can decide. */
export type DecisionOutcome = 'approve' | 'changes' | 'reject';

/** One approver's decision, as the server stamped it. */
export interface Decision {
	userId: string;
	outcome: DecisionOutcome;
	at: Date;
	comment: string;
}

/** Where a step's sign-off stands. */
export type ApprovalStatus = 'pending' | 'approved' | 'changes_requested' | 'rejected';

/** The sign-off of a step: its status, approvals counted against those needed, and approvals voided by edits. */
export interface ApprovalState {
	status: ApprovalStatus;
	approvals: number;
	needed: number;
	/** Approvals given before the card's content last changed: they no longer count (the UI says so). */
	void: Decision[];
}

/** Throws PlanError `invalid_rule` unless the rule names some approver and a quorum of `all` or a whole number ≥ 1. */
export function assertApprovalRule(rule: ApprovalRule): ApprovalRule {
	if (rule.approvers.userIds.length === 0 && !rule.approvers.role) {
		throw new PlanError('invalid_rule', 'An approval needs approvers: name people, a role, or both.');
	}
	if (rule.quorum !== 'all' && (!Number.isSafeInteger(rule.quorum) || rule.quorum < 1)) {
		throw new PlanError('invalid_rule', `An approval needs "all" or a whole number of at least 1 approvers, got ${String(rule.quorum)}.`);
	}
	return rule;
}

/** Everyone the rule names: its users and the holders of its role. */
function approversOf(rule: ApprovalRule, roleHolders: readonly string[]): Set<string> {
	return new Set([...rule.approvers.userIds, ...(rule.approvers.role ? roleHolders : [])]);
}

/**
 * Whether `userId` may decide on the card: they are an approver (named, or holding the rule's role; `roleHolders`
 * are that role's holders) and not one of the card's current owners, since nobody approves their own work.
 */
export function mayDecide(rule: ApprovalRule, roleHolders: readonly string[], userId: string, cardOwners: readonly string[]): boolean {
	assertApprovalRule(rule);
	return approversOf(rule, roleHolders).has(userId) && !cardOwners.includes(userId);
}

/** A message when the decision may not be recorded as it is (changes and rejections need a reason), else null. */
export function decisionProblem(decision: Pick<Decision, 'outcome' | 'comment'>): string | null {
	if (decision.outcome !== 'approve' && decision.outcome !== 'changes' && decision.outcome !== 'reject') {
		return 'A decision is approve, request changes or reject.';
	}
	if (decision.outcome !== 'approve' && decision.comment.trim() === '') {
		return decision.outcome === 'changes' ? 'Say what should change.' : 'Say why you reject it.';
	}
	return null;
}

/**
 * The sign-off as it stands. Each approver's latest decision counts; decisions by people who are not (or no longer)
 * eligible do not. A decision older than the card's last content change (title, description, checklist) was about
 * other content: an approval is void (listed in `void`), a change request or rejection is answered by the edit and
 * no longer holds. Any standing rejection wins, then any change request; approved once `needed` approvals stand.
 */
export function approvalState(
	rule: ApprovalRule,
	roleHolders: readonly string[],
	decisions: readonly Decision[],
	lastContentChangeAt: Date | null,
	cardOwners: readonly string[] = []
): ApprovalState {
	assertApprovalRule(rule);
	const eligible = [...approversOf(rule, roleHolders)].filter((id) => !cardOwners.includes(id));
	// "All" of nobody must not approve by itself: at least one approval is always needed.
	const needed = rule.quorum === 'all' ? Math.max(1, eligible.length) : rule.quorum;

	const latest = new Map<string, Decision>();
	for (const decision of decisions) {
		if (!eligible.includes(decision.userId)) continue;
		const known = latest.get(decision.userId);
		if (!known || decision.at.getTime() >= known.at.getTime()) latest.set(decision.userId, decision);
	}

	const stale = (d: Decision) => lastContentChangeAt !== null && d.at.getTime() < lastContentChangeAt.getTime();
	const standing = [...latest.values()].filter((d) => !stale(d));
	const voided = [...latest.values()].filter((d) => stale(d) && d.outcome === 'approve').sort((a, b) => a.at.getTime() - b.at.getTime());
	const approvals = standing.filter((d) => d.outcome === 'approve').length;

	const status: ApprovalStatus = standing.some((d) => d.outcome === 'reject')
		? 'rejected'
		: standing.some((d) => d.outcome === 'changes')
			? 'changes_requested'
			: approvals >= needed
				? 'approved'
				: 'pending';
	return { status, approvals, needed, void: voided };
}
