import type { StepSettings } from '../types.ts';
import { MAX_NAMED_APPROVERS, MAX_OFFSET_DAYS } from './step-settings.ts';

/** The stage dialog's "Step" section as the form holds it (strings and flags, before any checking). */
export interface StepForm {
	/** A team role name, or '' for none. */
	ownerRole: string;
	/** Days before the target date as typed ('' for no due date); a number input may hand over a number. */
	offset: string | number | null;
	unit: 'working' | 'calendar';
	signoff: boolean;
	/** The approving team role, or '' for none. */
	approverRole: string;
	approverIds: string[];
	quorum: 'all' | 'count';
	quorumCount: string | number | null;
	/** Stage id a card goes back to on "request changes", or '' to stay where it is, flagged. */
	changesTo: string;
	onReject: 'archive' | 'send';
	rejectTo: string;
}

/** The form's values for a stage's step settings (a plain stage gives an empty form). */
export function stepFormOf(step: StepSettings | null): StepForm {
	const approval = step?.approval ?? null;
	return {
		ownerRole: step?.ownerRole ?? '',
		offset: step?.offset ?? '',
		unit: step?.unit ?? 'working',
		signoff: approval !== null,
		approverRole: approval?.approvers.role ?? '',
		approverIds: [...(approval?.approvers.userIds ?? [])],
		quorum: approval && approval.quorum !== 'all' ? 'count' : 'all',
		quorumCount: approval && approval.quorum !== 'all' ? approval.quorum : 1,
		changesTo: approval?.onChanges.sendTo ?? '',
		onReject: approval && !approval.onReject.archive && approval.onReject.sendTo ? 'send' : 'archive',
		rejectTo: approval?.onReject.sendTo ?? ''
	};
}

/** A whole number typed into a field, or null when the field is empty; NaN when it is not a whole number. */
function wholeNumber(value: string | number | null): number | null {
	if (value === null || (typeof value === 'string' && value.trim() === '')) return null;
	const n = typeof value === 'number' ? value : Number(value.trim());
	return Number.isSafeInteger(n) ? n : Number.NaN;
}

/**
 * The step settings a filled-in form asks for, or the first problem with it as a message. A form without an owner
 * role, a due offset or a sign-off makes the stage a plain stage again (null).
 */
export function stepFromForm(form: StepForm): { step: StepSettings | null } | { problem: string } {
	const offset = wholeNumber(form.offset);
	if (Number.isNaN(offset) || (offset !== null && Math.abs(offset) > MAX_OFFSET_DAYS)) {
		return { problem: `The due offset is a whole number of days (at most ${MAX_OFFSET_DAYS.toLocaleString('en')} either way), or empty for no due date.` };
	}
	const ownerRole = form.ownerRole.trim() || null;
	if (!form.signoff) return { step: ownerRole === null && offset === null ? null : { ownerRole, offset, unit: form.unit, approval: null } };

	const role = form.approverRole.trim() || null;
	const userIds = [...new Set(form.approverIds)];
	if (role === null && userIds.length === 0) return { problem: 'Choose who signs off: a team role, members, or both.' };
	if (userIds.length > MAX_NAMED_APPROVERS) return { problem: `Name at most ${MAX_NAMED_APPROVERS} approvers; use a team role for more.` };
	let quorum: 'all' | number = 'all';
	if (form.quorum === 'count') {
		const count = wholeNumber(form.quorumCount);
		if (count === null || Number.isNaN(count) || count < 1) return { problem: 'The number of approvals needed is a whole number of at least 1.' };
		// With named approvers only, more approvals than names could never be reached.
		if (role === null && count > userIds.length) {
			return { problem: `Only ${userIds.length} approver${userIds.length === 1 ? ' is' : 's are'} named: the sign-off could never need ${count}.` };
		}
		quorum = count;
	}
	if (form.onReject === 'send' && !form.rejectTo) return { problem: 'Choose the stage a rejected card goes to, or archive it.' };
	return {
		step: {
			ownerRole,
			offset,
			unit: form.unit,
			approval: {
				approvers: { userIds, role },
				quorum,
				onChanges: { sendTo: form.changesTo || null },
				onReject: form.onReject === 'archive' ? { archive: true, sendTo: null } : { archive: false, sendTo: form.rejectTo }
			}
		}
	};
}

/** A stage's step in a few words for its column header ("Writer · 10 wd · sign-off"), and in full for its tooltip. */
export function stepSummary(step: StepSettings): { short: string; full: string } {
	const unit = step.unit === 'working' ? 'working' : 'calendar';
	const short: string[] = [];
	const full: string[] = [];
	if (step.ownerRole) {
		short.push(step.ownerRole);
		full.push(`Owned by the team role ${step.ownerRole}`);
	}
	if (step.offset !== null) {
		short.push(`${step.offset} ${step.unit === 'working' ? 'wd' : 'd'}`);
		full.push(step.offset >= 0 ? `due ${step.offset} ${unit} day${Math.abs(step.offset) === 1 ? '' : 's'} before the target date` : `due ${-step.offset} ${unit} day${step.offset === -1 ? '' : 's'} after the target date`);
	}
	if (step.approval) {
		short.push('sign-off');
		full.push('needs sign-off before a card moves on');
	}
	const sentence = full.join(', ');
	return { short: short.join(' · '), full: sentence ? sentence[0]!.toUpperCase() + sentence.slice(1) + '.' : 'A step of the process.' };
}
