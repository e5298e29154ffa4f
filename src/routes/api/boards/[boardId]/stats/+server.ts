import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireBoardAction } from '$lib/server/boards/boards';
import { boardStats, parseStatsQuery } from '$lib/server/stats';
import { DomainError, statusForCode } from '$lib/server/errors';

/** GET /api/boards/<id>/stats?from=YYYY-MM-DD&to=YYYY-MM-DD — the board's flow figures as JSON (members only). */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	if (!locals.user) error(401, 'Log in to see board statistics.');
	const { db, clock } = locals.ctx;
	try {
		await requireBoardAction(db, params.boardId, locals.user.id, 'view');
		const now = clock.now();
		const query = parseStatsQuery(url.searchParams, now);
		return json(await boardStats(db, params.boardId, query, now), { headers: { 'cache-control': 'private, no-store' } });
	} catch (err) {
		if (err instanceof DomainError) error(statusForCode[err.code], err.message);
		throw err;
	}
};
