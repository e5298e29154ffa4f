import type { Actions, PageServerLoad } from './$types';
import { formAction, requireUser } from '$lib/server/http';
import { loadMailPrefs, parseMailPrefs, saveMailPrefs } from '$lib/server/mail/prefs';
import { EMAIL_ONLY_KINDS, NOTIFICATION_KINDS, notificationKinds } from '$lib/notifications/kinds';
import { env } from '$env/dynamic/private';
import { isAdmin } from '$lib/server/mail/admin';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const { db, mailer } = event.locals.ctx;
	return {
		prefs: await loadMailPrefs(db, user.id),
		kinds: notificationKinds.map((kind) => ({ kind, label: NOTIFICATION_KINDS[kind].label, emailOnly: EMAIL_ONLY_KINDS.has(kind) })),
		timeZones: Intl.supportedValuesOf('timeZone'),
		mailConfigured: mailer.configured,
		// The admin's mail log is linked from nowhere else: show its way in to the people who may open it.
		isAdmin: await isAdmin(db, user, env.ADMIN_EMAILS)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = await event.request.formData();
		const { db, jobs, clock, mailer } = event.locals.ctx;
		return formAction('save', form, async () => {
			const prefs = parseMailPrefs(form);
			await saveMailPrefs(db, jobs, user.id, prefs, clock.now());
			const at = `${String(prefs.digestHour).padStart(2, '0')}:00 (${prefs.timeZone})`;
			// Without SMTP nothing is mailed: do not promise a digest the server cannot send.
			if (!mailer.configured) return { success: prefs.digest ? `Saved. Email is not set up on this server, so nothing is mailed yet; once it is, your digest comes at ${at}.` : 'Saved.' };
			return { success: prefs.digest ? `Saved. Your email notifications come as one digest at ${at}.` : 'Saved.' };
		});
	}
};
