import { feedRoutes } from '$lib/server/calendar-feeds/routes';

/** /api/boards/<id>/calendar-feed — the signed-in member's secret calendar link of this board (members only; others 404). */
export const { GET, POST, DELETE } = feedRoutes((event) => ({ kind: 'board', boardId: event.params.boardId ?? '' }));
