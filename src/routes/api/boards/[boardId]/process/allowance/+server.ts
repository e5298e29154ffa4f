import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { jsonApi, readJsonBody, requireSameOrigin } from '$lib/server/http';
import { applyAllowance } from '$lib/server/process-review/plan-actual';

/**
 * POST /api/boards/<id>/process/allowance with `{ stageId, days }` — gives a step a new allowance on the board, and on
 * its team template when the caller saved it (owners and the process owner only).
 */
export const POST: RequestHandler = (event) =>
	jsonApi(async () => {
		const { locals, params, request } = event;
		if (!locals.user) error(401, 'Log in first.');
		requireSameOrigin(event);
		const { db, documents, clock } = locals.ctx;
		return json(await applyAllowance(db, documents, params.boardId, locals.user.id, await readJsonBody(request), clock.now()), { headers: { 'cache-control': 'no-store' } });
	});
