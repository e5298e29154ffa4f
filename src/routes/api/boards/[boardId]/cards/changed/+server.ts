import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { jsonApi } from '$lib/server/http';
import { requireBoardAction } from '$lib/server/boards/boards';
import { lastChangeByCard } from '$lib/server/views/card-changes';

/** GET /api/boards/<id>/cards/changed — `{ changed: { cardId: ISO time } }`, when each card last changed (members). */
export const GET: RequestHandler = ({ locals, params }) =>
	jsonApi(async () => {
		if (!locals.user) error(401, 'Log in first.');
		const board = await requireBoardAction(locals.ctx.db, params.boardId, locals.user.id, 'view');
		return json({ changed: await lastChangeByCard(locals.ctx.db, board.id) }, { headers: { 'cache-control': 'private, no-store' } });
	});
