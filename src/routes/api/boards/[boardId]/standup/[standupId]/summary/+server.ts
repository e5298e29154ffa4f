import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { jsonApi } from '$lib/server/http';
import { readStandupSummary } from '$lib/server/standup/view';

/**
 * GET /api/boards/<id>/standup/<standupId>/summary — `{ summary, text, final }`: the summary a standup ended with
 * (`final`), or while it runs a preview worked out now (members; others 404; a replaced standup 409).
 */
export const GET: RequestHandler = ({ locals, params }) =>
	jsonApi(async () => {
		if (!locals.user) error(401, 'Log in to see the standup.');
		const { db, documents, clock } = locals.ctx;
		return json(await readStandupSummary(db, documents, params.boardId, locals.user.id, params.standupId, clock.now()), { headers: { 'cache-control': 'private, no-store' } });
	});
