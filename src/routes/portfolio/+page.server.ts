import type { PageServerLoad } from './$types';
import { portfolioForRequest } from '$lib/server/portfolio/request';
import { DomainError } from '$lib/server/errors';
import { requireUser } from '$lib/server/http';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const { db, documents, clock } = event.locals.ctx;
	try {
		return { portfolio: await portfolioForRequest(db, documents, user.id, event.url.searchParams, clock.now()), rangeError: null };
	} catch (err) {
		if (!(err instanceof DomainError) || err.code !== 'invalid_input') throw err;
		// A link with a bad range says what is wrong and shows the default range, saying so, instead of an error page.
		return { portfolio: await portfolioForRequest(db, documents, user.id, new URLSearchParams(), clock.now()), rangeError: err.message };
	}
};
