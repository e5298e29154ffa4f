import type { RequestEvent } from '@sveltejs/kit';
import { listMembers } from './members.ts';
import { requireUser } from '../http.ts';

/**
 * What a page showing the live board (the board, the calendar) loads besides the layout's board: who is looking and
 * the members' names. The layout's load already refused non-members (404).
 */
export async function loadBoardPeople(event: RequestEvent & { parent(): Promise<{ board: { id: string } }> }) {
	const user = requireUser(event);
	const { board } = await event.parent();
	const members = await listMembers(event.locals.ctx.db, board.id, user.id);
	return {
		me: { id: user.id, name: user.name },
		members: Object.fromEntries(members.map((m) => [m.userId, { name: m.name }]))
	};
}
