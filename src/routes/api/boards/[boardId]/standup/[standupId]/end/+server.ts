import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { jsonApi, readJsonBody, requireSameOrigin } from '$lib/server/http';
import { endStandup } from '$lib/server/standup/standups';
import { parseEndBody } from '$lib/server/standup/view';

/**
 * POST /api/boards/<id>/standup/<standupId>/end with `{ post: boolean }` — ends the standup (its facilitator only),
 * storing its end for the next one's window; with `post`, its summary goes to the board's activity. Answers
 * `{ standup, summary, text }`; refusals answer `{ message }` and change nothing.
 */
export const POST: RequestHandler = (event) =>
	jsonApi(async () => {
		const { locals, params, request } = event;
		if (!locals.user) error(401, 'Log in to end the standup.');
		requireSameOrigin(event);
		const { post } = parseEndBody(await readJsonBody(request));
		const { db, documents, clock } = locals.ctx;
		return json(await endStandup(db, documents, params.boardId, locals.user.id, params.standupId, post, clock.now()), { headers: { 'cache-control': 'no-store' } });
	});
