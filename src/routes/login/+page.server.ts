import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { logIn } from '$lib/server/accounts';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { takeRegisteredEmail } from '$lib/server/auth/registered-cookie';
import { formAction, retryAfterOnThrottle } from '$lib/server/http';
import { logInSchema, parseForm } from '$lib/server/validation';
import { safeNext } from '$lib/server/redirects';

export const load: PageServerLoad = ({ locals, url, cookies }) => {
	const next = safeNext(url.searchParams.get('next'), url.origin);
	if (locals.user) redirect(303, next);
	return { next, registeredEmail: takeRegisteredEmail(cookies, url), reset: url.searchParams.get('reset') === '1' };
};

export const actions: Actions = {
	default: async (event) => {
		const { request, locals, cookies, url } = event;
		const form = await request.formData();
		const result = await formAction('login', form, () =>
			retryAfterOnThrottle(event, () => {
				const input = parseForm(logInSchema, form);
				return logIn(locals.ctx.db, { ...input, address: event.getClientAddress() }, locals.ctx.clock.now());
			})
		);
		if (!('token' in result)) return result;
		setSessionCookie(cookies, url, result.token, result.expiresAt);
		redirect(303, safeNext(String(form.get('next') ?? '/'), url.origin));
	}
};
