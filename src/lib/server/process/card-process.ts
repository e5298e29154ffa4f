import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { DomainError } from '../errors.ts';
import { requireBoardAction } from '../boards/boards.ts';
import { isCommandRefusal, type BoardDocuments } from '../board-documents.ts';
import { ID_PATTERN } from '../../board/limits.ts';
import { decisionProblem, type ApprovalStatus } from '../../board/plan/approval.ts';
import { PlanError } from '../../board/plan/errors.ts';
import { planForCard } from '../../board/process/card-plan.ts';
import { authorsOf, eligibleApprovers, signoffState } from '../../board/process/signoff.ts';
import { MAX_DECISION_COMMENT } from '../../board/process/step-settings.ts';
import type { StepStatus } from '../../board/plan/plan.ts';
import type { StoredDecision } from '../../board/types.ts';
import { cardStays } from './card-stays.ts';

const CARD_NOT_FOUND = 'That card does not exist on this board.';

/** One step of a card's plan as the API answers it. */
export interface PlanStepAnswer {
	stageId: string;
	name: string;
	ownerRole: string | null;
	/**
	 * Done steps: who owned the card as it left the step (replayed from owner history); the current step: the card's
	 * owners; steps not reached (or skipped): the role's holders now.
	 */
	owners: string[];
	/** The step's owner role is held by nobody. */
	unstaffed: boolean;
	offset: number | null;
	unit: 'working' | 'calendar';
	plannedDue: string | null;
	setByHand: boolean;
	enteredAt: string | null;
	leftAt: string | null;
	status: StepStatus;
	shortBy: number | null;
	approval:
		| { required: false }
		| { required: true; quorum: 'all' | number; status: ApprovalStatus; approvals: number; needed: number; decisions: StoredDecision[] };
}

/** `GET /api/boards/<id>/cards/<id>/plan`. */
export interface PlanAnswer {
	targetDate: string | null;
	timeZone: string;
	steps: PlanStepAnswer[];
}

/** A card read from the board's live document; not_found for an unknown card. */
async function readCard(documents: BoardDocuments, boardId: string, cardId: string) {
	if (!ID_PATTERN.test(cardId)) throw new DomainError('not_found', CARD_NOT_FOUND);
	const reading = await documents.readBoard(boardId, { kind: 'card', cardId });
	if (!reading.card) throw new DomainError('not_found', CARD_NOT_FOUND);
	return { ...reading, card: reading.card };
}

/**
 * A card's plan for a member of its board: each step's date, status, owners and sign-off, with the dates it entered and
 * left each step taken from history. A board without steps answers no steps.
 */
export async function cardPlan(db: Db, documents: BoardDocuments, boardId: string, userId: string, cardId: string, now: Date): Promise<PlanAnswer> {
	await requireBoardAction(db, boardId, userId, 'view');
	const { stages, process, card } = await readCard(documents, boardId, cardId);
	const stays = await cardStays(db, boardId, card);
	let plan;
	try {
		plan = planForCard({ stages, card, process, visits: stays, now });
	} catch (err) {
		// A date the rules cannot count with (a target beyond year 9999, say): say so rather than fail.
		if (err instanceof PlanError) throw new DomainError('conflict', err.message);
		throw err;
	}
	const empty: PlanAnswer = { targetDate: card.target?.day ?? null, timeZone: process.timeZone, steps: [] };
	if (!plan) return empty;
	const latestStay = (stageId: string) => stays.filter((s) => s.stageId === stageId).at(-1);
	return {
		...empty,
		steps: plan.steps.map((step) => {
			const stay = latestStay(step.stageId);
			const owners = step.status === 'done' && stay?.leftAt ? stay.owners : step.owners;
			const approval = step.approval.required
				? { required: true as const, quorum: step.approval.quorum, status: step.approval.state.status, approvals: step.approval.state.approvals, needed: step.approval.state.needed, decisions: step.approval.decisions }
				: { required: false as const };
			return {
				stageId: step.stageId,
				name: step.name,
				ownerRole: step.ownerRole,
				owners,
				unstaffed: step.unstaffed,
				offset: step.offset,
				unit: step.unit,
				plannedDue: step.plannedDue,
				setByHand: step.setByHand,
				enteredAt: step.enteredAt?.toISOString() ?? null,
				leftAt: step.leftAt?.toISOString() ?? null,
				status: step.status,
				shortBy: step.shortBy,
				approval
			};
		})
	};
}

/** A decision as the API takes it. */
export const decisionInputSchema = z.strictObject(
	{
		stageId: z.string({ error: 'Say which stage the decision is for (stageId).' }).regex(ID_PATTERN, { error: 'stageId must be a stage id.' }),
		outcome: z.enum(['approve', 'changes', 'reject'], { error: 'outcome must be approve, changes or reject.' }),
		comment: z.string({ error: 'comment must be text.' }).max(MAX_DECISION_COMMENT, { error: `A comment can be at most ${MAX_DECISION_COMMENT} characters.` }).default('')
	},
	{ error: (issue) => (issue.code === 'unrecognized_keys' ? 'A decision has only stageId, outcome and comment.' : 'A decision is a JSON object with stageId, outcome and comment.') }
);

/** A decision as the API takes it. */
export type DecisionInput = z.infer<typeof decisionInputSchema>;

/** Reads a decision from a request body; invalid_input with the first problem's message otherwise. */
export function parseDecision(body: unknown): DecisionInput {
	const parsed = decisionInputSchema.safeParse(body);
	if (!parsed.success) throw new DomainError('invalid_input', parsed.error.issues[0]?.message ?? 'That is not a decision.');
	const problem = decisionProblem(parsed.data);
	if (problem) throw new DomainError('invalid_input', problem);
	return parsed.data;
}

/** Where a card's sign-off stands after a decision. */
export interface DecisionAnswer {
	status: ApprovalStatus;
	approvals: number;
	needed: number;
}

/**
 * Records `userId`'s decision (`body`, checked by `parseDecision`) on the card's sign-off, for members who may edit,
 * through the server command path (`recordDecision`, which also sends the card back or archives it when the rule
 * says so). Membership is checked before the body, so a stranger learns nothing about the board. Refused with
 * forbidden for someone who is not an approver or owns the card, with conflict when the card has moved on or the
 * stage needs no sign-off; nothing changes then.
 */
export async function decideOnCard(db: Db, documents: BoardDocuments, boardId: string, userId: string, cardId: string, body: unknown): Promise<DecisionAnswer> {
	await requireBoardAction(db, boardId, userId, 'edit_content');
	const input = parseDecision(body);
	const before = await readCard(documents, boardId, cardId);
	try {
		await documents.applyAsServer(boardId, { kind: 'server', actorId: userId }, [{ name: 'recordDecision', args: [cardId, input.stageId, input.outcome, input.comment] }]);
	} catch (err) {
		if (!isCommandRefusal(err)) throw err;
		throw new DomainError(mayNotDecide(before, userId, input.stageId) ? 'forbidden' : 'conflict', err.message);
	}
	const after = await documents.readBoard(boardId, { kind: 'card', cardId });
	const stage = after.stages.find((s) => s.id === input.stageId);
	const state = stage && after.card ? signoffState(stage, after.card, after.process.teamRoles) : null;
	return state ? { status: state.status, approvals: state.approvals, needed: state.needed } : { status: 'pending', approvals: 0, needed: 0 };
}

/** Whether a refusal was about the person (owner of the card, or no approver here) rather than the card's state. */
function mayNotDecide(reading: Awaited<ReturnType<typeof readCard>>, userId: string, stageId: string): boolean {
	const { card, stages, process } = reading;
	const stage = stages.find((s) => s.id === stageId);
	if (!stage?.step?.approval || card.stageId !== stageId) return false;
	return authorsOf(card, stage.id).includes(userId) || !eligibleApprovers(stage, authorsOf(card, stage.id), process.teamRoles).includes(userId);
}
