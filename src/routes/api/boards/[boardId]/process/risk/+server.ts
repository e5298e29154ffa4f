import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { riskForRequest } from '$lib/server/process-review/deadlines-request';
import { DomainError, statusForCode } from '$lib/server/errors';

/** GET /api/boards/<id>/process/risk — each open card's chance of meeting its target date, riskiest first (members only). */
export const GET: RequestHandler = async ({ locals, params }) => {
	if (!locals.user) error(401, 'Log in to see delivery risk.');
	const { db, documents, clock } = locals.ctx;
	try {
		return json(await riskForRequest(db, documents, params.boardId, locals.user.id, clock.now()), { headers: { 'cache-control': 'private, no-store' } });
	} catch (err) {
		if (err instanceof DomainError) error(statusForCode[err.code], err.message);
		throw err;
	}
};
