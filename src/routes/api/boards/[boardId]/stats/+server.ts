import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { statsForRequest } from '$lib/server/stats-request';
import { filterRefusal } from '$lib/server/filter/refusal';
import { DomainError, statusForCode } from '$lib/server/errors';

/**
 * GET /api/boards/<id>/stats?from=YYYY-MM-DD&to=YYYY-MM-DD[&q=<filter>] — the board's flow figures as JSON (members
 * only), restricted to the cards the filter matches now; a bad filter answers 400 `{ message, start, end }`.
 */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	if (!locals.user) error(401, 'Log in to see board statistics.');
	const { db, documents, clock } = locals.ctx;
	try {
		return json(await statsForRequest(db, documents, params.boardId, locals.user.id, url.searchParams, clock.now()), { headers: { 'cache-control': 'private, no-store' } });
	} catch (err) {
		const refused = filterRefusal(err);
		if (refused) return refused;
		if (err instanceof DomainError) error(statusForCode[err.code], err.message);
		throw err;
	}
};
