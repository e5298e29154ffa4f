import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { jsonApi, readJsonBody, requireSameOrigin } from '$lib/server/http';
import { parseBody } from '$lib/server/validation';
import { createSavedView, listSavedViews, newViewSchema } from '$lib/server/views/saved-views';

const NO_STORE = { 'cache-control': 'private, no-store' };

/** GET /api/boards/<id>/views — the caller's saved views of the board and the shared ones (members; others 404). */
export const GET: RequestHandler = ({ locals, params }) =>
	jsonApi(async () => {
		if (!locals.user) error(401, 'Log in to see saved views.');
		return json({ views: await listSavedViews(locals.ctx.db, params.boardId, locals.user.id) }, { headers: NO_STORE });
	});

/** POST /api/boards/<id>/views with `{ name, query, shared }` — saves a view (sharing needs edit rights); 201 with it. */
export const POST: RequestHandler = (event) =>
	jsonApi(async () => {
		const { locals, params, request } = event;
		if (!locals.user) error(401, 'Log in to save views.');
		requireSameOrigin(event);
		const input = parseBody(newViewSchema, await readJsonBody(request));
		const view = await createSavedView(locals.ctx.db, params.boardId, locals.user.id, input, locals.ctx.clock.now());
		return json({ view }, { status: 201, headers: NO_STORE });
	});
