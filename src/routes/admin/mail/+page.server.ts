import { error } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/http';
import { isAdmin, recentMail } from '$lib/server/mail/admin';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const { db, mailer, publicOrigin } = event.locals.ctx;
	// Not an admin: the page does not exist for them.
	if (!(await isAdmin(db, user, env.ADMIN_EMAILS))) error(404, 'Page not found.');
	return { configured: mailer.configured, from: env.MAIL_FROM || 'Flowdeck <flowdeck@localhost>', originSet: publicOrigin !== null, mails: await recentMail(db) };
};
