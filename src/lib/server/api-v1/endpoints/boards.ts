import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { boards } from '../../db/schema/boards.ts';
import { createBoard, findBoardAccess, listBoardsForUser } from '../../boards/boards.ts';
import { boardCreateKeys, requireRateSlots } from '../../auth/rate-limit.ts';
import { grantReaches } from '../../auth/api-tokens.ts';
import { getTemplate } from '../../templates/templates.ts';
import { createBoardFromTemplate } from '../../templates/new-board.ts';
import { DomainError } from '../../errors.ts';
import { defineEndpoint } from '../endpoint.ts';
import { ApiProblem } from '../problem.ts';
import { pageOf, pageQuery, pageSchema } from '../pagination.ts';
import { boardParams, boardSchema, presentStage, stageSchema } from '../schemas.ts';

const boardWithStages = boardSchema.extend({ stages: z.array(stageSchema), timeZone: z.string() });

/** GET /boards: the boards the token reaches, by id. */
export const listBoards = defineEndpoint({
	method: 'GET',
	path: '/boards',
	operationId: 'listBoards',
	tag: 'Boards',
	summary: 'List the boards the token reaches',
	description: 'Boards the token’s owner is a member of (and, for a token limited to chosen boards, only those), ordered by id.',
	scope: 'read',
	query: z.object(pageQuery),
	responses: { 200: { description: 'A page of boards.', schema: pageSchema(boardSchema) } },
	async handler({ ctx, user, grant, query }) {
		const boards = (await listBoardsForUser(ctx.db, user.id)).filter((b) => grantReaches(grant, b.id));
		return { status: 200, body: pageOf(boards, (b) => [b.id], query, (b) => ({ id: b.id, name: b.name, role: b.role, createdAt: b.createdAt.toISOString() })) };
	}
});

/** GET /boards/{boardId}: the board with its stages. */
export const getBoard = defineEndpoint({
	method: 'GET',
	path: '/boards/{boardId}',
	operationId: 'getBoard',
	tag: 'Boards',
	summary: 'Read a board with its stages',
	scope: 'read',
	params: boardParams,
	responses: { 200: { description: 'The board.', schema: boardWithStages } },
	async handler({ ctx, board }) {
		const reading = await ctx.documents.readBoard(board.id, { kind: 'workflow' });
		const [row] = await ctx.db.select({ createdAt: boards.createdAt }).from(boards).where(eq(boards.id, board.id));
		return { status: 200, body: { id: board.id, name: board.name, role: board.role, createdAt: (row?.createdAt ?? new Date(0)).toISOString(), timeZone: reading.process.timeZone, stages: reading.stages.map(presentStage) } };
	}
});

const newBoardSchema = z.strictObject({
	name: z.string('name must be text.').trim().min(1, 'Enter a board name.').max(100, 'Keep the board name under 100 characters.'),
	templateId: z.string().min(1).max(64).optional().describe('A template id from the template library or the team (omit: the default five stages).'),
	timeZone: z.string().max(64).default('UTC').describe('The board’s IANA time zone (plans count days in it).'),
	roles: z.record(z.string().max(100), z.array(z.string().max(64)).max(50)).default({}).describe('Team role name → user ids who hold it (yourself or people you share a board with).')
});

/** POST /boards: a new board, from a template or blank. */
export const createBoardEndpoint = defineEndpoint({
	method: 'POST',
	path: '/boards',
	operationId: 'createBoard',
	tag: 'Boards',
	summary: 'Create a board, from a template or blank',
	description: 'Needs a write token that reaches all boards (a token limited to chosen boards cannot reach a new one). Counts against the same board-creation limit as the browser.',
	scope: 'write',
	body: newBoardSchema,
	responses: { 201: { description: 'The new board.', schema: boardSchema } },
	async handler({ ctx, user, grant, body, now, clientAddress, limits }) {
		if (grant.boards !== 'all') throw new ApiProblem(403, 'token_board', 'This token is limited to chosen boards, so it cannot create one. Use a token that reaches all boards.');
		await requireRateSlots(ctx.db, boardCreateKeys(user.id, clientAddress, limits), now, (wait) => `You have created many boards in a short time. Try again in ${wait}.`);
		let boardId: string;
		if (body.templateId) {
			const template = await getTemplate(ctx.db, body.templateId).catch((err: unknown) => {
				if (err instanceof DomainError && err.code === 'not_found') throw new ApiProblem(422, 'validation', 'That template does not exist.', { errors: [{ path: 'templateId', message: 'No template has this id.' }] });
				throw err;
			});
			boardId = await createBoardFromTemplate(ctx.db, user.id, { name: body.name, template: template.template, timeZone: body.timeZone, roleHolders: body.roles, templateId: template.id }, now);
		} else {
			boardId = await createBoard(ctx.db, user.id, body.name, now);
		}
		const access = await findBoardAccess(ctx.db, boardId, user.id);
		return { status: 201, body: { id: boardId, name: access?.name ?? body.name, role: access?.role ?? 'owner', createdAt: now.toISOString() } };
	}
});
