import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { portfolioForRequest } from '$lib/server/portfolio/request';
import { DomainError, statusForCode } from '$lib/server/errors';

/**
 * GET /api/portfolio?from=YYYY-MM-DD&to=YYYY-MM-DD — per board the caller belongs to: throughput, on-time share,
 * automation share, median lead time, cards at risk, compliance against the board's target; the process figures per
 * template of those boards; and the cross-team hand-offs between them (see docs/portfolio.md).
 */
export const GET: RequestHandler = async ({ locals, url }) => {
	if (!locals.user) error(401, 'Log in to see your portfolio.');
	const { db, documents, clock } = locals.ctx;
	try {
		return json(await portfolioForRequest(db, documents, locals.user.id, url.searchParams, clock.now()), { headers: { 'cache-control': 'private, no-store' } });
	} catch (err) {
		if (err instanceof DomainError) error(statusForCode[err.code], err.message);
		throw err;
	}
};
