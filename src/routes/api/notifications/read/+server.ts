import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { jsonApi, readJsonBody, requireSameOrigin } from '$lib/server/http';
import { markRead, parseMarkRead } from '$lib/server/notifications/inbox';

/** POST /api/notifications/read with `{ id }` or `{ all: true }` — marks one or every entry read; answers `{ unread }`. */
export const POST: RequestHandler = (event) =>
	jsonApi(async () => {
		const { locals, request } = event;
		if (!locals.user) error(401, 'Log in to read your notifications.');
		requireSameOrigin(event);
		const which = parseMarkRead(await readJsonBody(request));
		const unread = await markRead(locals.ctx, locals.user.id, which);
		return json({ unread }, { headers: { 'cache-control': 'no-store' } });
	});
