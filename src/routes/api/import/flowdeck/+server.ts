import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { jsonApi, requireSameOrigin, retryAfterOnThrottle } from '$lib/server/http';
import { boardCreateKeys, requireRateSlots } from '$lib/server/auth/rate-limit';
import { parseBoardExport } from '$lib/server/board-export/parse';
import { restoreBoard } from '$lib/server/board-export/restore';
import { readTextBody } from '$lib/server/board-export/read-body';

/**
 * POST /api/import/flowdeck with a board export (export.json) as the body — restores it as a NEW board owned by the
 * caller. 201 `{ boardId, name, cards, events, peopleFound, peopleMissing }`; 400/413 `{ message }` with nothing created.
 */
export const POST: RequestHandler = (event) =>
	jsonApi(async () => {
		const { locals, request } = event;
		if (!locals.user) error(401, 'Log in to restore a board.');
		requireSameOrigin(event);
		const { db, documents, clock, uploads } = locals.ctx;
		const parsed = parseBoardExport(await readTextBody(request, uploads.maxBytes, 'board export'));
		// A restore makes a board: it counts against the same limit as creating one.
		const keys = boardCreateKeys(locals.user.id, event.getClientAddress(), locals.limits);
		await retryAfterOnThrottle(event, () => requireRateSlots(db, keys, clock.now(), (wait) => `You have created many boards in a short time. Try again in ${wait}.`));
		const result = await restoreBoard(db, locals.user.id, parsed, clock.now());
		// Opened once now: the room checks the document as it loads, and search indexes its cards.
		await documents.readBoard(result.boardId, { kind: 'workflow' });
		return json(result, { status: 201, headers: { 'cache-control': 'no-store' } });
	});
