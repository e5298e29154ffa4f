import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireBoardAction } from '$lib/server/boards/boards';
import { statsForRequest } from '$lib/server/stats-request';
import { DomainError, statusForCode } from '$lib/server/errors';
import { csvHeaders, toCsv, type CsvColumn } from '$lib/server/csv';

// Only the title is typed by people.
const TIME_COLUMNS: CsvColumn[] = [
	{ name: 'card_id', kind: 'id' },
	{ name: 'title', kind: 'text' },
	{ name: 'finished_at', kind: 'date' },
	{ name: 'lead_time_hours', kind: 'number' },
	{ name: 'cycle_time_hours', kind: 'number' }
];

/** GET /api/boards/<id>/times.csv?from&to[&q] — per-card lead and cycle times (hours) of cards finished in the range (matching the filter). */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	if (!locals.user) error(401, 'Log in to export board statistics.');
	const { db, documents, clock } = locals.ctx;
	try {
		const board = await requireBoardAction(db, params.boardId, locals.user.id, 'view');
		const stats = await statsForRequest(db, documents, board.id, locals.user.id, url.searchParams, clock.now());
		const cycle = new Map(stats.cycleTime.cards.map((c) => [c.cardId, c.hours]));
		const rows = stats.leadTime.cards.map((c) => [c.cardId, stats.titles[c.cardId] ?? '', c.finishedAt, c.hours.toFixed(2), cycle.has(c.cardId) ? cycle.get(c.cardId)!.toFixed(2) : '']);
		return new Response(toCsv(TIME_COLUMNS, rows), { headers: csvHeaders(`${board.name}-lead-cycle.csv`) });
	} catch (err) {
		if (err instanceof DomainError) error(statusForCode[err.code], err.message);
		throw err;
	}
};
