import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/http';
import { TRELLO_MAX_BYTES } from '$lib/server/import/trello/limits';

export const load: PageServerLoad = async (event) => {
	requireUser(event);
	return { maxBytes: TRELLO_MAX_BYTES };
};
