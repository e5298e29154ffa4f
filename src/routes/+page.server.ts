import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { createBoard, listBoardsForUser } from '$lib/server/boards/boards';
import { boardCreateKeys, requireRateSlots } from '$lib/server/auth/rate-limit';
import { formAction, requireUser, retryAfterOnThrottle } from '$lib/server/http';
import { boardNameSchema, parseForm } from '$lib/server/validation';

export const load: PageServerLoad = async ({ locals }) => {
	if (!locals.user) return { boards: null };
	return { boards: await listBoardsForUser(locals.ctx.db, locals.user.id) };
};

export const actions: Actions = {
	create: async (event) => {
		const user = requireUser(event);
		const form = await event.request.formData();
		const { db, clock } = event.locals.ctx;
		const result = await formAction('create', form, () =>
			retryAfterOnThrottle(event, async () => {
				const { name } = parseForm(boardNameSchema, form);
				const keys = boardCreateKeys(user.id, event.getClientAddress(), event.locals.limits);
				await requireRateSlots(db, keys, clock.now(), (wait) => `You have created many boards in a short time. Try again in ${wait}.`, 'name');
				return { boardId: await createBoard(db, user.id, name, clock.now()) };
			})
		);
		if ('boardId' in result) redirect(303, `/b/${result.boardId}`);
		return result;
	}
};
