import { describe, expect, it } from 'vitest';
import { awaitingApprovalBy, approvesAnywhere } from '../../src/lib/board/process/awaiting-approval.ts';
import { withLoadedTeamRoles, teamRoleNames } from '../../src/lib/board/process/known-team-roles.ts';
import { finishedLateBy, parseServerStays, planOrProblem, stepStatusText, unstaffedRole, visitsFor } from '../../src/lib/board/process/plan-view.ts';
import { signoffView } from '../../src/lib/board/process/signoff-view.ts';
import { stepFormOf, stepFromForm, type StepForm } from '../../src/lib/board/process/step-form.ts';
import { signoffBadge, tilePlan } from '../../src/lib/board/process/tile-plan.ts';
import { planForCard } from '../../src/lib/board/process/card-plan.ts';
import type { BoardProcess, Card, Stage, StepApprovalRule, StepSettings } from '../../src/lib/board/types.ts';

const rule = (over: Partial<StepApprovalRule> = {}): StepApprovalRule => ({
	approvers: { userIds: ['ana'], role: 'Editor' },
	quorum: 'all',
	onChanges: { sendTo: null },
	onReject: { archive: true, sendTo: null },
	...over
});
const step = (over: Partial<StepSettings> = {}): StepSettings => ({ ownerRole: 'Writer', offset: 5, unit: 'working', approval: null, ...over });
const stage = (id: string, rank: string, s: StepSettings | null = null): Stage => ({ id, name: id[0]!.toUpperCase() + id.slice(1), rank, kind: 'active', wipLimit: null, wipMode: 'soft', exitCriteria: [], step: s });
const card = (over: Partial<Card> = {}): Card => ({
	id: 'c1',
	title: 'Launch post',
	description: '',
	stageId: 'draft',
	rank: 'a0',
	owners: ['wes'],
	due: null,
	labels: [],
	blocked: null,
	checklist: [],
	exitChecks: {},
	movedAt: '2027-03-01T09:00:00.000Z',
	archived: false,
	target: null,
	stepDues: {},
	handoff: null,
	signoffs: {},
	...over
});
const process = (teamRoles: Record<string, string[]> = { Writer: ['wes'], Editor: ['ben', 'cho'] }): BoardProcess => ({ timeZone: 'Europe/Berlin', teamRoles, labels: [], checklist: [] });

// Ideas (plain) → Draft (Writer, 10 working days) → Review (sign-off, 3 calendar days) → Done (plain).
const ideas = stage('ideas', 'a0');
const draft = stage('draft', 'a1', step({ offset: 10 }));
const review = stage('review', 'a2', step({ ownerRole: null, offset: 3, unit: 'calendar', approval: rule() }));
const done = stage('done', 'a3');
const stages = [ideas, draft, review, done];
const steps = stages.filter((s) => s.step);
// Tuesday 2 March 2027, morning in Berlin.
const now = new Date('2027-03-02T08:00:00Z');

describe('waiting for my approval', () => {
	const board = (cards: Card[]) => ({ stages, cardsByStage: Object.fromEntries(stages.map((s) => [s.id, cards.filter((c) => c.stageId === s.id)])) });
	const inReview = (over: Partial<Card> = {}) => card({ stageId: 'review', ...over });
	const roles = process().teamRoles;

	it('lists pending cards in stages where the person is an approver, by name or by team role', () => {
		const cards = [inReview({ id: 'a' }), inReview({ id: 'b' }), card({ id: 'c' })];
		expect(awaitingApprovalBy(board(cards), roles, 'ana').map((w) => w.card.id)).toEqual(['a', 'b']);
		expect(awaitingApprovalBy(board(cards), roles, 'ben').map((w) => w.card.id)).toEqual(['a', 'b']);
		expect(awaitingApprovalBy(board(cards), roles, 'wes')).toEqual([]);
		expect(awaitingApprovalBy(board(cards), roles, 'ana')[0]!.state).toMatchObject({ status: 'pending', approvals: 0, needed: 3 });
	});

	it('leaves out cards the person owns, has decided on, or that are no longer pending', () => {
		const decided = inReview({ id: 'decided', signoffs: { review: { decisions: [{ userId: 'ana', outcome: 'approve', at: '2027-03-01T10:00:00Z', comment: '' }], contentAt: null } } });
		const owned = inReview({ id: 'owned', owners: ['ana'] });
		const changes = inReview({ id: 'changes', signoffs: { review: { decisions: [{ userId: 'ben', outcome: 'changes', at: '2027-03-01T10:00:00Z', comment: 'More data' }], contentAt: null } } });
		expect(awaitingApprovalBy(board([decided, owned, changes]), roles, 'ana')).toEqual([]);
		// Ben's own decision on "decided" is still to come.
		expect(awaitingApprovalBy(board([decided]), roles, 'ben').map((w) => w.card.id)).toEqual(['decided']);
	});

	it('asks again when the card changed after the person approved it', () => {
		const changed = inReview({ signoffs: { review: { decisions: [{ userId: 'ana', outcome: 'approve', at: '2027-03-01T10:00:00Z', comment: '' }], contentAt: '2027-03-01T11:00:00Z' } } });
		expect(awaitingApprovalBy(board([changed]), roles, 'ana').map((w) => w.card.id)).toEqual(['c1']);
	});

	it('knows whether someone approves anywhere on the board', () => {
		expect(approvesAnywhere(stages, roles, 'cho')).toBe(true);
		expect(approvesAnywhere(stages, roles, 'wes')).toBe(false);
	});
});

describe('step settings form', () => {
	const filled = (over: Partial<StepForm>): StepForm => ({ ...stepFormOf(null), ...over });

	it('round-trips step settings', () => {
		const settings = step({ approval: rule({ quorum: 2, onChanges: { sendTo: 'draft' }, onReject: { archive: false, sendTo: 'ideas' } }) });
		expect(stepFromForm(stepFormOf(settings))).toEqual({ step: settings });
		expect(stepFromForm(stepFormOf(review.step))).toEqual({ step: review.step });
	});

	it('makes a stage plain again when nothing is set', () => {
		expect(stepFromForm(filled({}))).toEqual({ step: null });
		expect(stepFromForm(filled({ offset: '0' }))).toEqual({ step: { ownerRole: null, offset: 0, unit: 'working', approval: null } });
	});

	it('says what is wrong, one problem at a time', () => {
		expect(stepFromForm(filled({ offset: '2.5' }))).toEqual({ problem: expect.stringContaining('whole number of days') });
		expect(stepFromForm(filled({ offset: 4000 }))).toEqual({ problem: expect.stringContaining('3,650') });
		expect(stepFromForm(filled({ signoff: true }))).toEqual({ problem: 'Choose who signs off: a team role, members, or both.' });
		expect(stepFromForm(filled({ signoff: true, approverIds: ['ana'], quorum: 'count', quorumCount: '0' }))).toEqual({ problem: expect.stringContaining('at least 1') });
		expect(stepFromForm(filled({ signoff: true, approverIds: ['ana'], quorum: 'count', quorumCount: 2 }))).toEqual({ problem: expect.stringContaining('Only 1 approver is named') });
		expect(stepFromForm(filled({ signoff: true, approverRole: 'Editor', onReject: 'send', rejectTo: '' }))).toEqual({ problem: expect.stringContaining('rejected card') });
	});
});

describe('card plan views', () => {
	const targeted = (over: Partial<Card> = {}) => card({ target: { day: '2027-03-26', at: '2027-03-01T09:00:00Z' }, ...over });

	it('tiles skip cards outside the process and boards without steps', () => {
		expect(tilePlan(card({ stageId: 'ideas' }), steps, process(), now)).toBeNull();
		expect(tilePlan(targeted(), [], process(), now)).toBeNull();
		expect(tilePlan(targeted({ archived: true }), steps, process(), now)).toBeNull();
	});

	it('a tile shows the current step, its date and status, and its sign-off', () => {
		// 10 working days before Friday 26 March is Friday 12 March.
		expect(tilePlan(targeted(), steps, process(), now)).toEqual({
			step: { name: 'Draft', due: '2027-03-12', status: 'current', shortBy: null, unit: 'working' },
			targetDate: '2027-03-26',
			unstaffedRole: null,
			signoff: null
		});
		const inReview = tilePlan(targeted({ stageId: 'review' }), steps, process(), now);
		expect(inReview?.step).toMatchObject({ name: 'Review', due: '2027-03-23' });
		expect(inReview?.signoff).toEqual({ status: 'pending', approvals: 0, needed: 3 });
		expect(signoffBadge(inReview!.signoff!)).toBe('Needs sign-off 0/3');
		expect(signoffBadge({ status: 'changes_requested', approvals: 0, needed: 1 })).toBe('Changes requested');
		// A card in a step without a target date still shows its step (no date) and sign-off.
		expect(tilePlan(card(), steps, process(), now)?.step).toMatchObject({ name: 'Draft', due: null });
	});

	it('flags the team role nobody holds, from the plan or from the last hand-off', () => {
		expect(tilePlan(targeted(), steps, process({ Editor: ['ben'] }), now)?.unstaffedRole).toBe('Writer');
		expect(unstaffedRole(card({ handoff: { stageId: 'draft', role: 'Writer', userId: null, at: '2027-03-01T09:00:00Z' } }), null)).toBe('Writer');
		// A hand-off from a stage the card has left says nothing about now.
		expect(unstaffedRole(card({ stageId: 'review', handoff: { stageId: 'draft', role: 'Writer', userId: null, at: '2027-03-01T09:00:00Z' } }), null)).toBeNull();
	});

	it('names statuses, with the shortfall in the step’s unit', () => {
		expect(stepStatusText({ status: 'cannot_fit', shortBy: 3, unit: 'working' })).toBe("Can't fit — 3 working days short");
		expect(stepStatusText({ status: 'cannot_fit', shortBy: 1, unit: 'calendar' })).toBe("Can't fit — 1 calendar day short");
		expect(stepStatusText({ status: 'late', shortBy: null, unit: 'working' })).toBe('Late');
	});

	it('a target set too late makes a step unable to fit', () => {
		// Target Friday 5 March, set on Tuesday 2 March: Draft was due 10 working days before, on 19 February.
		const late = tilePlan(targeted({ target: { day: '2027-03-05', at: now.toISOString() } }), steps, process(), now);
		expect(late?.step).toEqual({ name: 'Draft', due: '2027-02-19', status: 'cannot_fit', shortBy: 7, unit: 'working' });
	});

	it('merges the server’s stays, keeping this browser’s view of the current one', () => {
		const stays = parseServerStays({
			targetDate: '2027-03-26',
			steps: [
				{ stageId: 'draft', enteredAt: '2027-02-20T09:00:00Z', leftAt: '2027-02-25T09:00:00Z', status: 'done' },
				{ stageId: 'review', enteredAt: '2027-02-25T09:00:00Z', leftAt: null }
			]
		});
		expect(parseServerStays({ steps: 'nope' })).toBeNull();
		const moved = targeted({ stageId: 'review', movedAt: '2027-02-26T09:00:00.000Z' });
		const visits = visitsFor(moved, stays);
		expect(visits).toEqual([
			{ stageId: 'draft', enteredAt: new Date('2027-02-20T09:00:00Z'), leftAt: new Date('2027-02-25T09:00:00Z') },
			{ stageId: 'review', enteredAt: new Date('2027-02-26T09:00:00.000Z'), leftAt: null }
		]);
		const plan = planForCard({ stages, card: moved, process: process(), visits, now })!;
		const draftStep = plan.steps[0]!;
		expect(draftStep).toMatchObject({ status: 'done', plannedDue: '2027-02-25' });
		// Planned for 12 March, left on 25 February: on time.
		expect(finishedLateBy(draftStep, moved, 'Europe/Berlin')).toEqual({ late: 0 });
		const lateCard = targeted({ stageId: 'review', target: { day: '2027-03-01', at: '2027-02-01T09:00:00Z' } });
		// Planned for 15 February (10 working days before 1 March), left on 25 February: 8 working days late.
		expect(finishedLateBy(draftStep, lateCard, 'Europe/Berlin')).toEqual({ late: 8 });
	});

	it('gives the rules’ message rather than throwing for a plan they cannot count', () => {
		const ancient = card({ target: { day: '0000-01-03', at: '2027-03-01T09:00:00Z' } });
		expect(planOrProblem({ stages, card: ancient, process: process(), now })).toEqual({ plan: null, problem: expect.stringContaining('0000–9999') });
	});
});

describe('sign-off panel', () => {
	const decision = (userId: string, outcome: 'approve' | 'changes' | 'reject', at: string) => ({ userId, outcome, at, comment: outcome === 'approve' ? '' : 'Why' });

	it('marks decisions that no longer count and says who may decide', () => {
		const c = card({
			stageId: 'review',
			owners: ['cho'],
			signoffs: {
				review: {
					decisions: [decision('ana', 'changes', '2027-03-01T08:00:00Z'), decision('ana', 'approve', '2027-03-01T09:00:00Z'), decision('ben', 'approve', '2027-03-01T10:00:00Z'), decision('cho', 'approve', '2027-03-01T10:30:00Z')],
					contentAt: '2027-03-01T09:30:00Z'
				}
			}
		});
		const view = signoffView(review, c, process().teamRoles, 'ben')!;
		expect(view.state).toMatchObject({ status: 'pending', approvals: 1, needed: 2 });
		expect(view.decisions.map((d) => [d.userId, d.mark])).toEqual([
			['cho', 'not_counted'],
			['ben', null],
			['ana', 'void'],
			['ana', 'superseded']
		]);
		expect(view).toMatchObject({ eligible: ['ana', 'ben'], canDecide: true, ownsCard: false });
		expect(signoffView(review, c, process().teamRoles, 'cho')).toMatchObject({ canDecide: false, ownsCard: true });
		expect(signoffView(draft, c, process().teamRoles, 'ben')).toBeNull();
	});
});

describe('team roles the page loaded', () => {
	it('fills in roles the document does not carry, keeping the document’s holders', () => {
		const p = process({ Writer: ['wes'] });
		const loaded = [
			{ name: 'Writer', holders: ['old'] },
			{ name: 'Editor', holders: ['ben'] }
		];
		expect(withLoadedTeamRoles(p, loaded).teamRoles).toEqual({ Writer: ['wes'], Editor: ['ben'] });
		expect(withLoadedTeamRoles(p, [{ name: 'Writer', holders: [] }])).toBe(p);
		expect(teamRoleNames(process({ Zed: [], Writer: [] }), loaded)).toEqual(['Writer', 'Editor', 'Zed']);
	});
});
