import type { PageServerLoad } from './$types';
import { listMembers } from '$lib/server/boards/members';
import { requireUser } from '$lib/server/http';

// The layout's load already refused non-members (404); the calendar reads the board itself over the sync socket.
export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const { board } = await event.parent();
	const members = await listMembers(event.locals.ctx.db, board.id, user.id);
	return {
		me: { id: user.id, name: user.name },
		members: Object.fromEntries(members.map((m) => [m.userId, { name: m.name }]))
	};
};
