import { z } from 'zod';
import type { NamedCommand } from '../../../board/doc/named-commands.ts';
import { LIMITS } from '../../../board/limits.ts';
import type { Card } from '../../../board/types.ts';
import { filterScope, MAX_FILTER_LENGTH, readFilterBoard } from '../../filter/card-filter.ts';
import { listMembers } from '../../boards/members.ts';
import type { AppContext } from '../../context.ts';
import { defineEndpoint } from '../endpoint.ts';
import { ApiProblem } from '../problem.ts';
import { applyCommands, moveRule, readCardOr404 } from '../commands.ts';
import { pageOf, pageQuery, pageSchema } from '../pagination.ts';
import { boardParams, cardParams, cardSchema, daySchema, idSchema, labelSchema, presentCard, shortText } from '../schemas.ts';

const description = z.string().max(LIMITS.description, `A description is at most ${LIMITS.description} characters.`);
const labels = z.array(labelSchema).max(LIMITS.labelsPerCard, `A card can have at most ${LIMITS.labelsPerCard} labels.`);

/** The card as it is now, in the API's shape. */
async function cardNow(ctx: AppContext, boardId: string, cardId: string) {
	return presentCard((await readCardOr404(ctx, boardId, cardId)).card);
}

/** Refuses owners who are not members of the board (a card is never assigned to a stranger). */
async function requireMembers(ctx: AppContext, boardId: string, userId: string, owners: readonly string[]): Promise<void> {
	if (owners.length === 0) return;
	const members = new Set((await listMembers(ctx.db, boardId, userId)).map((m) => m.userId));
	const stranger = owners.findIndex((o) => !members.has(o));
	if (stranger >= 0) throw new ApiProblem(422, 'validation', 'A card’s owners must be members of the board.', { errors: [{ path: `owners.${stranger}`, message: 'Not a member of this board.' }] });
}

/** GET /boards/{boardId}/cards. */
export const listCards = defineEndpoint({
	method: 'GET',
	path: '/boards/{boardId}/cards',
	operationId: 'listCards',
	tag: 'Cards',
	summary: 'List cards, optionally filtered with the filter language',
	description: 'In board order (stage order, then rank, then id). `q` takes the same filter language as the board’s filter bar (see docs/filters.md), e.g. `owner:me due:<7d label:Blog`.',
	scope: 'read',
	params: boardParams,
	query: z.object({
		...pageQuery,
		q: z.string().max(MAX_FILTER_LENGTH).optional().describe('A filter in the board’s filter language.'),
		stageId: idSchema.optional().describe('Only cards in this stage.'),
		archived: z.enum(['false', 'true', 'all']).default('false').describe('Archived cards: left out (false), only them (true), or both (all).')
	}),
	responses: { 200: { description: 'A page of cards.', schema: pageSchema(cardSchema) } },
	async handler({ ctx, board, user, query, now }) {
		const read = await readFilterBoard(ctx.db, ctx.documents, board.id, user.id);
		const scope = query.q ? await filterScope(ctx.db, ctx.documents, board.id, user.id, query.q, now, read) : null;
		const matched = scope ? new Set(scope.cardIds) : null;
		const stageRank = new Map(read.stages.map((s) => [s.id, s.rank]));
		const cards = (read.cards as Card[]).filter(
			(c) => (!matched || matched.has(c.id)) && (!query.stageId || c.stageId === query.stageId) && (query.archived === 'all' || c.archived === (query.archived === 'true'))
		);
		return { status: 200, body: pageOf(cards, (c) => [stageRank.get(c.stageId) ?? '', c.rank, c.id], query, presentCard) };
	}
});

/** GET /boards/{boardId}/cards/{cardId}. */
export const getCard = defineEndpoint({
	method: 'GET',
	path: '/boards/{boardId}/cards/{cardId}',
	operationId: 'getCard',
	tag: 'Cards',
	summary: 'Read one card',
	scope: 'read',
	params: cardParams,
	responses: { 200: { description: 'The card.', schema: cardSchema } },
	async handler({ ctx, board, params }) {
		return { status: 200, body: await cardNow(ctx, board.id, params.cardId) };
	}
});

/** POST /boards/{boardId}/cards. */
export const createCard = defineEndpoint({
	method: 'POST',
	path: '/boards/{boardId}/cards',
	operationId: 'createCard',
	tag: 'Cards',
	summary: 'Create a card at the bottom of a stage',
	description: 'A stage at its hard WIP limit refuses it (409, rule `wip_limit`). The board’s checklist is added as in the browser.',
	scope: 'write',
	params: boardParams,
	body: z.strictObject({
		stageId: idSchema,
		title: shortText('A card title'),
		description: description.optional(),
		due: daySchema.nullable().optional(),
		target: daySchema.nullable().optional(),
		labels: labels.optional(),
		owners: z.array(idSchema).max(LIMITS.ownersPerCard).optional().describe('User ids of board members.')
	}),
	responses: { 201: { description: 'The new card.', schema: cardSchema } },
	async handler({ ctx, board, user, body }) {
		const reading = await ctx.documents.readBoard(board.id, { kind: 'cards' });
		if (!reading.stages.some((s) => s.id === body.stageId)) throw new ApiProblem(422, 'validation', 'That stage does not exist on this board.', { errors: [{ path: 'stageId', message: 'No stage has this id.' }] });
		await requireMembers(ctx, board.id, user.id, body.owners ?? []);
		const inTarget = reading.cards.filter((c) => c.stageId === body.stageId && !c.archived).length;
		const rule = moveRule(reading.stages, { id: '', stageId: '', exitChecks: {} } as unknown as Card, body.stageId, inTarget, {});
		const [cardId] = (await applyCommands(ctx, board.id, user.id, [{ name: 'addCard', args: [body.stageId, body.title] }], rule?.rule, rule?.extra)) as [string];
		const rest: NamedCommand[] = [
			...(body.description ? [{ name: 'setDescription' as const, args: [cardId, body.description] }] : []),
			...(body.due ? [{ name: 'setDue' as const, args: [cardId, body.due] }] : []),
			...(body.target ? [{ name: 'setTarget' as const, args: [cardId, body.target] }] : []),
			...(body.labels?.length ? [{ name: 'setLabels' as const, args: [cardId, body.labels] }] : []),
			...[...new Set(body.owners ?? [])].map((owner) => ({ name: 'addOwner' as const, args: [cardId, owner] }))
		];
		if (rest.length > 0) {
			try {
				await applyCommands(ctx, board.id, user.id, rest);
			} catch (err) {
				// Everything was checked beforehand, so only a race gets here: nothing half-made stays on the board.
				await applyCommands(ctx, board.id, user.id, [{ name: 'deleteCard', args: [cardId] }]).catch(() => undefined);
				throw err;
			}
		}
		return { status: 201, body: await cardNow(ctx, board.id, cardId) };
	}
});

/** PATCH /boards/{boardId}/cards/{cardId}. */
export const updateCard = defineEndpoint({
	method: 'PATCH',
	path: '/boards/{boardId}/cards/{cardId}',
	operationId: 'updateCard',
	tag: 'Cards',
	summary: 'Change a card’s fields; archive or restore it',
	description: 'Members left out stay as they are. `archived: true` archives the card; `false` restores it into its stage (refused at a hard WIP limit). `blocked` takes a reason, or null to clear it.',
	scope: 'write',
	params: cardParams,
	body: z
		.strictObject({
			title: shortText('A card title').optional(),
			description: description.optional(),
			due: daySchema.nullable().optional(),
			target: daySchema.nullable().optional(),
			labels: labels.optional(),
			blocked: shortText('A blocking reason').nullable().optional(),
			archived: z.boolean().optional()
		})
		.refine((b) => Object.keys(b).length > 0, 'Send at least one field to change.'),
	responses: { 200: { description: 'The card as it is now.', schema: cardSchema } },
	async handler({ ctx, board, user, params, body }) {
		const { card } = await readCardOr404(ctx, board.id, params.cardId);
		const id = card.id;
		const commands: NamedCommand[] = [];
		if (body.title !== undefined) commands.push({ name: 'setTitle', args: [id, body.title] });
		if (body.description !== undefined) commands.push({ name: 'setDescription', args: [id, body.description] });
		if (body.due !== undefined) commands.push({ name: 'setDue', args: [id, body.due] });
		if (body.target !== undefined) commands.push({ name: 'setTarget', args: [id, body.target] });
		if (body.labels !== undefined) commands.push({ name: 'setLabels', args: [id, body.labels] });
		if (body.blocked !== undefined) commands.push({ name: 'setBlocked', args: [id, body.blocked] });
		let rule;
		if (body.archived !== undefined && body.archived !== card.archived) {
			if (!body.archived) {
				const reading = await ctx.documents.readBoard(board.id, { kind: 'cards' });
				const inStage = reading.cards.filter((c) => c.stageId === card.stageId && !c.archived && c.id !== id).length;
				rule = moveRule(reading.stages, { ...card, stageId: '' }, card.stageId, inStage, {});
				if (rule) throw new ApiProblem(409, rule.rule, rule.message, rule.extra);
			}
			// Last, so a refused field change never leaves the card archived or restored by half a request.
			commands.push({ name: 'setArchived', args: [id, body.archived] });
		}
		await applyCommands(ctx, board.id, user.id, commands);
		return { status: 200, body: await cardNow(ctx, board.id, id) };
	}
});

/** POST /boards/{boardId}/cards/{cardId}/move. */
export const moveCard = defineEndpoint({
	method: 'POST',
	path: '/boards/{boardId}/cards/{cardId}/move',
	operationId: 'moveCard',
	tag: 'Cards',
	summary: 'Move a card to a stage (and a place in it)',
	description: 'The board’s rules apply as in the browser: a hard WIP limit (rule `wip_limit`), unmet exit criteria (`exit_criteria`) or a missing sign-off (`approval`) refuse the move with 409 and change nothing.',
	scope: 'write',
	params: cardParams,
	body: z.strictObject({
		stageId: idSchema,
		index: z.number().int().min(0).optional().describe('Place in the stage, 0 = top (default: the bottom).')
	}),
	responses: { 200: { description: 'The card where it is now.', schema: cardSchema } },
	async handler({ ctx, board, user, params, body }) {
		const reading = await ctx.documents.readBoard(board.id, { kind: 'cards' });
		const card = reading.cards.find((c) => c.id === params.cardId);
		if (!card) throw new ApiProblem(404, 'not_found', 'That card does not exist on this board.');
		if (!reading.stages.some((s) => s.id === body.stageId)) throw new ApiProblem(422, 'validation', 'That stage does not exist on this board.', { errors: [{ path: 'stageId', message: 'No stage has this id.' }] });
		if (card.archived) throw new ApiProblem(409, 'conflict', 'That card is archived. Restore it (PATCH archived: false) before moving it.');
		const others = reading.cards.filter((c) => c.stageId === body.stageId && !c.archived && c.id !== card.id).length;
		const rule = moveRule(reading.stages, card, body.stageId, others, reading.process.teamRoles);
		if (rule) throw new ApiProblem(409, rule.rule, rule.message, rule.extra);
		await applyCommands(ctx, board.id, user.id, [{ name: 'moveCard', args: [card.id, body.stageId, Math.min(body.index ?? others, others)] }]);
		return { status: 200, body: await cardNow(ctx, board.id, card.id) };
	}
});

/** DELETE /boards/{boardId}/cards/{cardId}. */
export const deleteCard = defineEndpoint({
	method: 'DELETE',
	path: '/boards/{boardId}/cards/{cardId}',
	operationId: 'deleteCard',
	tag: 'Cards',
	summary: 'Delete a card',
	description: 'As in the browser: the card leaves the board at once; what only the server keeps (sign-offs, hand-offs) goes after the grace period.',
	scope: 'write',
	params: cardParams,
	responses: { 204: { description: 'Deleted.' } },
	async handler({ ctx, board, user, params }) {
		await readCardOr404(ctx, board.id, params.cardId);
		await applyCommands(ctx, board.id, user.id, [{ name: 'deleteCard', args: [params.cardId] }]);
		return { status: 204 };
	}
});
