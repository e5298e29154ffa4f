import { z } from 'zod';
import { cardPlan } from '../../process/card-process.ts';
import { decodeCursor as decodeFeedCursor, encodeCursor as encodeFeedCursor, readFeed } from '../../activity/feed.ts';
import { presentFeed } from '../../activity/present.ts';
import { parseFeedQuery } from '../../activity/query.ts';
import { statsForRequest } from '../../stats-request.ts';
import { processReviewForRequest } from '../../process-review/request.ts';
import { missedForRequest, riskForRequest } from '../../process-review/deadlines-request.ts';
import { defineEndpoint } from '../endpoint.ts';
import { ApiProblem } from '../problem.ts';
import { pageQuery, pageSchema } from '../pagination.ts';
import { boardParams, cardParams, daySchema, idSchema } from '../schemas.ts';
import { MAX_FILTER_LENGTH } from '../../filter/card-filter.ts';

const planStepSchema = z
	.object({
		stageId: z.string(),
		name: z.string(),
		ownerRole: z.string().nullable(),
		owners: z.array(z.string()),
		plannedDue: z.string().nullable(),
		enteredAt: z.string().nullable(),
		leftAt: z.string().nullable(),
		status: z.string(),
		approval: z.object({ required: z.boolean() }).loose()
	})
	.loose();

/** GET /boards/{boardId}/cards/{cardId}/plan. */
export const getPlan = defineEndpoint({
	method: 'GET',
	path: '/boards/{boardId}/cards/{cardId}/plan',
	operationId: 'getCardPlan',
	tag: 'Insights',
	summary: 'A card’s plan: each step’s date, status, owners and sign-off',
	scope: 'read',
	params: cardParams,
	responses: { 200: { description: 'The plan (no steps on a board without a process).', schema: z.object({ targetDate: z.string().nullable(), timeZone: z.string(), steps: z.array(planStepSchema) }) } },
	async handler({ ctx, board, user, params, now }) {
		return { status: 200, body: await cardPlan(ctx.db, ctx.documents, board.id, user.id, params.cardId, now) };
	}
});

const activityEntrySchema = z.object({
	key: z.string(),
	at: z.string(),
	kind: z.string(),
	group: z.string(),
	actorId: z.string().nullable(),
	actor: z.string(),
	cardId: z.string().nullable(),
	card: z.string().nullable(),
	text: z.string().describe('The entry as a sentence.'),
	rule: z.string().nullable()
}).loose();

/** GET /boards/{boardId}/activity. */
export const getActivity = defineEndpoint({
	method: 'GET',
	path: '/boards/{boardId}/activity',
	operationId: 'listActivity',
	tag: 'Insights',
	summary: 'Who did what, newest first',
	scope: 'read',
	params: boardParams,
	query: z.object({
		...pageQuery,
		person: idSchema.optional().describe('Only what this user did.'),
		card: idSchema.optional().describe('Only entries about this card.'),
		kind: z.string().max(64).optional().describe('A group (card, stage, member, board) or one kind of entry.')
	}),
	responses: { 200: { description: 'A page of entries.', schema: pageSchema(activityEntrySchema) } },
	async handler({ ctx, board, query }) {
		const { filter } = parseFeedQuery(new URLSearchParams(Object.entries({ person: query.person ?? '', card: query.card ?? '', kind: query.kind ?? '' })));
		let before = null;
		if (query.cursor) {
			before = decodeFeedCursor(query.cursor);
			if (!before) throw new ApiProblem(400, 'invalid_request', 'That cursor is not one this API handed out. Start again without a cursor.', { errors: [{ path: 'cursor', message: 'Not a cursor from this API.' }] });
		}
		const page = await readFeed(ctx.db, board.id, filter, { before, limit: query.limit });
		const entries = await presentFeed(ctx.db, board.id, page.rows);
		const nextCursor = page.next ? encodeFeedCursor({ at: new Date(page.next.atMs), src: page.next.src, id: page.next.id }) : null;
		return { status: 200, body: { data: entries, nextCursor } };
	}
});

const rangeQuery = {
	from: daySchema.optional().describe('First day (default: 30 days ago).'),
	to: daySchema.optional().describe('Last day (default: today).'),
	q: z.string().max(MAX_FILTER_LENGTH).optional().describe('Only cards this filter matches now.')
};

/** The query as the existing request parsers read it. */
function searchParams(query: Record<string, string | undefined>): URLSearchParams {
	return new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** GET /boards/{boardId}/stats. */
export const getStats = defineEndpoint({
	method: 'GET',
	path: '/boards/{boardId}/stats',
	operationId: 'getStats',
	tag: 'Insights',
	summary: 'Flow figures: cumulative flow, lead and cycle time, throughput, WIP, flow efficiency',
	description: 'The same figures as the board’s stats panel (see docs/stats.md).',
	scope: 'read',
	params: boardParams,
	query: z.object(rangeQuery),
	responses: { 200: { description: 'The figures.', schema: z.object({ range: z.object({ from: z.string(), to: z.string() }), stages: z.array(z.object({ id: z.string(), name: z.string() }).loose()), leadTime: z.object({}).loose(), cycleTime: z.object({}).loose(), throughput: z.unknown(), filter: z.object({ query: z.string(), cards: z.number() }).nullable() }).loose() } },
	async handler({ ctx, board, user, query, now }) {
		return { status: 200, body: await statsForRequest(ctx.db, ctx.documents, board.id, user.id, searchParams(query), now) };
	}
});

/** GET /boards/{boardId}/process. */
export const getProcess = defineEndpoint({
	method: 'GET',
	path: '/boards/{boardId}/process',
	operationId: 'getProcessReview',
	tag: 'Insights',
	summary: 'The process review: compliance, plan against actual, efficiency, missed deadlines, delivery risk',
	description: 'The same review as the board’s process tab (see docs/process-review.md).',
	scope: 'read',
	params: boardParams,
	query: z.object({ ...rangeQuery, baselineFrom: daySchema.optional(), baselineTo: daySchema.optional() }),
	responses: { 200: { description: 'The review.', schema: z.object({ range: z.object({ from: z.string(), to: z.string() }), compliance: z.object({}).loose(), planVsActual: z.object({}).loose(), efficiency: z.unknown(), missedDeadlines: z.object({}).loose(), risk: z.object({}).loose() }).loose() } },
	async handler({ ctx, board, user, query, now }) {
		const params = searchParams(query);
		const review = await processReviewForRequest(ctx.db, ctx.documents, board.id, user.id, params, now);
		const [missedDeadlines, risk] = await Promise.all([missedForRequest(ctx.db, ctx.documents, board.id, user.id, params, now), riskForRequest(ctx.db, ctx.documents, board.id, user.id, now)]);
		return { status: 200, body: { ...review, missedDeadlines, risk } };
	}
});
