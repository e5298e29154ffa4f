import { isCommandRefusal } from '../board-documents.ts';
import type { AppContext } from '../context.ts';
import type { NamedCommand } from '../../board/doc/named-commands.ts';
import { checkMove } from '../../board/policy.ts';
import type { Card, Stage } from '../../board/types.ts';
import { ApiProblem, type ProblemRule } from './problem.ts';

/**
 * Runs named commands as `userId` through the server command path (validation, WIP limits, exit criteria and
 * sign-offs apply exactly as in the browser; open boards see the change live) and returns their results. A refusal
 * becomes a 409 problem with `rule` (default `conflict`; the caller may know better, e.g. from `moveRule`).
 */
export async function applyCommands(ctx: AppContext, boardId: string, userId: string, commands: NamedCommand[], rule: ProblemRule = 'conflict', extra: Record<string, unknown> = {}): Promise<unknown[]> {
	try {
		return await ctx.documents.applyAsServer(boardId, { kind: 'server', actorId: userId }, commands);
	} catch (err) {
		if (isCommandRefusal(err)) throw new ApiProblem(409, rule, err.message, extra);
		throw err;
	}
}

/** A card's reading or a 404 problem. */
export async function readCardOr404(ctx: AppContext, boardId: string, cardId: string): Promise<{ card: Card; stages: Stage[]; teamRoles: Record<string, string[]> }> {
	const reading = await ctx.documents.readBoard(boardId, { kind: 'card', cardId });
	if (!reading.card) throw new ApiProblem(404, 'not_found', 'That card does not exist on this board.');
	return { card: reading.card, stages: reading.stages, teamRoles: reading.process.teamRoles };
}

/**
 * The board rule a move of `card` to `toStageId` would break now (wip_limit, exit_criteria, approval), with its
 * details, or null. The command path checks again when it applies: this only names the rule for the problem.
 */
export function moveRule(stages: Stage[], card: Card, toStageId: string, cardsInTarget: number, teamRoles: Record<string, string[]>): { rule: ProblemRule; message: string; extra: Record<string, unknown> } | null {
	const refusal = checkMove({ stages, card, toStageId, cardsInTarget, teamRoles });
	if (!refusal) return null;
	switch (refusal.code) {
		case 'wip_limit':
			return { rule: 'wip_limit', message: refusal.message, extra: { limit: refusal.limit } };
		case 'exit_criteria':
			return { rule: 'exit_criteria', message: refusal.message, extra: { missing: refusal.missing.map(({ id, text }) => ({ id, text })) } };
		case 'approval':
			return { rule: 'approval', message: refusal.message, extra: { approvals: refusal.approvals, needed: refusal.needed } };
		default:
			return { rule: 'conflict', message: refusal.message, extra: {} };
	}
}
