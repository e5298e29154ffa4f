import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { processReviewForRequest } from '$lib/server/process-review/request';
import { filterRefusal } from '$lib/server/filter/refusal';
import { DomainError, statusForCode } from '$lib/server/errors';

/**
 * GET /api/boards/<id>/process?from&to[&baselineFrom&baselineTo][&q] — the board's process review as JSON (members
 * only; 404 for anyone else): compliance, plan against actual, efficiency and the automation trend.
 */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	if (!locals.user) error(401, 'Log in to see the process review.');
	const { db, documents, clock } = locals.ctx;
	try {
		return json(await processReviewForRequest(db, documents, params.boardId, locals.user.id, url.searchParams, clock.now()), { headers: { 'cache-control': 'private, no-store' } });
	} catch (err) {
		const refused = filterRefusal(err);
		if (refused) return refused;
		if (err instanceof DomainError) error(statusForCode[err.code], err.message);
		throw err;
	}
};
