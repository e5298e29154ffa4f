import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { listBoardsForUser } from '$lib/server/boards/boards';

/** GET /api/boards — the boards the caller is a member of: `{ boards: [{ id, name, role }] }` (the command palette jumps to them). */
export const GET: RequestHandler = async ({ locals }) => {
	if (!locals.user) error(401, 'Log in to list your boards.');
	const boards = await listBoardsForUser(locals.ctx.db, locals.user.id);
	return json({ boards: boards.map(({ id, name, role }) => ({ id, name, role })) }, { headers: { 'cache-control': 'private, no-store' } });
};
