import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { processReviewForRequest } from '$lib/server/process-review/request';
import { missedForRequest, riskForRequest } from '$lib/server/process-review/deadlines-request';
import { filterRefusal } from '$lib/server/filter/refusal';
import { DomainError, statusForCode } from '$lib/server/errors';

/**
 * GET /api/boards/<id>/process?from&to[&baselineFrom&baselineTo][&q] — the board's process review as JSON (members
 * only; 404 for anyone else): compliance, plan against actual, efficiency, the automation trend, the missed-deadline
 * review over the same dates and every open card's delivery risk now.
 */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	if (!locals.user) error(401, 'Log in to see the process review.');
	const { db, documents, clock } = locals.ctx;
	try {
		const now = clock.now();
		// The review checks membership and the query first, so a refusal computes nothing else.
		const review = await processReviewForRequest(db, documents, params.boardId, locals.user.id, url.searchParams, now);
		const [missedDeadlines, risk] = await Promise.all([missedForRequest(db, documents, params.boardId, locals.user.id, url.searchParams, now), riskForRequest(db, documents, params.boardId, locals.user.id, now)]);
		return json({ ...review, missedDeadlines, risk }, { headers: { 'cache-control': 'private, no-store' } });
	} catch (err) {
		const refused = filterRefusal(err);
		if (refused) return refused;
		if (err instanceof DomainError) error(statusForCode[err.code], err.message);
		throw err;
	}
};
