import type { Actions, PageServerLoad } from './$types';
import { changePassword } from '$lib/server/accounts';
import { formAction, requireUser } from '$lib/server/http';
import { changePasswordSchema, parseForm } from '$lib/server/validation';
import { profileSchema, readProfile, updateProfile } from '$lib/server/profile';

export const load: PageServerLoad = async (event) => {
	const account = requireUser(event);
	const profile = await readProfile(event.locals.ctx.db, account.id);
	return { account, profile, timeZones: Intl.supportedValuesOf('timeZone') };
};

export const actions: Actions = {
	profile: async (event) => {
		const user = requireUser(event);
		const form = await event.request.formData();
		const { db, jobs, clock } = event.locals.ctx;
		return formAction('profile', form, async () => {
			await updateProfile(db, jobs, user.id, parseForm(profileSchema, form), clock.now());
			return { action: 'profile', success: 'Saved. Your name shows on boards from the next page you open.' };
		});
	},
	changePassword: async (event) => {
		const user = requireUser(event);
		const form = await event.request.formData();
		const { db, access } = event.locals.ctx;
		return formAction('changePassword', form, async () => {
			const input = parseForm(changePasswordSchema, form);
			const sessionId = event.locals.session!.id;
			await changePassword(db, { userId: user.id, sessionId, ...input });
			access.otherSessionsEnded(user.id, sessionId);
			return { action: 'changePassword', success: 'Password changed. You were signed out everywhere else.' };
		});
	}
};
