import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { jsonApi } from '$lib/server/http';
import { readInbox } from '$lib/server/notifications/inbox';

/** GET /api/notifications — the signed-in person's inbox: `{ unread, groups: [{ boardName, cardTitle, entries }] }`. */
export const GET: RequestHandler = ({ locals }) =>
	jsonApi(async () => {
		if (!locals.user) error(401, 'Log in to read your notifications.');
		return json(await readInbox(locals.ctx.db, locals.user.id), { headers: { 'cache-control': 'no-store' } });
	});
