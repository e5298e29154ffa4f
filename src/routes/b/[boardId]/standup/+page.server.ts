import type { PageServerLoad } from './$types';
import { loadBoardPeople } from '$lib/server/boards/board-page';
import { orErrorPage } from '$lib/server/http';
import { standupView } from '$lib/server/standup/view';

export const load: PageServerLoad = async (event) => {
	const people = await loadBoardPeople(event);
	const { board, allowed } = await event.parent();
	const { db, documents, clock } = event.locals.ctx;
	const view = await orErrorPage(() => standupView(db, documents, board.id, people.me.id, clock.now()));
	return { ...people, view, canFacilitate: allowed.edit };
};
