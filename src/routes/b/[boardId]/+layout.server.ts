import type { LayoutServerLoad } from './$types';
import { requireBoardAction } from '$lib/server/boards/boards';
import { can } from '$lib/server/auth/permissions';
import { orErrorPage, requireUser } from '$lib/server/http';
import { getProcessOwner, listTeamRoles } from '$lib/server/boards/team-roles';

export const load: LayoutServerLoad = async (event) => {
	const user = requireUser(event);
	const board = await orErrorPage(() => requireBoardAction(event.locals.ctx.db, event.params.boardId, user.id, 'view'));
	return {
		board,
		processOwner: await getProcessOwner(event.locals.ctx.db, board.id),
		// Names and holders for the board's process views, until the document's mirror of them has every role.
		teamRoles: (await listTeamRoles(event.locals.ctx.db, board.id, user.id)).map((r) => ({ name: r.name, holders: r.holders })),
		allowed: {
			edit: can(board.role, 'edit_content'),
			rename: can(board.role, 'rename'),
			delete: can(board.role, 'delete'),
			manageMembers: can(board.role, 'manage_members')
		}
	};
};
