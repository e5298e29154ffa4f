import type { ApprovalStatus } from '../plan/approval.ts';
import type { StepStatus } from '../plan/plan.ts';
import type { BoardProcess, Card, Stage } from '../types.ts';
import { planOrProblem, unstaffedRole } from './plan-view.ts';

/** What a card tile shows of the card's plan: its current step's date and status, who is missing, its sign-off. */
export interface TilePlan {
	/** The current step's name and planned date (null when it has none); null when the card is not in a step. */
	step: { name: string; due: string | null; status: StepStatus; shortBy: number | null; unit: 'working' | 'calendar' } | null;
	/** The card's target date. */
	targetDate: string | null;
	/** A team role the current step needs that nobody holds. */
	unstaffedRole: string | null;
	/** The sign-off of the current stage, when it needs one. */
	signoff: { status: ApprovalStatus; approvals: number; needed: number } | null;
}

/**
 * The tile's view of a card's plan, or null when there is nothing to show: `steps` (the board's stages that are
 * steps) is empty, or the card has no target date and is not in a step. Cheap for the cards it skips, so a
 * 1,000-card board pays only for cards in the process.
 */
export function tilePlan(card: Card, steps: readonly Stage[], process: BoardProcess, now: Date): TilePlan | null {
	if (steps.length === 0 || card.archived) return null;
	const stage = steps.find((s) => s.id === card.stageId);
	if (!card.target && !stage) return null;
	const { plan } = planOrProblem({ stages: steps, card, process, now });
	const current = plan?.steps.find((s) => s.stageId === card.stageId) ?? null;
	const approval = current?.approval.required ? current.approval.state : null;
	return {
		step: current ? { name: current.name, due: current.plannedDue, status: current.status, shortBy: current.shortBy, unit: current.unit } : null,
		targetDate: card.target?.day ?? null,
		unstaffedRole: unstaffedRole(card, plan),
		signoff: approval ? { status: approval.status, approvals: approval.approvals, needed: approval.needed } : null
	};
}

/** The tile's sign-off badge: "Needs sign-off 1/2", "Changes requested", "Rejected" or "Signed off". */
export function signoffBadge(signoff: NonNullable<TilePlan['signoff']>): string {
	switch (signoff.status) {
		case 'pending':
			return `Needs sign-off ${signoff.approvals}/${signoff.needed}`;
		case 'changes_requested':
			return 'Changes requested';
		case 'rejected':
			return 'Rejected';
		case 'approved':
			return 'Signed off';
	}
}

/** What every tile of a board in a process plans with: its step stages and its process settings. */
export interface TileProcess {
	steps: Stage[];
	process: BoardProcess;
}
