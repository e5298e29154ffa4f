import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { jsonApi, requireSameOrigin } from '$lib/server/http';
import { csvHeaders } from '$lib/server/csv';
import { cardsCsv } from '$lib/server/board-export/cards-csv';
import { importCardsCsv } from '$lib/server/board-export/cards-csv-import';
import { readTextBody } from '$lib/server/board-export/read-body';

/** Largest cards CSV an import reads. */
const MAX_CSV_BYTES = 5 * 1024 * 1024;

/** GET /api/boards/<id>/cards.csv — the board's cards, one a row, in the documented columns (members; others 404). */
export const GET: RequestHandler = ({ locals, params }) =>
	jsonApi(async () => {
		if (!locals.user) error(401, 'Log in to export cards.');
		const { name, csv } = await cardsCsv(locals.ctx.db, locals.ctx.documents, params.boardId, locals.user.id);
		return new Response(csv, { headers: csvHeaders(`${name}-cards.csv`) });
	});

/**
 * POST /api/boards/<id>/cards.csv with the CSV as the body (`?preview=1`: check only) — imports cards (editors and
 * owners). 200 `{ cards, sample, created }`; 400 `{ message, problems: [{ line, message }] }` with nothing created.
 */
export const POST: RequestHandler = (event) =>
	jsonApi(async () => {
		const { locals, params, request, url } = event;
		if (!locals.user) error(401, 'Log in to import cards.');
		requireSameOrigin(event);
		const text = await readTextBody(request, MAX_CSV_BYTES, 'CSV file');
		const outcome = await importCardsCsv(locals.ctx.db, locals.ctx.documents, params.boardId, locals.user.id, text, url.searchParams.get('preview') === '1');
		const headers = { 'cache-control': 'no-store' };
		if (outcome.problems.length > 0) {
			const message = `Nothing was imported: ${outcome.problems.length === 1 ? 'one line has a problem' : `${outcome.problems.length} problems`}.`;
			return json({ message, problems: outcome.problems }, { status: 400, headers });
		}
		return json({ cards: outcome.cards, sample: outcome.sample, created: outcome.created }, { headers });
	});
