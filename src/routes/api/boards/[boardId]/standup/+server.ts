import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { jsonApi, requireSameOrigin } from '$lib/server/http';
import { startStandup } from '$lib/server/standup/standups';
import { standupView } from '$lib/server/standup/view';

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

/** POST /api/boards/<id>/standup — starts a standup with you facilitating (owners and editors; viewers 403). */
export const POST: RequestHandler = (event) =>
	jsonApi(async () => {
		const { locals, params } = event;
		if (!locals.user) error(401, 'Log in to run a standup.');
		requireSameOrigin(event);
		const { db, documents, clock } = locals.ctx;
		return json({ standup: await startStandup(db, documents, params.boardId, locals.user.id, clock.now()) }, { status: 201, headers: { 'cache-control': 'no-store' } });
	});
