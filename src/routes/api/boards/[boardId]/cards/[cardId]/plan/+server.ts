import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { jsonApi } from '$lib/server/http';
import { cardPlan } from '$lib/server/process/card-process';

/**
 * GET /api/boards/<id>/cards/<id>/plan — the card's plan: its target date, the board's time zone and each step's
 * date, status, owners, stay and sign-off (members only; others, and unknown cards, 404).
 */
export const GET: RequestHandler = ({ locals, params }) =>
	jsonApi(async () => {
		if (!locals.user) error(401, 'Log in to see plans.');
		const { db, documents, clock } = locals.ctx;
		return json(await cardPlan(db, documents, params.boardId, locals.user.id, params.cardId, clock.now()), { headers: { 'cache-control': 'private, no-store' } });
	});
