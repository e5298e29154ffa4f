import type { AppContext } from '../context.ts';
import { requireBoardAction } from '../boards/boards.ts';

/** One of the process's own hand-offs, shown in the rule list as a built-in rule. */
export interface BuiltInRule {
	stage: string;
	role: string;
	summary: string;
}

/** The board's built-in hand-off rules (one per step with an owner role) and whether they are on. */
export async function builtInRules(ctx: AppContext, boardId: string): Promise<{ enabled: boolean; rules: BuiltInRule[] }> {
	const reading = await ctx.documents.readBoard(boardId, { kind: 'workflow' });
	const rules = reading.stages.flatMap((s) => (s.step?.ownerRole ? [{ stage: s.name, role: s.step.ownerRole, summary: `When a card enters ${s.name}: hand it to a ${s.step.ownerRole} (the least busy holder, taking turns)` }] : []));
	return { enabled: !reading.process.handoffsOff, rules };
}

/**
 * Switches the process's hand-offs on or off for the board (owners only). The setting lives in the board document's
 * server-only process state, where the process engine on the board's thread reads it for every move.
 */
export async function setBuiltInHandoffs(ctx: AppContext, boardId: string, userId: string, enabled: boolean): Promise<void> {
	await requireBoardAction(ctx.db, boardId, userId, 'manage_members');
	await ctx.documents.applyAsServer(boardId, { kind: 'server', actorId: userId }, [{ name: 'setHandoffs', args: [enabled] }]);
}
