import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { jsonApi, readJsonBody, requireSameOrigin } from '$lib/server/http';
import { addComment, listComments } from '$lib/server/comments/service';

const noStore = { 'cache-control': 'no-store' };

/** GET /api/boards/<id>/cards/<id>/comments — the card's comments, oldest first: `{ comments: [...] }` (any member). */
export const GET: RequestHandler = ({ locals, params }) =>
	jsonApi(async () => {
		if (!locals.user) error(401, 'Log in to read comments.');
		return json({ comments: await listComments(locals.ctx, params.boardId, locals.user.id, params.cardId) }, { headers: noStore });
	});

/**
 * POST /api/boards/<id>/cards/<id>/comments with `{ body }` (markdown) — posts a comment as the signed-in member (not
 * viewers); `@Name` mentions notify those members; a mention of someone not on the board refuses it (400). Answers
 * 201 with the comment.
 */
export const POST: RequestHandler = (event) =>
	jsonApi(async () => {
		const { locals, params, request } = event;
		if (!locals.user) error(401, 'Log in to comment.');
		requireSameOrigin(event);
		const body = await readJsonBody(request);
		return json(await addComment(locals.ctx, params.boardId, locals.user.id, params.cardId, body), { status: 201, headers: noStore });
	});
