import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { jsonApi, requireSameOrigin } from '$lib/server/http';
import { deleteSavedView } from '$lib/server/views/saved-views';

/** DELETE /api/boards/<id>/views/<viewId> — its author, or a board owner for a shared view; 204. */
export const DELETE: RequestHandler = (event) =>
	jsonApi(async () => {
		const { locals, params } = event;
		if (!locals.user) error(401, 'Log in to delete views.');
		requireSameOrigin(event);
		await deleteSavedView(locals.ctx.db, params.boardId, locals.user.id, params.viewId);
		return new Response(null, { status: 204 });
	});
