import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { jsonApi, requireSameOrigin, retryAfterOnThrottle } from '$lib/server/http';
import { boardCreateKeys, requireRateSlots } from '$lib/server/auth/rate-limit';
import { readImportRequest } from '$lib/server/import/trello/request';
import { readTrelloUpload } from '$lib/server/import/trello/import-trello';
import { importProgressStream } from '$lib/server/import/trello/progress-stream';

/**
 * POST /import/trello/run (multipart: file, timeZone, choices) — imports the export as a new board. A bad file or bad
 * choices are refused with their status before anything starts; then the answer streams its progress as lines of
 * JSON (`{ phase, done, total }`), ending with `{ boardId, name }` or `{ error, status }` (nothing was created).
 */
export const POST: RequestHandler = (event) =>
	jsonApi(async () => {
		const user = event.locals.user;
		if (!user) error(401, 'Log in to import a Trello board.');
		requireSameOrigin(event);
		const { db, clock } = event.locals.ctx;
		const { bytes, timeZone, choices } = await readImportRequest(event.request);
		const upload = readTrelloUpload(bytes, timeZone, clock.now());
		await retryAfterOnThrottle(event, () =>
			requireRateSlots(db, boardCreateKeys(user.id, event.getClientAddress(), event.locals.limits), clock.now(), (wait) => `You have created many boards in a short time. Try again in ${wait}.`)
		);
		return importProgressStream(db, user.id, upload, choices, timeZone, clock.now());
	});
