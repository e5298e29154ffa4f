import type { PageServerLoad } from './$types';
import { loadBoardPeople } from '$lib/server/boards/board-page';
import { listSavedViews } from '$lib/server/views/saved-views';
import { readViewPrefs } from '$lib/server/views/view-prefs';

export const load: PageServerLoad = async (event) => {
	const people = await loadBoardPeople(event);
	const { db } = event.locals.ctx;
	const boardId = event.params.boardId;
	const [views, prefs] = await Promise.all([listSavedViews(db, boardId, people.me.id), readViewPrefs(db, boardId, people.me.id)]);
	return { ...people, views, prefs };
};
