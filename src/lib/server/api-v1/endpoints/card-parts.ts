import { z } from 'zod';
import { listMembers } from '../../boards/members.ts';
import { defineEndpoint } from '../endpoint.ts';
import { ApiProblem } from '../problem.ts';
import { applyCommands, readCardOr404 } from '../commands.ts';
import { boardParams, cardParams, cardSchema, checklistItemSchema, idSchema, presentCard, shortText } from '../schemas.ts';

const itemParams = z.object({ boardId: idSchema, cardId: idSchema, itemId: idSchema });
const ownerParams = z.object({ boardId: idSchema, cardId: idSchema, userId: idSchema });
const checkParams = z.object({ boardId: idSchema, cardId: idSchema, stageId: idSchema, criterionId: idSchema });
const memberSchema = z.object({ userId: z.string(), name: z.string(), role: z.enum(['owner', 'editor', 'viewer']) });

/** GET /boards/{boardId}/members: who may own cards (their ids are what `owners` takes). */
export const listBoardMembers = defineEndpoint({
	method: 'GET',
	path: '/boards/{boardId}/members',
	operationId: 'listMembers',
	tag: 'Owners',
	summary: 'List the board’s members (the people cards can be assigned to)',
	scope: 'read',
	params: boardParams,
	responses: { 200: { description: 'Every member, owners first.', schema: z.object({ data: z.array(memberSchema) }) } },
	async handler({ ctx, board, user }) {
		const members = await listMembers(ctx.db, board.id, user.id);
		return { status: 200, body: { data: members.map(({ userId, name, role }) => ({ userId, name, role })) } };
	}
});

/** PUT /boards/{boardId}/cards/{cardId}/owners/{userId}. */
export const addOwner = defineEndpoint({
	method: 'PUT',
	path: '/boards/{boardId}/cards/{cardId}/owners/{userId}',
	operationId: 'addOwner',
	tag: 'Owners',
	summary: 'Make a member an owner of the card',
	scope: 'write',
	params: ownerParams,
	responses: { 200: { description: 'The card with its owners.', schema: cardSchema } },
	async handler({ ctx, board, user, params }) {
		await readCardOr404(ctx, board.id, params.cardId);
		const members = await listMembers(ctx.db, board.id, user.id);
		if (!members.some((m) => m.userId === params.userId)) throw new ApiProblem(422, 'validation', 'Only members of the board can own its cards.', { errors: [{ path: 'userId', message: 'Not a member of this board.' }] });
		await applyCommands(ctx, board.id, user.id, [{ name: 'addOwner', args: [params.cardId, params.userId] }]);
		return { status: 200, body: presentCard((await readCardOr404(ctx, board.id, params.cardId)).card) };
	}
});

/** DELETE /boards/{boardId}/cards/{cardId}/owners/{userId}. */
export const removeOwner = defineEndpoint({
	method: 'DELETE',
	path: '/boards/{boardId}/cards/{cardId}/owners/{userId}',
	operationId: 'removeOwner',
	tag: 'Owners',
	summary: 'Remove an owner from the card',
	scope: 'write',
	params: ownerParams,
	responses: { 200: { description: 'The card with its owners.', schema: cardSchema } },
	async handler({ ctx, board, user, params }) {
		await readCardOr404(ctx, board.id, params.cardId);
		await applyCommands(ctx, board.id, user.id, [{ name: 'removeOwner', args: [params.cardId, params.userId] }]);
		return { status: 200, body: presentCard((await readCardOr404(ctx, board.id, params.cardId)).card) };
	}
});

/** POST /boards/{boardId}/cards/{cardId}/checklist. */
export const addChecklistItem = defineEndpoint({
	method: 'POST',
	path: '/boards/{boardId}/cards/{cardId}/checklist',
	operationId: 'addChecklistItem',
	tag: 'Checklists',
	summary: 'Add a checklist item at the end',
	scope: 'write',
	params: cardParams,
	body: z.strictObject({ text: shortText('A checklist item') }),
	responses: { 201: { description: 'The new item.', schema: checklistItemSchema } },
	async handler({ ctx, board, user, params, body }) {
		await readCardOr404(ctx, board.id, params.cardId);
		const [itemId] = (await applyCommands(ctx, board.id, user.id, [{ name: 'addChecklistItem', args: [params.cardId, body.text] }])) as [string];
		const item = (await readCardOr404(ctx, board.id, params.cardId)).card.checklist.find((i) => i.id === itemId);
		if (!item) throw new ApiProblem(409, 'conflict', 'The item was removed again before it could be read.');
		return { status: 201, body: { id: item.id, text: item.text, done: item.done, rank: item.rank } };
	}
});

/** PATCH /boards/{boardId}/cards/{cardId}/checklist/{itemId}. */
export const updateChecklistItem = defineEndpoint({
	method: 'PATCH',
	path: '/boards/{boardId}/cards/{cardId}/checklist/{itemId}',
	operationId: 'updateChecklistItem',
	tag: 'Checklists',
	summary: 'Tick, untick or reword a checklist item',
	scope: 'write',
	params: itemParams,
	body: z.strictObject({ text: shortText('A checklist item').optional(), done: z.boolean().optional() }).refine((b) => b.text !== undefined || b.done !== undefined, 'Send text, done, or both.'),
	responses: { 200: { description: 'The item as it is now.', schema: checklistItemSchema } },
	async handler({ ctx, board, user, params, body }) {
		const { card } = await readCardOr404(ctx, board.id, params.cardId);
		if (!card.checklist.some((i) => i.id === params.itemId)) throw new ApiProblem(404, 'not_found', 'That checklist item does not exist on this card.');
		await applyCommands(ctx, board.id, user.id, [
			...(body.text !== undefined ? [{ name: 'renameChecklistItem' as const, args: [card.id, params.itemId, body.text] }] : []),
			...(body.done !== undefined ? [{ name: 'setChecklistDone' as const, args: [card.id, params.itemId, body.done] }] : [])
		]);
		const item = (await readCardOr404(ctx, board.id, card.id)).card.checklist.find((i) => i.id === params.itemId);
		if (!item) throw new ApiProblem(404, 'not_found', 'That checklist item was deleted meanwhile.');
		return { status: 200, body: { id: item.id, text: item.text, done: item.done, rank: item.rank } };
	}
});

/** DELETE /boards/{boardId}/cards/{cardId}/checklist/{itemId}. */
export const deleteChecklistItem = defineEndpoint({
	method: 'DELETE',
	path: '/boards/{boardId}/cards/{cardId}/checklist/{itemId}',
	operationId: 'deleteChecklistItem',
	tag: 'Checklists',
	summary: 'Delete a checklist item',
	scope: 'write',
	params: itemParams,
	responses: { 204: { description: 'Deleted.' } },
	async handler({ ctx, board, user, params }) {
		const { card } = await readCardOr404(ctx, board.id, params.cardId);
		if (!card.checklist.some((i) => i.id === params.itemId)) throw new ApiProblem(404, 'not_found', 'That checklist item does not exist on this card.');
		await applyCommands(ctx, board.id, user.id, [{ name: 'deleteChecklistItem', args: [card.id, params.itemId] }]);
		return { status: 204 };
	}
});

/** PUT and DELETE /boards/{boardId}/cards/{cardId}/exit-checks/{stageId}/{criterionId}. */
function exitCheck(method: 'PUT' | 'DELETE') {
	return defineEndpoint({
		method,
		path: '/boards/{boardId}/cards/{cardId}/exit-checks/{stageId}/{criterionId}',
		operationId: method === 'PUT' ? 'checkExitCriterion' : 'uncheckExitCriterion',
		tag: 'Checklists',
		summary: method === 'PUT' ? 'Record that the card meets one of a stage’s exit criteria' : 'Withdraw that the card meets an exit criterion',
		description: 'The server stamps who and when.',
		scope: 'write',
		params: checkParams,
		responses: { 200: { description: 'The card with its exit checks.', schema: cardSchema } },
		async handler({ ctx, board, user, params }) {
			const { stages } = await readCardOr404(ctx, board.id, params.cardId);
			const stage = stages.find((s) => s.id === params.stageId);
			if (!stage?.exitCriteria.some((c) => c.id === params.criterionId)) throw new ApiProblem(404, 'not_found', 'That stage has no such exit criterion.');
			await applyCommands(ctx, board.id, user.id, [{ name: 'setExitCheck', args: [params.cardId, params.stageId, params.criterionId, method === 'PUT'] }]);
			return { status: 200, body: presentCard((await readCardOr404(ctx, board.id, params.cardId)).card) };
		}
	});
}

/** PUT …/exit-checks/{stageId}/{criterionId}. */
export const checkExitCriterion = exitCheck('PUT');
/** DELETE …/exit-checks/{stageId}/{criterionId}. */
export const uncheckExitCriterion = exitCheck('DELETE');
