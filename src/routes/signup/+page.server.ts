import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { register } from '$lib/server/accounts';
import { rememberRegisteredEmail } from '$lib/server/auth/registered-cookie';
import { formAction, retryAfterOnThrottle } from '$lib/server/http';
import { parseForm, signUpSchema } from '$lib/server/validation';
import { safeNext } from '$lib/server/redirects';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, '/');
	return { next: safeNext(url.searchParams.get('next'), url.origin) };
};

export const actions: Actions = {
	default: async (event) => {
		const { request, locals, cookies, url } = event;
		const form = await request.formData();
		const { db, clock } = locals.ctx;
		const result = await formAction('signup', form, () =>
			retryAfterOnThrottle(event, async () => {
				const input = parseForm(signUpSchema, form);
				await register(db, { ...input, address: event.getClientAddress() }, locals.limits, clock.now());
				return { email: input.email };
			})
		);
		if (!('email' in result)) return result;
		// New or already registered, the answer is the same: go and sign in (see register()).
		rememberRegisteredEmail(cookies, url, result.email);
		const next = safeNext(String(form.get('next') ?? '/'), url.origin);
		redirect(303, next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`);
	}
};
