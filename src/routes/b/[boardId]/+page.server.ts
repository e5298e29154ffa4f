import type { PageServerLoad } from './$types';
import { loadBoardPeople } from '$lib/server/boards/board-page';

export const load: PageServerLoad = (event) => loadBoardPeople(event);
