import { describe, expect, it } from 'vitest';
import { approvalState, decisionProblem, mayDecide, type ApprovalRule, type Decision } from '../../src/lib/board/plan/approval.ts';
import { PlanError } from '../../src/lib/board/plan/errors.ts';

// Ana is named; Ben and Cho hold the editor role. Dee wrote the card.
const editors = ['ben', 'cho'];
const owners = ['dee'];
const rule = (quorum: ApprovalRule['quorum'], role: string | null = 'editor'): ApprovalRule => ({
	approvers: { userIds: ['ana'], role },
	quorum,
	onChanges: { sendTo: 'outline' },
	onReject: { archive: true, sendTo: null }
});

const t = (minutes: number) => new Date(Date.parse('2027-03-16T09:00:00Z') + minutes * 60_000);
const approve = (userId: string, minutes: number): Decision => ({ userId, outcome: 'approve', at: t(minutes), comment: '' });
const changes = (userId: string, minutes: number): Decision => ({ userId, outcome: 'changes', at: t(minutes), comment: 'Tighten the intro' });
const reject = (userId: string, minutes: number): Decision => ({ userId, outcome: 'reject', at: t(minutes), comment: 'Off brand' });

describe('quorum', () => {
	it('with "all", waits for every approver', () => {
		expect(approvalState(rule('all'), editors, [approve('ana', 1), approve('ben', 2)], null, owners)).toEqual({
			status: 'pending',
			approvals: 2,
			needed: 3,
			void: []
		});
		expect(approvalState(rule('all'), editors, [approve('ana', 1), approve('ben', 2), approve('cho', 3)], null, owners)).toMatchObject({
			status: 'approved',
			approvals: 3
		});
	});

	it('with "all", does not wait for an approver who owns the card', () => {
		expect(approvalState(rule('all'), editors, [approve('ana', 1), approve('ben', 2)], null, ['cho'])).toMatchObject({
			status: 'approved',
			needed: 2
		});
	});

	it('with 2, any two approvers are enough', () => {
		expect(approvalState(rule(2), editors, [approve('cho', 1)], null, owners)).toMatchObject({ status: 'pending', approvals: 1, needed: 2 });
		expect(approvalState(rule(2), editors, [approve('cho', 1), approve('ana', 2)], null, owners).status).toBe('approved');
		expect(approvalState(rule(2), editors, [approve('ben', 1), approve('cho', 2)], null, owners).status).toBe('approved');
	});

	it('does not count decisions by people who are not approvers, or the same person twice', () => {
		expect(approvalState(rule(2), editors, [approve('eve', 1), approve('ana', 2)], null, owners)).toMatchObject({ status: 'pending', approvals: 1 });
		expect(approvalState(rule(2), editors, [approve('ana', 1), approve('ana', 2)], null, owners).approvals).toBe(1);
		// Without a role on the rule, holding the role makes nobody an approver.
		expect(approvalState(rule(2, null), editors, [approve('ana', 1), approve('ben', 2)], null, owners).status).toBe('pending');
	});

	it('never approves by itself when nobody can approve', () => {
		const onlyOwners: ApprovalRule = { ...rule('all', null), approvers: { userIds: ['dee'], role: null } };
		expect(approvalState(onlyOwners, [], [], null, owners)).toMatchObject({ status: 'pending', approvals: 0, needed: 1 });
	});
});

describe('who may decide', () => {
	it('lets named approvers and role holders decide, and nobody else', () => {
		expect(mayDecide(rule(1), editors, 'ana', owners)).toBe(true);
		expect(mayDecide(rule(1), editors, 'ben', owners)).toBe(true);
		expect(mayDecide(rule(1), editors, 'eve', owners)).toBe(false);
		expect(mayDecide(rule(1, null), editors, 'ben', owners)).toBe(false);
	});

	it('does not let anyone approve their own work', () => {
		expect(mayDecide(rule(1), editors, 'ben', ['ben', 'dee'])).toBe(false);
		expect(mayDecide(rule(1), editors, 'ana', ['ana'])).toBe(false);
	});

	it('refuses a rule with no approvers or a quorum below one', () => {
		const none: ApprovalRule = { ...rule(1), approvers: { userIds: [], role: null } };
		expect(() => mayDecide(none, [], 'ana', [])).toThrow(PlanError);
		expect(() => approvalState(rule(0), editors, [], null)).toThrow(/at least 1/);
		expect(() => approvalState(rule(1.5), editors, [], null)).toThrow(PlanError);
	});
});

describe('changes, rejections and edits', () => {
	it('voids an approval given before the content last changed, and says whose', () => {
		const state = approvalState(rule(2), editors, [approve('ana', 1), approve('ben', 3)], t(2), owners);
		expect(state).toMatchObject({ status: 'pending', approvals: 1, needed: 2 });
		expect(state.void.map((d) => d.userId)).toEqual(['ana']);
		// Ana approves the new content: her approval counts again and nothing is void.
		expect(approvalState(rule(2), editors, [approve('ana', 1), approve('ben', 3), approve('ana', 4)], t(2), owners)).toMatchObject({
			status: 'approved',
			void: []
		});
	});

	it('holds a change request over approvals until the content changes', () => {
		const decisions = [approve('ana', 1), approve('ben', 2), changes('cho', 3)];
		expect(approvalState(rule(2), editors, decisions, null, owners).status).toBe('changes_requested');
		// The author edits: the request is answered, and the earlier approvals must be given again.
		const edited = approvalState(rule(2), editors, decisions, t(4), owners);
		expect(edited).toMatchObject({ status: 'pending', approvals: 0 });
		expect(edited.void.map((d) => d.userId)).toEqual(['ana', 'ben']);
	});

	it('lets a rejection win, and counts each approver\'s latest decision', () => {
		expect(approvalState(rule(1), editors, [approve('ana', 1), changes('ben', 2), reject('cho', 3)], null, owners).status).toBe('rejected');
		expect(approvalState(rule(1), editors, [approve('ana', 1), changes('ana', 2)], null, owners).status).toBe('changes_requested');
		expect(approvalState(rule(1), editors, [changes('ana', 1), approve('ana', 2)], null, owners).status).toBe('approved');
	});

	it('requires a comment to request changes or reject, not to approve', () => {
		expect(decisionProblem({ outcome: 'changes', comment: '' })).toBe('Say what should change.');
		expect(decisionProblem({ outcome: 'changes', comment: '   \n' })).toBe('Say what should change.');
		expect(decisionProblem({ outcome: 'reject', comment: '' })).toBe('Say why you reject it.');
		expect(decisionProblem({ outcome: 'reject', comment: 'Off brand' })).toBeNull();
		expect(decisionProblem({ outcome: 'approve', comment: '' })).toBeNull();
	});
});
