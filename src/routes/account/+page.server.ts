import type { Actions, PageServerLoad } from './$types';
import { changePassword } from '$lib/server/accounts';
import { formAction, requireUser } from '$lib/server/http';
import { changePasswordSchema, parseForm } from '$lib/server/validation';

export const load: PageServerLoad = (event) => ({ account: requireUser(event) });

export const actions: Actions = {
	changePassword: async (event) => {
		const user = requireUser(event);
		const form = await event.request.formData();
		const { db, access } = event.locals.ctx;
		return formAction('changePassword', form, async () => {
			const input = parseForm(changePasswordSchema, form);
			const sessionId = event.locals.session!.id;
			await changePassword(db, { userId: user.id, sessionId, ...input });
			access.otherSessionsEnded(user.id, sessionId);
			return { success: 'Password changed. You were signed out everywhere else.' };
		});
	}
};
