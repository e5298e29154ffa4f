import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireBoardAction } from '$lib/server/boards/boards';
import { readCardEvents, readStages } from '$lib/server/history';
import { DomainError, statusForCode } from '$lib/server/errors';
import { csvHeaders, toCsv, type CsvColumn } from '$lib/server/csv';

// Stage names and the details (titles, reasons) are typed by people; the rest is the server's own.
const EVENT_COLUMNS: CsvColumn[] = [
	{ name: 'at', kind: 'date' },
	{ name: 'type', kind: 'id' },
	{ name: 'card_id', kind: 'id' },
	{ name: 'actor_id', kind: 'id' },
	{ name: 'from_stage', kind: 'text' },
	{ name: 'to_stage', kind: 'text' },
	{ name: 'details', kind: 'text' }
];

/** GET /api/boards/<id>/events.csv — the board's whole recorded history (members only). */
export const GET: RequestHandler = async ({ locals, params }) => {
	if (!locals.user) error(401, 'Log in to export board history.');
	const { db } = locals.ctx;
	try {
		const board = await requireBoardAction(db, params.boardId, locals.user.id, 'view');
		const [events, stages] = await Promise.all([readCardEvents(db, board.id), readStages(db, board.id)]);
		const name = new Map(stages.map((s) => [s.stageId, s.name]));
		const rows = events.map((e) => [e.at, e.type, e.cardId, e.actorId, e.fromStageId ? name.get(e.fromStageId) : '', e.toStageId ? name.get(e.toStageId) : '', e.data]);
		return new Response(toCsv(EVENT_COLUMNS, rows), { headers: csvHeaders(`${board.name}-events.csv`) });
	} catch (err) {
		if (err instanceof DomainError) error(statusForCode[err.code], err.message);
		throw err;
	}
};
