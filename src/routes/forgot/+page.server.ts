import type { Actions, PageServerLoad } from './$types';
import { formAction, retryAfterOnThrottle } from '$lib/server/http';
import { parseForm } from '$lib/server/validation';
import { forgotSchema, requestPasswordReset, RESET_REQUESTED } from '$lib/server/mail/password-reset';

export const load: PageServerLoad = ({ locals }) => ({ mailConfigured: locals.ctx.mailer.configured });

export const actions: Actions = {
	default: async (event) => {
		const { locals, request, url } = event;
		const form = await request.formData();
		return formAction('forgot', form, () =>
			retryAfterOnThrottle(event, async () => {
				const { email } = parseForm(forgotSchema, form);
				if (!locals.ctx.mailer.configured) return { message: 'Email is not set up on this server, so no reset link can be sent. Ask the person who runs it to reset your password.' };
				await requestPasswordReset(locals.ctx.db, locals.ctx.jobs, { email, address: event.getClientAddress(), origin: locals.ctx.publicOrigin ?? url.origin }, locals.ctx.clock.now());
				return { success: RESET_REQUESTED, email };
			})
		);
	}
};
