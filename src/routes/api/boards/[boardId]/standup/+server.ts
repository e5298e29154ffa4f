import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { jsonApi, readJsonBody, requireSameOrigin } from '$lib/server/http';
import { filterRefusal } from '$lib/server/filter/refusal';
import { startStandup } from '$lib/server/standup/standups';
import { parseStartBody, standupView } from '$lib/server/standup/view';

/**
 * GET /api/boards/<id>/standup — the running standup (if any), where its window starts, and what changed on each
 * card since the last standup (members; others 404).
 */
export const GET: RequestHandler = ({ locals, params }) =>
	jsonApi(async () => {
		if (!locals.user) error(401, 'Log in to see the standup.');
		const { db, documents, clock } = locals.ctx;
		return json(await standupView(db, documents, params.boardId, locals.user.id, clock.now()), { headers: { 'cache-control': 'private, no-store' } });
	});

/**
 * POST /api/boards/<id>/standup with `{ q?: "<filter>" }` — starts a standup with you facilitating (owners and
 * editors; viewers 403), walking the cards the filter matches; a bad filter answers 400 `{ message, start, end }`.
 */
export const POST: RequestHandler = (event) =>
	jsonApi(async () => {
		const { locals, params, request } = event;
		if (!locals.user) error(401, 'Log in to run a standup.');
		requireSameOrigin(event);
		// A body is optional: an empty POST starts a standup over every card, as before filters.
		const { q } = parseStartBody(request.headers.get('content-length') === '0' || !request.body ? {} : await readJsonBody(request));
		const { db, documents, clock } = locals.ctx;
		try {
			return json({ standup: await startStandup(db, documents, params.boardId, locals.user.id, clock.now(), q) }, { status: 201, headers: { 'cache-control': 'no-store' } });
		} catch (err) {
			const refused = filterRefusal(err);
			if (refused) return refused;
			throw err;
		}
	});
