import { feedRoutes } from '$lib/server/calendar-feeds/routes';

/** /api/calendar-feeds/my-steps — the signed-in person's secret "my steps" calendar link (their steps on every board). */
export const { GET, POST, DELETE } = feedRoutes(() => ({ kind: 'person' }));
