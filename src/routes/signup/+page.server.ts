import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { signUp } from '$lib/server/accounts';
import { createSession } from '$lib/server/auth/sessions';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { formAction } from '$lib/server/http';
import { parseForm, signUpSchema } from '$lib/server/validation';
import { safeNext } from '$lib/server/redirects';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, '/');
	return { next: safeNext(url.searchParams.get('next')) };
};

export const actions: Actions = {
	default: async ({ request, locals, cookies, url }) => {
		const form = await request.formData();
		const { db, clock } = locals.ctx;
		const result = await formAction('signup', form, async () => {
			const input = parseForm(signUpSchema, form);
			const userId = await signUp(db, input, clock.now());
			return createSession(db, userId, clock.now());
		});
		if (!('token' in result)) return result;
		setSessionCookie(cookies, url, result.token, result.session.expiresAt);
		redirect(303, safeNext(String(form.get('next') ?? '/')));
	}
};
