import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { DomainError, statusForCode } from '$lib/server/errors';
import { searchCards } from '$lib/server/search/query';

/**
 * GET /api/search?q=… — cards on the caller's boards whose title, description or comments match, best first:
 * `{ results: [{ boardId, boardName, cardId, source, title, snippet, titleParts, snippetParts }] }`. A search with
 * nothing to look for (empty, symbols only, too long) answers 400 `{ error, message }` and runs no query.
 */
export const GET: RequestHandler = async ({ locals, url }) => {
	if (!locals.user) error(401, 'Log in to search your boards.');
	try {
		const results = await searchCards(locals.ctx.db, locals.user.id, url.searchParams.get('q') ?? '');
		return json({ results }, { headers: { 'cache-control': 'private, no-store' } });
	} catch (err) {
		if (err instanceof DomainError) return json({ error: err.message, message: err.message }, { status: statusForCode[err.code], headers: { 'cache-control': 'no-store' } });
		throw err;
	}
};
