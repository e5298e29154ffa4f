import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { invalidateSession } from '$lib/server/auth/sessions';
import { clearSessionCookie } from '$lib/server/auth/cookie';

// Signing out is a POST (a GET link could be triggered by another site).
export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ locals, cookies, url }) => {
		if (locals.session) {
			await invalidateSession(locals.ctx.db, locals.session.id);
			locals.ctx.access.sessionEnded(locals.session.id);
		}
		clearSessionCookie(cookies, url);
		redirect(303, '/login');
	}
};
