import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { statsForRequest } from '$lib/server/stats-request';
import { processReviewForRequest } from '$lib/server/process-review/request';
import { FilterQueryError, readFilterBoard } from '$lib/server/filter/card-filter';
import { filterNames } from '$lib/board/filter/apply';
import { DomainError } from '$lib/server/errors';
import { requireUser } from '$lib/server/http';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const { board } = await event.parent();
	const { db, documents, clock } = event.locals.ctx;
	const now = clock.now();
	const params = event.url.searchParams;
	try {
		const read = await readFilterBoard(db, documents, board.id, user.id);
		// What the page checks a filter against as it is typed: the same names the server checks (and the board's zone).
		const filterContext = { ...filterNames(read), userId: user.id, timeZone: read.process.timeZone };
		let filterError: { message: string; start: number; end: number; query: string } | null = null;
		// The stats and the process review answer the same question (range and filter), side by side.
		const figures = (p: URLSearchParams) => Promise.all([statsForRequest(db, documents, board.id, user.id, p, now, read), processReviewForRequest(db, documents, board.id, user.id, p, now, read)]);
		let stats;
		let review;
		try {
			[stats, review] = await figures(params);
		} catch (err) {
			if (!(err instanceof FilterQueryError)) throw err;
			// A link with a bad filter: say where the mistake is and show every card's figures, saying so.
			filterError = { message: err.message, start: err.start, end: err.end, query: params.get('q') ?? '' };
			const rest = new URLSearchParams(params);
			rest.delete('q');
			[stats, review] = await figures(rest);
		}
		return { stats, review, filterError, filterContext, now: now.toISOString() };
	} catch (err) {
		if (err instanceof DomainError) error(err.code === 'not_found' ? 404 : 400, err.message);
		throw err;
	}
};
