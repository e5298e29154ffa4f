import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { missedForRequest } from '$lib/server/process-review/deadlines-request';
import { DomainError, statusForCode } from '$lib/server/errors';

/** GET /api/boards/<id>/process/missed?from&to — cards finished after their target date and where the time went (members only). */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	if (!locals.user) error(401, 'Log in to see the missed-deadline review.');
	const { db, documents, clock } = locals.ctx;
	try {
		return json(await missedForRequest(db, documents, params.boardId, locals.user.id, url.searchParams, clock.now()), { headers: { 'cache-control': 'private, no-store' } });
	} catch (err) {
		if (err instanceof DomainError) error(statusForCode[err.code], err.message);
		throw err;
	}
};
