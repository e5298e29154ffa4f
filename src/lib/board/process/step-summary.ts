import type { Stage, StepSettings } from '../types.ts';

/**
 * A step's settings in a few words, for the audit trail: "owner Blog writer · due 10 calendar days before the
 * target · sign-off by Marketing stakeholder (1)", or "a plain stage". Named approvers are counted, not named: the
 * trail keeps text, and names change.
 */
export function describeStep(step: StepSettings | null, stages: readonly Pick<Stage, 'id' | 'name'>[] = []): string {
	if (!step) return 'a plain stage';
	const parts: string[] = [];
	if (step.ownerRole) parts.push(`owner ${step.ownerRole}`);
	if (step.offset !== null) {
		const days = Math.abs(step.offset);
		const unit = `${step.unit === 'working' ? 'working ' : ''}day${days === 1 ? '' : 's'}`;
		parts.push(step.offset === 0 ? 'due on the target day' : `due ${days} ${unit} ${step.offset > 0 ? 'before' : 'after'} the target`);
	}
	const rule = step.approval;
	if (rule) {
		const who = [rule.approvers.role, rule.approvers.userIds.length > 0 ? `${rule.approvers.userIds.length} named member${rule.approvers.userIds.length === 1 ? '' : 's'}` : null].filter(Boolean).join(' and ');
		const stageName = (id: string | null) => stages.find((s) => s.id === id)?.name ?? 'another stage';
		const changes = rule.onChanges.sendTo ? `, changes back to ${stageName(rule.onChanges.sendTo)}` : '';
		const reject = rule.onReject.archive ? ', rejected cards archived' : rule.onReject.sendTo ? `, rejected cards to ${stageName(rule.onReject.sendTo)}` : '';
		parts.push(`sign-off by ${who} (${rule.quorum === 'all' ? 'all' : rule.quorum})${changes}${reject}`);
	}
	return parts.length > 0 ? parts.join(' · ') : 'a step without owner or date';
}
