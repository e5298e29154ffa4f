import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { createBoard, listBoardsForUser } from '$lib/server/boards/boards';
import { formAction, requireUser } from '$lib/server/http';
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
		const result = await formAction('create', form, async () => {
			const { name } = parseForm(boardNameSchema, form);
			return { boardId: await createBoard(db, user.id, name, clock.now()) };
		});
		if ('boardId' in result) redirect(303, `/b/${result.boardId}`);
		return result;
	}
};
