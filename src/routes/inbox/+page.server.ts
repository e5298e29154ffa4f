import type { Actions, PageServerLoad } from './$types';
import { formAction, requireUser } from '$lib/server/http';
import { markRead, parseMarkRead, readInbox } from '$lib/server/notifications/inbox';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	return { inbox: await readInbox(event.locals.ctx.db, user.id) };
};

export const actions: Actions = {
	read: async (event) => {
		const user = requireUser(event);
		const form = await event.request.formData();
		return formAction('read', form, async () => {
			await markRead(event.locals.ctx, user.id, parseMarkRead({ id: form.get('id') }));
			return { action: 'read' };
		});
	},
	readAll: async (event) => {
		const user = requireUser(event);
		const form = await event.request.formData();
		return formAction('readAll', form, async () => {
			await markRead(event.locals.ctx, user.id, { all: true });
			return { action: 'readAll', success: 'Everything is marked read.' };
		});
	}
};
