import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/http';

export const load: PageServerLoad = async (event) => {
	requireUser(event);
	return { maxBytes: event.locals.ctx.uploads.maxBytes };
};
