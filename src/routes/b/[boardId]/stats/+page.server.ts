import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { boardStats, parseStatsQuery } from '$lib/server/stats';
import { DomainError } from '$lib/server/errors';
import { requireUser } from '$lib/server/http';

export const load: PageServerLoad = async (event) => {
	requireUser(event);
	const { board } = await event.parent();
	const { db, clock } = event.locals.ctx;
	const now = clock.now();
	try {
		const query = parseStatsQuery(event.url.searchParams, now);
		return { stats: await boardStats(db, board.id, query, now), now: now.toISOString() };
	} catch (err) {
		if (err instanceof DomainError) error(400, err.message);
		throw err;
	}
};
