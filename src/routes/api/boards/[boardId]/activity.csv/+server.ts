import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireBoardAction } from '$lib/server/boards/boards';
import { readFeed, type FeedCursor } from '$lib/server/activity/feed';
import { nameCache, presentFeed } from '$lib/server/activity/present';
import { parseFeedQuery } from '$lib/server/activity/query';
import { DomainError, statusForCode } from '$lib/server/errors';
import { csvHeaders, toCsv, type CsvColumn } from '$lib/server/csv';

/** Rows read per page while exporting (the feed's own paging, so memory holds one page of rows at a time plus the text). */
const PAGE = 2000;

// Names, titles and sentences are typed by people; ids, kinds and times are the server's own.
const COLUMNS: CsvColumn[] = [
	{ name: 'at', kind: 'date' },
	{ name: 'actor_id', kind: 'id' },
	{ name: 'actor', kind: 'text' },
	{ name: 'kind', kind: 'id' },
	{ name: 'group', kind: 'id' },
	{ name: 'card_id', kind: 'id' },
	{ name: 'card', kind: 'text' },
	{ name: 'entry', kind: 'text' }
];

/** GET /api/boards/<id>/activity.csv[?person=&kind=&card=] — the board's activity feed, filtered as shown, newest first (members only). */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	if (!locals.user) error(401, 'Log in to export board activity.');
	const { db } = locals.ctx;
	try {
		const board = await requireBoardAction(db, params.boardId, locals.user.id, 'view');
		const { filter } = parseFeedQuery(url.searchParams);
		const rows: unknown[][] = [];
		let before: FeedCursor | null = null;
		const names = nameCache();
		do {
			const page = await readFeed(db, board.id, filter, { before, limit: PAGE });
			for (const e of await presentFeed(db, board.id, page.rows, names)) rows.push([e.at, e.actorId, e.actor, e.kind, e.group, e.cardId, e.card, e.text]);
			before = page.next;
		} while (before);
		return new Response(toCsv(COLUMNS, rows), { headers: csvHeaders(`${board.name}-activity.csv`) });
	} catch (err) {
		if (err instanceof DomainError) error(statusForCode[err.code], err.message);
		throw err;
	}
};
