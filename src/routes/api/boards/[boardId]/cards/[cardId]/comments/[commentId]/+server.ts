import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { jsonApi, readJsonBody, requireSameOrigin } from '$lib/server/http';
import { deleteComment, editComment } from '$lib/server/comments/service';

/** PATCH /api/boards/<id>/cards/<id>/comments/<id> with `{ body }` — edits one's own comment (marked edited). */
export const PATCH: RequestHandler = (event) =>
	jsonApi(async () => {
		const { locals, params, request } = event;
		if (!locals.user) error(401, 'Log in to edit comments.');
		requireSameOrigin(event);
		const body = await readJsonBody(request);
		return json(await editComment(locals.ctx, params.boardId, locals.user.id, params.cardId, params.commentId, body), { headers: { 'cache-control': 'no-store' } });
	});

/** DELETE /api/boards/<id>/cards/<id>/comments/<id> — deletes one's own comment; answers 204. */
export const DELETE: RequestHandler = (event) =>
	jsonApi(async () => {
		const { locals, params } = event;
		if (!locals.user) error(401, 'Log in to delete comments.');
		requireSameOrigin(event);
		await deleteComment(locals.ctx, params.boardId, locals.user.id, params.cardId, params.commentId);
		return new Response(null, { status: 204 });
	});
