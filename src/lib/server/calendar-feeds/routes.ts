import { error, json, type RequestEvent, type RequestHandler } from '@sveltejs/kit';
import { jsonApi, requireSameOrigin } from '../http.ts';
import { feedStatus, resetFeed, turnOffFeed, type FeedScope } from './feeds.ts';

const NO_STORE = { 'cache-control': 'private, no-store' };

/** The links of a new secret: the https one to paste, and webcal:// which opens a calendar app to subscribe. */
export function feedLinks(origin: string, secret: string): { url: string; webcal: string } {
	const url = `${origin}/calendar/${secret}.ics`;
	return { url, webcal: url.replace(/^https?:\/\//, 'webcal://') };
}

/**
 * The JSON routes that manage one kind of feed for the signed-in person: GET its status (`{ feed: { createdAt,
 * lastFetchedAt } | null }`), POST a new link (replacing the old one; 201 with `{ feed, url, webcal }`, the only time
 * the secret is shown), DELETE to turn it off. Cookie-authenticated writes, so same-origin only.
 */
export function feedRoutes(scopeOf: (event: RequestEvent) => FeedScope): { GET: RequestHandler; POST: RequestHandler; DELETE: RequestHandler } {
	const user = (event: RequestEvent) => {
		if (!event.locals.user) error(401, 'Log in to manage calendar links.');
		return event.locals.user;
	};
	return {
		GET: (event) =>
			jsonApi(async () => {
				const me = user(event);
				return json({ feed: await feedStatus(event.locals.ctx.db, me.id, scopeOf(event)) }, { headers: NO_STORE });
			}),
		POST: (event) =>
			jsonApi(async () => {
				const me = user(event);
				requireSameOrigin(event);
				const { db, clock, publicOrigin } = event.locals.ctx;
				const { secret, status } = await resetFeed(db, me.id, scopeOf(event), clock.now());
				return json({ feed: status, ...feedLinks(publicOrigin ?? event.url.origin, secret) }, { status: 201, headers: NO_STORE });
			}),
		DELETE: (event) =>
			jsonApi(async () => {
				const me = user(event);
				requireSameOrigin(event);
				const { db, clock } = event.locals.ctx;
				return json({ turnedOff: await turnOffFeed(db, me.id, scopeOf(event), clock.now()) }, { headers: NO_STORE });
			})
	};
}
