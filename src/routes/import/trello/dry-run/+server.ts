import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { jsonApi, requireSameOrigin } from '$lib/server/http';
import { readImportRequest } from '$lib/server/import/trello/request';
import { readTrelloUpload, trelloDryRun } from '$lib/server/import/trello/import-trello';

/** POST /import/trello/dry-run (multipart: file, timeZone) — what importing this Trello export would create and lose; writes nothing. */
export const POST: RequestHandler = (event) =>
	jsonApi(async () => {
		if (!event.locals.user) error(401, 'Log in to import a Trello board.');
		requireSameOrigin(event);
		const { db, clock } = event.locals.ctx;
		const { bytes, timeZone } = await readImportRequest(event.request);
		const report = await trelloDryRun(db, event.locals.user.id, readTrelloUpload(bytes, timeZone, clock.now()));
		return json(report, { headers: { 'cache-control': 'no-store' } });
	});
