import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction } from '$lib/server/http';
import { parseForm } from '$lib/server/validation';
import { resetPassword, resetSchema, resetTokenValid } from '$lib/server/mail/password-reset';

export const load: PageServerLoad = async ({ params, locals }) => ({ valid: await resetTokenValid(locals.ctx.db, params.token, locals.ctx.clock.now()) });

export const actions: Actions = {
	default: async ({ params, locals, request }) => {
		const form = await request.formData();
		const result = await formAction('reset', form, async () => {
			const { password } = parseForm(resetSchema, form);
			const userId = await resetPassword(locals.ctx.db, params.token, password, locals.ctx.clock.now());
			// Every session of the account ended: close its open sockets too.
			locals.ctx.access.otherSessionsEnded(userId, '');
			return { reset: true as const };
		});
		if ('reset' in result) redirect(303, '/login?reset=1');
		return result;
	}
};
