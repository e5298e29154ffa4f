import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { readUnsubscribeToken, unsubscribe } from '$lib/server/mail/unsubscribe';

const INVALID = 'This unsubscribe link is not valid. Change your emails in your notification settings instead.';

// No login: the link comes from a mail, and its token (an HMAC) is the proof. GET only shows a button, so that link
// scanners that open every URL in a mail do not unsubscribe anyone.
export const load: PageServerLoad = async ({ params, locals }) => {
	const who = await readUnsubscribeToken(locals.ctx.db, params.token);
	if (!who) error(404, INVALID);
	return { label: who.label };
};

export const actions: Actions = {
	default: async ({ params, locals }) => {
		const done = await unsubscribe(locals.ctx.db, params.token);
		if (!done) error(404, INVALID);
		return { done: true, label: done.label, inApp: done.channel === 'app' };
	}
};
