import type { AppContext } from '../context.ts';
import { requireBoardAction } from '../boards/boards.ts';
import { withArticle } from '../../board/rules/article.ts';

/** One of the process's own hand-offs (one step's), shown in the rule list as a built-in rule. */
export interface BuiltInRule {
	stageId: string;
	stage: string;
	role: string;
	summary: string;
	/** The board's owner has not switched this step's hand-off off. */
	enabled: boolean;
}

/** The board's built-in hand-off rules: one per step with an owner role, each with whether it is on. */
export async function builtInRules(ctx: AppContext, boardId: string): Promise<BuiltInRule[]> {
	const reading = await ctx.documents.readBoard(boardId, { kind: 'workflow' });
	const off = new Set(reading.process.handoffsOff ?? []);
	return reading.stages.flatMap((s) =>
		s.step?.ownerRole
			? [{ stageId: s.id, stage: s.name, role: s.step.ownerRole, enabled: !off.has(s.id), summary: `When a card enters ${s.name}: hand it to ${withArticle(s.step.ownerRole)} (the least busy holder, taking turns)` }]
			: []
	);
}

/**
 * Switches the process's hand-off of one step on or off (owners only). The setting lives in the board document's
 * server-only process state, where the process engine on the board's thread reads it for every move.
 */
export async function setBuiltInHandoff(ctx: AppContext, boardId: string, userId: string, stageId: string, enabled: boolean): Promise<void> {
	await requireBoardAction(ctx.db, boardId, userId, 'manage_members');
	await ctx.documents.applyAsServer(boardId, { kind: 'server', actorId: userId }, [{ name: 'setHandoffs', args: [stageId, enabled] }]);
}
