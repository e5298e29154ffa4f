import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { logIn } from '$lib/server/accounts';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { formAction } from '$lib/server/http';
import { logInSchema, parseForm } from '$lib/server/validation';
import { safeNext } from '$lib/server/redirects';
import { DomainError } from '$lib/server/errors';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next')));
	return { next: safeNext(url.searchParams.get('next')) };
};

export const actions: Actions = {
	default: async (event) => {
		const { request, locals, cookies, url } = event;
		const form = await request.formData();
		const result = await formAction('login', form, async () => {
			const input = parseForm(logInSchema, form);
			try {
				return await logIn(locals.ctx.db, { ...input, address: event.getClientAddress() }, locals.ctx.clock.now());
			} catch (err) {
				if (err instanceof DomainError && err.retryAfterSeconds) event.setHeaders({ 'retry-after': String(err.retryAfterSeconds) });
				throw err;
			}
		});
		if (!('token' in result)) return result;
		setSessionCookie(cookies, url, result.token, result.expiresAt);
		redirect(303, safeNext(String(form.get('next') ?? '/')));
	}
};
