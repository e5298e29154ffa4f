import type { PageServerLoad } from './$types';
import { loadBoardPeople } from '$lib/server/boards/board-page';

// The calendar reads the board itself over the sync socket, like the board page.
export const load: PageServerLoad = (event) => loadBoardPeople(event);
