import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { acceptInvite, inspectInvite } from '$lib/server/boards/invites';
import { findBoardAccess } from '$lib/server/boards/boards';
import { DomainError } from '$lib/server/errors';
import { formAction, requireUser } from '$lib/server/http';

export const load: PageServerLoad = async ({ params, locals }) => {
	const { db, clock } = locals.ctx;
	try {
		const invite = await inspectInvite(db, params.token, clock.now());
		const existing = locals.user ? await findBoardAccess(db, invite.boardId, locals.user.id) : null;
		return { invite: { boardName: invite.boardName, role: invite.role }, alreadyMember: existing ? invite.boardId : null, problem: null };
	} catch (err) {
		if (err instanceof DomainError) return { invite: null, alreadyMember: null, problem: err.message };
		throw err;
	}
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = await event.request.formData();
		const { db, clock, access } = event.locals.ctx;
		const result = await formAction('accept', form, async () => ({ boardId: await acceptInvite(db, event.params.token, user.id, clock.now()) }));
		if ('boardId' in result) {
			// A former team role holder who rejoins holds their roles again: the open board's document hears of it.
			access.membershipChanged(result.boardId, user.id);
			redirect(303, `/b/${result.boardId}`);
		}
		return result;
	}
};
