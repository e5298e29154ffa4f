import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { jsonApi } from '$lib/server/http';
import { attachmentDisposition } from '$lib/server/content-disposition';
import { exportBoard } from '$lib/server/board-export/export';
import { APP_VERSION } from '$lib/server/board-export/app-version';

/** GET /api/boards/<id>/export.json — the whole board as a Flowdeck board export (members; others 404). */
export const GET: RequestHandler = ({ locals, params }) =>
	jsonApi(async () => {
		if (!locals.user) error(401, 'Log in to export a board.');
		const { db, documents, clock } = locals.ctx;
		const now = clock.now();
		const data = await exportBoard(db, documents, params.boardId, locals.user.id, now, APP_VERSION);
		return new Response(JSON.stringify(data), {
			headers: {
				'content-type': 'application/json; charset=utf-8',
				'content-disposition': attachmentDisposition(`${data.board.name} ${now.toISOString().slice(0, 10)}.flowdeck.json`),
				'cache-control': 'private, no-store'
			}
		});
	});
