import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { inboxStream } from '$lib/server/notifications/stream';
import { unreadCount } from '$lib/server/notifications/notify';

/** GET /api/notifications/stream — Server-Sent Events: the unread count now and on every change (the bell). */
export const GET: RequestHandler = ({ locals, request }) => {
	const user = locals.user;
	if (!user) error(401, 'Log in to receive notifications.');
	const { db, hub } = locals.ctx;
	return inboxStream(hub, user.id, () => unreadCount(db, user.id), request.signal);
};
