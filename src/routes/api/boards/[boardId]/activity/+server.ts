import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireBoardAction } from '$lib/server/boards/boards';
import { listMembers } from '$lib/server/boards/members';
import { readFeed, encodeCursor } from '$lib/server/activity/feed';
import { feedPeople, presentFeed } from '$lib/server/activity/present';
import { parseFeedQuery } from '$lib/server/activity/query';
import { DomainError, statusForCode } from '$lib/server/errors';

const PAGE = 50;

/**
 * GET /api/boards/<id>/activity[?person=&kind=&card=&before=] — who did what, when, newest first, one page at a time
 * (members only; others get 404). The first page also lists the people the person filter offers.
 */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	if (!locals.user) error(401, 'Log in to see board activity.');
	const { db } = locals.ctx;
	try {
		const board = await requireBoardAction(db, params.boardId, locals.user.id, 'view');
		const { filter, before } = parseFeedQuery(url.searchParams);
		const page = await readFeed(db, board.id, filter, { before, limit: PAGE });
		const entries = await presentFeed(db, board.id, page.rows);
		const people = before ? undefined : await feedPeople(db, board.id, await listMembers(db, board.id, locals.user.id));
		const next = page.next ? encodeCursor({ at: new Date(page.next.atMs), src: page.next.src, id: page.next.id }) : null;
		return json({ entries, next, people }, { headers: { 'cache-control': 'private, no-store' } });
	} catch (err) {
		if (err instanceof DomainError) error(statusForCode[err.code], err.message);
		throw err;
	}
};
