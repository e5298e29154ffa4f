import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { jsonApi, readJsonBody, requireSameOrigin } from '$lib/server/http';
import { parseBody } from '$lib/server/validation';
import { saveViewPrefs, viewPrefsSchema } from '$lib/server/views/view-prefs';

/** PUT /api/boards/<id>/view-prefs with `{ lanes, unmatched, collapsed }` — remembers how the caller sees the board. */
export const PUT: RequestHandler = (event) =>
	jsonApi(async () => {
		const { locals, params, request } = event;
		if (!locals.user) error(401, 'Log in first.');
		requireSameOrigin(event);
		const prefs = parseBody(viewPrefsSchema, await readJsonBody(request));
		await saveViewPrefs(locals.ctx.db, params.boardId, locals.user.id, prefs);
		return json({ prefs }, { headers: { 'cache-control': 'no-store' } });
	});
