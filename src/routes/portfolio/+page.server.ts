import type { PageServerLoad } from './$types';
import { portfolio, portfolioProcess } from '$lib/server/portfolio/portfolio';
import { portfolioRange, type PortfolioRange } from '$lib/server/portfolio/request';
import { DomainError } from '$lib/server/errors';
import { requireUser } from '$lib/server/http';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const { db, documents, clock } = event.locals.ctx;
	let asked: PortfolioRange;
	let rangeError: string | null = null;
	try {
		asked = portfolioRange(event.url.searchParams, clock.now());
	} catch (err) {
		if (!(err instanceof DomainError) || err.code !== 'invalid_input') throw err;
		// A link with a bad range says what is wrong and shows the default range, saying so, instead of an error page.
		asked = portfolioRange(new URLSearchParams(), clock.now());
		rangeError = err.message;
	}
	const quick = await portfolio(db, user.id, asked.range);
	return {
		portfolio: { ...quick, range: asked.dates },
		// One process review per board takes a while: the page shows the rest first and this when it comes (streamed).
		process: portfolioProcess(db, documents, quick.boards.map((b) => b.id), asked.range),
		rangeError
	};
};
