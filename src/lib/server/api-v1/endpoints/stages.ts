import { z } from 'zod';
import type { NamedCommand } from '../../../board/doc/named-commands.ts';
import { LIMITS } from '../../../board/limits.ts';
import { defineEndpoint } from '../endpoint.ts';
import { ApiProblem } from '../problem.ts';
import { applyCommands } from '../commands.ts';
import { boardParams, idSchema, presentStage, shortText, stageKindSchema, stageSchema } from '../schemas.ts';
import type { AppContext } from '../../context.ts';

const stageName = shortText('A stage name').max(60, 'A stage name is too long (at most 60 characters).');
const wipLimit = z.number().int().min(1).max(10_000).nullable().describe('Cards the stage may hold (null: no limit).');
const wipMode = z.enum(['soft', 'hard']).describe('soft warns; hard refuses moves past the limit.');

/** The board's stages in order, or the one asked for (404 when the board has no such stage). */
async function stagesOf(ctx: AppContext, boardId: string) {
	return (await ctx.documents.readBoard(boardId, { kind: 'workflow' })).stages;
}

async function stageOr404(ctx: AppContext, boardId: string, stageId: string) {
	const stage = (await stagesOf(ctx, boardId)).find((s) => s.id === stageId);
	if (!stage) throw new ApiProblem(404, 'not_found', 'That stage does not exist on this board.');
	return stage;
}

/** GET /boards/{boardId}/stages. */
export const listStages = defineEndpoint({
	method: 'GET',
	path: '/boards/{boardId}/stages',
	operationId: 'listStages',
	tag: 'Stages',
	summary: 'List a board’s stages in workflow order',
	scope: 'read',
	params: boardParams,
	responses: { 200: { description: 'Every stage, in order.', schema: z.object({ data: z.array(stageSchema) }) } },
	async handler({ ctx, board }) {
		return { status: 200, body: { data: (await stagesOf(ctx, board.id)).map(presentStage) } };
	}
});

/** GET /boards/{boardId}/stages/{stageId}. */
export const getStage = defineEndpoint({
	method: 'GET',
	path: '/boards/{boardId}/stages/{stageId}',
	operationId: 'getStage',
	tag: 'Stages',
	summary: 'Read one stage',
	scope: 'read',
	params: z.object({ boardId: idSchema, stageId: idSchema }),
	responses: { 200: { description: 'The stage.', schema: stageSchema } },
	async handler({ ctx, board, params }) {
		return { status: 200, body: presentStage(await stageOr404(ctx, board.id, params.stageId)) };
	}
});

/** POST /boards/{boardId}/stages. */
export const createStage = defineEndpoint({
	method: 'POST',
	path: '/boards/{boardId}/stages',
	operationId: 'createStage',
	tag: 'Stages',
	summary: 'Add a stage at the end of the workflow',
	scope: 'write',
	params: boardParams,
	body: z.strictObject({
		name: stageName,
		kind: stageKindSchema.default('active'),
		wipLimit: wipLimit.default(null),
		wipMode: wipMode.default('soft'),
		exitCriteria: z.array(shortText('An exit criterion')).max(LIMITS.exitCriteriaPerStage).default([]).describe('The stage’s definition of done.')
	}),
	responses: { 201: { description: 'The new stage.', schema: stageSchema } },
	async handler({ ctx, board, user, body }) {
		const [stageId] = (await applyCommands(ctx, board.id, user.id, [{ name: 'addStage', args: [body.name, body.kind] }])) as [string];
		const rest: NamedCommand[] = [
			...(body.wipLimit !== null ? [{ name: 'setWipLimit' as const, args: [stageId, body.wipLimit, body.wipMode] }] : []),
			...body.exitCriteria.map((text) => ({ name: 'addExitCriterion' as const, args: [stageId, text] }))
		];
		if (rest.length > 0) {
			try {
				await applyCommands(ctx, board.id, user.id, rest);
			} catch (err) {
				// Checked beforehand, so only a race gets here: take the half-made stage away again.
				await applyCommands(ctx, board.id, user.id, [{ name: 'deleteStage', args: [stageId, null] }]).catch(() => undefined);
				throw err;
			}
		}
		return { status: 201, body: presentStage(await stageOr404(ctx, board.id, stageId)) };
	}
});

/** PATCH /boards/{boardId}/stages/{stageId}. */
export const updateStage = defineEndpoint({
	method: 'PATCH',
	path: '/boards/{boardId}/stages/{stageId}',
	operationId: 'updateStage',
	tag: 'Stages',
	summary: 'Rename a stage, change its kind or WIP limit',
	scope: 'write',
	params: z.object({ boardId: idSchema, stageId: idSchema }),
	body: z
		.strictObject({ name: stageName.optional(), kind: stageKindSchema.optional(), wipLimit: wipLimit.optional(), wipMode: wipMode.optional() })
		.refine((b) => Object.keys(b).length > 0, 'Send at least one of name, kind, wipLimit, wipMode.'),
	responses: { 200: { description: 'The stage as it is now.', schema: stageSchema } },
	async handler({ ctx, board, user, params, body }) {
		const stage = await stageOr404(ctx, board.id, params.stageId);
		const commands: NamedCommand[] = [];
		if (body.name !== undefined) commands.push({ name: 'renameStage', args: [stage.id, body.name] });
		if (body.kind !== undefined) commands.push({ name: 'setStageKind', args: [stage.id, body.kind] });
		if (body.wipLimit !== undefined || body.wipMode !== undefined) {
			commands.push({ name: 'setWipLimit', args: [stage.id, body.wipLimit === undefined ? stage.wipLimit : body.wipLimit, body.wipMode ?? stage.wipMode] });
		}
		await applyCommands(ctx, board.id, user.id, commands);
		return { status: 200, body: presentStage(await stageOr404(ctx, board.id, stage.id)) };
	}
});
